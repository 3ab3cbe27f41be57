import Foundation
import KhuyenCongCore

/// The attributes of every `element` of a small part (relationships, sheets). At most `maximum` of them:
/// a workbook has a handful of sheets, and a file claiming millions is refused rather than held.
final class ElementCollector: XMLStreamHandler {
    let element: String
    let maximum: Int
    private(set) var found: [[String: String]] = []

    init(element: String, maximum: Int = 10_000) {
        self.element = element
        self.maximum = maximum
    }

    func start(_ name: String, _ attributes: XMLAttributes) throws {
        guard name == element else { return }
        guard found.count < maximum else {
            throw XLSXReader.Failure(sheet: nil, row: nil, column: nil, message: .invalid(
                vi: "Tệp XLSX có quá \(maximum) phần tử <\(element)>", en: "the XLSX has more than \(maximum) <\(element)> elements"))
        }
        found.append(attributes.all)
    }
    func end(_ name: String) throws {}
    func text(_ bytes: UnsafeRawBufferPointer) throws {}
}

/// xl/sharedStrings.xml: the text of each `<si>` (rich-text runs joined, phonetic guides left out), refused as soon
/// as one string, the count or the bytes in all pass their limit, so a bomb never costs more than the limits.
final class SharedStringsCollector: XMLStreamHandler {
    static let part = "xl/sharedStrings.xml"
    let limits: SpreadsheetLimits
    private(set) var strings: [String] = []
    private var bytes = 0
    private var current: [UInt8] = []
    private var inItem = false, inText = false, inPhonetic = false

    init(limits: SpreadsheetLimits) { self.limits = limits }

    func start(_ name: String, _ attributes: XMLAttributes) throws {
        switch name {
        case "si":
            guard strings.count < limits.sharedStrings else {
                throw refusal(vi: "có quá \(limits.sharedStrings) chuỗi", en: "more than \(limits.sharedStrings) strings")
            }
            current.removeAll(keepingCapacity: true); inItem = true
        case "t": inText = inItem && !inPhonetic
        case "rPh": inPhonetic = true
        default: break
        }
    }

    func text(_ chunk: UnsafeRawBufferPointer) throws {
        guard inText else { return }
        guard current.count + chunk.count <= limits.cellBytes else {
            current.append(contentsOf: chunk.prefix(160))
            throw refusal(vi: "chuỗi số \(strings.count) dài quá \(SpreadsheetLimits.kib(limits.cellBytes)) (\"\(excerpt)\")",
                          en: "string \(strings.count) is longer than \(SpreadsheetLimits.kib(limits.cellBytes)) (\"\(excerpt)\")")
        }
        guard bytes + current.count + chunk.count <= limits.sharedStringBytes else {
            throw refusal(vi: "các chuỗi dài quá \(SpreadsheetLimits.mib(UInt64(limits.sharedStringBytes))) tổng cộng (tại chuỗi số \(strings.count))",
                          en: "the strings exceed \(SpreadsheetLimits.mib(UInt64(limits.sharedStringBytes))) in all (at string \(strings.count))")
        }
        current.append(contentsOf: chunk)
    }

    func end(_ name: String) throws {
        switch name {
        case "si":
            guard let text = String(validating: current, as: UTF8.self) else {
                throw refusal(vi: "chuỗi số \(strings.count) không phải UTF-8", en: "string \(strings.count) is not UTF-8")
            }
            bytes += current.count
            strings.append(text)
            inItem = false
        case "t": inText = false
        case "rPh": inPhonetic = false
        default: break
        }
    }

    private var excerpt: String { SpreadsheetLimits.excerpt(String(decoding: current.prefix(160), as: UTF8.self)) }

    private func refusal(vi: String, en: String) -> XLSXReader.Failure {
        XLSXReader.Failure(sheet: nil, row: nil, column: nil, message: .invalid(vi: "\(Self.part): \(vi)", en: "\(Self.part): \(en)"))
    }
}

/// xl/styles.xml: which cell styles (`<xf>` of `<cellXfs>`) show a date.
final class StylesCollector: XMLStreamHandler {
    private var custom: [Int: String] = [:]
    private var styles: [Int?] = []
    private var inCellXfs = false

    func start(_ name: String, _ attributes: XMLAttributes) throws {
        switch name {
        case "numFmt":
            if let id = attributes["numFmtId"].flatMap(Int.init), let code = attributes["formatCode"], custom.count < 10_000 { custom[id] = code }
        case "cellXfs": inCellXfs = true
        case "xf" where inCellXfs:
            // Excel allows 64,000 cell styles.
            guard styles.count < 100_000 else {
                throw XLSXReader.Failure(sheet: nil, row: nil, column: nil, message: .invalid(
                    vi: "xl/styles.xml: có quá 100000 kiểu ô", en: "xl/styles.xml: more than 100000 cell styles"))
            }
            styles.append(attributes["numFmtId"].flatMap(Int.init))
        default: break
        }
    }
    func end(_ name: String) throws { if name == "cellXfs" { inCellXfs = false } }
    func text(_ bytes: UnsafeRawBufferPointer) throws {}

    var dateStyles: Set<Int> {
        Set(styles.enumerated().compactMap { index, id in
            guard let id else { return nil }
            return (14...22).contains(id) || (45...47).contains(id) || custom[id].map(StylesCollector.isDateFormat) == true ? index : nil
        })
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
