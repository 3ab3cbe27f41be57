import Fluent
import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// Forms that help (issue 13): provinces picked from a list with the officer's own preselected and fixed; a warning
/// before a project, a payment or an output is put in a plan year whose annual report is approved (locked); the
/// settlement deadlines (each project's file 15 days after its final acceptance, quarterly reports) reminded.
@Suite("Daily work: forms and settlement reminders")
struct DailyWorkFormsTests {
    /// Thanh Hóa's annual report of `year`, approved and locked.
    static func lockAnnualReport(_ year: Int, unitCode: UnitCode = "38", on db: any Database) async throws -> AdminUnit {
        let unit = try AdminUnitCatalog.standard.resolve(code: unitCode, planYear: year)
        try await PeriodReport(unitID: unit.id, year: year, period: .fullYear, status: .approved, coverNote: "",
                               submittedOn: "\(year + 1)-01-10", approvedOn: "\(year + 1)-01-20", approvedBy: "khuvuc.bac").create(on: db)
        return unit
    }

    static func form(code: String, year: String) -> [String: String] {
        ["code": code, "title": "Hỗ trợ máy sấy nông sản", "unitCode": "38", "year": year, "source": "national", "category": "1",
         "supportKind": "", "implementingUnit": "Trung tâm Khuyến công Thanh Hóa", "beneficiaryTaxCode": "", "beneficiaryName": "",
         "supportVnd": "100.000.000", "counterpartVnd": "300000000"]
    }

    @Test func theProvinceIsPickedByNameAndAnOfficersOwnIsFixed() async throws {
        try await TestApp.run(users: true) { app in
            var officer = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let page = try await officer.get("/projects/new").body.string
            #expect(!page.contains(#"<input name="unitCode""#))
            let select = try #require(page.range(of: #"<select name="unitCode""#).map { String(page[$0.lowerBound...].prefix(while: { $0 != "/" })) })
            #expect(select.contains(#"<option value="38" selected>Thanh Hóa"#))
            #expect(select.components(separatedBy: "<option").count == 2, "the officer's own province only: \(select)")

            // Another province sent anyway is refused on the server as before, nothing written.
            var other = Self.form(code: "KC-FORM-1", year: "2026")
            other["unitCode"] = "40"
            let refused = try await officer.post("/projects/new", other)
            #expect([.forbidden, .notFound].contains(refused.status), "\(refused.status)")
            #expect(try await Project.query(on: app.db).filter(\.$code == "KC-FORM-1").count() == 0)

            // Only province officers enter projects (DESIGN.md; RouteAccessTests): the ministry gets no form. The
            // administrator's user forms pick the province by name.
            var ministry = try await TestBrowser.signedIn(app, as: "bo.congthuong")
            #expect(try await ministry.get("/projects/new").status == .forbidden)
            var admin = try await TestBrowser.signedIn(app, as: "admin")
            let users = try await admin.get("/admin/users").body.string
            #expect(users.contains(#"<select name="unitCode">"#) && users.contains(#"<option value="40">Nghệ An</option>"#))
            let user = try await admin.get("/admin/users/thanhhoa").body.string
            #expect(user.contains(#"<option value="38" selected>Thanh Hóa</option>"#))
        }
    }

    @Test func aLockedPlanYearIsNamedBeforeTheProjectIsCreated() async throws {
        try await TestApp.run(users: true) { app in
            _ = try await Self.lockAnnualReport(2026, on: app.db)
            var officer = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let page = try await officer.get("/projects/new").body.string
            #expect(page.contains("Năm 2026: Báo cáo cả năm 2026 của Thanh Hóa đã được phê duyệt ngày 20/01/2027 và đang khóa số liệu."))

            // The locked year: the form comes back with the warning and a confirmation, nothing is written.
            let asked = try await officer.post("/projects/new", Self.form(code: "KC-LOCK-1", year: "2026"))
            #expect(asked.status == .conflict)
            let text = asked.body.string
            #expect(text.contains("Năm kế hoạch 2026: Báo cáo cả năm 2026 của Thanh Hóa đã được phê duyệt ngày 20/01/2027 và đang khóa số liệu"))
            #expect(text.contains(#"name="confirmLockedYear" value="2026" required"#))
            #expect(text.contains(#"value="KC-LOCK-1""#), "what was typed is kept")
            #expect(try await Project.query(on: app.db).filter(\.$code == "KC-LOCK-1").count() == 0)

            // Confirming another year than the one chosen does not count; confirming the chosen one creates the draft.
            var form = Self.form(code: "KC-LOCK-1", year: "2026")
            form["confirmLockedYear"] = "2027"
            #expect(try await officer.post("/projects/new", form).status == .conflict)
            form["confirmLockedYear"] = "2026"
            #expect(try await officer.post("/projects/new", form).status == .seeOther)
            #expect(try await Project.find(code: "KC-LOCK-1", on: app.db).supportRequestedVnd == 100_000_000)

            // A year that is not locked goes straight through.
            #expect(try await officer.post("/projects/new", Self.form(code: "KC-LOCK-2", year: "2027")).status == .seeOther)
        }
    }

    @Test func thePaymentAndOutputFormsNameTheLockedReportFirst() async throws {
        try await TestApp.run(users: true) { app in
            let project = try await TestData.draftProject(code: "KC-LOCK-3", unitCode: "38", on: app.db)
            project.status = .inProgress
            project.supportApprovedVnd = 500_000_000
            project.allocatedOn = "2026-03-01"
            try await project.save(on: app.db)
            var officer = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let open = try await officer.get("/projects/KC-LOCK-3").body.string
            #expect(open.contains(#"id="giai-ngan""#) && !open.contains("payment-lock-notice"))

            _ = try await Self.lockAnnualReport(2026, on: app.db)
            let page = try await officer.get("/projects/KC-LOCK-3").body.string
            let notice = "Năm kế hoạch 2026 của đề án: Báo cáo cả năm 2026 của Thanh Hóa đã được phê duyệt ngày 20/01/2027 và đang khóa số liệu. "
                + "Khoản giải ngân hoặc kết quả ghi vào ngày thuộc năm 2026 sẽ bị từ chối cho đến khi báo cáo được mở khóa."
            #expect(page.contains(#"id="payment-lock-notice">"# + notice))
            #expect(page.contains(#"id="output-lock-notice">"# + notice))
            // …and the lock refuses such a payment as before.
            let refused = try await officer.post("/projects/KC-LOCK-3/disbursements",
                                                 ["kind": "payment", "date": "2026-06-01", "amountVnd": "10.000.000", "basis": "actual"])
            #expect(refused.status == .locked)
        }
    }

    /// A project of `unitCode` finally accepted on `acceptedOn`.
    static func accepted(_ code: String, unitCode: UnitCode, on acceptedOn: CalendarDate, db: any Database) async throws {
        let project = try await TestData.draftProject(code: code, unitCode: unitCode, title: "Hỗ trợ lò sấy chè", on: db)
        project.status = .accepted
        try await project.save(on: db)
        try await ProjectEvent(projectID: try project.requireID(), fromStatus: .inProgress, toStatus: .accepted,
                               onDate: acceptedOn.description, actor: "thanhhoa", decisionNo: "BB-01", note: "Nghiệm thu cuối cùng").create(on: db)
    }

    @Test(.enabled(if: MailSink.configured || MailSink.required, MailSink.skipNote))
    func eachAcceptedProjectsSettlementFileIsRemindedOnceBeforeAndOnceAfter() async throws {
        try await TestApp.run(users: true) { app in
            app.notificationSettings.smtp = try MailSink.server()
            let address = NotificationTests.address("thanhhoa")
            try await UserContact.setEmail(address, username: "thanhhoa", actor: "test", on: app.db)
            let acceptedOn = CalendarDate(2026, 8, 3)          // no plan-year deadline falls 15 days later
            try await Self.accepted("KC-QT-1", unitCode: "38", on: acceptedOn, db: app.db)
            let due = acceptedOn.adding(days: 15)
            let day = due.adding(days: -7)

            // Cron twice on the same day: one reminder, one mail, to Thanh Hóa only.
            #expect(try await DeadlineReminders.run(app, on: day, daysBefore: 7) == 1)
            await NotificationOutbox.flush(app)
            #expect(try await DeadlineReminders.run(app, on: day, daysBefore: 7) == 0)
            await NotificationOutbox.flush(app)
            let title = "Nhắc hạn: Nộp hồ sơ quyết toán đề án KC-QT-1 (nghiệm thu cuối cùng ngày 03/08/2026) – hạn 18/08/2026 (còn 7 ngày)"
            let mine = try await NotificationTests.inbox(app, "thanhhoa").items
            #expect(mine.map(\.title) == [title])
            #expect(mine.first?.href == "/projects/KC-QT-1")
            #expect(try await NotificationTests.inbox(app, "nghean").items.isEmpty)
            let mails = try await MailSink.messages(to: address)
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await MailSink.messages(to: address).count == mails.count)
            #expect(mails.filter { $0.subject.contains("Nộp hồ sơ quyết toán đề án KC-QT-1") }.count == 1)
            #expect(mails.first?.body.contains("của Thanh Hóa (mã đơn vị 38) đến hạn ngày 18/08/2026, còn 7 ngày") == true)

            // The day after the deadline, still not settled: overdue, once.
            #expect(try await DeadlineReminders.run(app, on: due.adding(days: 1), daysBefore: 7) == 1)
            #expect(try await DeadlineReminders.run(app, on: due.adding(days: 1), daysBefore: 7) == 0)
            #expect(try await NotificationTests.inbox(app, "thanhhoa").items.contains {
                $0.title == "Quá hạn: Nộp hồ sơ quyết toán đề án KC-QT-1 (nghiệm thu cuối cùng ngày 03/08/2026) – hạn 18/08/2026 đã qua"
            })

            // Settled in time: no reminder for a second project accepted the same day.
            try await Self.accepted("KC-QT-2", unitCode: "38", on: acceptedOn.adding(days: 1), db: app.db)
            let settled = try await Project.find(code: "KC-QT-2", on: app.db)
            settled.status = .settled
            try await settled.save(on: app.db)
            #expect(try await DeadlineReminders.run(app, on: day.adding(days: 1), daysBefore: 7) == 0)
        }
    }

    @Test func theDaysAfterAcceptanceFollowTheLatestRuleAndAnUnsentQuarterlyReportIsRemindedBeforeAndAfter() async throws {
        try await TestApp.run(users: true) { app in
            // The administrator's later row for 2026 gives 30 days instead of 15.
            try await DeadlineRecord(DeadlineRule(year: 2026, step: "settlement_file", date: nil, daysAfter: 30, legalBasis: "Thử"),
                                     recordedBy: "admin").create(on: app.db)
            let acceptedOn = CalendarDate(2026, 8, 3)
            try await Self.accepted("KC-QT-3", unitCode: "40", on: acceptedOn, db: app.db)
            let files = try await DeadlineReminders.settlementFiles(on: acceptedOn.adding(days: 23), daysBefore: 7, on: app.db)
            #expect(files.map(\.key) == ["settlement-file/KC-QT-3"])
            #expect(files.first?.due == CalendarDate(2026, 9, 2))
            #expect(try await DeadlineReminders.settlementFiles(on: acceptedOn.adding(days: 8), daysBefore: 7, on: app.db).isEmpty)

            // Quarter III of 2026 is due on 15/10/2026 (rule_deadlines): a reminder 7 days before and, not sent, the day after.
            let deadlines = try await DeadlineReminders.deadlines(around: CalendarDate(2026, 10, 1), on: app.db)
            let quarter = try #require(deadlines.first { $0.key == "report/2026/Q3" })
            #expect(quarter.due == CalendarDate(2026, 10, 15))
            #expect(deadlines.contains { $0.key == "settlement/2026" && $0.due == CalendarDate(2027, 1, 22) })
            #expect(try await DeadlineReminders.run(app, on: CalendarDate(2026, 10, 8), daysBefore: 7) > 0)
            #expect(try await NotificationTests.inbox(app, "nghean").items.contains {
                $0.title == "Nhắc hạn: Nộp báo cáo quý 3 năm 2026 – hạn 15/10/2026 (còn 7 ngày)"
            })
            _ = try await DeadlineReminders.run(app, on: CalendarDate(2026, 10, 16), daysBefore: 7)
            let quarterly = try await UserNotification.query(on: app.db).all().filter { $0.title.contains("báo cáo quý 3 năm 2026") }
            #expect(Set(quarterly.map(\.kind)) == [.deadlineBefore, .deadlineAfter])
        }
    }
}
