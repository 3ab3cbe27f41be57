import Fluent
import Foundation
import SQLKit

extension BulkInsert {
    /// On SQLite, M0052's row trigger raises the unit's data version once per inserted row (an upsert per row: most
    /// of the database's time in a million-row import). For a bulk insert of payments or outputs it is dropped inside
    /// the write's transaction, the rows are inserted, each unit of `projectIDs` has its version raised once, and the
    /// trigger is created again from its stored text, in the same transaction: no other connection ever sees the
    /// schema without it, and a failure rolls all of it back. PostgreSQL's triggers run once per statement already.
    static func withoutRowTriggers(on table: String, projectIDs: [UUID], on db: any Database, _ body: () async throws -> Void) async throws {
        let sql = db as! any SQLDatabase
        guard sql.dialect.name == "sqlite", M0052_CreateUnitDataVersions.byProject.contains(table) else { return try await body() }
        let name = "unit_data_version_\(table)_insert"
        let stored = try await sql.raw("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = \(bind: name)").all()
            .compactMap { try? $0.decode(column: "sql", as: String.self) }.first
        guard let stored else { return try await body() }
        try await sql.raw("DROP TRIGGER \(ident: name)").run()
        try await body()
        for chunk in projectIDs.chunked(500) {
            try await sql.raw("""
                INSERT INTO unit_data_versions (unit_id, version) SELECT DISTINCT p.unit_id, 1 FROM projects p WHERE p.id IN \(SQLBind.group(chunk))
                \(unsafeRaw: M0052_CreateUnitDataVersions.upsert)
                """).run()
        }
        try await sql.raw("\(unsafeRaw: stored)").run()
    }
}
