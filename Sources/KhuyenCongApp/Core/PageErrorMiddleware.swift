import KhuyenCongCore
import Vapor

extension DomainError: AbortError {
    public var status: HTTPResponseStatus {
        switch kind {
        case .invalidInput, .overflow: .unprocessableEntity
        case .notFound: .notFound
        case .conflict, .illegalTransition: .conflict
        case .forbidden: .forbidden
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
    }

    struct ErrorPage: Encodable {
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
                let response = Response(status: status)
                try response.content.encode(
                    Problem(type: "about:blank", title: status.reasonPhrase, status: Int(status.code), detail: detail),
                    as: HTTPMediaType(type: "application", subType: "problem+json"))
                return response
            }
            let page = ErrorPage(status: Int(status.code), title: status.reasonPhrase, detail: detail)
            let response = try await request.view.render("error", page).encodeResponse(for: request)
            response.status = status
            return response
        }
    }

    private func describe(_ error: any Error) -> (HTTPResponseStatus, String) {
        switch error {
        case let abort as any AbortError:
            return (abort.status, abort.reason)
        default:
            return (.internalServerError,
                    "Đã có lỗi trong hệ thống; xin thử lại sau / Something went wrong; please try again later")
        }
    }
}
