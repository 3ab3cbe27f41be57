import Foundation
import Logging
import NIOConcurrencyHelpers
import Vapor

/// `LOG_FORMAT=json`: every log line one JSON object, for a log collector —
/// `{"timestamp":"2026-11-30T06:41:14.123Z","level":"info","label":"codes.vapor.request","message":"…","metadata":{"request-id":"…"}}`.
/// A request's lines carry its `request-id` (`RequestIdMiddleware`). Otherwise the framework's console lines.
public enum LogFormat {
    /// Chooses the log format and level (`LOG_LEVEL`, `--log`) once per process, before anything logs.
    public static func bootstrap(from environment: inout Environment,
                                 _ variables: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard isJSON(variables) else {
            try LoggingSystem.bootstrap(from: &environment)
            return
        }
        let level = try Logger.Level.detect(from: &environment)
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: level, write: JSONLogHandler.standardOutput) }
    }

    static func isJSON(_ variables: [String: String]) -> Bool { variables["LOG_FORMAT"]?.lowercased() == "json" }

    /// A wrong `LOG_FORMAT`, for `AppConfig`'s list of problems.
    static func problem(_ variables: [String: String]) -> String? {
        guard let value = variables["LOG_FORMAT"], !value.isEmpty, !["json", "text"].contains(value.lowercased()) else { return nil }
        return "LOG_FORMAT=\(value): phải là json hoặc text / must be json or text"
    }
}

struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    /// Receives each line, newline included.
    let write: @Sendable (String) -> Void

    init(label: String, level: Logger.Level, metadataProvider: Logger.MetadataProvider? = nil, write: @escaping @Sendable (String) -> Void) {
        self.label = label
        self.logLevel = level
        self.metadataProvider = metadataProvider
        self.write = write
    }

    private static let outputLock = NIOLock()
    /// Whole lines to standard output, one writer at a time so that lines never interleave.
    static let standardOutput: @Sendable (String) -> Void = { line in
        outputLock.withLock { FileHandle.standardOutput.write(Data(line.utf8)) }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        write(Self.line(timestamp: Date(), level: event.level, label: label, message: event.message.description,
                        metadata: merged, source: event.source))
    }

    static func line(timestamp: Date, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata,
                     source: String) -> String {
        var out = "{\"timestamp\":"
        appendString(timestamp.formatted(timestampStyle), to: &out)
        out += ",\"level\":"
        appendString(level.rawValue, to: &out)
        out += ",\"label\":"
        appendString(label, to: &out)
        out += ",\"message\":"
        appendString(message, to: &out)
        out += ",\"metadata\":"
        appendValue(.dictionary(metadata), to: &out)
        out += ",\"source\":"
        appendString(source, to: &out)
        out += "}\n"
        return out
    }

    private static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    private static func appendValue(_ value: Logger.Metadata.Value, to out: inout String) {
        switch value {
        case .string(let text): appendString(text, to: &out)
        case .stringConvertible(let convertible): appendString(convertible.description, to: &out)
        case .array(let values):
            out += "["
            for (index, element) in values.enumerated() {
                if index > 0 { out += "," }
                appendValue(element, to: &out)
            }
            out += "]"
        case .dictionary(let entries):
            out += "{"
            for (index, key) in entries.keys.sorted().enumerated() {
                if index > 0 { out += "," }
                appendString(key, to: &out)
                out += ":"
                appendValue(entries[key]!, to: &out)
            }
            out += "}"
        }
    }

    /// A JSON string (RFC 8259): quotes, backslashes and control characters escaped, the rest as UTF-8.
    private static func appendString(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
