import Foundation
import NIOCore
import Vapor
import ZIPFoundation

/// A page compressed once for the readers whose browser accepts gzip (RFC 1952: a header, the raw deflate stream of
/// ZIPFoundation's zlib, the CRC-32 and the length). For whole pages kept in a cache (`Application.pageCache`): the
/// compression is paid once per page and data version, not per request.
enum Gzip {
    static func compress(_ buffer: ByteBuffer) throws -> ByteBuffer {
        let input = Data(buffer.readableBytesView)
        var output = Data([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff])
        let chunk = 1 << 16
        let crc = try Data.compress(size: Int64(input.count), bufferSize: chunk, provider: { position, size in
            input.subdata(in: Int(position)..<Int(position) + size)
        }, consumer: { output.append($0) })
        for value in [crc, UInt32(truncatingIfNeeded: input.count)] {
            withUnsafeBytes(of: value.littleEndian) { output.append(contentsOf: $0) }
        }
        return ByteBuffer(data: output)
    }

    /// Whether `request` accepts a gzip body (`Accept-Encoding: gzip`, or `*`, not with `q=0`).
    static func accepted(by request: Request) -> Bool {
        request.headers[.acceptEncoding].flatMap { $0.split(separator: ",") }.contains { entry in
            let parts = entry.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let coding = parts.first, coding == "gzip" || coding == "*" else { return false }
            let q = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return q > 0
        }
    }
}
