import Foundation
import KhuyenCongCore
import Vapor

/// Before a page is drawn for a signed-in person, the number of their work items is looked up so that the frame's
/// "Việc của tôi" link carries it (`PageLayout.workCount`). At national scale a work list takes a few hundred
/// milliseconds to read, so the count is kept a minute per user (the work page itself always reads the list afresh
/// and refreshes the count). API calls and form posts skip it; a failure to count never breaks the page.
final class WorkCountMiddleware: AsyncMiddleware, Sendable {
    struct Key: StorageKey { typealias Value = Int }

    /// The counts of this application's users, each with the moment it was read.
    actor Counts {
        private var entries: [String: (count: Int, at: Date)] = [:]
        func get(_ username: String, maxAge: TimeInterval, now: Date) -> Int? {
            entries[username].flatMap { now.timeIntervalSince($0.at) <= maxAge ? $0.count : nil }
        }
        func set(_ username: String, _ count: Int, now: Date) {
            if entries.count > 10_000 { entries.removeAll() }
            entries[username] = (count, now)
        }
    }

    static let maxAge: TimeInterval = 60
    let counts = Counts()

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.method == .GET, !request.isAPI, request.url.path != Links.myWork,
           !(request.url.path == Links.root && request.url.query == nil),   // the work page too: it counts afresh
           let user = request.user, user.principal.role != .viewer {
            do {
                let now = Date()
                if let count = await counts.get(user.username, maxAge: Self.maxAge, now: now) {
                    request.storage[Key.self] = count
                } else {
                    let count = try await WorkList.items(for: user.principal, on: request.db).count
                    await counts.set(user.username, count, now: now)
                    request.storage[Key.self] = count
                }
            } catch {
                request.logger.warning("work count for \(user.username) failed: \(error)")
            }
        }
        return try await next.respond(to: request)
    }
}

extension Request {
    /// The number of work items of the signed-in person, as `WorkCountMiddleware` or the work page read it.
    var workCount: Int? { storage[WorkCountMiddleware.Key.self] }
}
