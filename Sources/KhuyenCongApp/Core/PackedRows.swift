import Fluent
import Foundation
import SQLKit

/// Many small rows read as one: the database joins the rows of a statement into one text value (`group_concat` on
/// SQLite, `string_agg` on PostgreSQL) and they are split here. Used where a page or report reads thousands of
/// short rows (the report's totals, plan lines and targets). SQLiteNIO hands every row to the event loop as a task of
/// its own (a thread hop and a future per row) and SQLKit decodes every value through `Decodable`; together that was
/// most of a national report's time. One row costs one hop and one decode.
///
/// The statement uses `?` for its parameters, so it must not hold a `?` inside a literal; its selected columns are
/// named by `columns` (their names in the statement's result). Values travel as text: integers, codes, dates and ids.
struct PackedRows {
    enum Bind: Sendable {
        case text(String), integer(Int64)
    }

    /// One row; each accessor throws `PackedRows.Unreadable` naming the column when the value is not of its type.
    struct Row: Sendable {
        fileprivate let fields: [Substring?]

        func isNull(_ column: Int) -> Bool { fields[column] == nil }

        func string(_ column: Int) throws -> String {
            guard let field = fields[column] else { throw Unreadable(column: column, type: "String", text: nil) }
            return String(field)
        }

        func optionalString(_ column: Int) -> String? { fields[column].map(String.init) }

        func int64(_ column: Int) throws -> Int64 {
            guard let field = fields[column], let value = Int64(field) else { throw Unreadable(column: column, type: "Int64", text: fields[column]) }
            return value
        }

        func double(_ column: Int) throws -> Double? {
            guard let field = fields[column] else { return nil }
            guard let value = Double(field) else { throw Unreadable(column: column, type: "Double", text: field) }
            return value
        }

        /// A UUID as Fluent stores it (text on SQLite, `uuid` on PostgreSQL: both read as text here).
        func uuid(_ column: Int) throws -> UUID {
            guard let field = fields[column], let id = UUID(uuidString: String(field)) else { throw Unreadable(column: column, type: "UUID", text: fields[column]) }
            return id
        }
    }

    struct Unreadable: Error, CustomStringConvertible {
        let column: Int
        let type: String
        let text: Substring?
        var description: String { "PackedRows: column \(column) (\(text.map { "\"\($0)\"" } ?? "null")) is not a \(type)" }
    }

    /// The unit separator between values and the record separator between rows (ASCII 31 and 30), and the marker of a
    /// null value (ASCII 1): none of them occurs in codes, numbers, dates or ids.
    private static let (unit, record, null): (UInt8, UInt8, UInt8) = (31, 30, 1)

    /// Seconds since 1970 of a timestamp column Fluent wrote (`Date`): a number on SQLite, `timestamptz` on PostgreSQL.
    static func epoch(_ column: String, on db: any Database) -> String {
        (db as! any SQLDatabase).dialect.name == "postgresql" ? "EXTRACT(EPOCH FROM \(column))" : column
    }

    /// Runs `statement` with `binds` and returns every row.
    static func all(_ statement: String, _ binds: [Bind] = [], columns: [String], on db: any Database) async throws -> [Row] {
        let sql = db as! any SQLDatabase
        let postgres = sql.dialect.name == "postgresql"
        let char = postgres ? "chr" : "char"
        let fields = columns.map { "COALESCE(CAST(packed.\($0) AS TEXT), \(char)(\(null)))" }.joined(separator: " || \(char)(\(unit)) || ")
        let aggregate = postgres ? "string_agg(\(fields), chr(\(record)))" : "group_concat(\(fields), char(\(record)))"
        var query = SQLQueryString("")
        query.appendLiteral("SELECT " + aggregate + " AS packed_rows FROM (")
        var parts = statement.split(separator: "?", omittingEmptySubsequences: false).makeIterator()
        query.appendLiteral(String(parts.next() ?? ""))
        for (bind, part) in zip(binds, parts) {
            switch bind {
            case .text(let text): query.appendInterpolation(bind: text)
            case .integer(let value): query.appendInterpolation(bind: value)
            }
            query.appendLiteral(String(part))
        }
        query.appendLiteral(") packed")
        guard let text = try await sql.raw(query).first()?.decode(column: "packed_rows", as: String?.self) else { return [] }
        return split(text, columns: columns.count)
    }

    static func split(_ text: String, columns: Int) -> [Row] {
        var rows: [Row] = []
        for line in text.utf8.split(separator: record, omittingEmptySubsequences: false) {
            var fields: [Substring?] = []
            fields.reserveCapacity(columns)
            for value in line.split(separator: unit, omittingEmptySubsequences: false) {
                fields.append(value.count == 1 && value.first == null ? nil : Substring(value))
            }
            rows.append(Row(fields: fields))
        }
        return rows
    }
}
