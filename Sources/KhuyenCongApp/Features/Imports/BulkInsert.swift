import Fluent
import FluentPostgresDriver
import Foundation
import KhuyenCongCore
import SQLKit
import SQLiteNIO

/// Rows written by the hundred thousand (an import's payments, the synthetic seed): multi-row INSERT statements of
/// as many rows as the database binds in one statement, with the values handed to the driver as they are
/// (`SQLiteData`, `PostgresData`), without SQLKit's per-value `Encodable` path, which cost most of a million-row
/// import's time. Values are stored as Fluent stores them: ids as upper-case text on SQLite and `uuid` on
/// PostgreSQL, booleans as 0/1 on SQLite. On PostgreSQL inside a transaction (the import's, the seeds') each statement's
/// rows go through `COPY … FROM STDIN` on the transaction's connection instead (`BulkCopy`): same rows, same rhythm.
struct BulkInsert {
    enum Value {
        case text(String), integer(Int64), bool(Bool), uuid(UUID), null
    }

    let table: String
    let columns: [String]
    /// SQLite binds at most 32,766 values per statement, PostgreSQL 65,535; a few thousand rows is where a larger
    /// statement stops paying (parsing it grows, the round trips no longer matter).
    let rowsPerStatement: Int
    /// false: multi-row INSERTs on PostgreSQL in a transaction too (the tests compare both paths).
    @TaskLocal static var copiesOnPostgreSQL = true
    private var values: [Value] = []
    private(set) var written = 0
    /// The transaction's PostgreSQL connection, once known to be one (`BulkCopy`); `.some(nil)`: not PostgreSQL or
    /// not in a transaction.
    private var copyConnection: PostgresConnection??

    init(_ table: String, _ columns: [String], rowsPerStatement: Int = 4_000) {
        self.table = table
        self.columns = columns
        self.rowsPerStatement = max(1, min(rowsPerStatement, 32_766 / columns.count))
        values.reserveCapacity(self.rowsPerStatement * columns.count)
    }

    var pendingRows: Int { values.count / columns.count }

    /// Adds one row (its values in the order of `columns`); writes a statement when it is full.
    mutating func add(_ row: [Value], on db: any Database) async throws {
        precondition(row.count == columns.count, "\(table): \(row.count) values for \(columns.count) columns")
        values.append(contentsOf: row)
        if pendingRows >= rowsPerStatement { try await flush(on: db) }
    }

    /// Adds one value of the row being built (in the order of `columns`), without an array per row: with `endRow`,
    /// the path of a million-row import.
    mutating func append(_ value: Value) { values.append(value) }

    /// Ends the row built by `append`; writes a statement when it is full.
    mutating func endRow(on db: any Database) async throws {
        precondition(values.count % columns.count == 0, "\(table): a row of \(values.count % columns.count) values for \(columns.count) columns")
        if pendingRows >= rowsPerStatement { try await flush(on: db) }
    }

    /// Writes the rows still waiting.
    mutating func flush(on db: any Database) async throws {
        let rows = pendingRows
        guard rows > 0 else { return }
        if copyConnection == nil { copyConnection = .some(Self.copiesOnPostgreSQL ? try await BulkCopy.connection(of: db) : nil) }
        if let connection = copyConnection! {
            try await BulkCopy.write(values[...], table: table, columns: columns, on: connection, logger: db.logger,
                                     rowsPerWrite: max(1, rowsPerStatement / 4))
            written += rows
            values.removeAll(keepingCapacity: true)
            return
        }
        let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ",") + ")"
        let head = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
        if let sqlite = db as? any SQLiteDatabase {
            var binds: [SQLiteData] = []
            binds.reserveCapacity(values.count)
            for value in values {
                switch value {
                case .text(let text): binds.append(.text(text))
                case .integer(let number): binds.append(.integer(Int(number)))
                case .bool(let flag): binds.append(.integer(flag ? 1 : 0))
                case .uuid(let id): binds.append(.text(id.upperText))
                case .null: binds.append(.null)
                }
            }
            try await sqlite.query(head + Array(repeating: tuple, count: rows).joined(separator: ","), binds) { _ in }
        } else if let postgres = db as? any PostgresDatabase {
            var binds: [PostgresData] = []
            binds.reserveCapacity(values.count)
            var statement = head
            statement.reserveCapacity(head.utf8.count + values.count * 8)
            var number = 0
            for row in 0..<rows {
                statement += row == 0 ? "(" : ",("
                for column in 0..<columns.count {
                    number += 1
                    statement += column == 0 ? "$\(number)" : ",$\(number)"
                    switch values[row * columns.count + column] {
                    case .text(let text): binds.append(PostgresData(string: text))
                    case .integer(let value): binds.append(PostgresData(int64: value))
                    case .bool(let flag): binds.append(PostgresData(bool: flag))
                    case .uuid(let id): binds.append(PostgresData(uuid: id))
                    case .null: binds.append(.null)
                    }
                }
                statement += ")"
            }
            _ = try await postgres.query(statement, binds).get()
        } else {
            let sql = db as! any SQLDatabase
            var insert = sql.insert(into: table).columns(columns)
            for row in 0..<rows {
                insert = insert.values(values[(row * columns.count)..<((row + 1) * columns.count)].map { value -> any SQLExpression in
                    switch value {
                    case .text(let text): SQLBind(text)
                    case .integer(let number): SQLBind(number)
                    case .bool(let flag): SQLBind(flag)
                    case .uuid(let id): SQLBind(id)
                    case .null: SQLLiteral.null
                    }
                })
            }
            try await insert.run()
        }
        written += rows
        values.removeAll(keepingCapacity: true)
    }
}

/// A Swift value `BulkInsert` writes as it is.
protocol BulkValue { var bulkValue: BulkInsert.Value { get } }
extension String: BulkValue { var bulkValue: BulkInsert.Value { .text(self) } }
extension Int: BulkValue { var bulkValue: BulkInsert.Value { .integer(Int64(self)) } }
extension Int64: BulkValue { var bulkValue: BulkInsert.Value { .integer(self) } }
extension Money: BulkValue { var bulkValue: BulkInsert.Value { .integer(dong) } }
extension Bool: BulkValue { var bulkValue: BulkInsert.Value { .bool(self) } }
extension UUID: BulkValue { var bulkValue: BulkInsert.Value { .uuid(self) } }
