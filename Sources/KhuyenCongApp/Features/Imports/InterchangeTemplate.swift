import Foundation
import KhuyenCongCore

/// The blank file of one interchange table, to fill in and import: an XLSX whose first sheet (named as the importer
/// reads it) holds the header row, with drop-downs of the codes, a second sheet describing every column in
/// Vietnamese (meaning, required or not, format, allowed values with their names, an example), and, for tables of
/// units, a sheet of the unit codes; or a CSV holding the header row only.
enum InterchangeTemplate {
    static let guideSheet = "Mô tả cột"
    static let unitSheet = "Mã đơn vị"

    /// "mau-plan_lines.xlsx": the table's name inside, so that the importer recognises a filled CSV by its name.
    static func fileName(_ table: InterchangeTable, format: String) -> String { "mau-\(table.rawValue).\(format)" }

    /// The sheets of the template, with `rows` under the header (none for the blank file).
    static func sheets(_ table: InterchangeTable, rows: [[String]] = []) -> [Spreadsheet] {
        let guide = table.guide
        var data = Spreadsheet(name: table.rawValue, columns: guide.map { ($0.name, max(14, Double($0.name.count) + 4)) },
                               rows: rows.map { $0.map { $0.isEmpty ? .empty : .text($0) } })
        // Drop-downs where one code is chosen (priority marks may hold several).
        for (index, column) in guide.enumerated() where !column.allowed.isEmpty && column.name != "beneficiary_priority_marks" {
            data.choices[index] = column.allowed.map(\.code)
        }
        var description = Spreadsheet(name: guideSheet, columns: [("Cột", 26), ("Ý nghĩa", 50), ("Bắt buộc", 10), ("Định dạng", 30),
                                                                  ("Giá trị được phép", 60), ("Ví dụ", 24)])
        for column in guide {
            let allowed = column.name == "unit_code"
                ? "Mã của đơn vị trong năm kế hoạch: xem trang tính \"\(unitSheet)\""
                : column.allowed.map { "\($0.code): \($0.name)" }.joined(separator: "\n")
            description.rows.append([.text(column.name), .wrapped(column.meaning), .text(table.isRequired(column.name) ? "Có" : "Không"),
                                     .wrapped(column.format), allowed.isEmpty ? .empty : .wrapped(allowed), .text(column.example)])
        }
        description.rows.append([])
        for note in notes(table) { description.rows.append([.empty, .wrapped(note)]) }
        var sheets = [data, description]
        if guide.contains(where: { $0.name == "unit_code" }) {
            var units = Spreadsheet(name: unitSheet, columns: [("Mã", 8), ("Tên đơn vị", 30), ("Dùng cho năm kế hoạch", 24)])
            let catalog = AdminUnitCatalog.standard
            for (year, span) in [(CalendarDate.today().year, "Từ năm 2026"), (2025, "Đến năm 2025")] {
                for unit in catalog.units(in: nil, planYear: year) { units.rows.append([.text(unit.code.rawValue), .text(unit.name), .text(span)]) }
            }
            sheets.append(units)
        }
        return sheets
    }

    static func notes(_ table: InterchangeTable) -> [String] {
        [
            "Điền từ dòng 2 của trang tính \"\(table.rawValue)\", mỗi dòng một bản ghi; giữ nguyên dòng tên cột và tên trang tính.",
            "Cột \"Bắt buộc: Không\" có thể để trống hoặc bỏ đi. Cột có tên khác các cột trên bị từ chối; các cột tên tiếng Việt (\"Tên nguồn\"…) của tệp xuất chỉ để đọc và được bỏ qua.",
            "Có lỗi thì không ghi gì: mọi lỗi được liệt kê theo bảng:dòng:cột. Nhập lại cùng dữ liệu không tạo bản ghi trùng.",
        ]
    }

    static func xlsx(_ table: InterchangeTable) throws -> Data { try XLSXWriter.write(sheets(table)) }

    /// The header row only, UTF-8 with a BOM, as the importer reads it.
    static func csv(_ table: InterchangeTable) -> Data { Spreadsheet(name: table.rawValue, columns: table.columns.map { ($0, 12) }).csv() }

    /// The template of a table in a format ("xlsx" or "csv"), refused by name otherwise.
    static func file(table name: String?, format: String?) throws -> (name: String, type: String, data: Data) {
        guard let name, let table = InterchangeTable(rawValue: name) else {
            throw DomainError.invalid(vi: "table: bảng \"\(name?.prefix(40) ?? "")\" không có trong định dạng trao đổi (xem mục Mẫu nhập dữ liệu)",
                                      en: "table: no table \"\(name?.prefix(40) ?? "")\" (\(InterchangeTable.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        switch format ?? "xlsx" {
        case "xlsx": return (fileName(table, format: "xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", try xlsx(table))
        case "csv": return (fileName(table, format: "csv"), "text/csv; charset=utf-8", csv(table))
        default: throw DomainError.invalid(vi: "format: định dạng không hỗ trợ (xlsx hoặc csv)", en: "format: unsupported (xlsx or csv)")
        }
    }
}

extension Links {
    /// A blank template of an interchange table (GET /imports/template).
    static func importTemplate(_ table: InterchangeTable, format: String) -> String {
        SiteRoute.importTemplate.path(query: "table=\(table.rawValue)&format=\(format)")
    }
}
