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
                         "beneficiary_name", "support_vnd", "counterpart_vnd", "status", "submitted_on", "approved_on", "allocated_on"]
        case .disbursements: ["project_code", "date", "amount_vnd", "basis"]
        case .outputs: ["project_code", "date", "indicator", "quantity", "basis"]
        }
    }

    /// Columns a file may leave out.
    var optional: Set<String> {
        self == .projects ? ["beneficiary_tax_code", "beneficiary_name", "counterpart_vnd", "status", "submitted_on", "approved_on", "allocated_on"] : []
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
            return InterchangeTable.allCases.compactMap { table in
                guard let file = files.first(where: { $0.lastPathComponent.lowercased() == table.rawValue + ".csv" }) else { return nil }
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
