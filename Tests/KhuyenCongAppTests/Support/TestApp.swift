import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// Every test gets a fresh database of its own: a copy of a template built once per test process (see
/// `TemplateDatabases`), a SQLite file or, when `TEST_DATABASE_URL` is set, a PostgreSQL database on that server
/// (dropped afterwards), so the same suite runs on both in parallel.
enum TestApp {
    static let rootDirectory: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
    }()

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var databaseName: String { postgresURL == nil ? "SQLite" : "PostgreSQL" }

    /// A migrated application, with the test users (`users`) or with the demo data set and the test users (`seeded`).
    static func run(seeded: Bool = false, users: Bool = false, _ body: (Application) async throws -> Void) async throws {
        try await run(on: { try await TemplateDatabases.shared.copy(of: seeded ? .seeded : users ? .users : .migrated) }, body)
    }

    /// An application on a new, empty database: nothing migrated (the first start's case).
    static func runEmpty(_ body: (Application) async throws -> Void) async throws {
        try await run(on: { try await TemplateDatabases.shared.empty() }, body)
    }

    private static func run(on database: () async throws -> TemplateDatabases.Copy,
                            _ body: (Application) async throws -> Void) async throws {
        let copy: TemplateDatabases.Copy
        do { copy = try await database() }
        catch { throw TemplateDatabases.described(error) }
        let app: Application
        do { app = try await Application.make(.testing) } catch { await copy.remove(); throw error }
        app.logger.logLevel = .warning
        do {
            try await configure(app, config: AppConfig(database: copy.database, rootDirectory: rootDirectory, bcryptCost: 4))
            try await body(app)
        } catch {
            await cleanUp(app, copy)
            throw TemplateDatabases.described(error)
        }
        await cleanUp(app, copy)
    }

    private static func cleanUp(_ app: Application, _ copy: TemplateDatabases.Copy) async {
        try? await app.asyncShutdown()
        await copy.remove()
    }

    static func sql(_ app: Application) -> any SQLDatabase { app.db as! any SQLDatabase }
}
