import Fluent
import Foundation
import KhuyenCongCore
import Testing
import VaporTesting
@testable import KhuyenCongApp

/// The report definitions on a small data set whose expected figures are worked out by hand: plan revisions,
/// estimates superseded by actuals, a payment after the plan year, and the 2025 merger.
@Suite("Report definitions on a hand-made data set")
struct ReportDefinitionsTests {
    /// Bắc Giang (old 24) and old Bắc Ninh (27) in 2025; the new Bắc Ninh (new 24) in 2026.
    static func load(on db: any Database) async throws {
        func line(_ unit: UnitID, _ year: Int, _ source: FundingSource, _ category: String, _ revisions: [(Money, String)]) async throws {
            let line = PlanLine(id: UUID(), unitID: unit, year: year, source: source, categoryCode: category)
            try await line.create(on: db)
            for (amount, date) in revisions {
                try await PlanLineRevision(planLineID: line.id!, amountVnd: amount, approvedOn: date, decisionNo: "QĐ").create(on: db)
            }
        }
        try await line("24@2008-08-01", 2025, .national, "1", [(1_200_000_000, "2024-12-20"), (1_000_000_000, "2025-07-10")])
        try await line("27@2008-08-01", 2025, .local, "2", [(500_000_000, "2024-12-22")])
        try await line("24@2025-07-01", 2026, .national, "1", [(2_000_000_000, "2025-12-15")])

        func project(_ code: String, _ unit: UnitID, _ year: Int, _ source: FundingSource, _ category: String,
                     _ rows: [(String, Int64, String)]) async throws {
            let p = Project(code: code, title: code, unitID: unit, year: year, source: source, categoryCode: category, implementingUnit: "X",
                            supportRequestedVnd: 1, supportApprovedVnd: 1, counterpartVnd: 0, status: .inProgress,
                            submittedOn: nil, approvedOn: nil, allocatedOn: nil)
            try await p.create(on: db)
            for (date, amount, basis) in rows {
                try await DatedRecords.insert(Disbursement(projectID: p.id!, onDate: date, amountVnd: Money(dong: amount), basis: try Basis(parsing: basis), kind: .payment), of: p, on: db)
            }
        }
        try await project("P1", "24@2008-08-01", 2025, .national, "1", [
            ("2025-03-01", 300_000_000, "estimate"), ("2025-05-01", 250_000_000, "actual"),   // the actual supersedes the estimate in H1
            ("2026-02-01", 400_000_000, "actual"),                                            // paid after the plan year
        ])
        try await project("P2", "27@2008-08-01", 2025, .local, "2", [("2025-06-30", 100_000_000, "estimate")])
        try await project("P3", "24@2025-07-01", 2026, .national, "1", [
            ("2026-04-01", 600_000_000, "actual"), ("2026-05-01", 50_000_000, "estimate"),
        ])
    }

    @Test func aNewUnitIsComparedWithItsPredecessorsRestated() async throws {
        try await TestApp.run { app in
            try await Self.load(on: app.db)
            let summary = try await ReportSummary.compute(
                ReportScope(area: .unit(code: "24"), year: 2026, period: .h1, asOf: CalendarDate(2026, 11, 29)), on: app.db)
            #expect(summary.scope.name == "Bắc Ninh")
            #expect(summary.plan.amountVnd == 2_000_000_000)
            #expect(summary.plan.previousYearVnd == Money(dong: 1_000_000_000 + 500_000_000))   // Bắc Giang's revised line + old Bắc Ninh's
            #expect(summary.realised.amountVnd == 600_000_000)                      // P3's estimate is superseded
            #expect(summary.realised.samePeriodPreviousYearVnd == Money(dong: 250_000_000 + 100_000_000))
            #expect(summary.realised.changePct.map { abs($0 - 71.42857142857143) < 1e-9 } == true)
        }
    }

    @Test func thePlanIsTheRevisionInForceOnTheAsOfDate() async throws {
        try await TestApp.run { app in
            try await Self.load(on: app.db)
            let early = try await ReportSummary.compute(
                ReportScope(area: .unit(code: "24"), year: 2025, period: .h1, asOf: CalendarDate(2025, 6, 30)), on: app.db)
            #expect(early.scope.name == "Bắc Giang")
            #expect(early.plan.amountVnd == 1_200_000_000)
            let late = try await ReportSummary.compute(
                ReportScope(area: .unit(code: "24"), year: 2025, period: .h1, asOf: CalendarDate(2025, 12, 31)), on: app.db)
            #expect(late.plan.amountVnd == 1_000_000_000)
        }
    }

    @Test func paymentsAfterThePlanYearAreNotInItsAnnualFigure() async throws {
        try await TestApp.run { app in
            try await Self.load(on: app.db)
            let year2025 = try await ReportSummary.compute(ReportScope(area: .region(.north), year: 2025, period: .fullYear), on: app.db)
            #expect(year2025.realised.amountVnd == Money(dong: 250_000_000 + 100_000_000))
            #expect(year2025.plan.amountVnd == 1_500_000_000)
            #expect(year2025.byUnit.count == 28)
            let restated = try await ReportSummary.compute(
                ReportScope(area: .region(.north), year: 2025, period: .fullYear, restate: true), on: app.db)
            let bacNinh = try #require(restated.byUnit.first { $0.unitCode == "24" })
            #expect(bacNinh.planVnd == 1_500_000_000 && bacNinh.realisedVnd == 350_000_000)
            #expect(restated.byUnit.count == 18)
            let local = try await ReportSummary.compute(ReportScope(area: .region(.north), year: 2025, period: .h1, source: .local), on: app.db)
            #expect(local.realised.amountVnd == 100_000_000 && local.plan.amountVnd == 500_000_000)
            #expect(local.bySource.map(\.source) == [.local])
        }
    }

    @Test func theNarrativeGivesTheReferenceReportsSentences() async throws {
        try await TestApp.run(seeded: true) { app in
            let text = try await ReportNarrative.compose(
                ReportScope(area: .region(.north), year: 2024, period: .h1), on: app.db).joined(separator: "\n")
            for fragment in [
                "năm 2024 được duyệt của 28 tỉnh, thành phố khu vực phía Bắc là 170,8 tỷ đồng, thấp hơn 8,5% so với kế hoạch năm 2023 (186,5 tỷ đồng)",
                "ước thực hiện đạt 34,7 tỷ đồng, đạt 20,3% kế hoạch năm, cao hơn 10,25% so với cùng kỳ",
                "xây dựng 13 mô hình trình diễn", "hỗ trợ 324 cơ sở", "cho 35 cơ sở công nghiệp nông thôn",
                "Tổng kinh phí hỗ trợ là 98,1 tỷ đồng, chiếm 57,4%",
                "hỗ trợ được 57 cơ sở", "và 11 cơ sở được hỗ trợ đánh giá sản xuất sạch hơn", "Kinh phí thực hiện 14,1 tỷ đồng, đạt 26,3% kế hoạch năm",
                "đã được phê duyệt nhưng chưa được phân bổ kinh phí",
                "Không đăng ký đề án khuyến công quốc gia trong 3 năm gần đây: Cao Bằng, Điện Biên, Lai Châu",
                "Đăng ký đề án khuyến công quốc gia chậm so với quy định: Hà Giang",
            ] {
                #expect(text.contains(fragment), "missing: \(fragment)")
            }
        }
    }

    @Test func theSummaryExportCarriesTheSameNumbers() async throws {
        try await TestApp.run { app in
            try await Self.load(on: app.db)
            let summary = try await ReportSummary.compute(ReportScope(area: .region(.north), year: 2025, period: .fullYear), on: app.db)
            let csv = String(decoding: SummaryExport.csv(SummaryExport.sheets(summary)), as: UTF8.self)
            #expect(csv.hasPrefix("\u{FEFF}# tong_hop"))
            #expect(csv.contains("Kế hoạch (đồng),1500000000"))
            #expect(csv.contains("Thực hiện (đồng),350000000"))
            let xlsx = try XLSXWriter.write(SummaryExport.sheets(summary))
            #expect(xlsx.prefix(2) == Data("PK".utf8))
        }
    }

    @Test func theDashboardShowsTheFiguresChartsAndDownloads() async throws {
        try await TestApp.run(seeded: true) { app in
            let page = try await app.testing().sendRequest(.GET, "/dashboard?region=north&year=2024&period=H1")
            #expect(page.status == .ok)
            let html = page.body.string
            for fragment in ["170,8 tỷ đồng", "34,7 tỷ đồng", "20,3% kế hoạch năm", "<svg", "Cao Bằng", "/dashboard.xlsx?"] {
                #expect(html.contains(fragment), "\(fragment)")
            }
            let xlsx = try await app.testing().sendRequest(.GET, "/dashboard.xlsx?region=north&year=2024&period=H1")
            #expect(xlsx.status == .ok)
            #expect(xlsx.headers.first(name: "Content-Disposition")?.contains(".xlsx") == true)
            let restated = try await app.testing().sendRequest(.GET, "/dashboard?region=north&year=2024&period=H1&restate=true")
            #expect(restated.body.string.contains("quy đổi theo đơn vị hành chính hiện nay"))
            let bad = try await app.testing().sendRequest(.GET, "/dashboard?region=mars&year=2024")
            #expect(bad.status == .unprocessableEntity)
        }
    }

    /// The dashboard is built once per change of the data and served from the cache, but each visitor keeps
    /// their own frame (name, sign-out token) and a write shows at once.
    @Test func aCachedDashboardKeepsEachVisitorsFrameAndFollowsTheData() async throws {
        try await TestApp.run(seeded: true, users: true) { app in
            let path = "/dashboard?unit=38&year=2026&period=FY"
            let anonymous = try await app.testing().sendRequest(.GET, path).body.string
            var ministry = try await TestBrowser.signedIn(app, as: "bo.congthuong")
            let signedIn = try await ministry.get(path).body.string
            #expect(!anonymous.contains("bo.congthuong") && signedIn.contains("bo.congthuong"))
            let before = try await ReportSummary.compute(ReportScope(area: .unit(code: "38"), year: 2026, period: .fullYear), on: app.db)
            let project = try #require(try await Project.query(on: app.db).filter(\.$unitID == "38@2025-07-01").filter(\.$year == 2026)
                .filter(\.$status == .inProgress).first())
            try await DatedRecords.insert(Disbursement(projectID: project.id!, onDate: "2026-11-20", amountVnd: 1_000_000_000, basis: .actual,
                                                       kind: .payment), of: project, on: app.db)
            let after = try await app.testing().sendRequest(.GET, path).body.string
            let money = { (amount: Money) in VietnameseFormat.money(amount) }
            #expect(anonymous.contains(money(before.realised.amountVnd)))
            #expect(after.contains(money(try before.realised.amountVnd + 1_000_000_000)))
        }
    }
}
