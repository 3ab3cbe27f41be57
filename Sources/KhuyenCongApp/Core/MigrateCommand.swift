import Fluent
import SQLKit
import Vapor

/// `khuyencong migrate`: brings the schema and the reference data up to date, without asking.
struct MigrateCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Tạo/cập nhật lược đồ và dữ liệu danh mục / create or update the schema and reference data" }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await FirstMigration.migrate(context.application)
        context.console.print("Đã cập nhật cơ sở dữ liệu / database is up to date")
    }
}

/// `migrate`, with a new SQLite database's schema created in one transaction: every migration, its row in Fluent's
/// migration log and the reference data, committed once instead of once per migration (each commit is a sync of the
/// file: most of a first start's migration time). Any other database, or one already migrated, takes the ordinary
/// path (`migrate`). A new PostgreSQL schema is created the same way (each statement outside a transaction is a
/// commit, most of a first start's 3.4 s there); pg_trgm is created first, outside the transaction, because M0038
/// carries on when `CREATE EXTENSION` is refused, which a transaction would not survive: where it is refused, the
/// transaction fails and the ordinary path runs.
enum FirstMigration {
    static func migrate(_ app: Application) async throws {
        if try await createdAtOnce(app) { return }
        try await KhuyenCongApp.migrate(app)
    }

    /// True when the database was new and now holds the whole schema and the reference data.
    static func createdAtOnce(_ app: Application) async throws -> Bool {
        guard let sql = app.db as? any SQLDatabase else { return false }
        switch sql.dialect.name {
        case "sqlite":
            try await sql.raw("PRAGMA journal_mode=WAL").run()
            let logged = try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_fluent_migrations'").all()
            guard logged.isEmpty else { return false }
        case "postgresql":
            let logged = try await sql.raw("SELECT to_regclass('_fluent_migrations') IS NOT NULL AS logged").first()?
                .decode(column: "logged", as: Bool.self) ?? true
            guard !logged else { return false }
            _ = try await M0038_CreateProjectSearch.trigramSchema(sql)
        default:
            return false
        }
        do {
            try await app.db.transaction { db in
                try await MigrationLog.migration.prepare(on: db).get()
                for migration in Migrations.all { try await migration.prepare(on: db).get() }
                try await Migrations.all.map { MigrationLog(name: $0.name, batch: 1) }.create(on: db)
                try await ReferenceDataLoader.load(on: db)
            }
        } catch {
            // Another process may have created the schema meanwhile: the ordinary path sees what is there.
            app.logger.notice("Tạo lược đồ trong một giao dịch không thành / one-transaction schema creation failed: \(String(reflecting: error))")
            return false
        }
        return true
    }
}
