import Foundation
import KhuyenCongCore

/// A table to write as a CSV file or an XLSX sheet: typed cells, so that numbers and dates stay numbers and dates.
struct Spreadsheet: Sendable {
    enum Cell: Sendable, Equatable {
        case text(String)
        case integer(Int64)
        /// A figure with one decimal shown, such as a percentage (20,3).
        case decimal(Double)
        case date(CalendarDate)
        /// A whole number without thousands grouping: a year (2024, not 2,024).
        case plain(Int64)
        /// Text that wraps within its column (a paragraph of the narrative, a description).
        case wrapped(String)
        /// A Vietnamese name beside a code, in grey italics: for the reader, ignored by the importer.
        case label(String)
        case empty

        /// An amount of đồng: a whole number cell.
        static func money(_ amount: Money) -> Cell { .integer(amount.dong) }
    }

    struct Column: Sendable {
        let header: String
        let width: Double
    }

    let name: String
    let columns: [Column]
    var rows: [[Cell]]
    /// In XLSX: the header row frozen on screen and repeated on every printed page.
    var repeatsHeader = true
    /// In XLSX: a drop-down of the allowed codes under a column's header, by column index (a template's help).
    var choices: [Int: [String]] = [:]

    init(name: String, columns: [(String, Double)], rows: [[Cell]] = []) {
        self.name = name
        self.columns = columns.map { Column(header: $0.0, width: $0.1) }
        self.rows = rows
    }

    /// UTF-8 with a byte-order mark (so Excel reads the diacritics), comma-separated, quoted where needed.
    /// Numbers are plain (no separators), dates YYYY-MM-DD, as the interchange files are.
    func csv() -> Data {
        var lines = [columns.map { Spreadsheet.quote($0.header) }.joined(separator: ",")]
        for row in rows {
            lines.append(row.map { cell in
                switch cell {
                case .text(let text), .wrapped(let text), .label(let text): Spreadsheet.quote(text)
                case .integer(let value), .plain(let value): String(value)
                case .decimal(let value): String(format: "%.4f", value)
                case .date(let date): date.description
                case .empty: ""
                }
            }.joined(separator: ","))
        }
        return Data([0xEF, 0xBB, 0xBF]) + Data((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    static func quote(_ text: String) -> String {
        // A leading =, +, - or @ would be a formula in a spreadsheet: keep it text.
        let safe = ["=", "+", "-", "@"].contains(where: { text.hasPrefix($0) }) && Double(text) == nil ? "'" + text : text
        guard safe.contains(where: { [",", "\"", "\n", "\r"].contains($0) }) else { return safe }
        return "\"" + safe.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
