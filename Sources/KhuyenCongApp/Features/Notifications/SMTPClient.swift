import Foundation
import NIOCore
import NIOPosix

/// Where mail goes: `SMTP_URL=smtp://host:port` (port 25 by default). Plain SMTP only: no TLS, no authentication
/// (a relay on the local network or localhost; README).
struct SMTPServer: Sendable, Equatable {
    let host: String
    let port: Int

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// nil when the URL is not `smtp://host[:port]`.
    init?(url: String) {
        guard let components = URLComponents(string: url), components.scheme?.lowercased() == "smtp",
              let host = components.host, !host.isEmpty else { return nil }
        let port = components.port ?? 25
        guard (1...65_535).contains(port), components.path.isEmpty || components.path == "/" else { return nil }
        self.init(host: host, port: port)
    }
}

/// One message: a UTF-8 subject (sent RFC 2047-encoded) and a UTF-8 plain-text body (sent base64).
struct MailMessage: Sendable {
    let from: String
    let fromName: String
    let to: String
    let subject: String
    let body: String

    /// The message as it goes after DATA, lines ending CRLF, without the final ".".
    func rendered(date: Date = Date(), messageID: String = UUID().uuidString) -> String {
        var lines = [
            "Date: \(Self.rfc5322(date))",
            "From: \(Self.encodedWords(fromName)) <\(from)>",
            "To: <\(to)>",
            "Subject: \(Self.encodedWords(subject))",
            "Message-ID: <\(messageID)@khuyencong>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
            "",
        ]
        let normalized = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        let encoded = Data(normalized.utf8).base64EncodedString()
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[index..<end]))
            index = end
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// RFC 2047 `=?UTF-8?B?…?=` words of at most 75 characters, split between characters, folded onto new lines.
    static func encodedWords(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !$0.isASCII || $0.value < 32 }) || text.contains("=?") else { return text }
        var words: [String] = []
        var chunk = Data()
        for character in text {
            let bytes = Data(String(character).utf8)
            if chunk.count + bytes.count > 39 {
                words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=")
                chunk = Data()
            }
            chunk.append(bytes)
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(chunk.base64EncodedString())?=") }
        return words.joined(separator: "\r\n ")
    }

    static func rfc5322(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 7 * 3600)
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}

/// A small SMTP client over SwiftNIO: EHLO (HELO if refused), MAIL FROM, RCPT TO, DATA, QUIT. Every reply is
/// checked; any other answer, a refused connection or the time running out is an error (the outbox retries).
enum SMTPClient {
    struct Failure: Error, CustomStringConvertible { let description: String }

    static func send(_ message: MailMessage, via server: SMTPServer, heloName: String = "khuyencong.local",
                     timeout: Duration = .seconds(20)) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await converse(message, via: server, heloName: heloName) }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw Failure(description: "SMTP \(server.host):\(server.port): hết thời gian chờ / timed out")
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    private static func converse(_ message: MailMessage, via server: SMTPServer, heloName: String) async throws {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: server.host, port: server.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineDecoder()))
                    return try NIOAsyncChannel<String, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        try await channel.executeThenClose { inbound, outbound in
            var lines = inbound.makeAsyncIterator()
            func reply() async throws -> (code: Int, text: String) {
                var text: [String] = []
                while let line = try await lines.next() {
                    text.append(line)
                    let characters = Array(line)
                    if characters.count >= 3, let code = Int(String(characters[0..<3])), characters.count == 3 || characters[3] == " " {
                        return (code, text.joined(separator: " | "))
                    }
                    if characters.count < 4 || characters[3] != "-" {
                        throw Failure(description: "SMTP: câu trả lời không hợp lệ / malformed reply: \(line)")
                    }
                }
                throw Failure(description: "SMTP: máy chủ đóng kết nối / the server closed the connection")
            }
            func expect(_ accepted: ClosedRange<Int>, after command: String?) async throws -> Int {
                if let command { try await outbound.write(ByteBuffer(string: command + "\r\n")) }
                let (code, text) = try await reply()
                guard accepted.contains(code) else {
                    throw Failure(description: "SMTP \(command?.split(separator: " ").first.map(String.init) ?? "greeting"): \(text)")
                }
                return code
            }
            _ = try await expect(220...220, after: nil)
            do {
                _ = try await expect(250...250, after: "EHLO \(heloName)")
            } catch {
                _ = try await expect(250...250, after: "HELO \(heloName)")
            }
            _ = try await expect(250...250, after: "MAIL FROM:<\(message.from)>")
            _ = try await expect(250...251, after: "RCPT TO:<\(message.to)>")
            _ = try await expect(354...354, after: "DATA")
            _ = try await expect(250...250, after: message.rendered() + ".")
            try? await outbound.write(ByteBuffer(string: "QUIT\r\n"))
            _ = try? await reply()
        }
    }

    /// Splits the server's bytes into lines (CRLF or LF), without the line end.
    struct LineDecoder: ByteToMessageDecoder {
        typealias InboundOut = String

        mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
            guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
                if buffer.readableBytes > 64 * 1024 { throw Failure(description: "SMTP: dòng quá dài / line too long") }
                return .needMoreData
            }
            let line = (buffer.readString(length: newline - buffer.readerIndex + 1) ?? "").trimmingCharacters(in: .newlines)
            context.fireChannelRead(wrapInboundOut(line))
            return .continue
        }
    }
}
