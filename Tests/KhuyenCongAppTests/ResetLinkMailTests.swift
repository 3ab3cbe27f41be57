import Fluent
import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// A set-password link reaches the user by mail when SMTP is set (issue 14): the administrator still sees it, the page
/// says where it went, and the mailed link works once. Without an address nothing is mailed.
@Suite("Set-password links mailed when SMTP is set")
struct ResetLinkMailTests {
    @Test(.enabled(if: MailSink.configured || MailSink.required, MailSink.skipNote))
    func aResetLinkIsMailedToTheUserAndWorksOnce() async throws {
        try await TestApp.run(users: true) { app in
            app.notificationSettings.smtp = try MailSink.server()
            let address = NotificationTests.address("nghean")
            try await UserContact.setEmail(address, username: "nghean", actor: "test", on: app.db)

            var admin = try await TestBrowser.signedIn(app, as: "admin")
            let page = try await admin.post("/admin/users/nghean/reset", [:])
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Đã gửi liên kết tới địa chỉ thư điện tử của người dùng (\(address))"))
            let mails = try await MailSink.messages(to: address)
            #expect(mails.count == 1)
            let mail = try #require(mails.first)
            #expect(mail.subject == "[Khuyến công] Liên kết đặt mật khẩu cho tài khoản nghean")
            #expect(mail.body.contains("Quản trị viên admin đã tạo cho tài khoản nghean một liên kết đặt mật khẩu dùng một lần"))
            let start = try #require(mail.body.range(of: "/account/reset/"))
            let path = String(mail.body[start.lowerBound...].prefix { !$0.isWhitespace })
            // The mailed link is the one the administrator sees.
            #expect(page.body.string.contains(path))

            var holder = TestBrowser(app)
            #expect(try await holder.get(path).status == .ok)
            let set = try await holder.post(path, ["new": "mat-khau-nghe-an-2026", "confirm": "mat-khau-nghe-an-2026"])
            #expect(set.status == .ok && set.body.string.contains("Đã đặt mật khẩu mới"))
            #expect(try await holder.get(path).status == .gone)

            // The API says where the link went; a user without an address gets none by mail.
            let token = try await TestUsers.token(app, "admin")
            let api = try await app.testing().sendRequest(.POST, "/api/v1/users/nghean/password-reset", headers: TestData.bearer(token))
            #expect(api.status == .created)
            struct Link: Decodable { let path: String; let mailedTo: String? }
            #expect(try JSONDecoder().decode(Link.self, from: Data(api.body.readableBytesView)).mailedTo == address)
            #expect(try await MailSink.messages(to: address, atLeast: 2).count == 2)
            let silent = try await app.testing().sendRequest(.POST, "/api/v1/users/thanhhoa/password-reset", headers: TestData.bearer(token))
            #expect(silent.status == .created)
            #expect(try JSONDecoder().decode(Link.self, from: Data(silent.body.readableBytesView)).mailedTo == nil)
            let shown = try await admin.post("/admin/users/thanhhoa/reset", [:])
            #expect(shown.body.string.contains("Hãy gửi cho người dùng qua kênh an toàn"))
        }
    }
}
