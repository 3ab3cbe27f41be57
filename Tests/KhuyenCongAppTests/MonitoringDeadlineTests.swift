import Fluent
import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// Monitoring and the narrative against the deadline rules (issue 14): the Department → ministry step, settlements
/// after the final acceptance and at the close of the accounts, quarterly reports; each with records late and not.
@Suite("Monitoring: second registration step, settlements, quarterly reports")
struct MonitoringDeadlineTests {
    static let unitID: UnitID = "38@2025-07-01"

    /// A project of Thanh Hóa with its steps on the given dates.
    @discardableResult
    func project(_ app: Application, _ code: String, year: Int, source: FundingSource = .national, status: ProjectStatus,
                 events: [(ProjectStatus, String)]) async throws -> Project {
        let project = Project(code: code, title: "Đề án \(code)", unitID: Self.unitID, year: year, source: source, categoryCode: "1",
                              implementingUnit: "Trung tâm Khuyến công", supportRequestedVnd: 200_000_000, supportApprovedVnd: 200_000_000,
                              counterpartVnd: 100_000_000, status: status, submittedOn: "\(year - 1)-05-10", approvedOn: nil, allocatedOn: nil)
        try await project.create(on: app.db)
        for (to, date) in events {
            try await ProjectEvent(projectID: try project.requireID(), fromStatus: nil, toStatus: to, onDate: date, actor: "test",
                                   decisionNo: nil, note: "").create(on: app.db)
        }
        return project
    }

    func monitoring(_ app: Application, year: Int, period: Period = .fullYear, asOf: CalendarDate) async throws -> Monitoring {
        try await Monitoring.compute(ReportScope(area: .unit(code: "38"), year: year, period: period, asOf: asOf), on: app.db)
    }

    @Test func projectsForwardedToTheMinistryAfterTheDeadlineAreLateOthersNot() async throws {
        try await TestApp.run(users: true) { app in
            // Plan year 2027: the Department → ministry deadline is 15 June 2026.
            try await project(app, "KC27-ON-TIME", year: 2027, status: .registered, events: [(.appraisedProvince, "2026-05-25"), (.registered, "2026-06-10")])
            try await project(app, "KC27-LATE", year: 2027, status: .appraisedMinistry, events: [(.registered, "2026-06-25"), (.appraisedMinistry, "2026-07-01")])
            try await project(app, "KC27-WAITING", year: 2027, status: .appraisedProvince, events: [(.appraisedProvince, "2026-06-01")])
            try await project(app, "KC27-LOCAL", year: 2027, source: .local, status: .approved, events: [(.approved, "2026-07-01")])

            let before = try await monitoring(app, year: 2026, asOf: CalendarDate(2026, 6, 14))
            #expect(before.lateMinistryRegistrations.isEmpty)
            let after = try await monitoring(app, year: 2026, asOf: CalendarDate(2026, 7, 15))
            let byCode = Dictionary(uniqueKeysWithValues: after.lateMinistryRegistrations.map { ($0.projectCode, $0) })
            #expect(Set(byCode.keys) == ["KC27-LATE", "KC27-WAITING"])
            #expect(byCode["KC27-LATE"].map { ($0.state, $0.daysLate, $0.registeredOn) } ?? (.missing, 0, nil) == (.late, 10, "2026-06-25"))
            #expect(byCode["KC27-WAITING"].map { ($0.state, $0.daysLate) } ?? (.late, 0) == (.missing, 30))
            #expect(byCode["KC27-LATE"]?.unitName == "Thanh Hóa")
            // Only the local source asked: no national list.
            let local = try await Monitoring.compute(ReportScope(area: .unit(code: "38"), year: 2026, period: .fullYear, source: .local,
                                                                 asOf: CalendarDate(2026, 7, 15)), on: app.db)
            #expect(local.lateMinistryRegistrations.isEmpty)

            // The deadline is data: the administrator moves it to 30 June on the settings page; the late one is on time.
            let admin = try #require(try await User.find(username: "admin", on: app.db))
            try await SettingsWorkflow.setDeadlines(.init(year: 2027, values: ["registration_ministry": "2026-06-30"], legalBasis: "Công văn gia hạn (thử)"),
                                                    by: admin, on: app.db)
            let moved = try await monitoring(app, year: 2026, asOf: CalendarDate(2026, 7, 15))
            #expect(moved.lateMinistryRegistrations.map(\.projectCode) == ["KC27-WAITING"])
            #expect(moved.lateMinistryRegistrations.first?.daysLate == 15)

            // The narrative counts them and names the unit; the dashboard and the document list them.
            let scope = ReportScope(area: .unit(code: "38"), year: 2026, period: .fullYear, asOf: CalendarDate(2026, 7, 15))
            let narrative = try await ReportNarrative.compose(scope, on: app.db).joined(separator: "\n")
            #expect(narrative.contains("1 đề án đã thẩm định cấp tỉnh chưa được gửi Bộ Công Thương dù đã quá hạn: Thanh Hóa (1)."))
            let page = try await app.testing().sendRequest(.GET, "/dashboard?unit=38&year=2026&period=FY&asOf=2026-07-15")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("late-ministry-registrations") && page.body.string.contains("KC27-WAITING"))
            let document = try await app.testing().sendRequest(.GET, "/reports/document?unit=38&year=2026&period=FY&asOf=2026-07-15&format=docx")
            let text = try ReportDocumentTests.text(ofDocx: Data(document.body.readableBytesView))
            #expect(text.contains("Đề án khuyến công quốc gia Sở Công Thương gửi Bộ muộn hoặc chưa gửi:"))
            #expect(text.contains("đề án KC27-WAITING (năm 2027) chưa gửi Bộ, đã quá hạn 15 ngày (hạn 30/06/2026)"))
        }
    }

    @Test func settlementsAreOverdueFifteenDaysAfterTheFinalAcceptanceAndAfterTheTwentySecondOfJanuary() async throws {
        try await TestApp.run(users: true) { app in
            try await project(app, "KC26-SETTLED", year: 2026, status: .settled, events: [(.accepted, "2026-09-01"), (.settled, "2026-09-10")])
            try await project(app, "KC26-SETTLED-LATE", year: 2026, status: .settled, events: [(.accepted, "2026-09-01"), (.settled, "2026-09-25")])
            try await project(app, "KC26-OPEN-OCT", year: 2026, status: .accepted, events: [(.accepted, "2026-10-01")])
            try await project(app, "KC26-OPEN-DEC", year: 2026, source: .local, status: .accepted, events: [(.accepted, "2026-12-20")])
            try await project(app, "KC26-RUNNING", year: 2026, status: .inProgress, events: [(.inProgress, "2026-06-01")])

            func overdue(_ asOf: CalendarDate) async throws -> [String: (SettlementDeadline, DeadlineState, Int)] {
                Dictionary(uniqueKeysWithValues: try await monitoring(app, year: 2026, asOf: asOf).overdueSettlements.map {
                    ($0.projectCode, ($0.step, $0.state, $0.daysLate))
                })
            }
            // 10 January 2027: the file is due 15 days after the final acceptance.
            let january = try await overdue(CalendarDate(2027, 1, 10))
            #expect(Set(january.keys) == ["KC26-SETTLED-LATE", "KC26-OPEN-OCT", "KC26-OPEN-DEC"])
            #expect(january["KC26-SETTLED-LATE"].map { $0 == (.file, .late, 9) } == true)
            #expect(january["KC26-OPEN-OCT"].map { $0 == (.file, .missing, 86) } == true)
            #expect(january["KC26-OPEN-DEC"].map { $0 == (.file, .missing, 6) } == true)
            // 1 February 2027: the accounts of 2026 closed on 22 January; the open ones are overdue at the close.
            let february = try await overdue(CalendarDate(2027, 2, 1))
            #expect(february["KC26-OPEN-OCT"].map { $0 == (.close, .missing, 10) } == true)
            #expect(february["KC26-OPEN-DEC"].map { $0 == (.close, .missing, 10) } == true)
            #expect(february["KC26-SETTLED-LATE"].map { $0 == (.file, .late, 9) } == true)
            #expect(february["KC26-SETTLED"] == nil && february["KC26-RUNNING"] == nil)
            // Before any due date nothing is overdue.
            #expect(try await overdue(CalendarDate(2026, 9, 15)).isEmpty)
            // The days are data: 30 days instead of 15 and the late settlement is on time.
            let admin = try #require(try await User.find(username: "admin", on: app.db))
            try await SettingsWorkflow.setDeadlines(.init(year: 2026, values: ["settlement_file": "30"], legalBasis: "Quy định thử: 30 ngày"), by: admin, on: app.db)
            #expect(try await overdue(CalendarDate(2027, 1, 10))["KC26-SETTLED-LATE"] == nil)

            let scope = ReportScope(area: .unit(code: "38"), year: 2026, period: .fullYear, asOf: CalendarDate(2027, 2, 1))
            let narrative = try await ReportNarrative.compose(scope, on: app.db).joined(separator: "\n")
            #expect(narrative.contains("2 đề án chưa quyết toán hoặc quyết toán sau hạn khóa sổ ngày 22 tháng 01 năm sau: Thanh Hóa (2)."))
            let page = try await app.testing().sendRequest(.GET, "/dashboard?unit=38&year=2026&period=FY&asOf=2027-02-01")
            #expect(page.body.string.contains("overdue-settlements") && page.body.string.contains("KC26-OPEN-OCT"))
            let api = try await app.testing().sendRequest(.GET, "/api/v1/reports/monitoring?unit=38&year=2026&period=FY&asOf=2027-02-01",
                                                          headers: TestData.bearer(try await TestUsers.token(app, "bo.congthuong")))
            #expect(api.status == .ok)
            let decoded = try JSONDecoder().decode(Monitoring.self, from: Data(api.body.readableBytesView))
            #expect(decoded.overdueSettlements.map(\.projectCode).sorted() == ["KC26-OPEN-DEC", "KC26-OPEN-OCT"])
        }
    }

    @Test func quarterlyReportsMissingOrLateAgainstTheirDueDates() async throws {
        try await TestApp.run(users: true) { app in
            func report(_ period: Period, _ submitted: String?, status: PeriodReportStatus = .submitted) async throws {
                try await PeriodReport(unitID: Self.unitID, year: 2026, period: period, status: status, coverNote: "", submittedOn: submitted,
                                       approvedOn: nil, approvedBy: nil).create(on: app.db)
            }
            try await report(.q1, "2026-04-10")            // due 15/4: on time
            try await report(.h1, "2026-07-20")            // stands for the second quarter, due 15/7: 5 days late
            try await report(.q3, "2026-10-25")            // due 15/10: 10 days late
            try await report(.q4, nil, status: .draft)       // not submitted, due 15/1/2027

            let states = try await monitoring(app, year: 2026, asOf: CalendarDate(2027, 2, 1)).quarterlyReports
            let thanhhoa = Dictionary(uniqueKeysWithValues: states.filter { $0.unitCode == "38" }.map { ($0.quarter, ($0.state, $0.daysLate)) })
            #expect(thanhhoa[.q1] == nil)
            #expect(thanhhoa[.q2].map { $0 == (.late, 5) } == true)
            #expect(thanhhoa[.q3].map { $0 == (.late, 10) } == true)
            #expect(thanhhoa[.q4].map { $0 == (.missing, 17) } == true)
            // A half-year report looks at the first two quarters only; before a due date nothing is missing.
            let half = try await monitoring(app, year: 2026, period: .h1, asOf: CalendarDate(2026, 7, 10)).quarterlyReports
            #expect(half.isEmpty)
            // The due date is data: the first quarter's moved to 5 April makes the report of 10 April late.
            let admin = try #require(try await User.find(username: "admin", on: app.db))
            try await SettingsWorkflow.setDeadlines(.init(year: 2026, values: ["report_q1": "2026-04-05"], legalBasis: "Quy định thử"), by: admin, on: app.db)
            let moved = try await monitoring(app, year: 2026, period: .h1, asOf: CalendarDate(2026, 7, 10)).quarterlyReports
            #expect(moved.map { "\($0.quarter) \($0.state) \($0.daysLate)" } == ["Q1 late 5"])

            let scope = ReportScope(area: .unit(code: "38"), year: 2026, period: .fullYear, asOf: CalendarDate(2027, 2, 1))
            let narrative = try await ReportNarrative.compose(scope, on: app.db).joined(separator: "\n")
            #expect(narrative.contains("Báo cáo quý IV (hạn 15/01/2027): 1 đơn vị chưa nộp (Thanh Hóa)."))
            #expect(narrative.contains("Báo cáo quý III (hạn 15/10/2026): 1 đơn vị nộp muộn (Thanh Hóa 10 ngày)."))
            let document = try await app.testing().sendRequest(.GET, "/reports/document?unit=38&year=2026&period=FY&asOf=2027-02-01&format=docx")
            let text = try ReportDocumentTests.text(ofDocx: Data(document.body.readableBytesView))
            #expect(text.contains("Báo cáo quý chưa nộp hoặc nộp muộn:") && text.contains("Báo cáo quý IV (hạn 15/01/2027): chưa nộp: Thanh Hóa"))
        }
    }
}
