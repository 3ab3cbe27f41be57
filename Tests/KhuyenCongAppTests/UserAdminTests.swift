import Fluent
import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// User administration (issue 14): the pages `/admin/users`, the API `/api/v1/users` and the command line share one core
/// (`UserAdmin`); every change is audited; nobody changes their own role or scope; the last active administrator stays.
@Suite("User administration")
struct UserAdminTests {
    func send(_ app: Application, _ method: HTTPMethod, _ path: String, _ json: String? = nil, _ token: String) async throws -> TestingHTTPResponse {
        try await app.testing().sendRequest(method, path, headers: TestData.bearer(token), body: json.map(TestData.json))
    }

    func detail(_ response: TestingHTTPResponse) -> String {
        struct Problem: Decodable { let detail: String }
        return (try? JSONDecoder().decode(Problem.self, from: Data(response.body.readableBytesView)).detail) ?? response.body.string
    }

    func signIn(_ app: Application, _ username: String, _ password: String) async throws -> HTTPStatus {
        try await app.testing().sendRequest(.POST, "/api/v1/auth/token", headers: ["Content-Type": "application/json"],
                                            body: TestData.json(#"{"username":"\#(username)","password":"\#(password)"}"#)).status
    }

    func actions(_ app: Application, _ username: String) async throws -> [String] {
        try await AuditEntry.query(on: app.db).filter(\.$recordType == "user").filter(\.$recordID == username).sort(\.$at).all().map(\.action)
    }

    @Test func theAdministratorCreatesDisablesEnablesUnlocksAndRescopesThroughTheAPI() async throws {
        try await TestApp.run(users: true) { app in
            let admin = try await TestUsers.token(app, "admin")
            let created = try await send(app, .POST, "/api/v1/users", """
                {"username":"ninhbinh.kc","displayName":"Trung tâm Khuyến công Ninh Bình","role":"province_officer","unitCode":"37",
                 "password":"mat-khau-ninh-binh-2026"}
                """, admin)
            #expect(created.status == .created, "\(created.body.string)")
            #expect(created.body.string.contains(#""role":"province_officer""#))
            #expect(created.body.string.contains(#""unitCode":"37""#))
            #expect(try await signIn(app, "ninhbinh.kc", "mat-khau-ninh-binh-2026") == .created)

            // The list shows role, scope and state.
            let list = try await send(app, .GET, "/api/v1/users", nil, admin)
            #expect(list.status == .ok)
            #expect(list.body.string.contains(#""username":"ninhbinh.kc""#))

            // Disabled: no sign-in, its tokens revoked; enabled again: sign-in works.
            let officerToken = try await TestUsers.token(app, "thanhhoa")
            #expect(try await send(app, .POST, "/api/v1/users/thanhhoa/disable", nil, admin).status == .ok)
            #expect(try await send(app, .GET, "/api/v1/me", nil, officerToken).status == .unauthorized)
            #expect(try await signIn(app, "thanhhoa", TestUsers.password("thanhhoa")) == .unauthorized)
            #expect(try await send(app, .POST, "/api/v1/users/thanhhoa/enable", nil, admin).status == .ok)
            #expect(try await signIn(app, "thanhhoa", TestUsers.password("thanhhoa")) == .created)

            // Locked by wrong passwords, then unlocked by the administrator.
            for _ in 0..<User.failuresBeforeLock { _ = try await signIn(app, "nghean", "sai-mat-khau-0000") }
            #expect(try await signIn(app, "nghean", TestUsers.password("nghean")) == .unauthorized)
            let unlocked = try await send(app, .POST, "/api/v1/users/nghean/unlock", nil, admin)
            #expect(unlocked.status == .ok)
            #expect(try await signIn(app, "nghean", TestUsers.password("nghean")) == .created)

            // A new scope: Thanh Hóa's officer becomes the northern region's reviewer.
            let changed = try await send(app, .PATCH, "/api/v1/users/thanhhoa", #"{"role":"region_reviewer","unitCode":"","region":"north"}"#, admin)
            #expect(changed.status == .ok, "\(changed.body.string)")
            let user = try #require(try await User.find(username: "thanhhoa", on: app.db))
            #expect(user.role == .regionReviewer && user.regionCode == .north && user.unitID == nil)

            #expect(try await actions(app, "thanhhoa").suffix(3) == ["disable", "enable", "change_scope"])
            #expect(try await actions(app, "nghean").last == "unlock")
            #expect(try await AuditEntry.query(on: app.db).filter(\.$recordID == "ninhbinh.kc").filter(\.$action == "create").first()?.actor == "admin")
        }
    }

    @Test func badInputIsRefusedNamingTheFieldAndOthersOnlyRead() async throws {
        try await TestApp.run(users: true) { app in
            let admin = try await TestUsers.token(app, "admin")
            let bad = try await send(app, .POST, "/api/v1/users", #"{"username":"A B","role":"province_officer","password":"ngan"}"#, admin)
            #expect(bad.status == .unprocessableEntity)
            #expect(detail(bad).contains("username:") && detail(bad).contains("password:"))
            let noUnit = try await send(app, .POST, "/api/v1/users", #"{"username":"khong.tinh","role":"province_officer"}"#, admin)
            #expect(noUnit.status == .unprocessableEntity)
            #expect(detail(noUnit).contains("unitCode: cán bộ tỉnh cần đơn vị"))
            let taken = try await send(app, .POST, "/api/v1/users", #"{"username":"nghean","role":"viewer"}"#, admin)
            #expect(taken.status == .conflict)

            // The ministry reads the list but changes nothing; a province officer does not even read it.
            let ministry = try await TestUsers.token(app, "bo.congthuong")
            #expect(try await send(app, .GET, "/api/v1/users", nil, ministry).status == .ok)
            #expect(try await send(app, .POST, "/api/v1/users/xem/disable", nil, ministry).status == .forbidden)
            let officer = try await TestUsers.token(app, "nghean")
            #expect(try await send(app, .GET, "/api/v1/users", nil, officer).status == .forbidden)
            #expect(try await User.query(on: app.db).count() == DemoUsers.specs.count)
        }
    }

    @Test func nobodyRaisesTheirOwnRightsAndTheLastAdministratorStays() async throws {
        try await TestApp.run(users: true) { app in
            let admin = try await TestUsers.token(app, "admin")
            // A ministry officer cannot make themselves an administrator.
            let ministry = try await TestUsers.token(app, "bo.congthuong")
            let raise = try await send(app, .PATCH, "/api/v1/users/bo.congthuong", #"{"role":"admin"}"#, ministry)
            #expect(raise.status == .forbidden)
            #expect(try await User.find(username: "bo.congthuong", on: app.db)?.role == .ministryOfficer)

            // The only administrator can be neither disabled nor demoted, by itself or anyone.
            let disable = try await send(app, .POST, "/api/v1/users/admin/disable", nil, admin)
            #expect(disable.status == .conflict)
            #expect(detail(disable).contains("quản trị hệ thống cuối cùng đang hoạt động"))
            let demote = try await send(app, .PATCH, "/api/v1/users/admin", #"{"role":"viewer"}"#, admin)
            #expect(demote.status == .conflict)
            #expect(try await User.find(username: "admin", on: app.db)?.disabled == false)

            // With a second administrator, an administrator still does not change their own role or scope.
            #expect(try await send(app, .POST, "/api/v1/users", #"{"username":"admin.hai","role":"admin","password":"mat-khau-admin-hai-2026"}"#,
                                   admin).status == .created)
            let own = try await send(app, .PATCH, "/api/v1/users/admin", #"{"role":"ministry_officer"}"#, admin)
            #expect(own.status == .forbidden)
            #expect(detail(own).contains("Không được tự thay đổi vai trò"))
            // The second one disables the first; the first can then do nothing, and the second is the last.
            let body = ByteBuffer(string: #"{"username":"admin.hai","password":"mat-khau-admin-hai-2026"}"#)
            let tokenResponse = try await app.testing().sendRequest(.POST, "/api/v1/auth/token", headers: ["Content-Type": "application/json"], body: body)
            struct Token: Decodable { let token: String }
            let hai = try JSONDecoder().decode(Token.self, from: Data(tokenResponse.body.readableBytesView)).token
            #expect(try await send(app, .POST, "/api/v1/users/admin/disable", nil, hai).status == .ok)
            #expect(try await send(app, .POST, "/api/v1/users/xem/disable", nil, admin).status == .unauthorized)
            #expect(try await send(app, .POST, "/api/v1/users/admin.hai/disable", nil, hai).status == .conflict)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$recordType == "user").filter(\.$action == "disable").count() == 1)
        }
    }

    @Test func thePagesCreateAUserWhoSetsTheirPasswordByAOneTimeLink() async throws {
        try await TestApp.run(users: true) { app in
            var browser = try await TestBrowser.signedIn(app, as: "admin")
            let list = try await browser.get("/admin/users")
            #expect(list.status == .ok)
            #expect(list.body.string.contains("Cán bộ Sở Công Thương / Trung tâm Khuyến công"))
            #expect(list.body.string.contains("Khu vực phía Bắc"))
            #expect(list.body.string.contains("Người dùng"))

            // A refusal shows the form again with what was typed.
            let refused = try await browser.post("/admin/users", ["username": "hoabinh.kc", "role": "province_officer", "displayName": "KC Hòa Bình"])
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("cán bộ tỉnh cần đơn vị"))
            #expect(refused.body.string.contains("KC Hòa Bình"))

            let created = try await browser.post("/admin/users", ["username": "hoabinh.kc", "role": "province_officer", "unitCode": "25",
                                                                  "displayName": "KC Phú Thọ"])
            #expect(created.status == .created)
            let html = created.body.string
            let start = try #require(html.range(of: "/account/reset/"))
            let path = String(html[start.lowerBound...].prefix { $0 != "\"" && $0 != "<" })
            #expect(html.contains("hết hạn lúc"))

            // The holder of the link sets a password and signs in; the link works once.
            var newcomer = TestBrowser(app)
            let form = try await newcomer.get(path)
            #expect(form.status == .ok)
            #expect(form.body.string.contains("hoabinh.kc"))
            let short = try await newcomer.post(path, ["new": "ngan", "confirm": "ngan"])
            #expect(short.status == .unprocessableEntity)
            let set = try await newcomer.post(path, ["new": "mat-khau-phu-tho-2026", "confirm": "mat-khau-phu-tho-2026"])
            #expect(set.status == .ok)
            #expect(set.body.string.contains("Đã đặt mật khẩu mới"))
            #expect(try await signIn(app, "hoabinh.kc", "mat-khau-phu-tho-2026") == .created)
            #expect(try await newcomer.get(path).status == .gone)

            // A reset link from the user's page; an expired one is refused.
            let reset = try await browser.post("/admin/users/nghean/reset", [:])
            #expect(reset.status == .ok)
            let resetHTML = reset.body.string
            let resetStart = try #require(resetHTML.range(of: "/account/reset/"))
            let resetPath = String(resetHTML[resetStart.lowerBound...].prefix { $0 != "\"" && $0 != "<" })
            try await PasswordReset.query(on: app.db).filter(\.$usedAt == nil).set(\.$expiresAt, to: Date().addingTimeInterval(-1)).update()
            var stranger = TestBrowser(app)
            #expect(try await stranger.get(resetPath).status == .gone)
            #expect(try await signIn(app, "nghean", TestUsers.password("nghean")) == .created)   // the old password still works

            // Disable from the page; the last administrator's refusal is shown in Vietnamese.
            #expect(try await browser.post("/admin/users/xem/disable", [:]).status == .seeOther)
            #expect(try await User.find(username: "xem", on: app.db)?.disabled == true)
            let last = try await browser.post("/admin/users/admin/disable", [:])
            #expect(last.status == .conflict)
            #expect(last.body.string.contains("quản trị hệ thống cuối cùng đang hoạt động"))
            let page = try await browser.get("/admin/users/xem")
            #expect(page.body.string.contains("Khóa tài khoản"))   // the history, in Vietnamese

            #expect(try await actions(app, "hoabinh.kc") == ["create", "issue_reset_link", "reset_password_by_link"])
        }
    }

    @Test func theMinistryReadsThePagesWithoutForms() async throws {
        try await TestApp.run(users: true) { app in
            var ministry = try await TestBrowser.signedIn(app, as: "bo.congthuong")
            let list = try await ministry.get("/admin/users")
            #expect(list.status == .ok)
            #expect(!list.body.string.contains("create-user"))
            #expect(try await ministry.post("/admin/users/xem/disable", [:]).status == .forbidden)
            var officer = try await TestBrowser.signedIn(app, as: "thanhhoa")
            #expect(try await officer.get("/admin/users").status == .forbidden)
        }
    }
}
