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
    }

    struct ErrorPage: Encodable {
        let layout: PageLayout
        let status: Int
        let title: String
        let detail: String
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let (status, detail) = describe(error)
            if status.code >= 500 {
                request.logger.report(error: error)
            } else {
                request.logger.info("refused \(request.method) \(request.url.path): \(status.code) \(detail)")
            }
            if request.url.path.hasPrefix("/api/") {
                let problem = Problem(type: "about:blank", title: status.reasonPhrase, status: Int(status.code), detail: detail,
                                      current: (error as? ProjectEditing.Stale)?.current)
                return Response(status: status, headers: ["Content-Type": "application/problem+json; charset=utf-8"],
                                body: .init(data: try JSONEncoder().encode(problem)))
            }
            if status == .unauthorized {
                // A page that needs a session: off to the sign-in page, and back afterwards.
                let back = request.method == .GET ? request.url.string : "/"
                let query = back.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
                return request.redirect(to: "/login?next=\(query)", redirectType: .normal)
            }
            let page = ErrorPage(layout: PageLayout(request), status: Int(status.code), title: status.reasonPhrase, detail: detail)
            let response = try await request.view.render("error", page).encodeResponse(for: request)
            response.status = status
            return response
        }
    }

    private func describe(_ error: any Error) -> (HTTPResponseStatus, String) {
        switch error {
        case let stale as ProjectEditing.Stale:
            return (.conflict, stale.error.description)
        case let abort as any AbortError:
            return (abort.status, abort.reason)
        default:
            return (.internalServerError,
                    "Đã có lỗi trong hệ thống; xin thử lại sau / Something went wrong; please try again later")
        }
    }
}
