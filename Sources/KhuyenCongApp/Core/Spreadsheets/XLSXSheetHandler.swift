import Foundation
import KhuyenCongCore

/// One worksheet, as it streams in: cells gathered into rows, each row handed on at its end. A cell's text is
/// refused as soon as it passes `limits.cellBytes`, a row as soon as a cell lies past `limits.rowCells` or past
/// the header's last column, each with its place.
final class SheetHandler: XMLStreamHandler {
    let sheet: String
    let sharedStrings: [String]
    let dateStyles: Set<Int>
    let limits: SpreadsheetLimits
    let onRow: (Int, [String]) throws -> Void

    private(set) var rowNumber = 0
    /// Columns of the header (the first row), up to its last non-empty cell.
    private(set) var headerWidth: Int?
    private var cells: [String] = []
    private var nextColumn = 0
    private var cellColumn = 0, cellType = "", cellStyle = 0
    private var text: [UInt8] = []
    private var inline: [UInt8] = []
    private var collecting = false, inPhonetic = false
    private var value: String?
    private var hasFormula = false

    init(sheet: String, sharedStrings: [String], dateStyles: Set<Int>, limits: SpreadsheetLimits, onRow: @escaping (Int, [String]) throws -> Void) {
        self.sheet = sheet
        self.sharedStrings = sharedStrings
        self.dateStyles = dateStyles
        self.limits = limits
        self.onRow = onRow
    }

    func start(_ name: String, _ attributes: XMLAttributes) throws {
        switch name {
        case "row":
            rowNumber = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
            cells.removeAll(keepingCapacity: true)
            nextColumn = 0
        case "c":
            cellColumn = attributes["r"].flatMap(XLSXReader.columnIndex) ?? nextColumn
            nextColumn = cellColumn == Int.max ? cellColumn : cellColumn + 1
            cellType = attributes["t"] ?? "n"
            cellStyle = attributes["s"].flatMap(Int.init) ?? 0
            value = nil
            inline.removeAll(keepingCapacity: true)
            hasFormula = false
        case "v":
            text.removeAll(keepingCapacity: true); collecting = true
        case "t":
            text.removeAll(keepingCapacity: true); collecting = !inPhonetic
        case "rPh": inPhonetic = true
        case "f": hasFormula = true
        default: break
        }
    }

    func text(_ chunk: UnsafeRawBufferPointer) throws {
        guard collecting else { return }
        guard inline.count + text.count + chunk.count <= limits.cellBytes else {
            text.append(contentsOf: chunk.prefix(160))
            let excerpt = SpreadsheetLimits.excerpt(String(decoding: (inline + text).prefix(160), as: UTF8.self))
            throw failure(.invalid(vi: "Ô dài quá \(SpreadsheetLimits.kib(limits.cellBytes)) (\"\(excerpt)\")",
                                   en: "the cell is longer than \(SpreadsheetLimits.kib(limits.cellBytes)) (\"\(excerpt)\")"))
        }
        text.append(contentsOf: chunk)
    }

    func end(_ name: String) throws {
        switch name {
        case "v":
            value = try decoded(text); collecting = false
        case "t":
            if collecting { inline += text }
            collecting = false
        case "rPh": inPhonetic = false
        case "c": try endCell()
        case "row": try endRow()
        default: break
        }
    }

    private func endCell() throws {
        if hasFormula {
            throw failure(.invalid(vi: "Ô chứa công thức; hãy dán giá trị", en: "the cell holds a formula; paste its value instead"))
        }
        let cell: String
        switch cellType {
        case "s":
            guard let index = value.flatMap(Int.init), sharedStrings.indices.contains(index) else {
                throw failure(.invalid(vi: "Chuỗi dùng chung không tồn tại", en: "missing shared string"))
            }
            cell = sharedStrings[index]
        case "inlineStr": cell = try decoded(inline)
        case "str": cell = value ?? ""
        case "b": cell = value == "1" ? "TRUE" : "FALSE"
        case "e":
            let shown = SpreadsheetLimits.excerpt(value ?? "")
            throw failure(.invalid(vi: "Ô chứa lỗi \(shown)", en: "the cell holds an error \(shown)"))
        default:
            cell = value.map { dateStyles.contains(cellStyle) ? SheetHandler.date(fromSerial: $0) ?? $0 : SheetHandler.number($0) } ?? ""
        }
        guard !cell.isEmpty else { return }      // empty cells take no room, wherever they claim to be
        guard cellColumn < limits.rowCells else {
            throw failure(.invalid(vi: "Dòng có ô ở quá \(limits.rowCells) cột", en: "the row has a cell beyond \(limits.rowCells) columns"),
                          column: min(cellColumn, 16_383))
        }
        while cells.count < cellColumn { cells.append("") }
        if cells.count == cellColumn { cells.append(cell) } else { cells[cellColumn] = cell }
    }

    private func endRow() throws {
        if let width = headerWidth {
            if let extra = cells.indices.first(where: { $0 >= width && !cells[$0].allSatisfy(\.isWhitespace) }) {
                let shown = SpreadsheetLimits.excerpt(cells[extra])
                throw failure(.invalid(vi: "Ô thừa ngoài \(width) cột của dòng tiêu đề (\"\(shown)\")",
                                       en: "a cell beyond the header's \(width) columns (\"\(shown)\")"), column: extra)
            }
        } else {
            headerWidth = (cells.lastIndex { !$0.allSatisfy(\.isWhitespace) } ?? -1) + 1
        }
        try onRow(rowNumber, cells)
    }

    private func decoded(_ bytes: [UInt8]) throws -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw failure(.invalid(vi: "Ô không phải UTF-8", en: "the cell is not UTF-8"))
        }
        return text
    }

    private func failure(_ message: DomainError, column: Int? = nil) -> XLSXReader.Failure {
        XLSXReader.Failure(sheet: sheet, row: rowNumber, column: column ?? min(cellColumn, 16_383), message: message)
    }

    /// "170750000000", "1.7075E11" → "170750000000"; "12.5" stays "12.5" (and is refused where whole đồng are due).
    static func number(_ text: String) -> String {
        guard text.contains("E") || text.contains("e") || text.hasSuffix(".0"), let decimal = Decimal(string: text) else { return text }
        var value = decimal, rounded = Decimal()
        NSDecimalRound(&rounded, &value, 0, .plain)
        return rounded == decimal ? NSDecimalNumber(decimal: rounded).stringValue : text
    }

    /// Excel's day numbers count from 1899-12-30.
    static func date(fromSerial text: String) -> String? {
        guard let serial = Double(text), serial >= 1, serial < 2_958_466 else { return nil }
        return CalendarDate(dayNumber: CalendarDate(1899, 12, 30).dayNumber + Int(serial.rounded(.down))).description
    }
}
