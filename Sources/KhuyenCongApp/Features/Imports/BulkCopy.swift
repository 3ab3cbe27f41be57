import FluentPostgresDriver
import Foundation

/// `BulkInsert`'s rows on PostgreSQL inside a transaction: `COPY table (columns) FROM STDIN` on the transaction's own
/// connection, the values written as COPY's text format (tab between columns, `\N` for null, a backslash before a
/// tab, newline, carriage return or backslash in a text). The same rows as the multi-row INSERT, through the same
/// statement triggers (M0024's report version, M0052's unit data versions: once per COPY), foreign keys and indexes,
/// but without a `$n` bind per value, which PostgresNIO encodes and the server parses one by one (most of the import's
/// time on PostgreSQL: 77 % of the process's CPU in a profile of 100,000 rows).
enum BulkCopy {
    /// The transaction's connection, or nil outside a transaction (a connection of the pool would be returned to it,
    /// and the rows would be written outside the caller's all-or-nothing).
    static func connection(of db: any Database) async throws -> PostgresConnection? {
        guard db.inTransaction, let postgres = db as? any PostgresDatabase else { return nil }
        return try await postgres.withConnection { $0.eventLoop.makeSucceededFuture($0) }.get()
    }

    /// Writes `values` (rows of `columns.count` values) by COPY, in pieces of `rowsPerWrite` rows, so that the server
    /// stores a piece while the next one is formatted.
    static func write(_ values: ArraySlice<BulkInsert.Value>, table: String, columns: [String], on connection: PostgresConnection,
                      logger: Logger, rowsPerWrite: Int) async throws {
        let width = columns.count
        try await connection.copyFrom(table: table, columns: columns, logger: logger) { writer in
            var start = values.startIndex
            let text = CopyText(capacity: min(values.count, rowsPerWrite * width) * 24)
            while start < values.endIndex {
                let end = min(values.endIndex, start + rowsPerWrite * width)
                text.removeAll()
                var column = 0
                for index in start..<end {
                    text.append(values[index])
                    column += 1
                    if column == width { text.append(byte: 0x0A); column = 0 } else { text.append(byte: 0x09) }
                }
                try await writer.write(ByteBuffer(bytes: text.bytes))
                start = end
            }
        }
    }

    /// COPY's text format of rows, in a buffer of its own (raw bytes: a debug build's `Array` and `ByteBuffer` calls
    /// per byte cost more than the formatting).
    final class CopyText {
        private var start: UnsafeMutablePointer<UInt8>
        private var capacity: Int
        private(set) var count = 0
        private var lastUUID: UUID?
        private let lastUUIDText = UnsafeMutablePointer<UInt8>.allocate(capacity: 36)

        init(capacity: Int) {
            self.capacity = max(capacity, 64)
            start = .allocate(capacity: self.capacity)
        }
        deinit { start.deallocate(); lastUUIDText.deallocate() }

        var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: start, count: count) }
        func removeAll() { count = 0 }

        /// Room for `extra` more bytes.
        private func reserve(_ extra: Int) {
            guard count + extra > capacity else { return }
            let grown = max(capacity * 2, count + extra)
            let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: grown)
            moved.update(from: start, count: count)
            start.deallocate()
            start = moved
            capacity = grown
        }

        func append(byte: UInt8) {
            reserve(1)
            start[count] = byte
            count += 1
        }

        func append(_ value: BulkInsert.Value) {
            switch value {
            case .text(var text):
                text.withUTF8 { utf8 in
                    reserve(utf8.count * 2)
                    for byte in utf8 {
                        switch byte {
                        case 0x5C: start[count] = 0x5C; start[count + 1] = 0x5C; count += 2
                        case 0x09: start[count] = 0x5C; start[count + 1] = UInt8(ascii: "t"); count += 2
                        case 0x0A: start[count] = 0x5C; start[count + 1] = UInt8(ascii: "n"); count += 2
                        case 0x0D: start[count] = 0x5C; start[count + 1] = UInt8(ascii: "r"); count += 2
                        default: start[count] = byte; count += 1
                        }
                    }
                }
            case .integer(let number):
                reserve(20)
                if number < 0 { start[count] = UInt8(ascii: "-"); count += 1 }
                var magnitude = number.magnitude
                var digits = 1
                var power: UInt64 = 10
                while digits < 20 && magnitude >= power { digits += 1; power = power &* 10 }
                for position in stride(from: count + digits - 1, through: count, by: -1) {
                    start[position] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                    magnitude /= 10
                }
                count += digits
            case .bool(let flag):
                append(byte: flag ? UInt8(ascii: "t") : UInt8(ascii: "f"))
            case .uuid(let id):
                reserve(36)
                // A project's id repeats row after row: formatted once.
                if lastUUID != id {
                    lastUUID = id
                    id.write(to: lastUUIDText, pairs: UUID.lowerHexPairs)
                }
                (start + count).update(from: lastUUIDText, count: 36)
                count += 36
            case .null:
                reserve(2)
                start[count] = 0x5C; start[count + 1] = UInt8(ascii: "N"); count += 2
            }
        }
    }
}
