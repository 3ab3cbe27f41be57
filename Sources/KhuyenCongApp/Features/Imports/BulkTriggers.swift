import Fluent
import Foundation
import SQLKit

extension BulkInsert {
    /// On SQLite, M0052's row trigger raises the unit's data version once per inserted row (an upsert per row: most
    /// of the database's time in a million-row import). For a bulk insert of payments or outputs it is set aside for
    /// the insert (`RowTriggers`, Core/RowTriggers.swift) and each unit of `projectIDs` has its version raised once.
    static func withoutRowTriggers(on table: String, projectIDs: [UUID], on db: any Database, _ body: () async throws -> Void) async throws {
        guard M0052_CreateUnitDataVersions.byProject.contains(table) else { return try await body() }
        try await RowTriggers.setAside({ $0 == "unit_data_version_\(table)_insert" }, on: db, body) { sql in
            for chunk in projectIDs.chunked(500) {
                try await sql.raw("""
                    INSERT INTO unit_data_versions (unit_id, version) SELECT DISTINCT p.unit_id, 1 FROM projects p WHERE p.id IN \(SQLBind.group(chunk))
                    \(unsafeRaw: M0052_CreateUnitDataVersions.upsert)
                    """).run()
            }
        }
    }
}
