import Fluent
import Foundation
import KhuyenCongCore
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// A first start answers before the demo data set is in (`/health` says ok only once it is), and an anonymous
/// visitor's dashboard, kept whole per data version, and the versions read together by many requests never show
/// data older than the last write, in this instance or another one on the same database.
@Suite(.serialized) struct FirstAnswerTests {
    /// A payment of `amount` đồng to an in-progress 2026 project of Thanh Hóa, through `instance`'s API.
    static func pay(_ amount: Int64, app: Application, through instance: Application) async throws {
        let code = try #require(try await TestApp.sql(app).raw("""
            SELECT code FROM projects WHERE unit_id = '38@2025-07-01' AND year = 2026 AND status = 'in_progress' ORDER BY code LIMIT 1
            """).first()?.decode(column: "code", as: String.self))
        var headers = AccountsCacheTests.bearer(try await TestUsers.token(instance, "thanhhoa"))
        headers.contentType = .json
        let paid = try await instance.testing().sendRequest(.POST, "/api/v1/projects/\(code)/disbursements", headers: headers,
            body: ByteBuffer(string: #"{"date":"2026-11-20","amountVnd":\#(amount),"kind":"payment"}"#))
        #expect(paid.status == .created)
    }

    /// Thanh Hóa's realised 2026 figure as the API reports it, as a page shows it.
    static func realisedShown(_ app: Application) async throws -> String {
        let token = try await TestUsers.token(app, "thanhhoa")
        let answer = try await app.testing().sendRequest(.GET, "/api/v1/reports/summary?unit=38&year=2026&period=FY",
                                                         headers: AccountsCacheTests.bearer(token))
        let json = try JSONSerialization.jsonObject(with: Data(answer.body.readableBytesView)) as? [String: Any]
        let realised = try #require((json?["realised"] as? [String: Any])?["amountVnd"] as? NSNumber)
        return VietnameseFormat.money(Money(dong: realised.int64Value))
    }

    @Test func healthSaysOkOnlyOnceTheDemoDataIsIn() async throws {
        try await TestApp.run { app in
            app.readiness.state = .loadingDemoData
            let loading = try await app.testing().sendRequest(.GET, "/health")
            #expect(loading.status == .serviceUnavailable)
            #expect(loading.body.string.contains("demo data"))
            #expect(try await app.testing().sendRequest(.GET, "/login").status == .ok)   // the pages answer meanwhile
            app.readiness.state = .failed("disk full")
            #expect(try await app.testing().sendRequest(.GET, "/health").body.string.contains("disk full"))
            app.readiness.state = .ready
            let ready = try await app.testing().sendRequest(.GET, "/health")
            #expect(ready.status == .ok && ready.body.string == "ok")
        }
    }

    @Test func versionsReadTogetherSeeTheWritesBeforeThem() async throws {
        try await TestApp.run(seeded: true, users: true) { app in
            let before = try await Versions.read(on: app.db)
            try await Self.pay(1_000_000, app: app, through: app)
            let shared = app.sharedVersionsRead
            let read = try await withThrowingTaskGroup(of: Versions.self) { group in
                for _ in 0..<24 { group.addTask { try await shared.read() } }
                return try await group.reduce(into: [Versions]()) { $0.append($1) }
            }
            #expect(read.count == 24)
            #expect(read.allSatisfy { $0.data > before.data && $0 == read[0] })
        }
    }

    /// The whole page of an anonymous visitor comes from the page cache at an unchanged data version, and a write
    /// through another instance shows at this one's next page.
    @Test func anAnonymousDashboardFollowsAWriteThroughAnotherInstance() async throws {
        try await TestApp.run(seeded: true, users: true) { app in
            let path = "/dashboard?unit=38&year=2026&period=FY"
            let first = try await app.testing().sendRequest(.GET, path)
            #expect(first.status == .ok && first.headers.first(name: .contentType)?.hasPrefix("text/html") == true)
            #expect(try await app.testing().sendRequest(.GET, path).body.string == first.body.string)
            guard let database = try await AccountsCacheTests.sameDatabase(as: app) else { return }   // an in-memory SQLite cannot be shared
            let other = try await Application.make(.testing)
            other.logger.logLevel = .warning
            do {
                try await configure(other, config: AppConfig(database: database, rootDirectory: TestApp.rootDirectory, bcryptCost: 4))
                let shownBefore = try await Self.realisedShown(app)
                #expect(first.body.string.contains(shownBefore))
                try await Self.pay(1_000_000_000, app: app, through: other)
                let after = try await app.testing().sendRequest(.GET, path).body.string
                let shownAfter = try await Self.realisedShown(app)
                #expect(shownAfter != shownBefore)
                #expect(after.contains(shownAfter))
            } catch {
                try? await other.asyncShutdown()
                throw error
            }
            try await other.asyncShutdown()
        }
    }
}
