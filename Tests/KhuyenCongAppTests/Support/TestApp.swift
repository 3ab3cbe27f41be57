import Fluent
import Foundation
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// Every test gets a fresh database: an in-memory SQLite one, or, when `TEST_DATABASE_URL` is set, its own
/// PostgreSQL schema on that server (dropped afterwards), so the same suite runs on both in parallel.
enum TestApp {
    static let rootDirectory: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
    }()

    static var postgresURL: String? {
        ProcessInfo.processInfo.environment["TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    static var databaseName: String { postgresURL == nil ? "SQLite" : "PostgreSQL" }

    /// A migrated application, optionally with the demo data set.
    static func run(seeded: Bool = false, users: Bool = false, _ body: (Application) async throws -> Void) async throws {
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let database: AppConfig.DatabaseChoice = postgresURL.map { .postgres(url: $0, searchPath: schema) } ?? .sqliteMemory
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        do {
            try await configure(app, config: AppConfig(database: database, rootDirectory: rootDirectory, bcryptCost: 4))
            if postgresURL != nil {
                try await (app.db as! any SQLDatabase).raw("CREATE SCHEMA \(unsafeRaw: schema)").run()
            }
            try await migrate(app)
            if seeded { _ = try await DemoSeed.run(on: app.db) }
            if users || seeded { try await TestUsers.createAll(app) }
            try await body(app)
        } catch {
            await cleanUp(app, schema: schema)
            throw error
        }
        await cleanUp(app, schema: schema)
    }

    private static func cleanUp(_ app: Application, schema: String) async {
        if postgresURL != nil {
            try? await (app.db as! any SQLDatabase).raw("DROP SCHEMA IF EXISTS \(unsafeRaw: schema) CASCADE").run()
        }
        try? await app.asyncShutdown()
    }

    static func sql(_ app: Application) -> any SQLDatabase { app.db as! any SQLDatabase }
}
