import Foundation
import KhuyenCongCore

/// Reads a CSV file as rows of fields, a chunk at a time, so memory stays bounded whatever the file's size.
/// RFC 4180: comma separator, double quotes, quoted line breaks; CRLF or LF; a UTF-8 byte-order mark is skipped.
/// Bytes that are not UTF-8 are refused with the row they are on.
struct CSVReader: Sequence, IteratorProtocol {
    struct Failure: Error { let row: Int; let message: DomainError }

    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var finished = false
    private(set) var rowNumber = 0
    /// Set when reading stopped on a malformed file.
    private(set) var failure: Failure?
    static let chunkSize = 1 << 20

    init(url: URL) throws {
        handle = try FileHandle(forReadingFrom: url)
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
                continue
            }
            switch byte {
            case 0x22 where field.isEmpty && !quoted: inQuotes = true; quoted = true
            case 0x2C: // ,
                guard let text = decode(field) else { return nil }
                fields.append(text); field = []; quoted = false
            case 0x0A: // \n
                guard let text = decode(field) else { return nil }
                fields.append(text)
                rowNumber += 1
                return fields
            case 0x0D: continue // \r before \n
            default: field.append(byte)
            }
        }
        if inQuotes {
            failure = Failure(row: rowNumber + 1, message: .invalid(vi: "Dấu ngoặc kép không được đóng", en: "unterminated quoted field"))
            return nil
        }
        guard sawAnything, !(fields.isEmpty && field.isEmpty) else { return nil }
        guard let text = decode(field) else { return nil }
        fields.append(text)
        rowNumber += 1
        return fields
    }

    private mutating func decode(_ bytes: [UInt8]) -> String? {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            failure = Failure(row: rowNumber + 1, message: .invalid(
                vi: "Tệp không phải UTF-8 (hãy lưu dưới dạng CSV UTF-8)", en: "the file is not UTF-8 (save it as CSV UTF-8)"))
            return nil
        }
        return text
    }
}
