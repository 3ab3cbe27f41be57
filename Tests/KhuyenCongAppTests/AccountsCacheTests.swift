import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// The per-instance caches of who a token or a session stands for (`AccountsCache`, validated by the accounts version of
/// M0054), of a project's answer and of the dashboard's body (validated by the data version): a request answered from
/// them sees every change at once, in this instance and in another one on the same database.
@Suite(.serialized) struct AccountsCacheTests {
    static func bearer(_ token: String) -> HTTPHeaders { ["Authorization": "Bearer \(token)"] }

    static func accountsVersion(_ app: Application) async throws -> Int64 { try await Versions.read(on: app.db).accounts }

    @Test func aRevokedTokenAndADisabledUserAreRefusedAtTheNextRequest() async throws {
        try await TestApp.run(users: true) { app in
            let token = try await TestUsers.token(app, "thanhhoa")
            for _ in 0..<2 {   // the second from the cache
                let me = try await app.testing().sendRequest(.GET, "/api/v1/me", headers: Self.bearer(token))
                #expect(me.status == .ok)
                #expect(me.body.string.contains("thanhhoa"))
            }
            let revoked = try await app.testing().sendRequest(.DELETE, "/api/v1/auth/token", headers: Self.bearer(token))
            #expect(revoked.status == .noContent)
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/me", headers: Self.bearer(token)).status == .unauthorized)

            let second = try await TestUsers.token(app, "nghean")
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/me", headers: Self.bearer(second)).status == .ok)
            try await UserAdmin.setDisabled(username: "nghean", disabled: true, actor: "test", on: app.db)
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/me", headers: Self.bearer(second)).status == .unauthorized)
        }
    }

    @Test func aSignedOutSessionIsNotRecognisedAgain() async throws {
        try await TestApp.run(users: true) { app in
            var browser = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let before = try await Self.accountsVersion(app)
            for _ in 0..<2 {
                let page = try await browser.get("/account/password")
                #expect(page.status == .ok)
                #expect(page.body.string.contains("thanhhoa"))
            }
            // Reading pages writes nothing back: the session is unchanged, so the accounts version is too.
            #expect(try await Self.accountsVersion(app) == before)

            let stolen = browser.cookie
            #expect(try await browser.post("/logout", [:]).status == .seeOther)
            var thief = TestBrowser(app)
            thief.cookie = stolen
            let page = try await thief.get("/account/password")
            #expect(!page.body.string.contains("thanhhoa"))
            #expect(page.status != .ok || page.body.string.contains("Đăng nhập"))
        }
    }

    @Test func aDisabledUsersSessionIsRefused() async throws {
        try await TestApp.run(users: true) { app in
            var browser = try await TestBrowser.signedIn(app, as: "nghean")
            #expect(try await browser.get("/account/password").body.string.contains("nghean"))
            try await UserAdmin.setDisabled(username: "nghean", disabled: true, actor: "test", on: app.db)
            #expect(!(try await browser.get("/account/password").body.string.contains("nghean")))
        }
    }

    /// Two instances on one database, each with its own caches: what one does, the other sees at its next request.
    @Test func anotherInstanceSeesRevocationsSignOutsAndDisabledUsersAtOnce() async throws {
        try await TestApp.run(users: true) { app in
            guard let database = try await Self.sameDatabase(as: app) else { return }   // an in-memory SQLite cannot be shared
            let other = try await Application.make(.testing)
            other.logger.logLevel = .warning
            do {
                try await configure(other, config: AppConfig(database: database, rootDirectory: TestApp.rootDirectory, bcryptCost: 4))
                let token = try await TestUsers.token(app, "thanhhoa")
                #expect(try await other.testing().sendRequest(.GET, "/api/v1/me", headers: Self.bearer(token)).status == .ok)
                #expect(try await app.testing().sendRequest(.DELETE, "/api/v1/auth/token", headers: Self.bearer(token)).status == .noContent)
                #expect(try await other.testing().sendRequest(.GET, "/api/v1/me", headers: Self.bearer(token)).status == .unauthorized)

                var browser = try await TestBrowser.signedIn(app, as: "thanhhoa")
                var elsewhere = TestBrowser(other)
                elsewhere.cookie = browser.cookie
                #expect(try await elsewhere.get("/account/password").body.string.contains("thanhhoa"))
                #expect(try await browser.post("/logout", [:]).status == .seeOther)
                #expect(!(try await elsewhere.get("/account/password").body.string.contains("thanhhoa")))

                let kept = try await TestUsers.token(app, "nghean")
                #expect(try await other.testing().sendRequest(.GET, "/api/v1/me", headers: Self.bearer(kept)).status == .ok)
                try await UserAdmin.setDisabled(username: "nghean", disabled: true, actor: "test", on: app.db)
                #expect(try await other.testing().sendRequest(.GET, "/api/v1/me", headers: Self.bearer(kept)).status == .unauthorized)
            } catch {
                try? await other.asyncShutdown()
                throw error
            }
            try await other.asyncShutdown()
        }
    }

    /// The cache hands each request a model of its own; it must carry every stored field of the user.
    @Test func aCachedUserIsTheStoredUser() async throws {
        try await TestApp.run(users: true) { app in
            let stored = try #require(try await User.query(on: app.db).filter(\.$username == "thamdinh").first())
            let copy = try UserRecord(stored).model()
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            #expect(try encoder.encode(copy) == encoder.encode(stored))
            #expect(copy.$id.exists)
        }
    }

    /// A project's answer comes from the cache until the data changes; each caller's access is still decided.
    @Test func aProjectsAnswerFollowsTheDataAndEachCallersScope() async throws {
        try await TestApp.run(seeded: true) { app in
            let project = try #require(try await Project.query(on: app.db).filter(\.$unitID == "38@2025-07-01").filter(\.$year == 2026)
                .filter(\.$status == .inProgress).sort(\.$code).first())
            let path = "/api/v1/projects/\(project.code)"
            let officer = try await TestUsers.token(app, "thanhhoa")
            func payments() async throws -> Int {
                let response = try await app.testing().sendRequest(.GET, path, headers: Self.bearer(officer))
                #expect(response.status == .ok)
                return try JSONDecoder().decode(ProjectDTO.self, from: Data(response.body.readableBytesView)).disbursements.count
            }
            let before = try await payments()
            #expect(try await payments() == before)
            let outsider = try await TestUsers.token(app, "nghean")
            let refused = try await app.testing().sendRequest(.GET, path, headers: Self.bearer(outsider))
            #expect(refused.status == .notFound || refused.status == .forbidden)

            var headers = Self.bearer(officer)
            headers.contentType = .json
            let paid = try await app.testing().sendRequest(.POST, "\(path)/disbursements", headers: headers,
                                                           body: ByteBuffer(string: #"{"date":"2026-11-20","amountVnd":1000,"kind":"payment"}"#))
            #expect(paid.status == .created)
            #expect(try await payments() == before + 1)
        }
    }

    /// The dashboard's body is shared; the frame is each visitor's own.
    @Test func theDashboardFrameIsTheVisitorsOwn() async throws {
        try await TestApp.run(users: true) { app in
            var browser = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let signedIn = try await browser.get("/dashboard?region=north&year=2026&period=H1")
            #expect(signedIn.status == .ok)
            #expect(signedIn.body.string.contains("thanhhoa"))
            let anonymous = try await app.testing().sendRequest(.GET, "/dashboard?region=north&year=2026&period=H1")
            #expect(anonymous.status == .ok)
            #expect(!anonymous.body.string.contains("thanhhoa"))
            #expect(anonymous.body.string.contains("Đăng nhập"))
            // The same body in both.
            func body(_ html: String) -> Substring {
                guard let start = html.range(of: "<main>"), let end = html.range(of: "</main>") else { return "" }
                return html[start.upperBound..<end.lowerBound]
            }
            #expect(!body(anonymous.body.string).isEmpty)
            #expect(body(anonymous.body.string) == body(signedIn.body.string))
        }
    }

    /// The database `app` uses, for a second instance: nil for an in-memory SQLite.
    static func sameDatabase(as app: Application) async throws -> AppConfig.DatabaseChoice? {
        let sql = TestApp.sql(app)
        if sql.dialect.name == "postgresql" {
            let row = try #require(try await sql.raw("SELECT current_database() AS db, current_schema() AS schema").first())
            let name = try row.decode(column: "db", as: String.self), schema = try row.decode(column: "schema", as: String.self)
            let url = try #require(TestApp.postgresURL)
            var components = try #require(URLComponents(string: url))
            components.path = "/" + name
            let other = try #require(components.string)
            return .postgres(url: other, searchPath: schema == "public" ? nil : schema)
        }
        let rows = try await sql.raw("PRAGMA database_list").all()
        guard let main = rows.first, let file = try? main.decode(column: "file", as: String.self), !file.isEmpty else { return nil }
        return .sqliteFile(path: file)
    }
}
