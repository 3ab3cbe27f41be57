import Fluent
import FluentPostgresDriver
import Foundation
import SQLKit
import SQLiteNIO

/// Rows read straight from the driver on hot paths (the report's totals and plan rows, the region memberships):
/// values by column position, handed over as the driver has them (`SQLiteData`, `PostgresData`), without
/// SQLKit's per-value `Decodable` path, which cost most of a report's time at national scale (a generic decoder
/// and a protocol-conformance lookup per value). The reading side of `BulkInsert`.
///
/// The statement uses `?` for its parameters (turned into `$1, $2 …` on PostgreSQL), so a statement must not hold
/// a `?` inside a literal. Other databases go through SQLKit.
struct DirectRows {
    enum Bind: Sendable {
        case text(String), integer(Int64)
    }

    /// One row; each accessor throws a `DirectRows.Unreadable` naming the column when the value has another type.
    struct Row: Sendable {
        fileprivate enum Cells: Sendable {
            case sqlite([SQLiteData])
            case postgres(PostgresRandomAccessRow)
            case sql(any SQLRow, [String])
        }
        fileprivate let cells: Cells

        func isNull(_ column: Int) -> Bool {
            switch cells {
            case .sqlite(let values): values[column] == .null
            case .postgres(let row): row[data: column].value == nil
            case .sql(let row, let names): (try? row.decodeNil(column: names[column])) ?? true
            }
        }

        func int64(_ column: Int) throws -> Int64 {
            switch cells {
            case .sqlite(let values):
                if case .integer(let value) = values[column] { return Int64(value) }
                if case .text(let text) = values[column], let value = Int64(text) { return value }
            case .postgres(let row):
                let data = row[data: column]
                if let value = data.int64 ?? data.string.flatMap({ Int64($0) }) { return value }
            case .sql(let row, let names):
                return try row.decode(column: names[column], as: Int64.self)
            }
            throw Unreadable(column: column, type: "Int64")
        }

        func string(_ column: Int) throws -> String {
            switch cells {
            case .sqlite(let values):
                switch values[column] {
                case .text(let text): return text
                case .integer(let value): return String(value)
                default: break
                }
            case .postgres(let row):
                if let text = row[data: column].string { return text }
            case .sql(let row, let names):
                return try row.decode(column: names[column], as: String.self)
            }
            throw Unreadable(column: column, type: "String")
        }

        func optionalString(_ column: Int) throws -> String? {
            isNull(column) ? nil : try string(column)
        }

        /// A UUID stored by Fluent: upper-case text on SQLite, `uuid` on PostgreSQL.
        func uuid(_ column: Int) throws -> UUID {
            switch cells {
            case .postgres(let row):
                if let id = row[data: column].uuid { return id }
            case .sql(let row, let names):
                return try row.decode(column: names[column], as: UUID.self)
            case .sqlite(let values):
                if case .blob(var bytes) = values[column], bytes.readableBytes == 16,
                   let id = bytes.readBytes(length: 16).map({ b in UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15])) }) {
                    return id
                }
                if let id = UUID(uuidString: try string(column)) { return id }
            }
            throw Unreadable(column: column, type: "UUID")
        }

        /// A timestamp stored by Fluent (`Date`): seconds since 1970 on SQLite, `timestamptz` on PostgreSQL; nil when null.
        func timestamp(_ column: Int) throws -> Double? {
            if isNull(column) { return nil }
            switch cells {
            case .sqlite(let values):
                if let date = Date(sqliteData: values[column]) { return date.timeIntervalSince1970 }
            case .postgres(let row):
                if let date = row[data: column].date { return date.timeIntervalSince1970 }
            case .sql(let row, let names):
                return try row.decode(column: names[column], as: Date?.self)?.timeIntervalSince1970
            }
            throw Unreadable(column: column, type: "Date")
        }
    }

    struct Unreadable: Error, CustomStringConvertible {
        let column: Int
        let type: String
        var description: String { "DirectRows: column \(column) is not a \(type)" }
    }

    /// Runs `statement` with `binds` and returns every row. `columns` names the selected columns in order (used only
    /// by the SQLKit fallback).
    static func all(_ statement: String, _ binds: [Bind] = [], columns: [String], on db: any Database) async throws -> [Row] {
        if let sqlite = db as? any SQLiteDatabase {
            let rows = try await sqlite.query(statement, binds.map { bind -> SQLiteData in
                switch bind {
                case .text(let text): .text(text)
                case .integer(let value): .integer(Int(value))
                }
            })
            return rows.map { row in Row(cells: .sqlite(columns.indices.map { row.column(columns[$0]) ?? .null })) }
        }
        if let postgres = db as? any PostgresDatabase {
            let result = try await postgres.query(numbered(statement), binds.map { bind -> PostgresData in
                switch bind {
                case .text(let text): PostgresData(string: text)
                case .integer(let value): PostgresData(int64: value)
                }
            }).get()
            return result.rows.map { Row(cells: .postgres($0.makeRandomAccess())) }
        }
        let sql = db as! any SQLDatabase
        var query = SQLQueryString("")
        var parts = statement.split(separator: "?", omittingEmptySubsequences: false).makeIterator()
        query.appendLiteral(String(parts.next() ?? ""))
        for (bind, part) in zip(binds, parts) {
            switch bind {
            case .text(let text): query.appendInterpolation(bind: text)
            case .integer(let value): query.appendInterpolation(bind: value)
            }
            query.appendLiteral(String(part))
        }
        return try await sql.raw(query).all().map { Row(cells: .sql($0, columns)) }
    }

    /// `?` → `$1`, `$2`, … for PostgreSQL.
    static func numbered(_ statement: String) -> String {
        var result = "", number = 0
        result.reserveCapacity(statement.utf8.count + 16)
        for character in statement {
            if character == "?" { number += 1; result += "$\(number)" } else { result.append(character) }
        }
        return result
    }
}
