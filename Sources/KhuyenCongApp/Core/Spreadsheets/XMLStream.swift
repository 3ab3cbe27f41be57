import Foundation

/// What an `XMLStream` reports. Text arrives in pieces (entities already decoded), so a handler can refuse a
/// long text as soon as it passes its limit instead of after holding all of it.
protocol XMLStreamHandler: AnyObject {
    /// The element's local name (any namespace prefix dropped) and its attributes (also by local name).
    func start(_ name: String, _ attributes: XMLAttributes) throws
    func end(_ name: String) throws
    func text(_ bytes: UnsafeRawBufferPointer) throws
}

/// A push tokenizer for the XML parts of an XLSX workbook, fed the bytes as they are inflated, so memory never
/// follows the size of a part. It knows elements, attributes, text, the five named and the numeric entities,
/// CDATA, comments and processing instructions; a DOCTYPE (and so any entity declaration) is refused, as is any
/// tag longer than `maximumTag` or nesting deeper than `maximumDepth`. Checks that tags balance.
struct XMLStream {
    struct Malformed: Error, Equatable { let vi: String; let en: String }

    /// Far above any real tag (a cell or a row is under 200 bytes), far below what memory minds.
    static let maximumTag = 64 * 1024
    static let maximumDepth = 64

    private enum State { case text, markup, tag, entity, comment, cdata, instruction }
    private var state = State.text
    private var tag: [UInt8] = []          // bytes of a tag, or of "<!..." while deciding what it is
    private var entity: [UInt8] = []
    private var quote: UInt8 = 0           // inside an attribute value of a tag being read
    private var dashes = 0                 // trailing "-" of a comment, "]" of a CDATA, "?" of an instruction
    private var open: [String] = []
    private var sawRoot = false

    /// Feeds the next bytes. Throws `Malformed`, or whatever the handler throws.
    mutating func feed(_ bytes: UnsafeRawBufferPointer, to handler: some XMLStreamHandler) throws {
        var index = 0, textStart = 0
        let count = bytes.count
        func flushText(_ end: Int) throws {
            if end > textStart, !open.isEmpty { try handler.text(UnsafeRawBufferPointer(rebasing: bytes[textStart..<end])) }
        }
        while index < count {
            let byte = bytes[index]
            switch state {
            case .text:
                if byte == 0x3C {            // <
                    try flushText(index)
                    state = .markup; tag.removeAll(keepingCapacity: true)
                } else if byte == 0x26 {     // &
                    try flushText(index)
                    state = .entity; entity.removeAll(keepingCapacity: true)
                }
            case .entity:
                if byte == 0x3B {            // ;
                    let decoded = try XMLStream.decodeEntity(entity)
                    try decoded.withUnsafeBytes { if !open.isEmpty { try handler.text($0) } }
                    state = .text; textStart = index + 1
                } else {
                    entity.append(byte)
                    if entity.count > 10 { throw Malformed(vi: "một tham chiếu ký tự không kết thúc", en: "unterminated entity") }
                }
            case .markup:
                tag.append(byte)
                if tag.count == 1 && byte != 0x21 && byte != 0x3F {   // not "!" nor "?": a tag
                    if byte == 0x3E { throw Malformed(vi: "một thẻ rỗng", en: "an empty tag") }
                    state = .tag; quote = 0
                } else if tag == [0x3F] {
                    state = .instruction; dashes = 0
                } else if tag == Array("!--".utf8) {
                    state = .comment; dashes = 0
                } else if tag == Array("![CDATA[".utf8) {
                    state = .cdata; dashes = 0
                } else if !Array("!--".utf8).starts(with: tag) && !Array("![CDATA[".utf8).starts(with: tag) {
                    throw Malformed(vi: "không chấp nhận khai báo DOCTYPE hoặc ENTITY", en: "DOCTYPE or entity declarations are not accepted")
                }
            case .tag:
                // A run of the tag's bytes at once, up to the next quote or ">" (a sheet is mostly tags).
                var end = index
                if quote != 0 {
                    while end < count && bytes[end] != quote { end += 1 }
                    if end < count { quote = 0; end += 1 }               // the closing quote is the tag's too
                } else {
                    while end < count, bytes[end] != 0x22, bytes[end] != 0x27, bytes[end] != 0x3E { end += 1 }
                    if end < count && bytes[end] != 0x3E { quote = bytes[end]; end += 1 }
                }
                tag.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[index..<end]))
                if tag.count > XMLStream.maximumTag { throw Malformed(vi: "một thẻ dài quá 64 KiB", en: "a tag longer than 64 KiB") }
                if quote == 0 && end < count && bytes[end] == 0x3E {     // >
                    try closeTag(handler)
                    textStart = end + 1
                    index = end + 1
                    continue
                }
                index = end
                continue
            case .comment:
                if byte == 0x3E && dashes >= 2 { state = .text; textStart = index + 1 }
                dashes = byte == 0x2D ? dashes + 1 : 0
            case .instruction:
                if byte == 0x3E && dashes > 0 { state = .text; textStart = index + 1 }
                dashes = byte == 0x3F ? 1 : 0
            case .cdata:
                if byte == 0x3E && dashes >= 2 {
                    // "]]" before the ">" were held back, except any extra "]" that belong to the text.
                    if dashes > 2 { try emit(Array(repeating: 0x5D, count: dashes - 2), handler) }
                    state = .text; textStart = index + 1
                } else if byte == 0x5D {
                    dashes += 1
                } else {
                    if dashes > 0 { try emit(Array(repeating: 0x5D, count: dashes), handler); dashes = 0 }
                    try emit([byte], handler)
                }
            }
            index += 1
        }
        if state == .text { try flushText(count) }
    }

    /// The end of the part: everything opened must have been closed.
    func finish() throws {
        guard state == .text, open.isEmpty, sawRoot else { throw Malformed(vi: "tài liệu kết thúc giữa chừng", en: "the document ends early") }
    }

    private func emit(_ bytes: [UInt8], _ handler: some XMLStreamHandler) throws {
        if !open.isEmpty { try bytes.withUnsafeBytes { try handler.text($0) } }
    }

    /// A whole tag was read (in `tag`, without "<" and ">"): report it.
    private mutating func closeTag(_ handler: some XMLStreamHandler) throws {
        state = .text
        var bytes = tag[...]
        if bytes.first == 0x2F {             // </name>
            let name = XMLStream.localName(bytes.dropFirst().prefix { !XMLStream.isSpace($0) })
            guard let last = open.popLast(), last == name else { throw Malformed(vi: "thẻ đóng </\(name.prefix(40))> không khớp", en: "mismatched end tag </\(name.prefix(40))>") }
            try handler.end(name)
            return
        }
        let selfClosing = bytes.last == 0x2F
        if selfClosing { bytes = bytes.dropLast() }
        let nameBytes = bytes.prefix { !XMLStream.isSpace($0) }
        guard !nameBytes.isEmpty else { throw Malformed(vi: "một thẻ rỗng", en: "an empty tag") }
        let name = XMLStream.localName(nameBytes)
        let attributes = XMLAttributes(bytes: bytes.dropFirst(nameBytes.count))
        if open.isEmpty && sawRoot { throw Malformed(vi: "có hai phần tử gốc", en: "a second root element") }
        sawRoot = true
        open.append(name)
        if open.count > XMLStream.maximumDepth { throw Malformed(vi: "các phần tử lồng nhau quá sâu", en: "elements nested too deep") }
        try handler.start(name, attributes)
        if selfClosing {
            open.removeLast()
            try handler.end(name)
        }
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }

    static func localName(_ bytes: ArraySlice<UInt8>) -> String {
        let local = bytes.lastIndex(of: 0x3A).map { bytes[($0 + 1)...] } ?? bytes
        return String(decoding: local, as: UTF8.self)
    }

    static func decodeEntities(_ bytes: ArraySlice<UInt8>) throws -> [UInt8] {
        guard bytes.contains(0x26) else { return Array(bytes) }
        var result: [UInt8] = [], rest = bytes
        while let amp = rest.firstIndex(of: 0x26) {
            result += rest[..<amp]
            guard let semicolon = rest[amp...].firstIndex(of: 0x3B) else { throw Malformed(vi: "một tham chiếu ký tự không kết thúc", en: "unterminated entity") }
            result += try decodeEntity(Array(rest[(amp + 1)..<semicolon]))
            rest = rest[(semicolon + 1)...]
        }
        return result + rest
    }

    static func decodeEntity(_ name: [UInt8]) throws -> [UInt8] {
        switch String(decoding: name, as: UTF8.self) {
        case "amp": return [0x26]
        case "lt": return [0x3C]
        case "gt": return [0x3E]
        case "quot": return [0x22]
        case "apos": return [0x27]
        case let other where other.hasPrefix("#"):
            let digits = other.dropFirst()
            let value = digits.hasPrefix("x") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            guard let value, value != 0, let scalar = Unicode.Scalar(value) else { throw Malformed(vi: "một tham chiếu ký tự không hợp lệ", en: "a bad character reference") }
            return Array(String(Character(scalar)).utf8)
        default:
            throw Malformed(vi: "một thực thể không xác định", en: "an unknown entity")
        }
    }
}

/// The attributes of a start tag, read only when asked for (a cell's tag has three; most are never looked at).
/// Names are matched by local name (`r:id` answers to "id"); entities in values are decoded. A malformed
/// attribute, or a value that is not UTF-8, reads as absent.
struct XMLAttributes {
    let bytes: ArraySlice<UInt8>

    subscript(_ name: String) -> String? {
        var found: String?
        forEach { key, raw in
            guard XMLAttributes.local(key).elementsEqual(name.utf8) else { return true }
            found = (try? XMLStream.decodeEntities(raw)).flatMap { String(validating: $0, as: UTF8.self) }
            return false
        }
        return found
    }

    /// Every attribute, by local name.
    var all: [String: String] {
        var result: [String: String] = [:]
        forEach { key, raw in
            let name = String(decoding: XMLAttributes.local(key), as: UTF8.self)
            if let value = (try? XMLStream.decodeEntities(raw)).flatMap({ String(validating: $0, as: UTF8.self) }) { result[name] = value }
            return true
        }
        return result
    }

    /// Calls `body` with each attribute's local name and raw value (entities not decoded), in one pass: for hot
    /// paths that compare bytes (a cell's reference, type and style) instead of making strings.
    func forEachRaw(_ body: (ArraySlice<UInt8>, ArraySlice<UInt8>) -> Void) {
        forEach { key, raw in body(XMLAttributes.local(key), raw); return true }
    }

    private static func local(_ name: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        name.lastIndex(of: 0x3A).map { name[($0 + 1)...] } ?? name
    }

    /// Calls `body` with each name and raw value until it answers false.
    private func forEach(_ body: (ArraySlice<UInt8>, ArraySlice<UInt8>) -> Bool) {
        var rest = bytes.drop(while: XMLStream.isSpace)
        while let equals = rest.firstIndex(of: 0x3D) {
            var key = rest[..<equals]
            while let last = key.last, XMLStream.isSpace(last) { key = key.dropLast() }
            rest = rest[(equals + 1)...].drop(while: XMLStream.isSpace)
            guard let quote = rest.first, quote == 0x22 || quote == 0x27,
                  let close = rest.dropFirst().firstIndex(of: quote) else { return }
            guard body(key, rest[(rest.startIndex + 1)..<close]) else { return }
            rest = rest[(close + 1)...].drop(while: XMLStream.isSpace)
        }
    }
}
