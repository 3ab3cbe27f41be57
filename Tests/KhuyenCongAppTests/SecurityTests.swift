import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

@Suite("Accounts, province scope and web security")
struct SecurityTests {
    @Test func thanhHoaCannotReadOrChangeANgheAnDraftButTheMinistryReadsBoth() async throws {
        try await TestApp.run(users: true) { app in
            try await TestData.draftProject(code: "KC-TH-1", unitCode: "38", on: app.db)
            try await TestData.draftProject(code: "KC-NA-1", unitCode: "40", title: "Đề án của Nghệ An", on: app.db)

            var thanhHoa = try await TestBrowser.signedIn(app, as: "thanhhoa")
            #expect(try await thanhHoa.get("/projects/KC-TH-1").status == .ok)
            #expect(try await thanhHoa.get("/projects/KC-NA-1").status == .notFound)
            #expect(try await thanhHoa.get("/projects/KC-NA-1/edit").status == .notFound)
            let posted = try await thanhHoa.post("/projects/KC-NA-1/edit", [
                "version": "1", "title": "Bị sửa", "implementingUnit": "X", "supportRequestedVnd": "1", "counterpartVnd": "1"])
            #expect(posted.status == .notFound)

            let token = try await TestUsers.token(app, "thanhhoa")
            let read = try await app.testing().sendRequest(.GET, "/api/v1/projects/KC-NA-1", headers: TestData.bearer(token))
            #expect(read.status == .notFound)
            let patch = try await app.testing().sendRequest(.PATCH, "/api/v1/projects/KC-NA-1", headers: TestData.bearer(token),
                                                            body: TestData.json(#"{"version":1,"title":"Bị sửa"}"#))
            #expect(patch.status == .notFound)
            #expect(try await Project.find(code: "KC-NA-1", on: app.db).title == "Đề án của Nghệ An")

            var ministry = try await TestBrowser.signedIn(app, as: "bo.congthuong")
            #expect(try await ministry.get("/projects/KC-TH-1").status == .ok)
            #expect(try await ministry.get("/projects/KC-NA-1").status == .ok)
            let ministryToken = try await TestUsers.token(app, "bo.congthuong")
            let ministryPatch = try await app.testing().sendRequest(.PATCH, "/api/v1/projects/KC-NA-1", headers: TestData.bearer(ministryToken),
                                                                    body: TestData.json(#"{"version":1,"title":"Bộ sửa"}"#))
            #expect(ministryPatch.status == .forbidden)
        }
    }

    @Test func anEditThroughThePageIsAuditedWithBeforeAndAfter() async throws {
        try await TestApp.run(users: true) { app in
            try await TestData.draftProject(code: "KC-TH-2", unitCode: "38", on: app.db)
            var browser = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let response = try await browser.post("/projects/KC-TH-2/edit", [
                "version": "1", "title": "'; DROP TABLE projects; -- <b>đậm</b>", "implementingUnit": "Trung tâm Khuyến công Thanh Hóa",
                "supportRequestedVnd": "450000000", "counterpartVnd": "800000000"])
            #expect(response.status == .seeOther)
            let project = try await Project.find(code: "KC-TH-2", on: app.db)
            #expect(project.title == "'; DROP TABLE projects; -- <b>đậm</b>")
            #expect(project.version == 2)
            let audit = try #require(try await AuditEntry.query(on: app.db).filter(\.$recordID == "KC-TH-2").first())
            #expect(audit.actor == "thanhhoa")
            #expect(audit.before?.contains("\"supportRequestedVnd\":500000000") == true)
            #expect(audit.after?.contains("\"supportRequestedVnd\":450000000") == true)
            let page = try await browser.get("/projects/KC-TH-2")
            #expect(page.body.string.contains("&lt;b&gt;đậm&lt;/b&gt;"))
        }
    }

    @Test func aStaleEditAnswers409WithTheCurrentValuesAndChangesNothing() async throws {
        try await TestApp.run(users: true) { app in
            try await TestData.draftProject(code: "KC-TH-3", unitCode: "38", on: app.db)
            let token = try await TestUsers.token(app, "thanhhoa")
            let first = try await app.testing().sendRequest(.PATCH, "/api/v1/projects/KC-TH-3", headers: TestData.bearer(token),
                                                            body: TestData.json(#"{"version":1,"title":"Lần một"}"#))
            #expect(first.status == .ok)
            let stale = try await app.testing().sendRequest(.PATCH, "/api/v1/projects/KC-TH-3", headers: TestData.bearer(token),
                                                            body: TestData.json(#"{"version":1,"title":"Lần hai"}"#))
            #expect(stale.status == .conflict)
            #expect(stale.body.string.contains("\"current\""))
            #expect(stale.body.string.contains("Lần một"))
            #expect(try await Project.find(code: "KC-TH-3", on: app.db).title == "Lần một")

            var browser = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let page = try await browser.post("/projects/KC-TH-3/edit", [
                "version": "1", "title": "Lần ba", "implementingUnit": "X", "supportRequestedVnd": "1", "counterpartVnd": "1"])
            #expect(page.status == .conflict)
            #expect(page.body.string.contains("Giá trị hiện tại"))
            #expect(page.body.string.contains("Lần một"))
        }
    }

    @Test func formsWithoutTheRightCSRFTokenAreRefusedAndChangeNothing() async throws {
        try await TestApp.run(users: true) { app in
            try await TestData.draftProject(code: "KC-TH-4", unitCode: "38", on: app.db)
            var browser = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let fields = ["version": "1", "title": "Giả mạo", "implementingUnit": "X", "supportRequestedVnd": "1", "counterpartVnd": "1"]
            #expect(try await browser.post("/projects/KC-TH-4/edit", fields, csrf: "").status == .forbidden)
            #expect(try await browser.post("/projects/KC-TH-4/edit", fields, csrf: "c2FpLXRva2Vu").status == .forbidden)
            #expect(try await Project.find(code: "KC-TH-4", on: app.db).title == "Hỗ trợ máy sấy chè")
        }
    }

    @Test func wrongUnknownAndDisabledUsersAreRefusedAndRepeatedFailuresLock() async throws {
        try await TestApp.run(users: true) { app in
            var browser = TestBrowser(app)
            let wrong = try await browser.post("/login", ["username": "thanhhoa", "password": "sai-mat-khau-roi"])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.body.string.contains("Sai tên đăng nhập hoặc mật khẩu"))
            let unknown = try await browser.post("/login", ["username": "khong-ai", "password": "sai-mat-khau-roi"])
            #expect(unknown.status == .unauthorized)
            #expect(unknown.body.string.contains("Sai tên đăng nhập hoặc mật khẩu"))

            try await UserAdmin.setDisabled(username: "xem", disabled: true, actor: "test", on: app.db)
            let disabled = try await browser.post("/login", ["username": "xem", "password": TestUsers.password("xem")])
            #expect(disabled.status == .unauthorized)

            for _ in 0..<User.failuresBeforeLock { _ = try await browser.post("/login", ["username": "nghean", "password": "sai-mat-khau-roi"]) }
            let locked = try await browser.post("/login", ["username": "nghean", "password": TestUsers.password("nghean")])
            #expect(locked.status == .unauthorized)
            #expect(locked.body.string.contains("tạm khóa"))
        }
    }

    @Test func forgedExpiredAndRevokedTokensAnswer401() async throws {
        try await TestApp.run(users: true) { app in
            let noToken = try await app.testing().sendRequest(.GET, "/api/v1/me")
            #expect(noToken.status == .unauthorized)
            #expect(noToken.headers.contentType?.description.contains("problem+json") == true)
            let wrong = try await app.testing().sendRequest(.POST, "/api/v1/auth/token", headers: ["Content-Type": "application/json"],
                                                            body: TestData.json(#"{"username":"thanhhoa","password":"khong-dung-dau"}"#))
            #expect(wrong.status == .unauthorized)
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/me", headers: TestData.bearer("gia-mao")).status == .unauthorized)

            let token = try await TestUsers.token(app, "thanhhoa")
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/me", headers: TestData.bearer(token)).status == .ok)
            #expect(try await app.testing().sendRequest(.DELETE, "/api/v1/auth/token", headers: TestData.bearer(token)).status == .noContent)
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/me", headers: TestData.bearer(token)).status == .unauthorized)

            let expiring = try await TestUsers.token(app, "nghean")
            let stored = try #require(try await ApiToken.query(on: app.db).filter(\.$tokenHash == ApiToken.hash(expiring)).first())
            stored.expiresAt = Date().addingTimeInterval(-60)
            try await stored.save(on: app.db)
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/me", headers: TestData.bearer(expiring)).status == .unauthorized)
            // Only the hash is stored.
            #expect(try await ApiToken.query(on: app.db).filter(\.$tokenHash == expiring).count() == 0)
        }
    }

    @Test func aForgedSessionCookieIsNotASession() async throws {
        try await TestApp.run(users: true) { app in
            try await TestData.draftProject(code: "KC-TH-5", unitCode: "38", on: app.db)
            var browser = TestBrowser(app)
            browser.cookie = "gia-mao-phien-lam-viec"
            let response = try await browser.get("/projects/KC-TH-5")
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location)?.hasPrefix("/login") == true)
        }
    }

    @Test func pagesCarrySecurityHeadersAndThePublicSeesNoBeneficiaries() async throws {
        try await TestApp.run(seeded: true) { app in
            let home = try await app.testing().sendRequest(.GET, "/")
            #expect(home.headers.first(name: "Content-Security-Policy")?.contains("script-src 'self'") == true)
            #expect(home.headers.first(name: "X-Content-Type-Options") == "nosniff")
            #expect(home.headers.first(name: "X-Frame-Options") == "DENY")
            #expect(home.headers.first(name: "Referrer-Policy") == "same-origin")
            let unit = try await app.testing().sendRequest(.GET, "/units/24@2008-08-01")
            #expect(unit.status == .ok)
            #expect(!unit.body.string.contains("KC2024-24-DP-001"))
            let beneficiary = try #require(try await Beneficiary.query(on: app.db).first())
            for page in [home.body.string, unit.body.string] {
                #expect(!page.contains(beneficiary.taxCode))
                #expect(!page.contains(beneficiary.name))
            }
            let project = try await app.testing().sendRequest(.GET, "/projects/KC2024-24-DP-001")
            #expect(project.status == .seeOther)
        }
    }

    @Test func signInRenewsTheSessionAndTheCookieIsHttpOnlyAndLax() async throws {
        try await TestApp.run(users: true) { app in
            var browser = TestBrowser(app)
            _ = try await browser.get("/login")
            let before = browser.cookie
            let response = try await browser.post("/login", ["username": "thanhhoa", "password": TestUsers.password("thanhhoa")])
            #expect(response.status == .seeOther)
            #expect(browser.cookie != nil && browser.cookie != before)
            let setCookie = response.headers[.setCookie].joined(separator: "; ")
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.contains("SameSite=Lax"))
            let back = try await TestBrowser.signedIn(app, as: "thanhhoa")
            #expect(back.cookie != nil)
            let outside = try await browser.post("/login", ["username": "thanhhoa", "password": TestUsers.password("thanhhoa"), "next": "//evil.example"])
            #expect(outside.headers.first(name: .location) == "/")
        }
    }

    @Test func everyWriteOfAnAccountIsAuditedWithBeforeAndAfter() async throws {
        try await TestApp.run(users: true) { app in
            var browser = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let changed = try await browser.post("/account/password", [
                "current": TestUsers.password("thanhhoa"), "new": "mat-khau-moi-2026", "confirm": "mat-khau-moi-2026"])
            #expect(changed.status == .ok)
            var stranger = TestBrowser(app)
            _ = try await stranger.post("/login", ["username": "nghean", "password": "sai-mat-khau-roi"])
            let token = try await TestUsers.token(app, "xem")
            _ = try await app.testing().sendRequest(.DELETE, "/api/v1/auth/token", headers: TestData.bearer(token))
            try await UserAdmin.setDisabled(username: "xem", disabled: true, actor: "test", on: app.db)

            let entries = try await AuditEntry.query(on: app.db).all()
            for action in ["create", "change_password", "sign_in_failed", "create_token", "revoke_token", "disable"] {
                let entry = try #require(entries.first { $0.action == action }, "no audit row for \(action)")
                #expect(entry.after != nil, "\(action) has no after value")
            }
            for action in ["sign_in_failed", "revoke_token", "disable"] {
                #expect(entries.first { $0.action == action }?.before != nil, "\(action) has no before value")
            }
            #expect(entries.allSatisfy { !($0.after ?? "").contains("$2b$") }, "no password hash in the audit trail")
        }
    }
}
