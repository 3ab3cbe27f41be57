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

    /// The bytes of a packed result and where each value lies in them: one allocation for the text and one for the
    /// bounds of every row, instead of a string per value (splitting into substrings was a third of a report's time).
    final class Buffer: Sendable {
        let bytes: [UInt8]
        /// Per value, its start and end offsets in `bytes`; a null value's start is -1.
        let bounds: [Int32]
        let columns: Int

        init(bytes: [UInt8], bounds: [Int32], columns: Int) {
            (self.bytes, self.bounds, self.columns) = (bytes, bounds, columns)
        }
    }

    /// One row; each accessor throws `PackedRows.Unreadable` naming the column when the value is not of its type.
    struct Row: Sendable {
        fileprivate let buffer: Buffer
        fileprivate let index: Int

        private func range(_ column: Int) -> Range<Int>? {
            let at = (index * buffer.columns + column) * 2
            let start = buffer.bounds[at]
            return start < 0 ? nil : Int(start)..<Int(buffer.bounds[at + 1])
        }

        private func text(_ column: Int) -> String? {
            range(column).map { String(decoding: buffer.bytes[$0], as: UTF8.self) }
        }

        func isNull(_ column: Int) -> Bool { range(column) == nil }

        func string(_ column: Int) throws -> String {
            guard let text = text(column) else { throw Unreadable(column: column, type: "String", text: nil) }
            return text
        }

        func optionalString(_ column: Int) -> String? { text(column) }

        /// Read from the digits' bytes (an optional minus, then ASCII digits), without a string.
        func int64(_ column: Int) throws -> Int64 {
            guard let range = range(column), !range.isEmpty else { throw Unreadable(column: column, type: "Int64", text: text(column)) }
            let bytes = buffer.bytes
            let negative = bytes[range.lowerBound] == UInt8(ascii: "-")
            let digits = negative ? range.dropFirst() : range[...]
            var value: Int64 = 0
            for at in digits {
                let digit = bytes[at] &- UInt8(ascii: "0")
                let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = negative ? times.subtractingReportingOverflow(Int64(digit)) : times.addingReportingOverflow(Int64(digit))
                guard digit < 10, !overflow1, !overflow2 else { throw Unreadable(column: column, type: "Int64", text: text(column)) }
                value = sum
            }
            guard !digits.isEmpty else { throw Unreadable(column: column, type: "Int64", text: text(column)) }
            return value
        }

        func double(_ column: Int) throws -> Double? {
            guard let field = text(column) else { return nil }
            guard let value = Double(field) else { throw Unreadable(column: column, type: "Double", text: field) }
            return value
        }

        /// A UUID as Fluent stores it (text on SQLite, `uuid` on PostgreSQL: both read as text here).
        func uuid(_ column: Int) throws -> UUID {
            guard let field = text(column), let id = UUID(uuidString: field) else { throw Unreadable(column: column, type: "UUID", text: text(column)) }
            return id
        }
    }

    struct Unreadable: Error, CustomStringConvertible {
        let column: Int
        let type: String
        let text: String?
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

    /// The rows of a packed text: one pass over its bytes noting where each value starts and ends. A row with fewer
    /// values than `columns` reads the missing ones as null; extra values are ignored.
    static func split(_ text: String, columns: Int) -> [Row] {
        let bytes = Array(text.utf8)
        var bounds: [Int32] = []
        var rows = 0
        bytes.withUnsafeBufferPointer { buffer in
            bounds.reserveCapacity(2 * columns * (buffer.count / (4 * columns) + 1))
            var start = 0, column = 0
            for at in 0...buffer.count {
                let byte = at == buffer.count ? record : buffer[at]
                guard byte == unit || byte == record else { continue }
                if column < columns {
                    let isNull = at - start == 1 && buffer[start] == null
                    bounds.append(isNull ? -1 : Int32(start))
                    bounds.append(isNull ? -1 : Int32(at))
                }
                column += 1
                start = at + 1
                if byte == record {
                    for _ in min(column, columns)..<columns { bounds.append(-1); bounds.append(-1) }
                    rows += 1
                    column = 0
                }
            }
        }
        let packed = Buffer(bytes: bytes, bounds: bounds, columns: columns)
        return (0..<rows).map { Row(buffer: packed, index: $0) }
    }
}
