import KhuyenCongCore
import Vapor

/// Synchronizer tokens for HTML forms: one random token per session, a hidden `csrf` field in every form,
/// checked on every non-GET page request. The API is exempt: it authenticates by bearer token, never by cookie.
///
/// A form body is read into memory to find the token, up to `maximumFormBody` (the largest form, a transition
/// with a 10 MiB attachment, plus its fields). A multipart body sent to a route declared `tokenInFirstPart()` (the
/// import upload, which streams up to 100 MiB to disk) is not read here: its handler checks the token with
/// `check(_:for:)` from the body's first part, before it stores anything.
enum CSRF {
    static let field = "csrf"
    static let maximumFormBody = Attachment.maximumSize + 1024 * 1024
    static let firstPartKey = "csrf.firstPart"

    /// A form's token: the session's token (created on first use: this is what starts a session for a visitor on the
    /// login page), a dot, and a one-time part of this form, so that a signed-in user's form sent twice writes once.
    static func token(for request: Request) -> String {
        let session: String
        if let token = request.session.data[field] { session = token } else {
            session = [UInt8].random(count: 32).base64
            request.session.data[field] = session
        }
        return session + "." + [UInt8].random(count: 16).map { String(format: "%02x", $0) }.joined()
    }

    /// The one-time part of a form's token, if it has one.
    static func oneTimePart(_ sent: String) -> String? {
        guard let dot = sent.firstIndex(of: "."), sent.index(after: dot) < sent.endIndex else { return nil }
        return String(sent[sent.index(after: dot)...].prefix(64))
    }

    /// Throws unless `sent` carries this session's token.
    static func check(_ sent: String, for request: Request) throws {
        let session = sent.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        guard let expected = expected(request), constantTimeEqual(session, expected) else {
            request.logger.notice("refused \(request.method) \(request.url.path): missing or wrong CSRF token")
            throw refusal
        }
    }

    static let refusal = DomainError(.forbidden,
        vi: "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ; hãy tải lại trang và thử lại",
        en: "the form has expired or is not valid; reload the page and try again")

    /// A multipart body sent to a route declared `tokenInFirstPart()`: its handler checks the token.
    static func checkedByHandler(_ request: Request) -> Bool {
        guard request.route?.userInfo[firstPartKey] as? Bool == true, let type = request.headers.contentType else { return false }
        return type.type == "multipart" && type.subType == "form-data"
    }

    /// Whether this middleware has checked the request's token.
    static func wasChecked(_ request: Request) -> Bool { request.storage[Checked.self] ?? false }

    private struct Checked: StorageKey { typealias Value = Bool }

    private static func expected(_ request: Request) -> String? {
        guard request.hasSession, let token = request.session.data[field], !token.isEmpty else { return nil }
        return token
    }

    private static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    struct Middleware: AsyncMiddleware {
        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            if ![.GET, .HEAD].contains(request.method), !request.isAPI {
                // No session token, no form can be valid: refuse before reading any body.
                if CSRF.expected(request) == nil { try CSRF.check("", for: request) }
                if CSRF.checkedByHandler(request) {
                    return try await next.respond(to: request)
                }
                // A large form (an attachment) arrives as a stream: read it in before looking for the token.
                if request.body.data == nil {
                    _ = try await request.body.collect(max: CSRF.maximumFormBody).get()
                }
                struct Form: Decodable { let csrf: String? }
                let sent = (try? request.content.decode(Form.self))?.csrf ?? ""
                try CSRF.check(sent, for: request)
                request.storage[Checked.self] = true
                if request.user != nil, let once = CSRF.oneTimePart(sent) {
                    return try await Self.once(once, request, next)
                }
            }
            return try await next.respond(to: request)
        }

        /// Runs a signed-in user's form once: its one-time part is claimed first, and given back if the form is refused,
        /// so that it can be corrected and sent again.
        private static func once(_ part: String, _ request: Request, _ next: any AsyncResponder) async throws -> Response {
            let claim = try await FormSubmission.claim(part, on: request.db)
            do {
                let response = try await next.respond(to: request)
                if response.status.code >= 400 { try? await claim.delete(on: request.db) }
                return response
            } catch {
                try? await claim.delete(on: request.db)
                throw error
            }
        }
    }
}

extension Route {
    /// This route's handler reads its body as a stream and checks the CSRF token from the first part itself.
    @discardableResult
    func tokenInFirstPart() -> Route {
        userInfo[CSRF.firstPartKey] = true
        return self
    }
}
