import Foundation

/// Ids for rows written in bulk: UUID version 7 layout (milliseconds since 1970, then the version and variant
/// bits), with the low 62 bits a counter from a random start instead of fresh randomness, so that each id sorts
/// after the one before. Inserting growing keys appends to the primary-key B-tree instead of touching random pages.
struct SequentialUUIDs {
    private var bytes: [UInt8]
    private var counter: UInt64

    init(now: Date = Date()) {
        let millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        bytes = (0..<6).map { UInt8(truncatingIfNeeded: millis >> (40 - 8 * $0)) }
            + [0x70 | UInt8.random(in: 0...0x0F), UInt8.random(in: 0...0xFF)] + Array(repeating: 0, count: 8)
        counter = UInt64.random(in: 0...(1 << 60))
    }

    mutating func next() -> UUID {
        counter += 1
        bytes[8] = 0x80 | UInt8(truncatingIfNeeded: counter >> 56) & 0x3F
        for index in 9..<16 { bytes[index] = UInt8(truncatingIfNeeded: counter >> (8 * (15 - index))) }
        let b = bytes
        return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }
}

extension UUID {
    /// `uuidString` (upper-case, as Fluent stores ids in SQLite) without Foundation's printf-based formatting,
    /// for rows written by the million.
    var upperText: String {
        String(unsafeUninitializedCapacity: 36) { text in
            write(to: text.baseAddress!, pairs: UUID.upperHexPairs)
            return 36
        }
    }

    /// Writes the id's 36 characters at `text`, each byte's two hex digits taken from `pairs` (`upperHexPairs`,
    /// `lowerHexPairs`).
    func write(to text: UnsafeMutablePointer<UInt8>, pairs: UnsafeMutablePointer<UInt8>) {
        withUnsafeBytes(of: uuid) { raw in
            var at = 0
            for index in 0..<16 {
                if index == 4 || index == 6 || index == 8 || index == 10 { text[at] = UInt8(ascii: "-"); at += 1 }
                let byte = Int(raw[index])
                text[at] = pairs[2 * byte]
                text[at + 1] = pairs[2 * byte + 1]
                at += 2
            }
        }
    }

    /// Two hex digits per byte value, upper-case (as Fluent stores ids on SQLite) and lower-case (PostgreSQL's text).
    nonisolated(unsafe) static let upperHexPairs = hexPairs("0123456789ABCDEF")
    nonisolated(unsafe) static let lowerHexPairs = hexPairs("0123456789abcdef")
    private static func hexPairs(_ digits: String) -> UnsafeMutablePointer<UInt8> {
        let digits = Array(digits.utf8)
        let pairs = UnsafeMutablePointer<UInt8>.allocate(capacity: 512)
        for byte in 0..<256 { pairs[2 * byte] = digits[byte >> 4]; pairs[2 * byte + 1] = digits[byte & 0x0F] }
        return pairs
    }
}
