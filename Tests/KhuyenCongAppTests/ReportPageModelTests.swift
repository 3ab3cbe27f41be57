import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// The report pages built from hand-made values, without a database, rendered through the real Leaf templates (as
/// `PageModelTests` does for the register, plan and audit pages) and read as a person reads them: amounts in words of
/// đồng, percentages with a decimal comma, dates dd/mm/yyyy, names not codes, no JSON; the dashboard's monitoring lists
/// capped with a link to the whole list, which shows every line.
@Suite("Report page models without a database")
struct ReportPageModelTests {
    static let viewer = User(username: "xem", displayName: "Lãnh đạo Bộ", role: .viewer, unitID: nil, regionCode: nil, passwordHash: "")
    static let query = "region=north&year=2026&period=H1"
    static let provinces = ["Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Ninh Bình", "Quảng Ninh", "Lào Cai", "Sơn La"]

    /// Fourteen late registrations of Thanh Hóa, a project waiting for its budget, seven provinces with four overdue
    /// settlements each, a quarterly report not sent; nothing else.
    static let monitoring = Monitoring(
        lateSubmissions: (1...14).map {
            .init(unitCode: "38", unitName: "Thanh Hóa", projectCode: "KC2026-38-QG-\($0 < 10 ? "0" : "")\($0)", year: 2026,
                  submittedOn: "2025-06-\(10 + $0)", daysLate: $0)
        },
        silentUnits: [], silentYears: 3,
        waitingAllocation: [.init(projectCode: "KC2026-40-QG-07", title: "Hỗ trợ máy sấy chè", unitName: "Nghệ An", category: "1",
                                  approvedOn: "2026-03-02", approvedVnd: 1_500_000_000, daysWaiting: 91)],
        periodReports: [], pipeline: [], latePlanRegistrations: [], lateMinistryRegistrations: [],
        overdueSettlements: provinces.enumerated().flatMap { unit, name in
            (1...4).map { project in
                Monitoring.OverdueSettlement(unitCode: UnitCode(String(30 + unit)), unitName: name, projectCode: "KC2025-\(30 + unit)-DP-0\(project)", year: 2025,
                                             acceptedOn: "2025-11-0\(project)", step: .close, deadline: "2026-01-22", settledOn: nil,
                                             state: .missing, daysLate: 100 - unit)
            }
        },
        quarterlyReports: [.init(unitCode: "38", name: "Thanh Hóa", quarter: .q1, due: "2026-04-15", state: .missing, daysLate: 30)])

    static func page(_ layout: PageLayout) -> DashboardPage {
        let plan: Money = 170_849_000_000, realised: Money = 34_682_000_000
        let money = { (amount: Money) in VietnameseFormat.money(amount) }
        return DashboardPage(
            title: "Báo cáo khuyến công – Khu vực phía Bắc – 6 tháng đầu năm 2026", layout: layout,
            heading: "Khu vực phía Bắc: 6 tháng đầu năm 2026", subheading: "Số liệu đến ngày 30/06/2026",
            regions: [.init(value: "north", label: "Khu vực phía Bắc", selected: true)],
            years: [.init(value: "2026", label: "2026", selected: true)],
            periods: [.init(value: "H1", label: Period.h1.vietnameseName(year: 2026), selected: true)],
            sources: FundingSource.allCases.map { .init(value: $0.rawValue, label: $0.vietnameseName, selected: false) },
            unitCode: "", unitChoices: [], restated: false,
            restateLink: SiteRoute.dashboard.path(query: query + "&restate=true"), restateLabel: "Quy đổi theo 34 tỉnh, thành phố hiện nay",
            xlsxLink: SiteRoute.dashboardXLSX.path(query: query), csvLink: SiteRoute.dashboardCSV.path(query: query),
            docxLink: Links.reportDocument(query: query, format: "docx"), pdfLink: Links.reportDocument(query: query, format: "pdf"),
            printStyleLink: Links.dashboardPrintStyle(query: query),
            headlines: [.init(label: "Kế hoạch 2026", vnd: plan, note: "tăng 4,2% so với 2025"),
                        .init(label: "Thực hiện 6 tháng đầu năm 2026", vnd: realised,
                              note: "\(VietnameseFormat.percent(Ratio(realised, over: plan))) kế hoạch năm")],
            unitsChart: "", categoriesChart: "", progressChart: "",
            units: [.init(rank: 1, code: "38", name: "Thanh Hóa", link: Links.unit("38@2025-07-01"), plan: money(plan), realised: money(realised),
                          pct: VietnameseFormat.percent(Ratio(realised, over: plan)))],
            categories: [], targets: [], pipeline: [],
            narrative: ["Kế hoạch năm 2026 là 170,8 tỷ đồng."],
            monitoringLists: DashboardPage.monitoringLists(monitoring, query: query),
            dashboardLink: SiteRoute.dashboard.path(query: query))
    }

    @Test func theDashboardReadsAsAPersonReadsItWithItsListsCappedAndLinked() async throws {
        let html = try await PageModelTests.html(signedInAs: Self.viewer) { req in
            let page = Self.page(PageLayout(req))
            let body = String(buffer: try await req.view.render("reports/dashboard-body", page).data)
            return try await req.view.render("reports/dashboard", DashboardController.Frame(title: page.title, layout: page.layout, body: body))
        }
        let text = PageModelTests.visibleText(html)
        #expect(text.contains("Khu vực phía Bắc: 6 tháng đầu năm 2026"))
        #expect(text.contains("Kế hoạch 2026 170,8 tỷ đồng") && text.contains("20,3% kế hoạch năm"))
        #expect(text.contains("Thanh Hóa 170,8 tỷ đồng 34,7 tỷ đồng 20,3%"))
        // The late registrations: the count, the first ten with their dates, and the link to all fourteen.
        #expect(text.contains("Đăng ký đề án quốc gia muộn (14)"))
        #expect(text.contains("Thanh Hóa: đề án KC2026-38-QG-01 (năm 2026) nộp ngày 11/06/2025, muộn 1 ngày"))
        #expect(text.contains("KC2026-38-QG-10") && !text.contains("KC2026-38-QG-11"))
        #expect(html.contains("<a href=\"/dashboard/lists/late-submissions?region=north&amp;year=2026&amp;period=H1\">… và 4 mục khác</a>"))
        // A list no longer than the cap: whole, without a link; an empty one says so.
        #expect(text.contains("KC2026-40-QG-07 – Nghệ An: 1,5 tỷ đồng, phê duyệt ngày 02/03/2026, đã chờ 91 ngày"))
        #expect(!html.contains("/dashboard/lists/waiting-allocation"))
        #expect(text.contains("Không đăng ký đề án quốc gia 3 năm gần đây Không có."))
        // The settlements: 28 projects; five provinces, three projects each shown, the rest behind the links.
        #expect(text.contains("Quyết toán quá hạn (28)"))
        #expect(text.contains("Thanh Hóa: 4 đề án (4 quá hạn khóa sổ), chậm nhất 100 ngày"))
        #expect(text.contains("Quảng Ninh: 4 đề án") && !text.contains("Lào Cai") && !text.contains("Sơn La"))
        #expect(text.contains("KC2025-30-DP-03") && !text.contains("KC2025-30-DP-04"))
        #expect(text.contains("nghiệm thu ngày 01/11/2025, chưa quyết toán trước hạn khóa sổ, quá hạn 100 ngày (hạn 22/01/2026)"))
        #expect(html.components(separatedBy: "… và 1 đề án khác").count - 1 == 5)
        #expect(html.contains("<a href=\"/dashboard/lists/overdue-settlements?region=north&amp;year=2026&amp;period=H1\">… và 2 mục khác</a>"))
        #expect(text.contains("Báo cáo quý I (hạn 15/04/2026): chưa nộp: Thanh Hóa"))
        for stored in ["2026-03-02", "2025-06-11", "2026-01-22", "settlement_close", "missing", "170849000000"] {
            #expect(!text.contains(stored), "the page shows \"\(stored)\"")
        }
        PageModelTests.expectNoCodes(text)
    }

    @Test func theWholeListShowsEveryLineWithTheScopeAndTheWayBack() async throws {
        for list in [SiteRoute.MonitoringList.lateSubmissions, .overdueSettlements] {
            let html = try await PageModelTests.html(signedInAs: Self.viewer) { req in
                let page = Self.page(PageLayout(req))
                let section = try #require(page.monitoringLists.first { $0.list == list })
                return try await req.view.render("reports/monitoring-list", MonitoringListPage(section, of: page, layout: page.layout, in: .vi))
            }
            let text = PageModelTests.visibleText(html)
            #expect(text.contains("Khu vực phía Bắc: 6 tháng đầu năm 2026"))
            #expect(html.contains("href=\"/dashboard?region=north&amp;year=2026&amp;period=H1\""))
            #expect(!text.contains("mục khác") && !text.contains("đề án khác"))
            switch list {
            case .lateSubmissions:
                #expect(text.contains("Đăng ký đề án quốc gia muộn (14)"))
                for number in 1...14 { #expect(text.contains("KC2026-38-QG-\(number < 10 ? "0" : "")\(number) (năm 2026)")) }
                #expect(text.contains("nộp ngày 24/06/2025, muộn 14 ngày"))
            default:
                #expect(text.contains("Quyết toán quá hạn (28)"))
                for (unit, name) in Self.provinces.enumerated() {
                    #expect(text.contains("\(name): 4 đề án (4 quá hạn khóa sổ), chậm nhất \(100 - unit) ngày"))
                    for project in 1...4 { #expect(text.contains("\(name): đề án KC2025-\(30 + unit)-DP-0\(project) (năm 2025)")) }
                }
            }
            PageModelTests.expectNoCodes(text)
        }
    }

    /// Thanh Hóa's figures for the first half of 2026 as a report's summary holds them.
    static func thanhHoaH1(realised: Money, establishments: Int64) -> ReportSummary {
        ReportSummary(scope: .init(area: .unit, region: .north, unitCode: "38", name: "Thanh Hóa", year: 2026, period: .h1, source: nil,
                                   restated: false, asOf: "2026-07-31"),
                      plan: .init(amountVnd: 170_849_000_000, previousYearVnd: 150_000_000_000, changePct: nil),
                      realised: .init(amountVnd: realised, pctOfPlan: nil, samePeriodPreviousYearVnd: 28_500_000_000, changePct: nil),
                      byCategory: [], bySource: [],
                      targets: [.init(indicator: "establishments_supported", name: "Số cơ sở được hỗ trợ", planned: 1_500, realised: establishments)],
                      byUnit: [])
    }

    /// The report as the API gives it, with `status` and the dates of a report submitted late and approved.
    static func report(_ status: PeriodReportFiling, locked: Bool = false, returnReason: String? = nil) -> PeriodReportsAPIController.ReportDTO {
        let approved = thanhHoaH1(realised: 34_682_000_000, establishments: 1_180), live = thanhHoaH1(realised: 34_802_000_000, establishments: 1_204)
        let filed = status != .missing
        return .init(unitCode: "38", unitName: "Thanh Hóa", year: 2026, period: .h1, status: status, locked: locked, dueOn: "2026-07-15",
                     submittedOn: filed ? "2026-07-20" : nil, daysLate: filed ? 5 : nil,
                     approvedOn: locked ? "2026-07-25" : nil, approvedBy: locked ? "bo.congthuong" : nil, returnReason: returnReason,
                     unlockReason: nil, coverNote: filed ? "Báo cáo 6 tháng đầu năm" : nil, live: live, submitted: filed ? approved : nil,
                     approved: locked ? approved : nil,
                     differences: locked ? [.init(figure: "Thực hiện trong kỳ", approved: 34_682_000_000, now: 34_802_000_000)] : [])
    }

    /// The period report page as `user` receives it for `report`, built by the page model (no database).
    static func periodReportText(_ report: PeriodReportsAPIController.ReportDTO, as user: User, history: [AuditEntry] = [])
        async throws -> (html: String, text: String) {
        let key = try PeriodReportWorkflow.key(unitCode: "38", year: 2026, period: "H1")
        let quality = QualitySection(errors: 0, warnings: 1, uncommented: 0, link: Links.quality(unitCode: "38", year: 2026, period: .h1),
                                     findings: [.init(severity: "Cảnh báo", ruleName: "Kinh phí giải ngân chưa có kết quả",
                                                      message: "Đề án đã giải ngân 1,5 tỷ đồng nhưng chưa ghi kết quả.",
                                                      comment: "Kết quả nghiệm thu ghi trong quý III", projectCode: "KC2026-38-QG-001",
                                                      projectLink: Links.project("KC2026-38-QG-001"))])
        let html = try await PageModelTests.html(signedInAs: user) { req in
            try await req.view.render("period-reports/show", PeriodReportPage(key, report: report, history: history, reader: user.principal,
                                                                               quality: quality, layout: PageLayout(req), csrf: "", language: .vi))
        }
        return (html, PageModelTests.visibleText(html))
    }

    /// The period report page of Thanh Hóa's first half of 2026, approved and locked, with a figure that moved since,
    /// built by the page model from the report as the API gives it: the status in words, amounts the Vietnamese way,
    /// dates dd/mm/yyyy, the history as sentences, the quality finding with its comment.
    @Test func thePeriodReportPageShowsAmountsDatesAndTheHistoryAsAPersonReadsThem() async throws {
        let approval = AuditEntry(actor: "bo.congthuong", action: "approve", recordType: "period_report", recordID: "38@2025-07-01/2026/H1",
                                  unitID: "38@2025-07-01", before: #"{"status":"submitted"}"#, after: #"{"status":"approved"}"#,
                                  at: Date(timeIntervalSince1970: 1_784_966_400))
        let (html, text) = try await Self.periodReportText(Self.report(.approved, locked: true), as: PageModelTests.thanhHoaOfficer, history: [approval])
        #expect(text.contains("Thanh Hóa: báo cáo 6 tháng đầu năm 2026"))
        #expect(text.contains("Đã phê duyệt") && text.contains("Đã khóa số liệu"))
        #expect(text.contains("Hạn nộp 15/07/2026") && text.contains("Ngày nộp 20/07/2026 (muộn 5 ngày)"))
        #expect(text.contains("Phê duyệt bo.congthuong, ngày 25/07/2026") && text.contains("Thuyết minh Báo cáo 6 tháng đầu năm"))
        #expect(text.contains("Lý do trả lại –"))
        #expect(text.contains("Kế hoạch năm 170,8 tỷ đồng 170,8 tỷ đồng 170,8 tỷ đồng"))
        #expect(text.contains("Thực hiện trong kỳ 34,8 tỷ đồng 34,7 tỷ đồng 34,7 tỷ đồng"))
        #expect(text.contains("Cùng kỳ năm trước 28,5 tỷ đồng 28,5 tỷ đồng 28,5 tỷ đồng"))
        #expect(text.contains("Kết quả: Số cơ sở được hỗ trợ 1.204 1.180 1.180"))
        #expect(text.contains("Thay đổi sau khi phê duyệt Thực hiện trong kỳ: đã duyệt 34.682.000.000, hiện nay 34.802.000.000"))
        #expect(text.contains("0 lỗi, 1 cảnh báo"))
        #expect(text.contains("Cảnh báo: Kinh phí giải ngân chưa có kết quả") && text.contains("Đề án đã giải ngân 1,5 tỷ đồng nhưng chưa ghi kết quả."))
        #expect(text.contains("Giải trình của đơn vị: Kết quả nghiệm thu ghi trong quý III"))
        #expect(html.contains("href=\"/projects/KC2026-38-QG-001\""))
        // The history: a moment in Vietnam's time, who, and the step in words.
        #expect(text.contains("Lịch sử") && text.contains("bo.congthuong ·"))
        #expect(!text.contains("approved") && !text.contains("submitted") && !text.contains("2026-07-15") && !text.contains("34682000000"))
        // Approved and locked: no form to submit, approve or unlock for the province.
        #expect(!html.contains("id=\"approve\"") && !html.contains("id=\"unlock\"") && !html.contains("name=\"coverNote\""))
        PageModelTests.expectNoCodes(text)
    }

    /// The other statuses in words, and the forms each reader gets: the region's reviewer reviews a submitted report,
    /// the province resubmits a returned one and submits a missing one.
    @Test func thePeriodReportPageNamesEachStatusAndOffersTheRightForms() async throws {
        let reviewer = User(username: "khuvuc.bac", displayName: "Cán bộ phụ trách khu vực phía Bắc", role: .regionReviewer, unitID: nil,
                            regionCode: .north, passwordHash: "")
        let submitted = try await Self.periodReportText(Self.report(.submitted), as: reviewer)
        #expect(submitted.text.contains("Đã nộp, chờ duyệt") && !submitted.text.contains("Đã khóa số liệu"))
        #expect(submitted.html.contains("id=\"approve\"") && submitted.html.contains("id=\"return\"") && !submitted.html.contains("name=\"coverNote\""))
        #expect(submitted.text.contains("Thực hiện trong kỳ 34,8 tỷ đồng 34,7 tỷ đồng –"))
        PageModelTests.expectNoCodes(submitted.text)

        let returned = try await Self.periodReportText(Self.report(.returned, returnReason: "Thiếu thuyết minh quý II"), as: PageModelTests.thanhHoaOfficer)
        #expect(returned.text.contains("Trả lại để chỉnh sửa") && returned.text.contains("Lý do trả lại Thiếu thuyết minh quý II"))
        #expect(returned.html.contains("name=\"coverNote\"") && !returned.html.contains("id=\"approve\""))

        let missing = try await Self.periodReportText(Self.report(.missing), as: PageModelTests.thanhHoaOfficer)
        #expect(missing.text.contains("Chưa nộp") && missing.text.contains("Ngày nộp – Phê duyệt –"))
        #expect(missing.text.contains("Kế hoạch năm 170,8 tỷ đồng – –"))
        #expect(missing.html.contains("name=\"coverNote\""))
        // A reviewer of another region is not offered the review (the access rules, not the page, refuse them the page).
        let south = User(username: "khuvuc.nam", displayName: "Cán bộ phụ trách khu vực phía Nam", role: .regionReviewer, unitID: nil,
                         regionCode: .south, passwordHash: "")
        #expect(!(try await Self.periodReportText(Self.report(.submitted), as: south)).html.contains("id=\"approve\""))
    }
}
