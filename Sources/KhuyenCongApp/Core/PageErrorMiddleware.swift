import KhuyenCongCore
import Vapor

extension DomainError: AbortError {
    public var status: HTTPResponseStatus {
        switch kind {
        case .invalidInput, .overflow: .unprocessableEntity
        case .notFound: .notFound
        case .conflict, .illegalTransition: .conflict
        case .forbidden: .forbidden
        case .unauthenticated: .unauthorized
        case .locked: .locked
        case .gone: .gone
        }
    }

    public var reason: String { description }
}

/// One place that turns any error into a response: JSON problem details under /api, an HTML page elsewhere.
/// Unexpected errors are logged and shown without internals.
struct PageErrorMiddleware: AsyncMiddleware {
    struct Problem: Content {
        let type: String
        let title: String
        let status: Int
        let detail: String
        /// For a stale edit: the values as they are now.
        var current: Project.Snapshot? = nil
        /// The request's id (`X-Request-Id`), to quote when asking about this refusal.
        var requestId: String? = nil
    }

    struct ErrorPage: Encodable {
        let layout: PageLayout
        let status: Int
        let title: String
        let detail: String
        /// "Mã yêu cầu": the request's id, for an officer to quote and an operator to find in the logs.
        let requestId: String
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let (status, detail) = describe(error)
            if status.code >= 500 {
                request.logger.report(error: error)
            } else {
                // At notice, seen in production too (its default level), so that the id an officer quotes is in the log;
                // a page's sign-in redirect is routine.
                request.logger.log(level: status == .unauthorized ? .info : .notice,
                                   "refused \(request.method) \(request.url.path): \(status.code) \(detail)")
            }
            if RouteAccess.answersMachines(request.url.path) {
                let problem = Problem(type: "about:blank", title: status.reasonPhrase, status: Int(status.code), detail: detail,
                                      current: (error as? ProjectEditing.Stale)?.current, requestId: request.requestID)
                return Response(status: status, headers: ["Content-Type": "application/problem+json; charset=utf-8"],
                                body: .init(data: try JSONEncoder().encode(problem)))
            }
            if status == .unauthorized {
                // A page that needs a session: off to the sign-in page, and back afterwards.
                let back = request.method == .GET ? request.url.string : "/"
                let query = back.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
                return request.redirect(to: "/login?next=\(query)", redirectType: .normal)
            }
            let page = ErrorPage(layout: PageLayout(request), status: Int(status.code), title: status.reasonPhrase, detail: detail,
                                 requestId: request.requestID)
            let response = try await request.view.render("error", page).encodeResponse(for: request)
            response.status = status
            return response
        }
    }

    static let internalError = "Đã có lỗi trong hệ thống; xin thử lại sau / Something went wrong; please try again later"

    /// The status and the text a client may see. Texts of drivers and decoders never reach it: a decoding error is
    /// shown by the field it names only, one raised by the database is the server's fault, and any 5xx is generic.
    func describe(_ error: any Error) -> (HTTPResponseStatus, String) {
        switch error {
        case let stale as ProjectEditing.Stale:
            return (.conflict, stale.error.description)
        case let decoding as DecodingError:
            return Self.describe(decoding)
        case let abort as any AbortError where abort.status.code < 500:
            return (abort.status, abort.reason)
        case let abort as any AbortError:
            return (abort.status, Self.internalError)
        default:
            return (.internalServerError, Self.internalError)
        }
    }

    private static func describe(_ error: DecodingError) -> (HTTPResponseStatus, String) {
        let text = String(describing: error)
        // SQLiteKit's and SQLKit's row decoders raise plain DecodingErrors too; theirs name the database.
        if text.contains("SQLite") || text.contains("Postgres") || text.contains("(as \"") {
            return (.internalServerError, internalError)
        }
        let context: DecodingError.Context? = switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context), .dataCorrupted(let context): context
        @unknown default: nil
        }
        var path = (context?.codingPath ?? []).map(\.stringValue)
        if case .keyNotFound(let key, _) = error { path.append(key.stringValue) }
        guard !path.isEmpty else {
            return (.badRequest, "Dữ liệu gửi lên không đọc được / the request's data cannot be read")
        }
        let field = path.joined(separator: ".")
        return (.badRequest, "Thiếu hoặc sai giá trị “\(field)” / “\(field)” is missing or has a wrong value")
    }
}
