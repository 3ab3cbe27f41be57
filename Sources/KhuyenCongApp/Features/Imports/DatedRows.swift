import Fluent
import Foundation
import KhuyenCongCore
import SQLKit
import SQLiteNIO

/// The project codes and indicator codes of an import's dated rows, numbered as they first appear, so that a
/// checked row (`ImportRows.DatedKey`) holds two small numbers instead of two strings: a million checked payments
/// take about 50 MiB in their set, not hundreds.
struct DatedCodes: Sendable {
    private var projectNumbers = Numbering<Int32>()
    private var indicatorNumbers = Numbering<Int16>(first: "")

    /// Codes by number.
    var projects: [String] { projectNumbers.codes }
    var indicators: [String] { indicatorNumbers.codes }

    mutating func project(_ code: String) -> Int32 { projectNumbers.number(code) }
    mutating func indicator(_ code: String) -> Int16 { indicatorNumbers.number(code) }
    func number(ofIndicator code: String) -> Int16? { indicatorNumbers.numbers[code] }

    func code(_ key: ImportRows.DatedKey) -> String { projects[Int(key.project)] }

    /// Codes numbered 0, 1, 2… as they first appear.
    private struct Numbering<Number: FixedWidthInteger & Sendable>: Sendable {
        private(set) var codes: [String] = []
        private(set) var numbers: [String: Number] = [:]

        init(first: String? = nil) { if let first { _ = number(first) } }

        mutating func number(_ code: String) -> Number {
            if let number = numbers[code] { return number }
            let number = Number(codes.count)
            codes.append(code)
            numbers[code] = number
            return number
        }
    }
}

/// What the checks of a dated row need of its project, looked up once per project code rather than once per row.
struct DatedProject {
    let number: Int32
    /// nil: no such project, or one the user may not read.
    let state: (unitID: UnitID, status: ProjectStatus)?
    let unit: AdminUnit?
    let year: Int?
    let allocatedOn: String?
    /// Whether any period of the project's plan year is locked for its unit (else the per-row lookup is skipped).
    let mayBeLocked: Bool
}

extension ImportRows.Cells {
    /// A cell's text by its position (the dated tables' hot path; `text` looks the column up by name).
    func text(at index: Int?) -> String {
        guard let index, index < cells.count else { return "" }
        let cell = cells[index]
        // Most cells have no space at either end: no need to walk their scalars.
        if let first = cell.utf8.first, let last = cell.utf8.last, first > 0x20, first < 0x80, last > 0x20, last < 0x80 { return cell }
        return cell.trimmingSpaces
    }

    /// `money`, with whole digits read directly; anything else goes through `Money(parsing:)` and its messages.
    mutating func fastMoney(_ column: String, at index: Int?) -> Int64? {
        if let value = Self.digits(text(at: index)), value <= Bounds.maximumAmount.dong { return value }
        return money(column)?.dong
    }

    /// `date`, with the stored form YYYY-MM-DD read directly.
    mutating func fastDate(_ column: String, at index: Int?) -> CalendarDate? {
        let cell = text(at: index)
        if cell.utf8.count == 10, let date = cell.utf8.withContiguousStorageIfAvailable({ bytes -> CalendarDate? in
            guard bytes[4] == 0x2D, bytes[7] == 0x2D else { return nil }
            var parts = (0, 0, 0)
            for (index, byte) in bytes.enumerated() where index != 4 && index != 7 {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                let digit = Int(byte - 0x30)
                if index < 4 { parts.0 = parts.0 * 10 + digit } else if index < 7 { parts.1 = parts.1 * 10 + digit } else { parts.2 = parts.2 * 10 + digit }
            }
            return try? CalendarDate(year: parts.0, month: parts.1, day: parts.2)
        }) ?? nil {
            return date
        }
        return date(column)
    }

    /// `basis`, with the two exact codes read directly.
    mutating func fastBasis(at index: Int?) -> Basis? {
        if let exact = Basis(rawValue: text(at: index)) { return exact }
        return basis()
    }

    /// The value of a cell of 1 to 18 ASCII digits, else nil.
    static func digits(_ text: String) -> Int64? {
        let utf8 = text.utf8
        guard !utf8.isEmpty, utf8.count <= 18 else { return nil }
        var value: Int64 = 0
        for byte in utf8 {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int64(byte - 0x30)
        }
        return value
    }
}

extension Importer {
    /// The dated rows already stored for some of the file's projects (by their numbers in `datedCodes`), read with
    /// the driver's own rows (no model decoding per row): a re-import of a million rows reads a million.
    func existingDatedKeys(_ table: InterchangeTable, projects numbers: Set<Int32>, on db: any Database) async throws -> Set<ImportRows.DatedKey> {
        let numberByID = Dictionary(numbers.compactMap { number in existingProjects[datedCodes.projects[Int(number)]].map { ($0.id, number) } },
                                    uniquingKeysWith: { a, _ in a })
        guard !numberByID.isEmpty else { return [] }
        /// Filled by the driver's row callback, which runs one row at a time.
        final class Found: @unchecked Sendable { var keys = Set<ImportRows.DatedKey>(); var unknownBasis: String? }
        let found = Found()
        let codes = datedCodes
        let valueColumn = table == .disbursements ? "amount_vnd" : "quantity"
        let indicatorColumn = table == .disbursements ? "''" : "indicator_code"
        let schema = table == .disbursements ? Disbursement.schema : OutputRecord.schema
        @Sendable func add(_ id: UUID?, _ onDate: String?, _ value: Int64?, _ basis: String?, _ indicator: String?) {
            guard let id, let number = numberByID[id], let onDate, let value, let basis,
                  let date = try? CalendarDate(parsing: onDate) else { return }
            // A stored basis outside the enum is an error (below), never read as one or the other.
            guard let basis = Basis(rawValue: basis) else { found.unknownBasis = basis; return }
            let indicatorNumber = codes.number(ofIndicator: indicator ?? "") ?? -1   // -1: an indicator no row of the file has
            found.keys.insert(.init(value: value, project: number, day: Int32(date.dayNumber), indicator: indicatorNumber, basis: basis))
        }
        for chunk in Array(numberByID.keys).chunked(500) {
            if let sqlite = db as? any SQLiteDatabase {
                let sql = "SELECT project_id, on_date, \(valueColumn) AS value, basis, \(indicatorColumn) AS indicator FROM \(schema) WHERE project_id IN ("
                    + Array(repeating: "?", count: chunk.count).joined(separator: ",") + ")"
                try await sqlite.query(sql, chunk.map { .text($0.upperText) }) { row in
                    add(row.column("project_id")?.string.flatMap(UUID.init(uuidString:)), row.column("on_date")?.string,
                        row.column("value")?.integer.map(Int64.init), row.column("basis")?.string, row.column("indicator")?.string)
                }
            } else {
                let sql = db as! any SQLDatabase
                for row in try await sql.select().column(SQLColumn("project_id")).column(SQLColumn("on_date"))
                    .column(SQLAlias(SQLColumn(valueColumn), as: SQLIdentifier("value"))).column(SQLColumn("basis"))
                    .column(SQLAlias(table == .disbursements ? SQLLiteral.string("") as any SQLExpression : SQLColumn("indicator_code"),
                                     as: SQLIdentifier("indicator")))
                    .from(schema).where(SQLColumn("project_id"), .in, SQLBind.group(chunk)).all() {
                    add(try row.decode(column: "project_id", as: UUID.self), try row.decode(column: "on_date", as: String.self),
                        try row.decode(column: "value", as: Int64.self), try row.decode(column: "basis", as: String.self),
                        try row.decode(column: "indicator", as: String.self))
                }
            }
        }
        if let basis = found.unknownBasis {
            throw StoredValueError(field: "\(schema).basis", value: basis)
        }
        return found.keys
    }
}
