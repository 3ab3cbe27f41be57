import Fluent
import SQLKit

/// A bulk load into tables whose foreign keys PostgreSQL checks row by row (a lookup and a key-share lock of the
/// parent row per child row: a third of the synthetic seed's time there): the foreign keys of the tables named are
/// dropped inside the caller's transaction, `body` writes, and they are added again from their stored definitions,
/// which checks every row in one join and fails the transaction if one has no parent. As `SecondaryIndexes` does
/// with indexes: no other connection sees the schema without them, and a failure rolls all of it back; the tables
/// stay locked until the transaction ends, so this is for the seeds, which fill an empty database. SQLite cannot
/// change a table's foreign keys in place (and checks them at far less cost): there, and outside a transaction,
/// `body` runs as it is.
enum ForeignKeys {
    static func setAside<T>(of tables: [String], on db: any Database, _ body: () async throws -> T) async throws -> T {
        guard db.inTransaction, let sql = db as? any SQLDatabase, sql.dialect.name == "postgresql", !tables.isEmpty else {
            return try await body()
        }
        let keys = try await sql.raw("""
            SELECT c.relname AS table_name, k.conname AS name, pg_get_constraintdef(k.oid) AS definition
            FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE k.contype = 'f' AND n.nspname = current_schema() AND c.relname IN (\(binds: tables))
            ORDER BY c.relname, k.conname
            """).all().map {
                (table: try $0.decode(column: "table_name", as: String.self), name: try $0.decode(column: "name", as: String.self),
                 definition: try $0.decode(column: "definition", as: String.self))
            }
        for key in keys { try await sql.raw("ALTER TABLE \(ident: key.table) DROP CONSTRAINT \(ident: key.name)").run() }
        let result = try await body()
        for key in keys {
            try await sql.raw("ALTER TABLE \(ident: key.table) ADD CONSTRAINT \(ident: key.name) \(unsafeRaw: key.definition)").run()
        }
        return result
    }
}
