import Fluent
import Foundation
import KhuyenCongCore
import Vapor

/// `/api/v1/users`: the same work as `/admin/users` and `khuyencong user …`, through `UserAdmin`.
/// GET for the administrator, the ministry and the region reviewers; every change for the administrator.
struct UsersAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.api(.users), use: list).access(.action(.readAudit))
        routes.post(.api(.users), use: create).access(.action(.manageUsers))
        routes.get(.api(.user()), use: show).access(.action(.readAudit))
        routes.patch(.api(.user()), use: change).access(.action(.manageUsers))
        routes.post(.api(.userAction(.disable)), use: disable).access(.action(.manageUsers))
        routes.post(.api(.userAction(.enable)), use: enable).access(.action(.manageUsers))
        routes.post(.api(.userAction(.unlock)), use: unlock).access(.action(.manageUsers))
        routes.post(.api(.userAction(.passwordReset)), use: reset).access(.action(.manageUsers))
    }

    struct UserDTO: Content {
        let username: String
        let displayName: String
        let role: Role
        let unitCode: UnitCode?
        let region: Region?
        let affiliationTaxCode: String?
        let disabled: Bool
        let lockedUntil: Date?

        init(_ user: User) {
            username = user.username
            displayName = user.displayName
            role = user.role
            unitCode = user.unitID.flatMap { AdminUnitCatalog.standard.unit(id: $0)?.code }
            region = user.regionCode
            affiliationTaxCode = user.affiliationTaxCode
            disabled = user.disabled
            lockedUntil = user.lockedUntil.flatMap { $0 > Date() ? $0 : nil }
        }
    }

    struct Created: Content {
        let user: UserDTO
        /// Present when no password was given: the one-time set-password link (a path on this site) and its expiry.
        let setPasswordLink: String?
        let linkExpiresAt: Date?
    }

    @Sendable func list(req: Request) async throws -> [UserDTO] {
        try await User.query(on: req.db).sort(\.$username).all().map(UserDTO.init)
    }

    @Sendable func show(req: Request) async throws -> UserDTO {
        UserDTO(try await UserAdmin.target(req.parameters.get("username") ?? "", on: req.db))
    }

    @Sendable func create(req: Request) async throws -> Response {
        let input = try req.content.decode(UserAdmin.CreateInput.self)
        let (user, link) = try await UserAdmin.create(input, by: .user(try req.requireUser()), app: req.application)
        return try await Created(user: UserDTO(user), setPasswordLink: link?.path, linkExpiresAt: link?.expiresAt)
            .encodeResponse(status: .created, for: req)
    }

    @Sendable func change(req: Request) async throws -> UserDTO {
        let input = try req.content.decode(UserAdmin.ChangeInput.self)
        return UserDTO(try await UserAdmin.change(username: req.parameters.get("username") ?? "", input, by: .user(try req.requireUser()), on: req.db))
    }

    @Sendable func disable(req: Request) async throws -> UserDTO { try await setDisabled(req, true) }
    @Sendable func enable(req: Request) async throws -> UserDTO { try await setDisabled(req, false) }

    private func setDisabled(_ req: Request, _ disabled: Bool) async throws -> UserDTO {
        let name = req.parameters.get("username") ?? ""
        try await UserAdmin.setDisabled(username: name, disabled: disabled, by: .user(try req.requireUser()), on: req.db)
        return UserDTO(try await UserAdmin.target(name, on: req.db))
    }

    @Sendable func unlock(req: Request) async throws -> UserDTO {
        let name = req.parameters.get("username") ?? ""
        try await UserAdmin.unlock(username: name, by: .user(try req.requireUser()), on: req.db)
        return UserDTO(try await UserAdmin.target(name, on: req.db))
    }

    @Sendable func reset(req: Request) async throws -> Response {
        let link = try await UserAdmin.issueResetLink(username: req.parameters.get("username") ?? "", by: .user(try req.requireUser()),
                                                      app: req.application, host: req.headers.first(name: .host))
        return try await link.encodeResponse(status: .created, for: req)
    }
}
