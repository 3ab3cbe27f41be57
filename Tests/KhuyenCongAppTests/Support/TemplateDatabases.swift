import Foundation
import Logging
import NIOPosix
import PostgresKit
import PostgresNIO
import Vapor
@testable import KhuyenCongApp
#if canImport(Glibc)
import Glibc
#endif

/// The databases the tests start from, built once per test process and copied for every test, so a test pays for a
/// file copy (SQLite) or a `CREATE DATABASE … TEMPLATE` (PostgreSQL) instead of 50 migrations and the demo data set.
/// Three templates, each built the way `TestApp.run` used to build every test's database:
/// `migrated` (migrations and reference data), `users` (+ `TestUsers`), `seeded` (migrated + `DemoSeed` + `TestUsers`).
/// Every copy is the test's own and is removed when the test ends.
actor TemplateDatabases {
    enum Kind: String, Sendable { case migrated, users, seeded }

    /// A test's own copy of a template.
    struct Copy: Sendable {
        let database: AppConfig.DatabaseChoice
        let remove: @Sendable () async -> Void
    }

    static let shared = TemplateDatabases()

    private let store: any TemplateStore
    private var builds: [Kind: Task<String, any Error>] = [:]

    init() {
        if let url = TestApp.postgresURL { store = PostgresTemplates(url: url) } else { store = SQLiteTemplates() }
    }

    /// A fresh database holding exactly the template's state.
    func copy(of kind: Kind) async throws -> Copy {
        let template = try await template(kind)
        return try await store.copy(template)
    }

    /// A new, empty database (nothing migrated), removed when the test ends.
    func empty() async throws -> Copy { try await store.empty() }

    private func template(_ kind: Kind) async throws -> String {
        if let build = builds[kind] { return try await build.value }
        let build = Task { try await self.build(kind) }
        builds[kind] = build
        return try await build.value
    }

    private func build(_ kind: Kind) async throws -> String {
        let parent: String? = kind == .migrated ? nil : try await template(.migrated)
        let name = try await store.create(kind, from: parent)
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        do {
            try await configure(app, config: AppConfig(database: store.choice(for: name), rootDirectory: TestApp.rootDirectory,
                                                       bcryptCost: 4))
            switch kind {
            case .migrated: try await FirstMigration.migrate(app)   // as `serve` and `migrate` create a new database
            case .users: try await TestUsers.createAll(app)
            case .seeded:
                _ = try await DemoSeed.run(on: app.db)
                try await TestUsers.createAll(app)
            }
            try await store.finish(app)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
        try await store.seal(name)
        return name
    }
}

extension TemplateDatabases {
    /// PostgreSQL's errors say what went wrong only when reflected: a failed test shows it.
    struct DatabaseFailure: Error, CustomStringConvertible { let description: String }

    static func described(_ error: any Error) -> any Error {
        (error as? PSQLError).map { DatabaseFailure(description: String(reflecting: $0)) } ?? error
    }
}

protocol TemplateStore: Sendable {
    /// Makes an empty database (no parent) or a copy of `parent` for the template `kind`; answers its name.
    func create(_ kind: TemplateDatabases.Kind, from parent: String?) async throws -> String
    func choice(for name: String) -> AppConfig.DatabaseChoice
    /// Before the building application shuts down.
    func finish(_ app: Application) async throws
    /// After it shut down: the template is complete and is only copied from now on.
    func seal(_ name: String) async throws
    func copy(_ template: String) async throws -> TemplateDatabases.Copy
    func empty() async throws -> TemplateDatabases.Copy
}

/// Whether the test process that made a leftover (its id in the name) has ended.
private func processEnded(_ pid: Int32) -> Bool {
    kill(pid, 0) != 0 && errno == ESRCH
}

/// The SQLite templates' folder, removed when the test process exits.
nonisolated(unsafe) private var sqliteFolderToRemove: String?

/// SQLite: template files in a folder of this process (in memory, /dev/shm, where there is one), copied per test.
/// The files are in WAL mode, as `migrate` leaves them; a template is checkpointed before it is copied.
struct SQLiteTemplates: TemplateStore {
    static let prefix = "khuyencong-tests-"
    let folder: URL

    init() {
        let shm = URL(fileURLWithPath: "/dev/shm", isDirectory: true)
        let base = FileManager.default.isWritableFile(atPath: shm.path) ? shm : FileManager.default.temporaryDirectory
        // Folders left by test processes that crashed or were killed.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? [] where name.hasPrefix(Self.prefix) {
            if let pid = Int32(name.dropFirst(Self.prefix.count).prefix { $0 != "-" }), processEnded(pid) {
                try? FileManager.default.removeItem(at: base.appendingPathComponent(name))
            }
        }
        folder = base.appendingPathComponent(Self.prefix + "\(getpid())-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        sqliteFolderToRemove = folder.path
        atexit { if let folder = sqliteFolderToRemove { try? FileManager.default.removeItem(atPath: folder) } }
    }

    func create(_ kind: TemplateDatabases.Kind, from parent: String?) async throws -> String {
        let path = folder.appendingPathComponent("template-\(kind.rawValue).sqlite").path
        if let parent { try Self.copyFiles(from: parent, to: path) }
        return path
    }

    func choice(for name: String) -> AppConfig.DatabaseChoice { .sqliteFile(path: name) }

    func finish(_ app: Application) async throws {
        try await TestApp.sql(app).raw("PRAGMA wal_checkpoint(TRUNCATE)").run()
    }

    func seal(_ name: String) async throws {}

    func copy(_ template: String) async throws -> TemplateDatabases.Copy {
        let path = folder.appendingPathComponent("t-\(UUID().uuidString).sqlite").path
        try Self.copyFiles(from: template, to: path)
        return TemplateDatabases.Copy(database: .sqliteFile(path: path)) {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
    }

    func empty() async throws -> TemplateDatabases.Copy {
        let path = folder.appendingPathComponent("e-\(UUID().uuidString).sqlite").path
        return TemplateDatabases.Copy(database: .sqliteFile(path: path)) {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
    }

    /// The database file and its write-ahead log, if one is left (the index, `-shm`, is rebuilt on opening).
    private static func copyFiles(from source: String, to target: String) throws {
        try FileManager.default.copyItem(atPath: source, toPath: target)
        if FileManager.default.fileExists(atPath: source + "-wal") {
            try FileManager.default.copyItem(atPath: source + "-wal", toPath: target + "-wal")
        }
    }
}

/// PostgreSQL: template databases of this process on the `TEST_DATABASE_URL` server, and per test
/// `CREATE DATABASE … TEMPLATE` (the role needs CREATEDB: scripts/postgres.sh grants it). Names start with
/// `kc_<process id>_`, so concurrent runs never meet, and a later run drops what a crashed one left.
struct PostgresTemplates: TemplateStore {
    let url: String
    let prefix: String
    let logger: Logger

    init(url: String) {
        self.url = url
        prefix = "kc_\(getpid())_\(UUID().uuidString.prefix(6).lowercased())"
        var logger = Logger(label: "khuyencong.tests.templates")
        logger.logLevel = .warning
        self.logger = logger
    }

    func create(_ kind: TemplateDatabases.Kind, from parent: String?) async throws -> String {
        if parent == nil { try await dropLeftovers() }
        let name = "\(prefix)_tpl_\(kind.rawValue)"
        try await admin("CREATE DATABASE \(name)" + (parent.map { " TEMPLATE \($0)" } ?? ""))
        return name
    }

    func choice(for name: String) -> AppConfig.DatabaseChoice { .postgres(url: url(for: name), searchPath: nil) }

    func finish(_ app: Application) async throws {}

    /// No one connects to a template again: copying needs it without connections.
    func seal(_ name: String) async throws {
        try await admin("ALTER DATABASE \(name) WITH ALLOW_CONNECTIONS false")
    }

    func copy(_ template: String) async throws -> TemplateDatabases.Copy {
        let name = "\(prefix)_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        try await admin("CREATE DATABASE \(name) TEMPLATE \(template)")
        return TemplateDatabases.Copy(database: choice(for: name)) {
            _ = try? await admin("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        }
    }

    func empty() async throws -> TemplateDatabases.Copy {
        let name = "\(prefix)_e_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        try await admin("CREATE DATABASE \(name)")
        return TemplateDatabases.Copy(database: choice(for: name)) {
            _ = try? await admin("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        }
    }

    private func url(for database: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.path = "/" + database
        return components.string ?? url
    }

    /// Databases of test processes that have ended (crashed or killed before the end of the process).
    private func dropLeftovers() async throws {
        let names = try await admin("SELECT datname FROM pg_database WHERE datname LIKE 'kc\\_%'")
        for name in names {
            let parts = name.split(separator: "_")
            if parts.count > 2, let pid = Int32(parts[1]), processEnded(pid) {
                _ = try? await admin("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            }
        }
    }

    /// One statement on its own connection to the `TEST_DATABASE_URL` database; answers the first column of the rows.
    @discardableResult
    private func admin(_ sql: String) async throws -> [String] {
        var configuration = try SQLPostgresConfiguration(url: url).coreConfiguration
        configuration.options.connectTimeout = .seconds(30)   // as the application's (configure.swift)
        let connection = try await PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.any(),
                                                              configuration: configuration, id: 0, logger: logger)
        do {
            var names: [String] = []
            for try await name in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(String.self) {
                names.append(name)
            }
            try await connection.close()
            return names
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
