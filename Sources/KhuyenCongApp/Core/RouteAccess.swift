import KhuyenCongCore
import Vapor

/// The access rule every route declares when it is registered. `RouteAccessMiddleware` enforces the part
/// that needs no record; handlers of record routes call `req.authorize` with the record's scope.
/// A route without a rule is refused: a new route cannot ship unchecked.
enum RouteAccess: Sendable, Equatable {
    /// Anyone, signed in or not (aggregates, the login page).
    case `public`
    /// Any signed-in user, for their own account.
    case signedIn
    /// A signed-in user, and the handler checks this action against the record.
    case record(AccessAction)
    /// A signed-in user whose role allows this action, no record involved.
    case action(AccessAction)
}

extension Route {
    static let accessKey = "access"

    var access: RouteAccess? { userInfo[Route.accessKey] as? RouteAccess }

    @discardableResult
    func access(_ rule: RouteAccess) -> Route {
        userInfo[Route.accessKey] = rule
        return self
    }
}

struct RouteAccessMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let route = request.route else { return try await next.respond(to: request) }
        guard let rule = route.access else {
            request.logger.error("route \(route.method) \(route.path.string) has no access rule; refused")
            throw DomainError(.forbidden, vi: "Không có quyền truy cập", en: "access denied")
        }
        switch rule {
        case .public: break
        case .signedIn, .record: _ = try request.requireUser()
        case .action(let action): try request.authorize(action, nil)
        }
        return try await next.respond(to: request)
    }
}

extension Request {
    var user: User? { auth.get(User.self) }

    func requireUser() throws -> User {
        guard let user else {
            throw DomainError(.unauthenticated, vi: "Cần đăng nhập", en: "sign-in required")
        }
        return user
    }

    /// Allows or refuses `action` on a record (or none), through `AccessPolicy`; refusals are logged.
    func authorize(_ action: AccessAction, _ record: RecordScope?) throws {
        let decision = AccessPolicy.decide(user?.principal, action, record)
        guard decision != .allow else { return }
        logger.notice("access refused: \(user?.username ?? "anonymous") \(action.rawValue) \(record.map { "\($0.unitCode)/\($0.region?.rawValue ?? "no unit")" } ?? "-") → \(decision.rawValue)")
        switch decision {
        case .allow: return
        case .unauthenticated: throw DomainError(.unauthenticated, vi: "Cần đăng nhập", en: "sign-in required")
        case .notFound: throw DomainError(.notFound, vi: "Không tìm thấy", en: "not found")
        case .forbidden: throw DomainError(.forbidden, vi: "Không có quyền thực hiện thao tác này", en: "you may not do this")
        }
    }
}

extension RecordScope {
    /// The scope of a record kept under `unitID`: the today's unit it is restated onto, with that unit's region, and
    /// the regions the record's own unit was a member of (dated region membership, `AdminUnitCatalog.regions(of:)`).
    init(unitID: UnitID) {
        let catalog = AdminUnitCatalog.inForce
        guard let unit = catalog.unit(id: unitID) else {
            // Stored past the catalog (a faulty script, a hand edit): an explicit empty scope, logged, never a region's.
            Logger(label: "khuyencong.access").error("unit_id: the stored unit \"\(unitID.rawValue)\" is in no catalog; only national roles see its records")
            self = .unknownUnit
            return
        }
        self.init(unitCode: catalog.restated(unit).code, region: catalog.restatedRegion(of: unit), formerRegions: catalog.regions(of: unit))
    }
}
