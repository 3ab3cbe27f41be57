import Fluent
import SQLKit

/// A bulk write on SQLite without some of its per-row triggers (the data versions' counters: `report_version`, M0024;
/// `unit_data_versions`, M0052), which would otherwise run once per written row: the triggers whose names `chosen`
/// picks are dropped inside the caller's transaction, `body` writes, `catchUp` does at once what they would have done
/// row by row, and they are created again from their stored text, in the same transaction: no other connection ever
/// sees the schema without them, and a failure rolls all of it back. Used by the seeds (`BulkLoad`) and the import
/// (`BulkInsert.withoutRowTriggers`). On PostgreSQL, whose version triggers run once per statement already, and when
/// none of the triggers is there, `body` runs as it is (and `catchUp` not at all).
enum RowTriggers {
    static func setAside<T>(_ chosen: (String) -> Bool, on db: any Database, _ body: () async throws -> T,
                            catchUp: (any SQLDatabase) async throws -> Void) async throws -> T {
        guard let sql = db as? any SQLDatabase, sql.dialect.name == "sqlite" else { return try await body() }
        let triggers = try await sql.raw("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all()
            .map { (name: try $0.decode(column: "name", as: String.self), statement: try $0.decode(column: "sql", as: String.self)) }
            .filter { chosen($0.name) }
        guard !triggers.isEmpty else { return try await body() }
        for trigger in triggers { try await sql.raw("DROP TRIGGER \(ident: trigger.name)").run() }
        let result = try await body()
        try await catchUp(sql)
        for trigger in triggers { try await sql.raw("\(unsafeRaw: trigger.statement)").run() }
        return result
    }
}
