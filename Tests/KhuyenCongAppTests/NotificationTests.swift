import Fluent
import Foundation
import KhuyenCongCore
import NIOPosix
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// The local SMTP sink that scripts/test.sh starts (scripts/smtp-sink.py): `TEST_SMTP_URL` and `TEST_SMTP_DIR`.
/// Without them (a local `swift test`) the mail tests are skipped; under CI (`CI` set) their absence is a failure.
enum MailSink {
    static let environment = ProcessInfo.processInfo.environment
    static var url: String? { environment["TEST_SMTP_URL"].flatMap { $0.isEmpty ? nil : $0 } }
    static var folder: String? { environment["TEST_SMTP_DIR"].flatMap { $0.isEmpty ? nil : $0 } }
    static var configured: Bool { url != nil && folder != nil }
    static var required: Bool { environment["CI"].map { !$0.isEmpty } ?? false }
    static let skipNote: Comment = "TEST_SMTP_URL/TEST_SMTP_DIR not set: start scripts/smtp-sink.py (scripts/test.sh does) to run the mail tests"

    /// The server, or a recorded failure when CI requires the sink and it is missing.
    static func server() throws -> SMTPServer {
        guard let url, folder != nil, let server = SMTPServer(url: url) else {
            Issue.record("the mail tests need the SMTP sink (TEST_SMTP_URL, TEST_SMTP_DIR)")
            throw Abort(.internalServerError)
        }
        return server
    }

    struct Received: Decodable { let from: String; let to: [String]; let subject: String; let body: String }

    /// Every message the sink received for `address`, waiting up to 10 s for `atLeast` of them.
    static func messages(to address: String, atLeast: Int = 1) async throws -> [Received] {
        guard let folder else { return [] }
        var found: [Received] = []
        for _ in 0..<100 {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            found = names.filter { $0.hasSuffix(".json") }.sorted().compactMap { name in
                guard let data = FileManager.default.contents(atPath: folder + "/" + name) else { return nil }
                return try? JSONDecoder().decode(Received.self, from: data)
            }.filter { $0.to.contains(address) }
            if found.count >= atLeast { return found }
            try await Task.sleep(for: .milliseconds(100))
        }
        return found
    }
}

@Suite("Notifications: in-app and by mail, on the lifecycle's steps and for deadlines")
struct NotificationTests {
    /// A fresh address per test, so that tests sharing the sink (and the two databases' runs) never see each other's mail.
    static func address(_ user: String) -> String { "\(user).\(UUID().uuidString.prefix(8).lowercased())@khuyencong.test" }

    static func project(_ code: String, status: ProjectStatus, on db: any Database) async throws -> Project {
        let project = try await TestData.draftProject(code: code, unitCode: "38", title: "Hỗ trợ máy sấy chè Như Thanh", on: db)
        project.status = status
        try await project.save(on: db)
        return project
    }

    static func transition(_ app: Application, _ code: String, _ body: String, token: String) async throws -> TestingHTTPResponse {
        try await app.testing().sendRequest(.POST, "/api/v1/projects/\(code)/transitions", headers: TestData.bearer(token),
                                            body: TestData.json(body))
    }

    struct List: Decodable {
        struct Item: Decodable { let id: UUID; let kind: String; let title: String; let body: String; let href: String?; let read: Bool }
        let unread: Int
        let items: [Item]
    }

    static func inbox(_ app: Application, _ username: String) async throws -> List {
        let token = try await TestUsers.token(app, username)
        let response = try await app.testing().sendRequest(.GET, "/api/v1/me/notifications", headers: TestData.bearer(token))
        #expect(response.status == .ok)
        return try JSONDecoder().decode(List.self, from: Data(response.body.readableBytesView))
    }

    static let reason = "Thiếu giấy tờ về quyền sử dụng đất của cơ sở; đề nghị bổ sung"

    @Test(.enabled(if: MailSink.configured || MailSink.required, MailSink.skipNote))
    func aReturnTellsTheUnitsOfficerWithTheReasonInTheAppAndByMail() async throws {
        try await TestApp.run(users: true) { app in
            app.notificationSettings.smtp = try MailSink.server()
            let address = Self.address("thanhhoa")
            try await UserContact.setEmail(address, username: "thanhhoa", actor: "test", on: app.db)
            _ = try await Self.project("TB-TRA-1", status: .registered, on: app.db)

            let reviewer = try await TestUsers.token(app, "khuvuc.bac")
            let returned = try await Self.transition(app, "TB-TRA-1", #"{"to":"returned","note":"\#(Self.reason)"}"#, token: reviewer)
            #expect(returned.status == .ok)

            // In the application: the unit's officer, with the reason; not the reviewer who acted, not another province.
            let inbox = try await Self.inbox(app, "thanhhoa")
            #expect(inbox.unread == 1)
            let item = try #require(inbox.items.first)
            #expect(item.kind == "project_returned")
            #expect(item.title == "Đề án \"Hỗ trợ máy sấy chè Như Thanh\" (mã TB-TRA-1) bị trả lại để chỉnh sửa")
            #expect(item.body.contains("Lý do: \(Self.reason)"))
            #expect(item.body.contains("Thanh Hóa"))
            #expect(item.href == "/projects/TB-TRA-1")
            #expect(try await Self.inbox(app, "khuvuc.bac").items.isEmpty)
            #expect(try await Self.inbox(app, "nghean").items.isEmpty)

            // By mail, after the commit: to the officer's address, the subject and the Vietnamese text decoded.
            await app.outboxTasks.waitForAll()   // the send started after the response
            await NotificationOutbox.flush(app)
            let mails = try await MailSink.messages(to: address)
            #expect(mails.count == 1)
            let mail = try #require(mails.first)
            #expect(mail.subject == "[Khuyến công] Đề án \"Hỗ trợ máy sấy chè Như Thanh\" (mã TB-TRA-1) bị trả lại để chỉnh sửa")
            #expect(mail.body.contains("Lý do: \(Self.reason)"))
            #expect(mail.body.contains("Đơn vị: Thanh Hóa"))
            #expect(mail.body.contains("/projects/TB-TRA-1"))
            let row = try #require(try await UserNotification.query(on: app.db).filter(\.$mailTo == address).first())
            #expect(row.mailedAt != nil && row.mailAttempts == 0)
            // Sent once: another flush sends nothing more.
            #expect(await NotificationOutbox.flush(app) == .init(sent: 0, failed: 0))
        }
    }

    @Test func theBellCountsUnreadNotificationsAndThePageMarksThemRead() async throws {
        try await TestApp.run(users: true) { app in
            _ = try await Self.project("TB-NOP-1", status: .draft, on: app.db)
            _ = try await Self.project("TB-NOP-2", status: .draft, on: app.db)
            let officer = try await TestUsers.token(app, "thanhhoa")
            #expect(try await Self.transition(app, "TB-NOP-1", #"{"to":"submitted"}"#, token: officer).status == .ok)
            #expect(try await Self.transition(app, "TB-NOP-2", #"{"to":"submitted"}"#, token: officer).status == .ok)

            // A national project submitted in the North: the region's reviewer is told (not the officer who submitted).
            #expect(try await Self.inbox(app, "thanhhoa").items.isEmpty)
            let inbox = try await Self.inbox(app, "khuvuc.bac")
            #expect(inbox.unread == 2 && inbox.items.allSatisfy { $0.kind == "project_submitted" })
            #expect(inbox.items.contains { $0.title == "Đề án \"Hỗ trợ máy sấy chè Như Thanh\" (mã TB-NOP-1) đã được nộp" })

            var browser = try await TestBrowser.signedIn(app, as: "khuvuc.bac")
            let home = try await browser.get("/notifications")
            #expect(home.status == .ok)
            #expect(home.body.string.contains(#"id="nav-notifications""#))
            #expect(home.body.string.contains(#"id="unread-count">2</span>"#))
            #expect(home.body.string.contains("(mã TB-NOP-1) đã được nộp"))

            // Mark one read: the bell shows 1 (another user's attempt changes nothing); then all read: no badge.
            let first = try #require(inbox.items.first)
            var other = try await TestBrowser.signedIn(app, as: "nghean")
            #expect(try await other.post("/notifications/\(first.id.uuidString)/read", [:]).status == .seeOther)
            #expect(try await Self.inbox(app, "khuvuc.bac").unread == 2)
            #expect(try await browser.post("/notifications/\(first.id.uuidString)/read", [:]).status == .seeOther)
            #expect(try await browser.get("/notifications").body.string.contains(#"id="unread-count">1</span>"#))
            #expect(try await Self.inbox(app, "khuvuc.bac").unread == 1)
            #expect(try await browser.post("/notifications/read-all", [:]).status == .seeOther)
            let after = try await browser.get("/notifications").body.string
            #expect(after.contains(#"id="nav-notifications""#) && !after.contains(#"id="unread-count""#))
            #expect(try await Self.inbox(app, "khuvuc.bac").unread == 0)
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/me/notifications?limit=0",
                                                        headers: TestData.bearer(try await TestUsers.token(app, "xem"))).status == .unprocessableEntity)
        }
    }

    @Test func aPeriodReportsReturnAndApprovalReachTheOfficer() async throws {
        try await TestApp.run(users: true) { app in
            let officer = try await TestUsers.token(app, "thanhhoa")
            let reviewer = try await TestUsers.token(app, "khuvuc.bac")
            let base = "/api/v1/period-reports/38/2026/H1"
            func post(_ path: String, _ json: String?, _ token: String) async throws -> HTTPStatus {
                try await app.testing().sendRequest(.POST, base + path, headers: TestData.bearer(token), body: json.map { TestData.json($0) }).status
            }
            #expect(try await post("/submit", #"{"coverNote":"Báo cáo 6 tháng"}"#, officer) == .ok)
            #expect(try await Self.inbox(app, "khuvuc.bac").items.map(\.kind) == ["period_report_submitted"])
            #expect(try await post("/return", #"{"reason":"Số liệu giải ngân chưa khớp chứng từ"}"#, reviewer) == .ok)
            let returned = try #require(try await Self.inbox(app, "thanhhoa").items.first)
            #expect(returned.kind == "period_report_returned")
            #expect(returned.title == "Báo cáo 6 tháng đầu năm 2026 của Thanh Hóa (mã đơn vị 38) bị trả lại để chỉnh sửa")
            #expect(returned.body.contains("Lý do: Số liệu giải ngân chưa khớp chứng từ"))
        }
    }

    @Test(.enabled(if: MailSink.configured || MailSink.required, MailSink.skipNote))
    func theDaysRemindersAreMadeOnceAndMailedOnce() async throws {
        try await TestApp.run(users: true) { app in
            app.notificationSettings.smtp = try MailSink.server()
            let address = Self.address("thanhhoa")
            try await UserContact.setEmail(address, username: "thanhhoa", actor: "test", on: app.db)
            let deadlines = try await DeadlineReminders.deadlines(around: CalendarDate(2026, 5, 1), on: app.db)
            let registration = try #require(deadlines.first { $0.key == "registration/2027" })
            let day = registration.due.adding(days: -7)

            // Twice for the same day (cron ran twice): one reminder each, one mail.
            let first = try await DeadlineReminders.run(app, on: day, daysBefore: 7)
            await NotificationOutbox.flush(app)
            let second = try await DeadlineReminders.run(app, on: day, daysBefore: 7)
            await NotificationOutbox.flush(app)
            #expect(first > 0 && second == 0)
            let mine = try await Self.inbox(app, "thanhhoa").items.filter { $0.title.contains("Đăng ký đề án khuyến công quốc gia năm 2027") }
            #expect(mine.count == 1)
            #expect(mine.first?.title == "Nhắc hạn: Đăng ký đề án khuyến công quốc gia năm 2027 – hạn \(VietnameseFormat.date(registration.due)) (còn 7 ngày)")
            let mails = try await MailSink.messages(to: address)
            try await Task.sleep(for: .milliseconds(300))   // nothing more arrives
            let settled = try await MailSink.messages(to: address)
            #expect(settled.count == mails.count)
            #expect(settled.filter { $0.subject.contains("Đăng ký đề án khuyến công quốc gia năm 2027") }.count == 1)
            #expect(settled.first?.body.contains("của Thanh Hóa (mã đơn vị 38) đến hạn ngày \(VietnameseFormat.date(registration.due))") == true)

            // The day after the deadline, Thanh Hóa (no project registered) is told it is overdue; the ministry is not.
            #expect(try await DeadlineReminders.run(app, on: registration.due.adding(days: 1), daysBefore: 7) > 0)
            #expect(try await Self.inbox(app, "thanhhoa").items.contains { $0.title.hasPrefix("Quá hạn: Đăng ký đề án khuyến công quốc gia năm 2027") })
            #expect(try await Self.inbox(app, "bo.congthuong").items.isEmpty)
        }
    }

    @Test func aFailingMailServerDoesNotUndoTheWriteAndTheMailIsRetried() async throws {
        try await TestApp.run(users: true) { app in
            // A port with nothing listening: the connection is refused.
            let closed = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).get()
            let port = try #require(closed.localAddress?.port)
            try await closed.close()
            app.notificationSettings.smtp = SMTPServer(host: "127.0.0.1", port: port)
            let address = Self.address("thanhhoa")
            try await UserContact.setEmail(address, username: "thanhhoa", actor: "test", on: app.db)
            _ = try await Self.project("TB-LOI-1", status: .registered, on: app.db)

            let reviewer = try await TestUsers.token(app, "khuvuc.bac")
            let response = try await Self.transition(app, "TB-LOI-1", #"{"to":"returned","note":"\#(Self.reason)"}"#, token: reviewer)
            #expect(response.status == .ok)
            await app.outboxTasks.waitForAll()   // the send started after the response
            let result = await NotificationOutbox.flush(app)
            #expect(result.sent == 0)

            // The write stands, with its audit row and its notification; the mail waits for another try.
            #expect(try await Project.query(on: app.db).filter(\.$code == "TB-LOI-1").first()?.status == .returned)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$recordID == "TB-LOI-1").count() == 1)
            let row = try #require(try await UserNotification.query(on: app.db).filter(\.$mailTo == address).first())
            #expect(row.mailedAt == nil && row.mailAttempts == 1 && row.mailError != nil)
            #expect(try await Self.inbox(app, "thanhhoa").unread == 1)
            // Not tried again at once (a back-off of 5 minutes), however many requests come.
            #expect(await NotificationOutbox.flush(app) == .init(sent: 0, failed: 0))

            // With a working server, after the back-off, the same mail goes out once.
            guard MailSink.configured else { return }
            app.notificationSettings.smtp = try MailSink.server()
            #expect(await NotificationOutbox.flush(app, now: Date().addingTimeInterval(301)).sent == 1)
            #expect(await NotificationOutbox.flush(app, now: Date().addingTimeInterval(3600)).sent == 0)
            #expect(try await MailSink.messages(to: address).count == 1)
        }
    }

    @Test func aLongVietnameseSubjectIsEncodedInShortRFC2047Words() {
        let message = MailMessage(from: "a@b.vn", fromName: "Hệ thống Khuyến công", to: "c@d.vn",
                                  subject: String(repeating: "Đề án hỗ trợ máy sấy chè bị trả lại để chỉnh sửa ", count: 3),
                                  body: "Lý do: thiếu hồ sơ")
        let text = message.rendered()
        let subject = try? #require(text.components(separatedBy: "\r\n").drop { !$0.hasPrefix("Subject:") }.first)
        #expect(subject?.hasPrefix("Subject: =?UTF-8?B?") == true)
        for line in text.components(separatedBy: "\r\n") { #expect(line.count <= 78) }
        #expect(SMTPServer(url: "smtp://mail.example.vn:2525") == SMTPServer(host: "mail.example.vn", port: 2525))
        #expect(SMTPServer(url: "smtp://mail.example.vn") == SMTPServer(host: "mail.example.vn", port: 25))
        #expect(SMTPServer(url: "http://mail.example.vn") == nil)
    }
}
