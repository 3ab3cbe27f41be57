import KhuyenCongCore
import Vapor

/// Synchronizer tokens for HTML forms: one random token per session, a hidden `csrf` field in every form,
/// checked on every non-GET page request. The API is exempt: it authenticates by bearer token, never by cookie.
enum CSRF {
    static let field = "csrf"

    /// The session's token, created on first use (this is what starts a session for a visitor on the login page).
    static func token(for request: Request) -> String {
        if let token = request.session.data[field] { return token }
        let token = [UInt8].random(count: 32).base64
        request.session.data[field] = token
        return token
    }

    struct Middleware: AsyncMiddleware {
        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            if ![.GET, .HEAD].contains(request.method), !request.url.path.hasPrefix("/api/") {
                // A large form (a file upload) arrives as a stream: read it in before looking for the token.
                if request.body.data == nil {
                    _ = try await request.body.collect(max: Attachment.maximumSize + 1024 * 1024).get()
                }
                struct Form: Decodable { let csrf: String? }
                let sent = (try? request.content.decode(Form.self))?.csrf ?? ""
                let expected = request.hasSession ? request.session.data[CSRF.field] ?? "" : ""
                guard !expected.isEmpty, constantTimeEqual(sent, expected) else {
                    request.logger.notice("refused \(request.method) \(request.url.path): missing or wrong CSRF token")
                    throw DomainError(.forbidden,
                        vi: "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ; hãy tải lại trang và thử lại",
                        en: "the form has expired or is not valid; reload the page and try again")
                }
            }
            return try await next.respond(to: request)
        }

        private func constantTimeEqual(_ a: String, _ b: String) -> Bool {
            let x = Array(a.utf8), y = Array(b.utf8)
            guard x.count == y.count else { return false }
            return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
        }
    }
}
