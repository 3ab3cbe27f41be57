import Foundation
import KhuyenCongCore
import Vapor

/// Receives the import form as it streams in and writes its files to a staging folder, so an upload costs disk,
/// not memory. The form's `csrf` token is checked before any file is written: the page puts it first (browsers
/// send fields in page order); files sent before it are held in memory up to `maximumHeld`, then refused.
/// Nothing over `maximumBytes` is read: that is 413.
struct ImportUpload {
    /// The one limit on an import upload: the whole multipart body. A million disbursement rows (a national year)
    /// are 23 MB as XLSX; 100 MiB leaves room for CSV without letting one request fill a disk.
    static let maximumBytes = 100 * 1024 * 1024
    /// Headers of a part, and fields other than files, are small; anything else is not this form.
    static let maximumField = 64 * 1024
    /// Files sent before the token are held in memory (not stored) until it is checked, up to this much.
    static let maximumHeld = 1024 * 1024

    static let tooLarge = Abort(.payloadTooLarge, reason:
        "Tệp tải lên quá lớn (tối đa \(maximumBytes / (1024 * 1024)) MiB) / the upload is too large (at most \(maximumBytes / (1024 * 1024)) MiB)")

    enum Problem: Error, Equatable { case unsupported(String), repeated(String) }

    /// Streams the body of `request` into `folder`; returns the files written (.csv and .xlsx only, by lower-cased name).
    static func receive(_ request: Request, into folder: URL) async throws -> [URL] {
        if let length = request.headers.first(name: .contentLength).flatMap(Int.init), length > maximumBytes { throw tooLarge }
        guard CSRF.checkedByHandler(request) else {
            // Not a multipart form: the CSRF middleware has read it and checked its token; it holds no file.
            guard CSRF.wasChecked(request) else { throw CSRF.refusal }
            return []
        }
        guard let boundary = request.headers.contentType?.parameters["boundary"], !boundary.isEmpty, boundary.count <= 200 else {
            throw Abort(.badRequest, reason: "Biểu mẫu không đọc được / the form cannot be read")
        }
        let state = State(folder: folder) { try CSRF.check($0, for: request) }
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in state.header(name, value) }
        parser.onBody = { buffer in state.body(&buffer) }
        parser.onPartComplete = { state.partComplete() }
        var received = 0
        defer { state.close() }
        for try await chunk in request.body {
            received += chunk.readableBytes
            guard received <= maximumBytes else { throw tooLarge }
            state.unparsed += chunk.readableBytes
            do { try parser.execute(chunk) } catch { throw Abort(.badRequest, reason: "Biểu mẫu không đọc được / the form cannot be read") }
            if let failure = state.failure { throw failure }
            // The parser holds headers in memory until they end: a part that never ends its headers is refused.
            if state.unparsed > maximumField + chunk.readableBytes { throw Abort(.badRequest, reason: "Biểu mẫu không đọc được / the form cannot be read") }
        }
        guard state.tokenChecked else { throw CSRF.refusal }
        if let failure = state.failure { throw failure }
        return state.written
    }

    /// What the parser's callbacks build up (they cannot throw: a problem is kept and thrown after the chunk).
    private final class State {
        let folder: URL
        let verify: (String) throws -> Void
        var unparsed = 0
        var failure: (any Error)?
        var tokenChecked = false
        var written: [URL] = []
        private var name = "", filename: String?
        private var field: [UInt8] = []
        private var handle: FileHandle?
        private var held: [(filename: String, bytes: [UInt8])] = []
        private var heldBytes = 0
        var started = false

        init(folder: URL, verify: @escaping (String) throws -> Void) {
            self.folder = folder
            self.verify = verify
        }

        func header(_ header: String, _ value: String) {
            unparsed = 0
            started = false
            guard header.lowercased() == "content-disposition" else { return }
            name = State.parameter("name", in: value) ?? ""
            filename = State.parameter("filename", in: value)
        }

        func body(_ buffer: inout ByteBuffer) {
            unparsed = 0
            guard failure == nil else { return }
            if !started { started = true; partStarted() }
            if filename != nil, !tokenChecked {
                // A file before the token (a script's form, not the page's): held in memory, never stored, up to a limit.
                held[held.count - 1].bytes += buffer.readableBytesView
                heldBytes += buffer.readableBytes
                if heldBytes > maximumHeld { failure = CSRF.refusal }
            } else if let filename {
                write(filename, buffer.readableBytesView)
            } else if name == CSRF.field {
                field += buffer.readableBytesView
                if field.count > maximumField { failure = CSRF.refusal }
            }
        }

        func partStarted() {
            if let filename, !tokenChecked { held.append((filename, [])) }
        }

        func partComplete() {
            if failure == nil, !tokenChecked, name == CSRF.field, filename == nil {
                do {
                    try verify(String(decoding: field, as: UTF8.self))
                    tokenChecked = true
                    for (filename, bytes) in held {
                        write(filename, bytes[...])
                        close()
                    }
                    held = []
                } catch { failure = error }
            }
            close()
            name = ""; filename = nil; field = []; started = false
        }

        private func write(_ filename: String, _ bytes: some DataProtocol) {
            do {
                if handle == nil { handle = try open(filename) }
                try handle?.write(contentsOf: bytes)
            } catch { failure = error }
        }

        func close() {
            try? handle?.close()
            handle = nil
        }

        private func open(_ filename: String) throws -> FileHandle? {
            let name = URL(fileURLWithPath: filename).lastPathComponent.lowercased()
            guard !name.isEmpty else { return nil }     // an empty file input
            guard name.hasSuffix(".csv") || name.hasSuffix(".xlsx") else { throw Problem.unsupported(filename) }
            let url = folder.appendingPathComponent(name)
            guard !written.contains(url) else { throw Problem.repeated(filename) }
            if written.isEmpty { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) }
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else { throw Problem.unsupported(filename) }
            written.append(url)
            return try FileHandle(forWritingTo: url)
        }

        /// `form-data; name="files[]"; filename="a.csv"` → the value of `name` or `filename`.
        static func parameter(_ key: String, in value: String) -> String? {
            for piece in value.split(separator: ";") {
                let pair = piece.trimmingCharacters(in: .whitespaces)
                guard pair.hasPrefix(key + "=") else { continue }
                var text = pair.dropFirst(key.count + 1)
                if text.hasPrefix("\""), text.hasSuffix("\""), text.count >= 2 { text = text.dropFirst().dropLast() }
                return String(text)
            }
            return nil
        }
    }
}
