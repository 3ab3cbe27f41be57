import Fluent
import Foundation
import SQLKit
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

@Suite("Sign-in: redirects, guessing and floods")
struct SignInTests {
    // MARK: where a sign-in leads

    @Test(arguments: ["/\t/evil.example/", "//evil", "/\\evil", "https://evil", "/%5Cevil".removingPercentEncoding!,
                      " //evil", "/\n/evil", "\\\\evil", "/\u{3000}/evil", "evil", "", "javascript:alert(1)"])
    func aRedirectTargetThatLeavesTheSiteGoesToTheStartPage(next: String) {
        #expect(AuthController.safeNext(next) == "/")
    }

    @Test func aPathOnThisSiteIsKept() {
        #expect(AuthController.safeNext("/projects/X?y=1") == "/projects/X?y=1")
        #expect(AuthController.safeNext("/") == "/")
        #expect(AuthController.safeNext(nil) == "/")
    }

    @Test func signingInFromALoginLinkWithATabbedNextRedirectsToTheStartPage() async throws {
        try await TestApp.run(users: true) { app in
            var browser = TestBrowser(app)
            let page = try await browser.get("/login?next=/%09/evil.example/")
            #expect(page.status == .ok)
            #expect(!page.body.string.contains("evil.example"))
            let response = try await browser.post("/login", ["username": "thanhhoa", "password": TestUsers.password("thanhhoa"),
                                                             "next": "/\t/evil.example/"])
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location) == "/")
        }
    }

    @Test func signingInWithANextPathOnThisSiteGoesThere() async throws {
        try await TestApp.run(users: true) { app in
            var browser = TestBrowser(app)
            let response = try await browser.post("/login", ["username": "thanhhoa", "password": TestUsers.password("thanhhoa"),
                                                             "next": "/projects/X?y=1"])
            #expect(response.headers.first(name: .location) == "/projects/X?y=1")
        }
    }

    // MARK: guessing

    @Test func aHundredAndTwentyParallelWrongPasswordsGetFiveChecksAndNo500WhileAnotherUserSignsIn() async throws {
        try await TestApp.run(users: true) { app in
            var browser = TestBrowser(app)
            let csrf = try await browser.csrfToken()
            let before = app.signInGuard.passwordChecks
            let lookupsBefore = app.signInGuard.accountLookups

            let statuses = try await withThrowingTaskGroup(of: (HTTPStatus, String).self) { group in
                for attempt in 0..<120 {
                    let tab = browser
                    group.addTask {
                        if attempt.isMultiple(of: 2) {
                            let response = try await app.testing().sendRequest(
                                .POST, "/api/v1/auth/token", headers: ["Content-Type": "application/json"],
                                body: TestData.json(#"{"username":"nghean","password":"doan-sai-\#(attempt)"}"#))
                            return (response.status, response.body.string)
                        }
                        var page = tab
                        let response = try await page.post("/login", ["username": "nghean", "password": "doan-sai-\(attempt)"], csrf: csrf)
                        return (response.status, response.body.string)
                    }
                }
                group.addTask {
                    let response = try await app.testing().sendRequest(
                        .POST, "/api/v1/auth/token", headers: ["Content-Type": "application/json"],
                        body: TestData.json(#"{"username":"thanhhoa","password":"\#(TestUsers.password("thanhhoa"))"}"#))
                    return (response.status, "other user")
                }
                var all: [(HTTPStatus, String)] = []
                for try await result in group { all.append(result) }
                return all
            }

            let flood = statuses.filter { $0.1 != "other user" }
            #expect(flood.count == 120)
            #expect(flood.allSatisfy { $0.0 == .unauthorized })
            #expect(!statuses.contains { $0.0.code >= 500 })
            #expect(flood.contains { $0.1.contains("tạm khóa") })
            #expect(statuses.first { $0.1 == "other user" }?.0 == .created)

            let failures = try await AuditEntry.query(on: app.db).filter(\.$recordID == "nghean")
                .filter(\.$action == "sign_in_failed").count()
            #expect(failures == User.failuresBeforeLock)
            // The other user's right password is the only check besides the five.
            #expect(app.signInGuard.passwordChecks - before <= User.failuresBeforeLock + 1)
            // The attempts waited for each other instead of for the connection pool: once one learned of the lock,
            // those waiting behind it were answered without reading the account (before: every one of the 120 did,
            // and on a busy PostgreSQL some waited past the pool's 30 s and got a 500).
            let lookups = app.signInGuard.accountLookups - lookupsBefore
            print("flood: \(lookups) account lookups for 121 attempts")
            #expect(lookups <= 20)
            #expect(app.signInGuard.turns.busyAccounts == 0)
            let nghean = try #require(try await User.find(username: "nghean", on: app.db))
            #expect(nghean.lockedUntil.map { $0 > Date() } == true)
        }
    }

    @Test func aTokenRequestDuringTheLockIsRefusedWithTheVietnameseMessageEvenWithTheRightPassword() async throws {
        try await TestApp.run(users: true) { app in
            app.signInGuard = SignInGuard(limits: .init(pauseOnFailure: .zero))
            for attempt in 0..<User.failuresBeforeLock {
                let wrong = try await app.testing().sendRequest(.POST, "/api/v1/auth/token", headers: ["Content-Type": "application/json"],
                                                                body: TestData.json(#"{"username":"nghean","password":"sai-\#(attempt)"}"#))
                #expect(wrong.status == .unauthorized)
            }
            let locked = try await app.testing().sendRequest(
                .POST, "/api/v1/auth/token", headers: ["Content-Type": "application/json"],
                body: TestData.json(#"{"username":"nghean","password":"\#(TestUsers.password("nghean"))"}"#))
            #expect(locked.status == .unauthorized)
            #expect(locked.body.string.contains("tạm khóa"))
            #expect(app.signInGuard.passwordChecks == User.failuresBeforeLock)
        }
    }

    @Test func aLockThatHasRunOutLetsTheRightPasswordInAndStartsTheCountAgain() async throws {
        try await TestApp.run(users: true) { app in
            app.signInGuard = SignInGuard(limits: .init(pauseOnFailure: .zero))
            let start = Date()
            for _ in 0..<User.failuresBeforeLock {
                await #expect(throws: DomainError.self) {
                    try await SignIn.authenticate(username: "nghean", password: "sai-roi-nhe", address: "10.0.0.1", app: app,
                                                  now: start, on: app.db, logger: app.logger)
                }
            }
            let later = start.addingTimeInterval(User.lockDuration + 1)
            let user = try await SignIn.authenticate(username: "nghean", password: TestUsers.password("nghean"), address: "10.0.0.1",
                                                     app: app, now: later, on: app.db, logger: app.logger)
            #expect(user.username == "nghean")
            let stored = try #require(try await User.find(username: "nghean", on: app.db))
            #expect(stored.failedLogins == 0)
            #expect(stored.lockedUntil == nil)
        }
    }

    @Test func oneAddressTryingManyAccountsIsStoppedByItsOwnAllowance() async throws {
        try await TestApp.run(users: true) { app in
            app.signInGuard = SignInGuard(limits: .init(checksPerAddress: 3, pauseOnFailure: .zero))
            for name in ["thanhhoa", "nghean", "xem"] {
                await #expect(throws: DomainError.self) {
                    try await SignIn.authenticate(username: name, password: "sai-roi-nhe", address: "203.0.113.9", app: app,
                                                  on: app.db, logger: app.logger)
                }
            }
            do {
                _ = try await SignIn.authenticate(username: "admin", password: TestUsers.password("admin"), address: "203.0.113.9",
                                                  app: app, on: app.db, logger: app.logger)
                Issue.record("the address had used its allowance")
            } catch let error as DomainError {
                #expect(error.vietnamese.contains("địa chỉ này"))
            }
            #expect(app.signInGuard.passwordChecks == 3)
            // Another address is not affected.
            let user = try await SignIn.authenticate(username: "admin", password: TestUsers.password("admin"), address: "203.0.113.10",
                                                     app: app, on: app.db, logger: app.logger)
            #expect(user.username == "admin")
        }
    }

    @Test func aForwardedForHeaderIsNotTrustedUnlessItsProxyIsConfigured() async throws {
        try await TestApp.run(users: true) { app in
            app.signInGuard = SignInGuard(limits: .init(checksPerAddress: 2, pauseOnFailure: .zero))
            for spoof in ["198.51.100.1", "198.51.100.2", "198.51.100.3"] {
                _ = try await app.testing().sendRequest(.POST, "/api/v1/auth/token",
                                                        headers: ["Content-Type": "application/json", "X-Forwarded-For": spoof],
                                                        body: TestData.json(#"{"username":"thanhhoa","password":"sai-roi-nhe"}"#))
            }
            #expect(app.signInGuard.passwordChecks == 2)
        }
    }
}

@Suite("Error bodies never carry internal texts")
struct ErrorBodyTests {
    /// Texts of the database drivers and decoders that must not reach a client.
    static let internals = ["Could not convert", "SQLite", "Postgres", "PSQL", "Value was not of type", "Decoding error",
                            "at path", "Expected to decode", "typeMismatch"]

    /// A route whose query returns a value the code cannot read, as a stored value of the wrong type would.
    static func addUnreadableRoutes(_ app: Application) {
        @Sendable func unreadable(_ req: Request) async throws -> String {
            let row = try await (req.db as! any SQLDatabase).raw("SELECT 'khong-phai-so' AS n").first()
            return String(try #require(row).decode(column: "n", as: Int64.self))
        }
        app.get("api", "v1", "unreadable", use: unreadable).access(.public)
        app.get("unreadable", use: unreadable).access(.public)
    }

    @Test func aValueTheDatabaseCannotConvertAnswersAGeneric500OnTheAPIAndOnPages() async throws {
        try await TestApp.run { app in
            Self.addUnreadableRoutes(app)
            for path in ["/api/v1/unreadable", "/unreadable"] {
                let response = try await app.testing().sendRequest(.GET, path)
                #expect(response.status == .internalServerError, "\(path)")
                let body = response.body.string
                #expect(body.contains("Đã có lỗi trong hệ thống"), "\(path)")
                for text in Self.internals { #expect(!body.contains(text), "\(path) shows \"\(text)\"") }
            }
        }
    }

    @Test func aWrongTypeInARequestAnswers400NamingTheFieldOnly() async throws {
        try await TestApp.run(users: true) { app in
            let token = try await TestUsers.token(app, "thanhhoa")
            try await TestData.draftProject(code: "KC-TH-9", unitCode: "38", on: app.db)
            let response = try await app.testing().sendRequest(.PATCH, "/api/v1/projects/KC-TH-9", headers: TestData.bearer(token),
                                                               body: TestData.json(#"{"version":"mot","title":"x"}"#))
            #expect(response.status == .badRequest)
            #expect(response.body.string.contains("version"))
            for text in Self.internals { #expect(!response.body.string.contains(text), "shows \"\(text)\"") }

            let page = try await app.testing().sendRequest(.GET, "/dashboard?year=99999999999999999999")
            #expect(page.status == .badRequest)
            for text in Self.internals { #expect(!page.body.string.contains(text), "the page shows \"\(text)\"") }
        }
    }
}
