import Fluent
import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

@Suite("Quarterly reports (Decree 45/2012 Art. 16): Q1 and Q3 through the period report workflow")
struct QuarterlyReportTests: BearerAPIRequests {
    func thanhHoaQuarters(_ app: Application, _ token: String) async throws -> [Period: DeadlineState] {
        let today = CalendarDate.today()
        let response = try await app.testing().sendRequest(.GET, "/api/v1/reports/monitoring?unit=38&year=2026&period=FY&asOf=\(today)",
                                                           headers: TestData.bearer(token))
        #expect(response.status == .ok)
        let monitoring = try JSONDecoder().decode(Monitoring.self, from: Data(response.body.readableBytesView))
        return Dictionary(uniqueKeysWithValues: monitoring.quarterlyReports.filter { $0.unitCode == "38" }.map { ($0.quarter, $0.state) })
    }

    @Test func firstQuarterSubmittedApprovedLocksItsQuarterAndCountsInMonitoring() async throws {
        try await TestApp.run(users: true) { app in
            _ = try await PeriodReportTests.prepare(app)       // KC-PR-1 of Thanh Hóa, a payment of 01/03/2026
            let officer = try await TestUsers.token(app, "thanhhoa")
            let reviewer = try await TestUsers.token(app, "khuvuc.bac")
            let ministry = try await TestUsers.token(app, "bo.congthuong")
            let base = "/api/v1/period-reports/38/2026/Q1"

            // Before: the first quarter's report is missing (due 15/04/2026 by the deadline rules).
            #expect(try await thanhHoaQuarters(app, ministry)[.q1] == .missing)
            let before = try await app.testing().sendRequest(.GET, base, headers: TestData.bearer(officer))
            #expect(before.status == .ok)
            let missing = try JSONDecoder().decode(PeriodReportsAPIController.ReportDTO.self, from: Data(before.body.readableBytesView))
            #expect(missing.status == .missing && missing.dueOn == "2026-04-15")

            #expect(try await post(app, base + "/submit", #"{"coverNote":"Báo cáo quý I"}"#, officer).status == .ok)
            #expect(try await post(app, base + "/approve", nil, officer).status == .forbidden)
            let returned = try await post(app, base + "/return", #"{"reason":"Thiếu thuyết minh"}"#, reviewer)
            #expect(returned.status == .ok && returned.body.string.contains("Thiếu thuyết minh"))
            #expect(try await post(app, base + "/submit", #"{"coverNote":"Đã bổ sung"}"#, officer).status == .ok)
            let approved = try await post(app, base + "/approve", nil, reviewer)
            #expect(approved.status == .ok && approved.body.string.contains(#""locked":true"#))

            // The approval locks the first quarter's dates only.
            let locked = try await post(app, "/api/v1/projects/KC-PR-1/disbursements", #"{"date":"2026-02-10","amountVnd":50000000,"kind":"payment"}"#, officer)
            #expect(locked.status == .locked)
            #expect(locked.body.string.contains("Quý 1 năm 2026"))
            #expect(try await post(app, "/api/v1/projects/KC-PR-1/disbursements", #"{"date":"2026-05-05","amountVnd":50000000,"kind":"payment"}"#, officer).status == .created)

            // Monitoring counts it as sent (late: submitted today, after 15/04/2026), no longer missing.
            let states = try await thanhHoaQuarters(app, ministry)
            #expect(states[.q1] == .late)

            // The second quarter is the half-year report's: not a period of its own.
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/period-reports/38/2026/Q2", headers: TestData.bearer(officer)).status == .notFound)
            #expect(try await post(app, "/api/v1/period-reports/38/2026/Q2/submit", nil, officer).status == .notFound)

            // Unlock with a reason, after which the quarter's payment goes through.
            #expect(try await post(app, base + "/unlock", #"{"reason":"Bổ sung chứng từ tháng 2"}"#, reviewer).status == .ok)
            #expect(try await post(app, "/api/v1/projects/KC-PR-1/disbursements", #"{"date":"2026-02-10","amountVnd":50000000,"kind":"payment"}"#, officer).status == .created)
            let audit = try await AuditEntry.query(on: app.db).filter(\.$recordType == "period_report").filter(\.$recordID == "38@2025-07-01/2026/Q1").all().map(\.action)
            #expect(audit == ["submit", "return", "submit", "approve", "unlock"])

            // The reviewer's list offers the quarter and shows the unit's state.
            var browser = try await TestBrowser.signedIn(app, as: "khuvuc.bac")
            let page = try await browser.get("/period-reports?year=2026&period=Q1")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Quý III") && page.body.string.contains("Quý 1 năm 2026"))
            #expect(page.body.string.contains("Đã mở khóa, chờ duyệt lại"))
        }
    }

    @Test func thirdQuarterDueDateFollowsTheDeadlineRules() async throws {
        try await TestApp.run(users: true) { app in
            let officer = try await TestUsers.token(app, "thanhhoa")
            func due() async throws -> String? {
                let response = try await app.testing().sendRequest(.GET, "/api/v1/period-reports/38/2026/Q3", headers: TestData.bearer(officer))
                return try JSONDecoder().decode(PeriodReportsAPIController.ReportDTO.self, from: Data(response.body.readableBytesView)).dueOn
            }
            #expect(try await due() == "2026-10-15")
            let admin = try #require(try await User.find(username: "admin", on: app.db))
            try await SettingsWorkflow.setDeadlines(.init(year: 2026, values: ["report_q3": "2026-10-20"], legalBasis: "Quy định thử: hạn báo cáo quý III"),
                                                    by: admin, on: app.db)
            #expect(try await due() == "2026-10-20")
            // The completeness rows (the reviewer's list, the work lists) count the quarter late from the rule's date.
            let rows = try await PeriodReportCompleteness.rows(region: .north, year: 2026, period: .q3, today: CalendarDate(2026, 10, 25), on: app.db)
            #expect(rows.first { $0.unitCode == "38" }.map { $0.status == .missing && $0.daysLate == 5 } == true)
        }
    }
}
