import Fluent
import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

@Suite("Period reports: submission, review, approval, locking")
struct PeriodReportTests: BearerAPIRequests {
    /// Thanh Hóa's 2026 project, allocated, with a plan line; its H1 report due 15 July 2026.
    static func prepare(_ app: Application) async throws -> Project {
        let line = PlanLine(id: UUID(), unitID: "38@2025-07-01", year: 2026, source: .national, categoryCode: "1")
        try await line.create(on: app.db)
        try await PlanLineRevision(planLineID: line.id!, amountVnd: 1_000_000_000, approvedOn: "2025-12-20", decisionNo: "1/QĐ").create(on: app.db)
        let project = try await TestData.draftProject(code: "KC-PR-1", unitCode: "38", on: app.db)
        project.status = .inProgress
        project.supportApprovedVnd = 500_000_000
        project.allocatedOn = "2026-01-10"
        try await project.save(on: app.db)
        try await DatedRecords.insert(Disbursement(projectID: project.id!, onDate: "2026-03-01", amountVnd: 100_000_000, basis: .actual, kind: .advance),
                                      of: project, on: app.db)
        return project
    }

    @Test func submitReturnResubmitApproveLockUnlockAndReapprove() async throws {
        try await TestApp.run(users: true) { app in
            _ = try await Self.prepare(app)
            let officer = try await TestUsers.token(app, "thanhhoa")
            let reviewer = try await TestUsers.token(app, "khuvuc.bac")
            let base = "/api/v1/period-reports/38/2026/H1"

            #expect(try await post(app, base + "/submit", #"{"coverNote":"Báo cáo 6 tháng"}"#, officer).status == .ok)
            #expect(try await post(app, base + "/submit", nil, officer).status == .conflict)          // already submitted
            #expect(try await post(app, base + "/approve", nil, officer).status == .forbidden)      // not the officer's step
            let returned = try await post(app, base + "/return", #"{"reason":"Thiếu số liệu kết quả"}"#, reviewer)
            #expect(returned.status == .ok)
            #expect(returned.body.string.contains("Thiếu số liệu kết quả"))
            #expect(try await post(app, base + "/submit", #"{"coverNote":"Đã bổ sung"}"#, officer).status == .ok)
            let approved = try await post(app, base + "/approve", nil, reviewer)
            #expect(approved.status == .ok)
            #expect(approved.body.string.contains(#""locked":true"#))

            // A later disbursement dated in H1 is refused, through the API and through an import.
            let locked = try await post(app, "/api/v1/projects/KC-PR-1/disbursements", #"{"date":"2026-05-05","amountVnd":50000000,"kind":"payment"}"#, officer)
            #expect(locked.status == .locked)
            #expect(locked.body.string.contains("khuvuc.bac"))
            let folder = try ImportTests.folder(["disbursements.csv": "project_code,date,amount_vnd,basis\nKC-PR-1,2026-05-05,50000000,actual\n"])
            do {
                _ = try await ImportTests.run(app, folder)
                Issue.record("the import wrote into a locked period")
            } catch let refused as ImportRefused {
                #expect(refused.description.contains("disbursements:2:date") && refused.description.contains("khóa"))
            }
            // Outside the period it goes through.
            #expect(try await post(app, "/api/v1/projects/KC-PR-1/disbursements", #"{"date":"\#(CalendarDate.today())","amountVnd":1000000,"kind":"payment"}"#, officer).status == .created)

            #expect(try await post(app, base + "/unlock", #"{"reason":""}"#, reviewer).status == .unprocessableEntity)
            #expect(try await post(app, base + "/unlock", #"{"reason":"Tỉnh bổ sung chứng từ thanh toán tháng 5"}"#, reviewer).status == .ok)
            // Outside "today" rules: record the May payment directly, as the province would after the unlock.
            let user = try #require(try await User.find(username: "thanhhoa", on: app.db))
            try await ProjectExecution.recordDisbursement(.init(date: "2026-05-05", amountVnd: 50_000_000, kind: "payment"),
                                                          on: try await Project.find(code: "KC-PR-1", on: app.db), by: user, on: app.db)
            let unlocked = try await app.testing().sendRequest(.GET, base, headers: TestData.bearer(reviewer))
            let dto = try JSONDecoder().decode(PeriodReportsAPIController.ReportDTO.self, from: Data(unlocked.body.readableBytesView))
            #expect(dto.status == .unlocked)
            #expect(dto.differences.contains(PeriodReportWorkflow.Difference(figure: "Thực hiện (đồng)", approved: 100_000_000, now: 150_000_000)))

            #expect(try await post(app, base + "/approve", nil, reviewer).status == .conflict)       // resubmission first
            #expect(try await post(app, base + "/submit", nil, officer).status == .ok)
            let reapproved = try await post(app, base + "/approve", nil, reviewer)
            let final = try JSONDecoder().decode(PeriodReportsAPIController.ReportDTO.self, from: Data(reapproved.body.readableBytesView))
            #expect(final.status == .approved && final.locked && final.differences.isEmpty)
            #expect(final.approved?.realised.amountVnd == 150_000_000)
            let audit = try await AuditEntry.query(on: app.db).filter(\.$recordType == "period_report").all().map(\.action)
            #expect(audit == ["submit", "return", "submit", "approve", "unlock", "submit", "approve"])
        }
    }

    @Test func theAnnualReportLocksThePlanOfTheYear() async throws {
        try await TestApp.run(users: true) { app in
            _ = try await Self.prepare(app)
            let officer = try #require(try await User.find(username: "thanhhoa", on: app.db))
            let reviewer = try #require(try await User.find(username: "khuvuc.bac", on: app.db))
            let key = try PeriodReportWorkflow.key(unitCode: "38", year: 2026, period: "FY")
            _ = try await PeriodReportWorkflow.submit(key, coverNote: nil, by: officer, on: app.db)
            _ = try await PeriodReportWorkflow.approve(key, by: reviewer, on: app.db)
            let folder = try ImportTests.folder(["plan_lines.csv": "unit_code,year,source,category,amount_vnd,approved_on,decision_no\n38,2026,national,1,1200000000,2026-11-01,99/QĐ\n"])
            await #expect(throws: ImportRefused.self) { _ = try await ImportTests.run(app, folder) }
            #expect(try await PlanLineRevision.query(on: app.db).count() == 1)
        }
    }

    @Test func theCompletenessPageAndRemindersShowWhoIsMissingOrLate() async throws {
        try await TestApp.run(seeded: true) { app in
            var reviewer = try await TestBrowser.signedIn(app, as: "khuvuc.bac")
            let page = try await reviewer.get("/period-reports?year=2024&period=H1")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.components(separatedBy: "<tr class=\"status-").count - 1 == 28)
            #expect(html.contains("Đã phê duyệt"))
            #expect(html.contains("Nộp muộn"))
            #expect(try await reviewer.get("/period-reports?year=9223372036854775807&period=H1").status == .unprocessableEntity)
            let page2026 = try await reviewer.get("/period-reports?year=2026&period=H1")
            #expect(page2026.body.string.contains("Chưa nộp (quá hạn)"))
            var officer = try await TestBrowser.signedIn(app, as: "thanhhoa")
            // A province officer lists their own unit's reports only (issue 13: it was a 403).
            let own = try await officer.get("/period-reports?year=2026&period=H1")
            #expect(own.status == .ok && own.body.string.contains("/period-reports/38@2025-07-01/2026/H1") && !own.body.string.contains("/period-reports/40@"))
            let token = try await TestUsers.token(app, "khuvuc.bac")
            let reminders = try await app.testing().sendRequest(.GET, "/api/v1/period-reports/reminders?days=30", headers: TestData.bearer(token))
            #expect(reminders.status == .ok)
            let list = try JSONDecoder().decode([PeriodReportCompleteness.Reminder].self, from: Data(reminders.body.readableBytesView))
            #expect(list.contains { $0.year == 2026 && $0.period == .h1 && $0.daysLeft < 0 })
        }
    }
}

@Suite("Approved figures only")
struct ApprovedFiguresTests {
    @Test func approvedFiguresAddUpTheApprovedSnapshotsAndTheShareIsShown() async throws {
        try await TestApp.run(seeded: true) { app in
            let approvedReports = try await PeriodReport.query(on: app.db).filter(\.$year == 2026).filter(\.$period == .h1).filter(\.$status == .approved).all()
            let latest = try await ReportSummary.compute(ReportScope(area: .region(.north), year: 2026, period: .h1), on: app.db)
            var scope = ReportScope(area: .region(.north), year: 2026, period: .h1)
            scope.approvedOnly = true
            let approved = try await ReportSummary.compute(scope, on: app.db)
            #expect(latest.approval?.approvedUnits == approvedReports.count && latest.approval?.units == 18)
            #expect(latest.approval?.figures == .latest && approved.approval?.figures == .approved)
            // Expected independently: each approved unit's own plan and realised amounts from the latest figures.
            let ids = Set(approvedReports.map(\.unitID))
            let expectedPlan = try Money.sum(latest.byUnit.filter { ids.contains($0.unitID) }.map(\.planVnd))
            let expectedRealised = try Money.sum(latest.byUnit.filter { ids.contains($0.unitID) }.map(\.realisedVnd))
            #expect(approved.plan.amountVnd == expectedPlan && approved.realised.amountVnd == expectedRealised)
            #expect(approved.plan.amountVnd < latest.plan.amountVnd)
            #expect(approved.byUnit.count == 18)
            #expect(approved.byUnit.filter { !ids.contains($0.unitID) }.allSatisfy { $0.planVnd == 0 })
        }
    }
}
