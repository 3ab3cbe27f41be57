import Fluent
import SQLKit

/// A bulk write into a table with an index whose order is not the order of the rows written (the word index's
/// `idx_project_search_words_project`, filled in word order; `project_period_totals`' index by year, filled project by
/// project): the indexes named are dropped inside the caller's transaction, `body` writes, and they are created again
/// from their stored definitions, which sorts once instead of placing every row. In the same transaction, as
/// `RowTriggers` does with triggers: no other connection sees the schema without them, and a failure rolls all of it
/// back. On PostgreSQL the table stays locked until the transaction ends: for the rebuilds of seeds and migrations,
/// which write the whole table anyway. Outside a transaction `body` runs as it is.
enum SecondaryIndexes {
    static func setAside<T>(_ names: [String], on db: any Database, _ body: () async throws -> T) async throws -> T {
        guard db.inTransaction, let sql = db as? any SQLDatabase, !names.isEmpty else { return try await body() }
        let stored = sql.dialect.name == "postgresql"
            ? "SELECT indexname AS name, indexdef AS statement FROM pg_indexes WHERE schemaname = current_schema() AND indexname IN (\(binds: names))"
            : "SELECT name, sql AS statement FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND name IN (\(binds: names))" as SQLQueryString
        let indexes = try await sql.raw(stored).all()
            .map { (name: try $0.decode(column: "name", as: String.self), statement: try $0.decode(column: "statement", as: String.self)) }
        for index in indexes { try await sql.raw("DROP INDEX \(ident: index.name)").run() }
        let result = try await body()
        for index in indexes { try await sql.raw("\(unsafeRaw: index.statement)").run() }
        return result
    }
}
