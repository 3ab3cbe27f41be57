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
    private var dates: [String: String] = [:]

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
            // One pass over the tag's bytes: a million cells are read without a string per attribute.
            // The first of each name counts, as with `attributes[name]`; anything unusual takes that path.
            var column: Int??, type: String?, style: Int?
            attributes.forEachRaw { name, raw in
                guard name.count == 1 else { return }
                switch name.first ?? 0 {
                case 0x72 where column == nil: column = .some(raw.contains(0x26) ? attributes["r"].flatMap(XLSXReader.columnIndex) : SheetHandler.columnIndex(raw))   // r="B12"
                case 0x74 where type == nil:                                                    // t="s"
                    type = raw.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A || $0 >= 0x41 && $0 <= 0x5A }) ? String(decoding: raw, as: UTF8.self)
                        : attributes["t"] ?? "n"
                case 0x73 where style == nil:                                                   // s="3"
                    style = SheetHandler.number(raw) ?? attributes["s"].flatMap(Int.init) ?? 0
                default: break
                }
            }
            cellColumn = (column ?? nil) ?? nextColumn
            nextColumn = cellColumn == Int.max ? cellColumn : cellColumn + 1
            cellType = type ?? "n"
            cellStyle = style ?? 0
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
            cell = value.map { dateStyles.contains(cellStyle) ? date($0) : SheetHandler.number($0) } ?? ""
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

    /// `XLSXReader.columnIndex` of a reference's bytes ("B12" → 1), nil without letters.
    static func columnIndex(_ reference: ArraySlice<UInt8>) -> Int? {
        var index = 0, any = false
        for byte in reference {
            guard byte >= 65 && byte <= 90 else { break }
            guard index < 1 << 20 else { return Int.max }   // absurdly far right: refused by the row's limit
            index = index * 26 + Int(byte - 64)
            any = true
        }
        return any ? index - 1 : nil
    }

    /// A whole number of at most 9 digits written in ASCII, else nil.
    static func number(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 9 else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    /// "170750000000", "1.7075E11" → "170750000000"; "12.5" stays "12.5" (and is refused where whole đồng are due).
    static func number(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return text }   // plain digits, nearly every figure
        guard text.contains("E") || text.contains("e") || text.hasSuffix(".0"), let decimal = Decimal(string: text) else { return text }
        var value = decimal, rounded = Decimal()
        NSDecimalRound(&rounded, &value, 0, .plain)
        return rounded == decimal ? NSDecimalNumber(decimal: rounded).stringValue : text
    }

    /// A date cell's text, formatted once per day number met (a sheet of payments has a few hundred days).
    private func date(_ serial: String) -> String {
        if let known = dates[serial] { return known }
        let text = SheetHandler.date(fromSerial: serial) ?? serial
        if dates.count < 100_000 { dates[serial] = text }
        return text
    }

    /// Excel's day numbers count from 1899-12-30.
    static func date(fromSerial text: String) -> String? {
        guard let serial = Double(text), serial >= 1, serial < 2_958_466 else { return nil }
        return CalendarDate(dayNumber: CalendarDate(1899, 12, 30).dayNumber + Int(serial.rounded(.down))).description
    }
}
