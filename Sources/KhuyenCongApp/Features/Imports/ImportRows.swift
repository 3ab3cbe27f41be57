import Foundation
import KhuyenCongCore

/// The parsed rows of each table and the checks that make them, one row at a time, recording every problem.
struct ImportRows {
    struct PlanLineRow { let row: Int; let unit: AdminUnit; let year: Int; let source: FundingSource; let category: String; let amount: Money; let approvedOn: String; let decisionNo: String }
    struct TargetRow { let row: Int; let unit: AdminUnit; let year: Int; let source: FundingSource; let category: String; let indicator: String; let quantity: Int64 }
    struct ProjectRow {
        let row: Int; let code: String; let title: String; let unit: AdminUnit; let year: Int; let source: FundingSource; let category: String
        let implementingUnit: String; let beneficiaryTaxCode: String?; let beneficiaryName: String?; let support: Money; let counterpart: Money
        let status: ProjectStatus; let submittedOn: String?; let approvedOn: String?; let allocatedOn: String?
        /// The kind of support (optional column; empty keeps the stored kind, or the category's default).
        var supportKind: String? = nil
        /// The beneficiary's own kind of support (optional column; empty = the project's kind).
        var beneficiarySupportKind: String? = nil
        /// The priority marks of an establishment the row creates (optional column; empty = none).
        var beneficiaryMarks = BeneficiaryMarks()
    }
    /// A checked dated row (a payment or an output) in 24 bytes: its project and indicator are numbers in the import's
    /// `DatedCodes` (indicator 0: none, a payment). All of the row's values: two rows are the same row when equal.
    struct DatedKey: Hashable {
        let value: Int64; let project: Int32; let day: Int32; let indicator: Int16; let basis: Basis
        func hash(into hasher: inout Hasher) {
            hasher.combine(value)
            hasher.combine(UInt64(UInt32(bitPattern: project)) << 32 | UInt64(UInt32(bitPattern: day)))
            hasher.combine(UInt32(UInt16(bitPattern: indicator)) << 8 | (basis == .actual ? 1 : 0))
        }
    }

    /// A row's cells by column name, and the checks that turn text into values.
    struct Cells {
        let table: InterchangeTable
        let row: Int
        /// The row's cells as read, and where each column of the header is among them (one dictionary per table,
        /// not one per row: a million rows are checked).
        let cells: [String]
        let positions: [String: Int]
        var issues: [ImportIssue] = []

        func text(_ column: String) -> String {
            guard let index = positions[column], index < cells.count else { return "" }
            return cells[index].trimmingSpaces
        }
        func optionalText(_ column: String) -> String? { let value = text(column); return value.isEmpty ? nil : value }

        mutating func problem(_ column: String, _ error: DomainError) {
            issues.append(ImportIssue(table: table.rawValue, row: row, column: column, message: error))
        }

        /// Parses a cell; a refusal quotes at most an excerpt of a long cell (a message never carries 32 KiB back).
        mutating func check<T>(_ column: String, _ parse: (String) throws -> T) -> T? {
            let value = text(column)
            do { return try parse(value) } catch let error as DomainError {
                guard value.count > 40 else { problem(column, error); return nil }
                let excerpt = SpreadsheetLimits.excerpt(value)
                problem(column, DomainError(error.kind, vi: error.vietnamese.replacingOccurrences(of: value, with: excerpt),
                                            en: error.english.replacingOccurrences(of: value, with: excerpt)))
                return nil
            } catch { return nil }
        }

        mutating func required(_ column: String, maxLength: Int = 500) -> String? {
            check(column) { try ProjectEditing.cleanText($0, field: column, maxLength: maxLength) }
        }

        mutating func year(_ column: String = "year") -> Int? {
            check(column) { text in
                guard let year = Int(text), (2000...2100).contains(year) else {
                    throw DomainError.invalid(vi: "Năm \"\(text)\" không hợp lệ", en: "year \"\(text)\" is not valid")
                }
                return year
            }
        }

        mutating func unit(year: Int?) -> AdminUnit? {
            guard let year else { return nil }
            return check("unit_code") { try AdminUnitCatalog.standard.resolve(code: UnitCode($0), planYear: year) }
        }

        mutating func category(year: Int?) -> String? {
            guard let year else { return nil }
            return check("category") { try ReferenceData.category(code: $0, planYear: year).code }
        }

        mutating func source() -> FundingSource? { check("source") { try FundingSource(parsing: $0) } }
        mutating func money(_ column: String) -> Money? { check(column) { try Money(parsing: $0) } }
        mutating func date(_ column: String) -> CalendarDate? { check(column) { try CalendarDate(parsing: $0) } }
        mutating func optionalDate(_ column: String) -> String?? {
            guard optionalText(column) != nil else { return .some(nil) }
            return date(column).map { .some($0.description) }
        }
        mutating func basis() -> Basis? { check("basis") { try Basis(parsing: $0) } }
        mutating func indicator() -> String? { check("indicator") { try ReferenceData.indicator(code: $0).code } }
        mutating func quantity() -> Int64? {
            check("quantity") { text in
                guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int64(text) else {
                    throw DomainError.invalid(vi: "Số lượng \"\(text)\" phải là số nguyên không âm", en: "quantity \"\(text)\" must be a whole non-negative number")
                }
                return try Bounds.quantity(value, field: "quantity")
            }
        }
    }

    /// Maps a header row to column positions, refusing unknown and missing columns.
    static func header(_ cells: [String], table: InterchangeTable) -> (positions: [String: Int], issues: [ImportIssue]) {
        var positions: [String: Int] = [:], issues: [ImportIssue] = []
        for (index, raw) in cells.enumerated() {
            let name = raw.trimmingSpaces.lowercased()
            // The Vietnamese names the XLSX export writes beside the codes ("Tên nguồn") are for reading only.
            if name.isEmpty || table.labelHeaders.contains(name) { continue }
            if !table.columns.contains(name) {
                issues.append(ImportIssue(table: table.rawValue, row: 1, column: name, message: .invalid(
                    vi: "Cột không có trong định dạng trao đổi", en: "unknown column")))
            } else if positions[name] != nil {
                issues.append(ImportIssue(table: table.rawValue, row: 1, column: name, message: .invalid(vi: "Cột bị lặp", en: "repeated column")))
            } else {
                positions[name] = index
            }
        }
        for column in table.columns where positions[column] == nil && !table.optional.contains(column) {
            issues.append(ImportIssue(table: table.rawValue, row: 1, column: column, message: .invalid(vi: "Thiếu cột", en: "missing column")))
        }
        return (positions, issues)
    }
}
