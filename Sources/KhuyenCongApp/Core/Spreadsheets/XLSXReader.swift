import Foundation
import KhuyenCongCore
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// Reads the sheets of an XLSX workbook, as written by Excel, LibreOffice or openpyxl: shared and inline strings,
/// numbers, dates (numbers with a date style), empty cells. Each sheet is unpacked to a temporary file and parsed
/// as a stream (SAX), so memory stays bounded. Refused: files that are not ZIP archives, parts that unpack beyond
/// `maximumPartSize`, XML with a DOCTYPE (entity expansion), and formulas (a figure must be a value).
struct XLSXReader {
    struct Failure: Error { let sheet: String?; let row: Int?; let column: Int?; let message: DomainError }

    static let maximumPartSize: UInt64 = 1 << 30

    private let archive: Archive
    private let sheetPaths: [String: String]
    private let sharedStrings: [String]
    private let dateStyles: Set<Int>

    var sheetNames: [String] { Array(sheetPaths.keys) }

    init(url: URL) throws {
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw Failure(sheet: nil, row: nil, column: nil, message: .invalid(
                vi: "Tệp không phải là bảng tính XLSX hợp lệ (không đọc được tệp nén)", en: "not a valid XLSX workbook (not a readable ZIP archive)"))
        }
        guard let workbook = try XLSXReader.part("xl/workbook.xml", in: archive) else {
            throw Failure(sheet: nil, row: nil, column: nil, message: .invalid(vi: "Tệp XLSX thiếu xl/workbook.xml", en: "the XLSX has no xl/workbook.xml"))
        }
        let relationships = try XLSXReader.part("xl/_rels/workbook.xml.rels", in: archive) ?? Data()
        let targets = Dictionary(try XMLElements.collect(relationships, element: "Relationship").compactMap { attributes -> (String, String)? in
            guard let id = attributes["Id"], let target = attributes["Target"] else { return nil }
            return (id, target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target)
        }, uniquingKeysWith: { a, _ in a })
        sheetPaths = Dictionary(try XMLElements.collect(workbook, element: "sheet").compactMap { attributes -> (String, String)? in
            guard let name = attributes["name"], let id = attributes["r:id"], let path = targets[id] else { return nil }
            return (name, path)
        }, uniquingKeysWith: { a, _ in a })
        sharedStrings = try XLSXReader.part("xl/sharedStrings.xml", in: archive).map(XMLElements.sharedStrings) ?? []
        dateStyles = try XLSXReader.part("xl/styles.xml", in: archive).map(XMLElements.dateStyles) ?? []
    }

    /// Calls `row` for each row of the sheet with its 1-based row number and its cells as text
    /// (integers without decimals, dates as YYYY-MM-DD, empty cells as "").
    func readSheet(_ name: String, row: (Int, [String]) throws -> Void) throws {
        guard let path = sheetPaths[name], let entry = archive[path] else {
            throw Failure(sheet: name, row: nil, column: nil, message: .invalid(vi: "Không có trang tính \"\(name)\"", en: "no sheet \"\(name)\""))
        }
        let temporary = FileManager.default.temporaryDirectory.appendingPathComponent("kc-sheet-\(UUID().uuidString).xml")
        defer { try? FileManager.default.removeItem(at: temporary) }
        try XLSXReader.extract(entry, from: archive, to: temporary)
        try withoutActuallyEscaping(row) { row in
            try SheetParser(url: temporary, sheet: name, sharedStrings: sharedStrings, dateStyles: dateStyles, onRow: row).run()
        }
    }

    /// A small part (workbook, relationships, strings, styles) in memory, checked for size and DOCTYPE.
    static func part(_ path: String, in archive: Archive) throws -> Data? {
        guard let entry = archive[path] else { return nil }
        var data = Data()
        try guarded {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                data.append(chunk)
                if UInt64(data.count) > maximumPartSize { throw Failure(sheet: nil, row: nil, column: nil, message: tooLarge) }
            }
        }
        try refuseDoctype(data.prefix(4096), part: path)
        return data
    }

    static func extract(_ entry: Entry, from archive: Archive, to url: URL) throws {
        FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var written: UInt64 = 0
        var head = Data()
        try guarded {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                written += UInt64(chunk.count)
                if written > maximumPartSize { throw Failure(sheet: nil, row: nil, column: nil, message: tooLarge) }
                if head.count < 4096 { head.append(chunk.prefix(4096 - head.count)) }
                try handle.write(contentsOf: chunk)
            }
        }
        try refuseDoctype(head, part: entry.path)
    }

    /// Library errors (a truncated archive, a bad checksum) become one clear refusal.
    static func guarded(_ body: () throws -> Void) throws {
        do { try body() } catch let failure as Failure { throw failure } catch {
            throw Failure(sheet: nil, row: nil, column: nil, message: .invalid(
                vi: "Tệp XLSX bị hỏng hoặc không đầy đủ", en: "the XLSX file is damaged or truncated"))
        }
    }

    static func refuseDoctype(_ head: Data, part: String) throws {
        let text = String(decoding: head, as: UTF8.self)
        if text.contains("<!DOCTYPE") || text.contains("<!ENTITY") {
            throw Failure(sheet: nil, row: nil, column: nil, message: .invalid(
                vi: "Tệp XLSX chứa khai báo DOCTYPE/ENTITY (\(part)); không được chấp nhận", en: "the XLSX declares a DOCTYPE or entities (\(part)); refused"))
        }
    }

    static let tooLarge = DomainError.invalid(vi: "Tệp XLSX giải nén quá lớn (trên 1 GiB)", en: "the XLSX unpacks to more than 1 GiB")

    /// "B" → 1, "AA" → 26.
    static func columnIndex(_ reference: String) -> Int? {
        var index = 0, any = false
        for scalar in reference.unicodeScalars {
            guard scalar.value >= 65 && scalar.value <= 90 else { break }
            index = index * 26 + Int(scalar.value - 64)
            any = true
        }
        return any ? index - 1 : nil
    }
}

/// Streaming parser of one worksheet.
private final class SheetParser: NSObject, XMLParserDelegate {
    let parser: XMLParser
    let sheet: String
    let sharedStrings: [String]
    let dateStyles: Set<Int>
    let onRow: (Int, [String]) throws -> Void
    var failure: Error?

    var rowNumber = 0
    var cells: [String] = []
    var cellColumn = 0, cellType = "", cellStyle = 0
    var text = ""
    var collecting = false
    var value: String?
    var inlineText = ""
    var hasFormula = false

    init(url: URL, sheet: String, sharedStrings: [String], dateStyles: Set<Int>, onRow: @escaping (Int, [String]) throws -> Void) {
        parser = XMLParser(contentsOf: url) ?? XMLParser(data: Data())
        self.sheet = sheet
        self.sharedStrings = sharedStrings
        self.dateStyles = dateStyles
        self.onRow = onRow
        super.init()
        parser.delegate = self
        parser.shouldResolveExternalEntities = false
    }

    func run() throws {
        let ok = parser.parse()
        if let failure { throw failure }
        guard ok else {
            throw XLSXReader.Failure(sheet: sheet, row: rowNumber, column: nil, message: .invalid(
                vi: "Trang tính \(sheet) có XML không hợp lệ", en: "sheet \(sheet) is not well-formed XML"))
        }
    }

    func fail(_ error: Error) {
        if failure == nil { failure = error }
        parser.abortParsing()
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch name {
        case "row":
            rowNumber = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
            cells = []
        case "c":
            cellColumn = attributes["r"].flatMap(XLSXReader.columnIndex) ?? cells.count
            cellType = attributes["t"] ?? "n"
            cellStyle = attributes["s"].flatMap(Int.init) ?? 0
            value = nil
            inlineText = ""
            hasFormula = false
        case "v", "t":
            text = ""
            collecting = true
        case "f":
            hasFormula = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if collecting { text += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "v": value = text; collecting = false
        case "t": inlineText += text; collecting = false
        case "c":
            if hasFormula {
                return fail(XLSXReader.Failure(sheet: sheet, row: rowNumber, column: cellColumn, message: .invalid(
                    vi: "Ô chứa công thức; hãy dán giá trị", en: "the cell holds a formula; paste its value instead")))
            }
            let cell: String
            switch cellType {
            case "s":
                guard let index = value.flatMap(Int.init), sharedStrings.indices.contains(index) else {
                    return fail(XLSXReader.Failure(sheet: sheet, row: rowNumber, column: cellColumn, message: .invalid(
                        vi: "Chuỗi dùng chung không tồn tại", en: "missing shared string")))
                }
                cell = sharedStrings[index]
            case "inlineStr": cell = inlineText
            case "str": cell = value ?? ""
            case "b": cell = value == "1" ? "TRUE" : "FALSE"
            case "e":
                return fail(XLSXReader.Failure(sheet: sheet, row: rowNumber, column: cellColumn, message: .invalid(
                    vi: "Ô chứa lỗi \(value ?? "")", en: "the cell holds an error \(value ?? "")")))
            default:
                cell = value.map { dateStyles.contains(cellStyle) ? SheetParser.date(fromSerial: $0) ?? $0 : SheetParser.number($0) } ?? ""
            }
            guard cellColumn >= 0, cellColumn < 16_384 else { return }
            while cells.count < cellColumn { cells.append("") }
            if cells.count == cellColumn { cells.append(cell) } else { cells[cellColumn] = cell }
        case "row":
            do { try onRow(rowNumber, cells) } catch { fail(error) }
        default: break
        }
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

/// Small XML parts, read whole: relationships, sheets, shared strings, number formats.
enum XMLElements {
    final class Collector: NSObject, XMLParserDelegate {
        let element: String
        var found: [[String: String]] = []
        init(element: String) { self.element = element }
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            if name == element || qualifiedName == element { found.append(attributes) }
        }
    }

    static func collect(_ data: Data, element: String) throws -> [[String: String]] {
        let parser = XMLParser(data: data)
        let collector = Collector(element: element)
        parser.delegate = collector
        parser.shouldResolveExternalEntities = false
        guard parser.parse() else {
            throw XLSXReader.Failure(sheet: nil, row: nil, column: nil, message: .invalid(vi: "XML không hợp lệ", en: "malformed XML"))
        }
        return collector.found
    }

    final class StringsCollector: NSObject, XMLParserDelegate {
        var strings: [String] = []
        var current = "", inItem = false, inText = false, inPhonetic = false
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            switch name {
            case "si": current = ""; inItem = true
            case "t": inText = inItem && !inPhonetic
            case "rPh": inPhonetic = true
            default: break
            }
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { if inText { current += string } }
        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch name {
            case "si": strings.append(current); inItem = false
            case "t": inText = false
            case "rPh": inPhonetic = false
            default: break
            }
        }
    }

    static func sharedStrings(_ data: Data) throws -> [String] {
        let parser = XMLParser(data: data)
        let collector = StringsCollector()
        parser.delegate = collector
        parser.shouldResolveExternalEntities = false
        guard parser.parse() else {
            throw XLSXReader.Failure(sheet: nil, row: nil, column: nil, message: .invalid(vi: "sharedStrings.xml không hợp lệ", en: "malformed sharedStrings.xml"))
        }
        return collector.strings
    }

    /// Indexes of cell styles whose number format is a date.
    static func dateStyles(_ data: Data) throws -> Set<Int> {
        let custom = Dictionary(try collect(data, element: "numFmt").compactMap { attributes -> (Int, String)? in
            guard let id = attributes["numFmtId"].flatMap(Int.init), let code = attributes["formatCode"] else { return nil }
            return (id, code)
        }, uniquingKeysWith: { a, _ in a })
        // cellXfs come after cellStyleXfs; both use <xf>. Count only those inside cellXfs.
        let text = String(decoding: data, as: UTF8.self)
        guard let start = text.range(of: "<cellXfs"), let end = text.range(of: "</cellXfs>") else { return [] }
        let xfs = try collect(Data(("<x>" + text[start.lowerBound..<end.upperBound] + "</x>").utf8), element: "xf")
        var result: Set<Int> = []
        for (index, xf) in xfs.enumerated() {
            guard let id = xf["numFmtId"].flatMap(Int.init) else { continue }
            if (14...22).contains(id) || (45...47).contains(id) || custom[id].map(isDateFormat) == true { result.insert(index) }
        }
        return result
    }

    static func isDateFormat(_ code: String) -> Bool {
        var plain = "", inQuote = false, inBracket = false
        for character in code {
            if character == "\"" { inQuote.toggle(); continue }
            if character == "[" { inBracket = true; continue }
            if character == "]" { inBracket = false; continue }
            if !inQuote && !inBracket { plain.append(character) }
        }
        let lower = plain.lowercased()
        return lower.contains("d") || lower.contains("y") || (lower.contains("m") && !lower.contains("0"))
    }
}
