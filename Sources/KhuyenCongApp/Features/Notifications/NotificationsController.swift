import Fluent
import Foundation
import KhuyenCongCore
import Vapor

extension Links {
    static let notifications = SiteRoute.notifications.path
    static let notificationsReadAll = SiteRoute.notificationsReadAll.path
    static func notificationRead(_ id: UUID) -> String { SiteRoute.notificationRead(id: id.uuidString).path }
}

/// The bell's list: `/notifications` (newest first, mark one or all read) and `GET /api/v1/me/notifications`.
struct NotificationsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.notifications, use: page).access(.signedIn)
        routes.post(.notificationsReadAll, use: readAll).access(.signedIn)
        routes.post(.notificationRead(), use: read).access(.signedIn)
        routes.get(.api(.meNotifications), use: api).access(.signedIn)
    }

    struct Page: Encodable {
        struct Row: Encodable {
            let title: String
            let body: [String]
            let at: String
            let href: String?
            let unread: Bool
            let readAction: String
        }
        let title = "Thông báo – Khuyến công"
        let layout: PageLayout
        let csrf: String
        let rows: [Row]
        let unread: Int
        let readAllAction = Links.notificationsReadAll
    }

    @Sendable func page(req: Request) async throws -> View {
        let user = try req.requireUser()
        let id = try user.requireID()
        let items = try await UserNotification.latest(userID: id, limit: 200, on: req.db)
        let rows = items.compactMap { item -> Page.Row? in
            guard let itemID = item.id else { return nil }
            return Page.Row(title: item.title, body: item.body.split(separator: "\n").map(String.init),
                            at: AuditPresentation.time(item.createdAt ?? Date(timeIntervalSince1970: TimeInterval(item.createdEpoch))),
                            href: item.link, unread: item.readAt == nil, readAction: Links.notificationRead(itemID))
        }
        let unread = try await UserNotification.unreadCount(userID: id, on: req.db)
        return try await req.view.render("notifications/index",
                                         Page(layout: PageLayout(req), csrf: CSRF.token(for: req), rows: rows, unread: unread))
    }

    @Sendable func read(req: Request) async throws -> Response {
        let user = try req.requireUser()
        // Only the caller's own notifications are touched: another's id (or none) changes nothing.
        if let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) {
            try await mark(user: user, only: id, on: req.db)
        }
        return req.redirect(to: Links.notifications, redirectType: .normal)
    }

    @Sendable func readAll(req: Request) async throws -> Response {
        try await mark(user: try req.requireUser(), only: nil, on: req.db)
        return req.redirect(to: Links.notifications, redirectType: .normal)
    }

    /// Marks the user's own notification (or all of them) read.
    private func mark(user: User, only id: UUID?, on db: any Database) async throws {
        let userID = try user.requireID()
        try await GuardedWrite.run(on: db) { db in
            var query = UserNotification.query(on: db).filter(\.$userID == userID).filter(\.$readAt == nil)
            if let id { query = query.filter(\.$id == id) }
            try await query.set(\.$readAt, to: Date()).update()
        }
    }

    struct APIQuery: Decodable { let limit: Int?; let unread: Bool? }

    struct Item: Content {
        let id: UUID
        let kind: NotificationKind
        let title: String
        let body: String
        let href: String?
        let createdAt: Date
        let read: Bool
        let mailed: Bool
    }

    struct List: Content { let unread: Int; let items: [Item] }

    @Sendable func api(req: Request) async throws -> List {
        let user = try req.requireUser()
        let query: APIQuery
        do { query = try req.query.decode(APIQuery.self) } catch {
            throw DomainError.invalid(vi: "limit: số nguyên 1–200; unread: true hoặc false", en: "limit: an integer 1–200; unread: true or false")
        }
        let limit = query.limit ?? 50
        guard (1...200).contains(limit) else {
            throw DomainError.invalid(vi: "limit: từ 1 đến 200", en: "limit: 1 to 200")
        }
        let id = try user.requireID()
        let items = try await UserNotification.latest(userID: id, limit: limit, unreadOnly: query.unread ?? false, on: req.db)
        return List(unread: try await UserNotification.unreadCount(userID: id, on: req.db), items: items.compactMap { item in
            item.id.map { Item(id: $0, kind: item.kind, title: item.title, body: item.body, href: item.link,
                               createdAt: item.createdAt ?? Date(timeIntervalSince1970: TimeInterval(item.createdEpoch)),
                               read: item.readAt != nil, mailed: item.mailedAt != nil) }
        })
    }
}

/// The bell: the signed-in user's unread count, read once per page request for `PageLayout`.
struct NotificationBellMiddleware: AsyncMiddleware {
    struct UnreadKey: StorageKey { typealias Value = Int }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.method == .GET, let id = request.user?.id, !request.isAPI {
            request.storage[UnreadKey.self] = try? await UserNotification.unreadCount(userID: id, on: request.db)
        }
        return try await next.respond(to: request)
    }
}

extension Request {
    /// The unread notifications of the signed-in user (0 when not counted).
    var unreadNotifications: Int { storage[NotificationBellMiddleware.UnreadKey.self] ?? 0 }
}
