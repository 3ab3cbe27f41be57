import Foundation
import KhuyenCongCore
import ZIPFoundation

/// Reads the sheets of an XLSX workbook, as written by Excel, LibreOffice or openpyxl: shared and inline strings,
/// numbers, dates (numbers with a date style), empty cells. Every part is parsed as it is inflated (`XMLStream`),
/// never unpacked whole, and every limit of `SpreadsheetLimits` is checked on the way, so memory stays bounded
/// whatever the file claims. Refused, with their place: files that are not ZIP archives, XML with a DOCTYPE
/// (entity expansion), formulas (a figure must be a value), cells beyond the header's columns, and anything
/// over a limit.
struct XLSXReader {
    struct Failure: Error { let sheet: String?; let row: Int?; let column: Int?; let message: DomainError }

    let limits: SpreadsheetLimits
    /// The bytes inflated so far, shared by every part read.
    let budget: InflateBudget
    private let archive: Archive
    private let sheetPaths: [String: String]
    private let sharedStrings: [String]
    private let dateStyles: Set<Int>

    var sheetNames: [String] { Array(sheetPaths.keys) }

    init(url: URL, limits: SpreadsheetLimits = .standard, budget: InflateBudget? = nil) throws {
        let budget = budget ?? InflateBudget(limit: limits.inflatedBytes)
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw Failure(sheet: nil, row: nil, column: nil, message: .invalid(
                vi: "Tệp không phải là bảng tính XLSX hợp lệ (không đọc được tệp nén)", en: "not a valid XLSX workbook (not a readable ZIP archive)"))
        }
        let relationships = ElementCollector(element: "Relationship")
        func read(_ path: String, into handler: some XMLStreamHandler) throws -> Bool {
            try XLSXReader.read(path, in: archive, budget: budget, into: handler)
        }
        _ = try read("xl/_rels/workbook.xml.rels", into: relationships)
        let targets = Dictionary(relationships.found.compactMap { attributes -> (String, String)? in
            guard let id = attributes["Id"], let target = attributes["Target"] else { return nil }
            return (id, target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target)
        }, uniquingKeysWith: { a, _ in a })
        let workbook = ElementCollector(element: "sheet")
        guard try read("xl/workbook.xml", into: workbook) else {
            throw Failure(sheet: nil, row: nil, column: nil, message: .invalid(vi: "Tệp XLSX thiếu xl/workbook.xml", en: "the XLSX has no xl/workbook.xml"))
        }
        sheetPaths = Dictionary(workbook.found.compactMap { attributes -> (String, String)? in
            guard let name = attributes["name"], let id = attributes["id"], let path = targets[id] else { return nil }
            return (name, path)
        }, uniquingKeysWith: { a, _ in a })
        let strings = SharedStringsCollector(limits: limits)
        _ = try read("xl/sharedStrings.xml", into: strings)
        let styles = StylesCollector()
        _ = try read("xl/styles.xml", into: styles)
        self.limits = limits
        self.budget = budget
        self.archive = archive
        self.sharedStrings = strings.strings
        self.dateStyles = styles.dateStyles
    }

    /// Calls `row` for each row of the sheet with its 1-based row number and its cells as text
    /// (integers without decimals, dates as YYYY-MM-DD, empty cells as ""). The first row is the header.
    func readSheet(_ name: String, row: (Int, [String]) throws -> Void) throws {
        guard let path = sheetPaths[name], archive[path] != nil else {
            throw Failure(sheet: name, row: nil, column: nil, message: .invalid(vi: "Không có trang tính \"\(name)\"", en: "no sheet \"\(name)\""))
        }
        try withoutActuallyEscaping(row) { row in
            let handler = SheetHandler(sheet: name, sharedStrings: sharedStrings, dateStyles: dateStyles, limits: limits, onRow: row)
            try XLSXReader.read(path, in: archive, budget: budget, into: handler, sheet: name, row: { handler.rowNumber })
        }
    }

    /// Streams one part through the tokenizer into `handler`, drawing its inflated bytes from the budget.
    /// False if the workbook has no such part.
    @discardableResult
    static func read(_ path: String, in archive: Archive, budget: InflateBudget, into handler: some XMLStreamHandler,
                     sheet: String? = nil, row: () -> Int? = { nil }) throws -> Bool {
        guard let entry = archive[path] else { return false }
        var tokenizer = XMLStream()
        var ours: Error?
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                do {
                    try budget.draw(chunk.count, part: path)
                    try chunk.withUnsafeBytes { try tokenizer.feed($0, to: handler) }
                } catch { ours = error; throw error }
            }
            do { try tokenizer.finish() } catch { ours = error; throw error }
        } catch {
            switch ours {
            case let malformed as XMLStream.Malformed:
                throw Failure(sheet: sheet, row: row(), column: nil, message: .invalid(
                    vi: "Phần \(path) của tệp XLSX có XML không hợp lệ: \(malformed.vi)", en: "\(path) is not well-formed XML: \(malformed.en)"))
            case let ours?: throw ours
            case nil:
                // Library errors (a truncated archive, a bad checksum) become one clear refusal.
                throw Failure(sheet: sheet, row: nil, column: nil, message: .invalid(
                    vi: "Tệp XLSX bị hỏng hoặc không đầy đủ (\(path))", en: "the XLSX file is damaged or truncated (\(path))"))
            }
        }
        return true
    }

    /// "B" → 1, "AA" → 26.
    static func columnIndex(_ reference: String) -> Int? {
        var index = 0, any = false
        for scalar in reference.unicodeScalars {
            guard scalar.value >= 65 && scalar.value <= 90 else { break }
            guard index < 1 << 20 else { return Int.max }   // absurdly far right: refused by the row's limit
            index = index * 26 + Int(scalar.value - 64)
            any = true
        }
        return any ? index - 1 : nil
    }
}
