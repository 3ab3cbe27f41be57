import KhuyenCongCore
import Vapor

/// Before a page is drawn for a signed-in person, their work list is read once so that the frame's "Việc của tôi"
/// link carries its count (`PageLayout.workCount`) and the work page itself need not read it again. API calls and
/// form posts skip it; a failure to count never breaks the page (the link is then shown without a count).
struct WorkCountMiddleware: AsyncMiddleware {
    struct Key: StorageKey { typealias Value = [WorkList.Item] }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.method == .GET, !request.url.path.hasPrefix("/api/"), let user = request.user, user.principal.role != .viewer {
            do {
                request.storage[Key.self] = try await WorkList.items(for: user.principal, on: request.db)
            } catch {
                request.logger.warning("work count for \(user.username) failed: \(error)")
            }
        }
        return try await next.respond(to: request)
    }
}

extension Request {
    /// The work list read by `WorkCountMiddleware` for this request, if it was.
    var workItems: [WorkList.Item]? { storage[WorkCountMiddleware.Key.self] }
}
