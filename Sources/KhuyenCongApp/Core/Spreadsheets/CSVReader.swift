import Foundation
import KhuyenCongCore

/// Reads a CSV file as rows of fields, a chunk at a time, so memory stays bounded whatever the file's size.
/// RFC 4180: comma separator, double quotes, quoted line breaks; CRLF or LF; a UTF-8 byte-order mark is skipped.
/// Refused with their row (and column): bytes that are not UTF-8, a field longer than `limits.cellBytes` or a row
/// of more than `limits.rowCells` fields (both as soon as they pass the limit, so one endless field or line costs
/// no more than the limit), and a non-empty field beyond the header's last column.
struct CSVReader: Sequence, IteratorProtocol {
    struct Failure: Error { let row: Int; var column: Int? = nil; let message: DomainError }

    private let handle: FileHandle
    private let limits: SpreadsheetLimits
    private var buffer: [UInt8] = []
    private var position = 0
    private var finished = false
    private(set) var rowNumber = 0
    /// Fields of the header (the first row), up to its last non-empty one.
    private(set) var headerWidth: Int?
    /// Set when reading stopped on a malformed file.
    private(set) var failure: Failure?
    static let chunkSize = 1 << 20

    init(url: URL, limits: SpreadsheetLimits = .standard) throws {
        handle = try FileHandle(forReadingFrom: url)
        self.limits = limits
        refill()
        if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    private mutating func refill() {
        let rest = Array(buffer[position...])
        let chunk = (try? handle.read(upToCount: CSVReader.chunkSize)) ?? nil
        buffer = rest + (chunk.map { Array($0) } ?? [])
        position = 0
        if chunk == nil || chunk!.isEmpty { finished = true }
    }

    /// The next row, or nil at the end of the file (or at the first malformed row: see `failure`).
    mutating func next() -> [String]? {
        guard failure == nil else { return nil }
        if let fields = fastRow() { return finishRow(fields) }
        return nextByByte()
    }

    /// A row without quotes, wholly in the buffer and within the limits (nearly every row of a large file): its
    /// fields are made straight from the buffer, without copying them byte by byte. Anything else (a quote, a
    /// carriage return not before a line feed, bytes that are not UTF-8, a field or a row over a limit, a row
    /// running past the buffer) returns nil, and `nextByByte` reads the row, with its messages.
    private mutating func fastRow() -> [String]? {
        if !finished && buffer.count - position < CSVReader.chunkSize / 8 { refill() }
        let limits = limits, first = position, width = headerWidth ?? 8
        let read: (fields: [String], end: Int)? = buffer.withUnsafeBufferPointer { bytes in
            var fields: [String] = []
            fields.reserveCapacity(width)
            var start = first, index = first
            while index < bytes.count {
                let byte = bytes[index]
                if byte == 0x2C || byte == 0x0A {   // , or \n
                    var end = index
                    if byte == 0x0A, end > start, bytes[end - 1] == 0x0D { end -= 1 }
                    guard end - start <= limits.cellBytes,
                          let text = String(validating: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self) else { return nil }
                    fields.append(text)
                    if byte == 0x0A { return (fields, index + 1) }
                    guard fields.count < limits.rowCells else { return nil }
                    start = index + 1
                } else if byte == 0x22 {
                    return nil
                } else if byte == 0x0D {
                    guard index + 1 < bytes.count, bytes[index + 1] == 0x0A else { return nil }
                }
                index += 1
            }
            return nil
        }
        guard let read else { return nil }
        position = read.end
        return read.fields
    }

    private mutating func nextByByte() -> [String]? {
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false, inQuotes = false, sawAnything = false
        while true {
            if position >= buffer.count {
                if finished { break }
                refill()
                if position >= buffer.count { break }
            }
            let byte = buffer[position]
            position += 1
            sawAnything = true
            if inQuotes {
                if byte == 0x22 {   // "
                    if position >= buffer.count && !finished { refill() }
                    if position < buffer.count && buffer[position] == 0x22 { field.append(0x22); position += 1 } else { inQuotes = false }
                } else {
                    field.append(byte)
                }
                guard fits(field, fields.count) else { return nil }
                continue
            }
            switch byte {
            case 0x22 where field.isEmpty && !quoted: inQuotes = true; quoted = true
            case 0x2C: // ,
                guard let text = decode(field, fields.count) else { return nil }
                fields.append(text); field = []; quoted = false
                guard fits(field, fields.count) else { return nil }
            case 0x0A: // \n
                guard let text = decode(field, fields.count) else { return nil }
                fields.append(text)
                return finishRow(fields)
            case 0x0D: continue // \r before \n
            default:
                field.append(byte)
                guard fits(field, fields.count) else { return nil }
            }
        }
        if inQuotes {
            failure = Failure(row: rowNumber + 1, message: .invalid(vi: "Dấu ngoặc kép không được đóng", en: "unterminated quoted field"))
            return nil
        }
        guard sawAnything, !(fields.isEmpty && field.isEmpty) else { return nil }
        guard let text = decode(field, fields.count) else { return nil }
        fields.append(text)
        return finishRow(fields)
    }

    /// Counts the row, takes the header's width from the first, and refuses a later row with text past it.
    private mutating func finishRow(_ fields: [String]) -> [String]? {
        rowNumber += 1
        if let width = headerWidth {
            if fields.count > width, let extra = (width..<fields.count).first(where: { !fields[$0].allSatisfy(\.isWhitespace) }) {
                let shown = SpreadsheetLimits.excerpt(fields[extra])
                failure = Failure(row: rowNumber, column: extra, message: .invalid(
                    vi: "Cột \(extra + 1): ô thừa ngoài \(width) cột của dòng tiêu đề (\"\(shown)\")",
                    en: "column \(extra + 1): a field beyond the header's \(width) columns (\"\(shown)\")"))
                return nil
            }
        } else {
            headerWidth = (fields.lastIndex { !$0.allSatisfy(\.isWhitespace) } ?? -1) + 1
        }
        return fields
    }

    /// False (with `failure` set) once the field being read or the row's count of fields passes its limit.
    private mutating func fits(_ field: [UInt8], _ count: Int) -> Bool {
        if field.count > limits.cellBytes {
            let shown = SpreadsheetLimits.excerpt(String(decoding: field.prefix(160), as: UTF8.self))
            failure = Failure(row: rowNumber + 1, column: count, message: .invalid(
                vi: "Cột \(count + 1): ô dài quá \(SpreadsheetLimits.kib(limits.cellBytes)) (\"\(shown)\")",
                en: "column \(count + 1): the field is longer than \(SpreadsheetLimits.kib(limits.cellBytes)) (\"\(shown)\")"))
            return false
        }
        if count >= limits.rowCells {
            failure = Failure(row: rowNumber + 1, column: count, message: .invalid(
                vi: "Dòng có quá \(limits.rowCells) cột", en: "the row has more than \(limits.rowCells) fields"))
            return false
        }
        return true
    }

    private mutating func decode(_ bytes: [UInt8], _ column: Int) -> String? {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            failure = Failure(row: rowNumber + 1, column: column, message: .invalid(
                vi: "Tệp không phải UTF-8 (hãy lưu dưới dạng CSV UTF-8)", en: "the file is not UTF-8 (save it as CSV UTF-8)"))
            return nil
        }
        return text
    }
}
