import Foundation
import KhuyenCongCore

/// The tables of the interchange format (DESIGN.md), in the order an import applies them.
enum InterchangeTable: String, CaseIterable, Sendable {
    case planLines = "plan_lines"
    case planTargets = "plan_targets"
    case projects
    case disbursements
    case outputs

    var columns: [String] {
        switch self {
        case .planLines: ["unit_code", "year", "source", "category", "amount_vnd", "approved_on", "decision_no"]
        case .planTargets: ["unit_code", "year", "source", "category", "indicator", "quantity"]
        case .projects: ["code", "title", "unit_code", "year", "source", "category", "implementing_unit", "beneficiary_tax_code",
                         "beneficiary_name", "support_vnd", "counterpart_vnd", "status", "submitted_on", "approved_on", "allocated_on",
                         "support_kind", "beneficiary_support_kind", "beneficiary_priority_marks"]
        case .disbursements: ["project_code", "date", "amount_vnd", "basis"]
        case .outputs: ["project_code", "date", "indicator", "quantity", "basis"]
        }
    }

    /// Columns a file may leave out.
    var optional: Set<String> {
        // `support_kind` and `beneficiary_support_kind` (issue 14) came later: files without them import as before (the
        // category's default kind; the beneficiary under the project's kind). So did `beneficiary_priority_marks` (the
        // Decree 235/2025 marks of a new establishment, codes separated by ";": women_owned, ethnic_minority_owned,
        // ethnic_minority_employer, disadvantaged_area; without it an establishment is created with none, as before).
        self == .projects ? ["beneficiary_tax_code", "beneficiary_name", "counterpart_vnd", "status", "submitted_on", "approved_on", "allocated_on",
                             "support_kind", "beneficiary_support_kind", "beneficiary_priority_marks"] : []
    }
}

/// One problem of an import, located as `table:row:column`.
struct ImportIssue: Sendable, Equatable, CustomStringConvertible {
    let table: String
    let row: Int
    let column: String
    let message: DomainError

    var description: String { "\(table):\(row):\(column): \(message.vietnamese) / \(message.english)" }
}

/// An import refused: every problem found, nothing written.
extension InterchangeTable {
    /// The table a CSV file holds, by its name: `disbursements.csv`, or a name the export gave it such as
    /// `khuyen-cong-disbursements-2026.csv` (the table's name inside it; the longest name wins, so that
    /// `plan_targets` is not read as another table).
    static func named(csvFile name: String) -> InterchangeTable? {
        let base = name.lowercased()
        guard base.hasSuffix(".csv") else { return nil }
        return allCases.sorted { $0.rawValue.count > $1.rawValue.count }.first { base.dropLast(4).contains($0.rawValue) }
    }

    /// The CSV files of a folder by table: a CSV file that names no table, or two files of one table, are refused
    /// by name, so that nothing is skipped without a word.
    static func csvFiles(_ files: [URL]) throws -> [InterchangeTable: URL] {
        var result: [InterchangeTable: URL] = [:]
        var issues: [ImportIssue] = []
        for file in files.sorted(by: { $0.lastPathComponent < $1.lastPathComponent }) where file.pathExtension.lowercased() == "csv" {
            let name = file.lastPathComponent
            guard let table = named(csvFile: name) else {
                issues.append(ImportIssue(table: name, row: 0, column: "-", message: .invalid(
                    vi: "Không nhận ra bảng của tệp \(name): tên tệp cần chứa plan_lines, plan_targets, projects, disbursements hoặc outputs",
                    en: "cannot tell which table \(name) holds: its name must contain plan_lines, plan_targets, projects, disbursements or outputs")))
                continue
            }
            if let other = result[table] {
                issues.append(ImportIssue(table: name, row: 0, column: "-", message: .invalid(
                    vi: "Hai tệp cùng bảng \(table.rawValue): \(other.lastPathComponent) và \(name)",
                    en: "two files of table \(table.rawValue): \(other.lastPathComponent) and \(name)")))
                continue
            }
            result[table] = file
        }
        if !issues.isEmpty { throw ImportRefused(issues: issues, more: 0) }
        return result
    }
}

struct ImportRefused: Error, CustomStringConvertible {
    let issues: [ImportIssue]
    let more: Int

    var description: String {
        (["Nhập dữ liệu bị từ chối, không ghi gì / import refused, nothing written (\(issues.count + more) lỗi / errors):"]
            + issues.map(\.description) + (more > 0 ? ["… và \(more) lỗi khác / and \(more) more"] : [])).joined(separator: "\n")
    }
}

/// Where the tables come from: a folder of CSV files, or one XLSX workbook with sheets of the same names.
struct ImportSource {
    enum Kind { case folder(URL), workbook(URL) }
    let kind: Kind

    init(path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DomainError(.notFound, vi: "Không có tệp hoặc thư mục \(path)", en: "no file or folder \(path)")
        }
        if isDirectory.boolValue { kind = .folder(URL(fileURLWithPath: path)) }
        else if path.lowercased().hasSuffix(".xlsx") { kind = .workbook(URL(fileURLWithPath: path)) }
        else if path.lowercased().hasSuffix(".csv") { kind = .folder(URL(fileURLWithPath: path)) }
        else {
            throw DomainError.invalid(vi: "Cần một thư mục các tệp CSV hoặc một tệp .xlsx", en: "a folder of CSV files or one .xlsx file is expected")
        }
    }

    /// The tables present, with a way to read each one's rows (row number, cells).
    func tables() throws -> [(InterchangeTable, (_ row: (Int, [String]) throws -> Void) throws -> Void)] {
        switch kind {
        case .folder(let url):
            let files: [URL]
            if url.pathExtension.lowercased() == "csv" { files = [url] }
            else { files = try FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil) }
            let named = try InterchangeTable.csvFiles(files)
            return InterchangeTable.allCases.compactMap { table in
                guard let file = named[table] else { return nil }
                return (table, { row in
                    var reader = try CSVReader(url: file)
                    while let cells = reader.next() { try row(reader.rowNumber, cells) }
                    if let failure = reader.failure {
                        throw ImportRefused(issues: [ImportIssue(table: table.rawValue, row: failure.row, column: "-", message: failure.message)], more: 0)
                    }
                })
            }
        case .workbook(let url):
            let reader: XLSXReader
            do { reader = try XLSXReader(url: url) } catch let failure as XLSXReader.Failure {
                throw ImportRefused(issues: [ImportIssue(table: url.lastPathComponent, row: 0, column: "-", message: failure.message)], more: 0)
            }
            return InterchangeTable.allCases.compactMap { table in
                guard reader.sheetNames.contains(table.rawValue) else { return nil }
                return (table, { row in
                    do { try reader.readSheet(table.rawValue, row: row) } catch let failure as XLSXReader.Failure {
                        throw ImportRefused(issues: [ImportIssue(table: table.rawValue, row: failure.row ?? 0,
                                                                 column: failure.column.map { XLSXWriter.column($0) } ?? "-", message: failure.message)], more: 0)
                    }
                })
            }
        }
    }
}
