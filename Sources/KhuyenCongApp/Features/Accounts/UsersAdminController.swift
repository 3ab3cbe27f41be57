import Fluent
import Foundation
import KhuyenCongCore
import Vapor

extension Links {
    static let adminUsers = SiteRoute.adminUsers.path
    static func adminUser(_ username: String) -> String { SiteRoute.adminUser(username: username).path }
    static func passwordReset(_ token: String) -> String { SiteRoute.passwordReset(token: token).path }
}

/// `/admin/users`: the administrator lists, creates and changes users (`UserAdmin`, guarded and audited); the ministry
/// and the region reviewers read the list. `/account/reset/{token}`: the holder of a one-time link sets a password.
struct UsersAdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.adminUsers, use: list).access(.action(.readAudit))
        routes.post(.adminUsers, use: create).access(.action(.manageUsers))
        routes.get(.adminUser(), use: show).access(.action(.readAudit))
        routes.post(.adminUserAction(.disable), use: disable).access(.action(.manageUsers))
        routes.post(.adminUserAction(.enable), use: enable).access(.action(.manageUsers))
        routes.post(.adminUserAction(.unlock), use: unlock).access(.action(.manageUsers))
        routes.post(.adminUserAction(.reset), use: reset).access(.action(.manageUsers))
        routes.post(.adminUserAction(.scope), use: changeScope).access(.action(.manageUsers))
        routes.get(.passwordReset(), use: resetPage).access(.public)
        routes.post(.passwordReset(), use: redeem).access(.public)
    }

    private static func typed(_ req: Request) -> [String: String] {
        ((try? req.content.decode([String: String].self)) ?? [:]).filter { $0.key != "csrf" && $0.key != "password" }
    }

    // MARK: list and create

    @Sendable func list(req: Request) async throws -> Response { try await renderList(req) }

    private func renderList(_ req: Request, error: DomainError? = nil, typed: [String: String] = [:]) async throws -> Response {
        let page = try await UsersPage.build(req: req, error: error?.description, typed: typed)
        let response = try await req.view.render("admin/users", page).encodeResponse(for: req)
        response.status = error?.status ?? .ok
        return response
    }

    @Sendable func create(req: Request) async throws -> Response {
        let fields = (try? req.content.decode([String: String].self)) ?? [:]
        func value(_ key: String) -> String? { fields[key].flatMap { $0.isEmpty ? nil : $0 } }
        do {
            let input = UserAdmin.CreateInput(username: fields["username"] ?? "", displayName: value("displayName"), role: fields["role"] ?? "",
                                              unitCode: value("unitCode").map { UnitCode($0) }, region: value("region"),
                                              affiliationTaxCode: value("affiliationTaxCode"), password: value("password"))
            let (user, link) = try await UserAdmin.create(input, by: .user(try req.requireUser()), app: req.application)
            return try await renderUser(req, username: user.username, link: link, notice: "Đã tạo người dùng \(user.username).", status: .created)
        } catch let refusal as DomainError where refusal.kind != .unauthenticated {
            return try await renderList(req, error: refusal, typed: Self.typed(req))
        }
    }

    // MARK: one user

    @Sendable func show(req: Request) async throws -> Response {
        try await renderUser(req, username: req.parameters.get("username") ?? "")
    }

    private func renderUser(_ req: Request, username: String, link: UserAdmin.ResetLink? = nil, notice: String? = nil,
                            error: DomainError? = nil, typed: [String: String] = [:], status: HTTPResponseStatus = .ok) async throws -> Response {
        let page = try await UserPage.build(req: req, username: username, link: link, notice: notice, error: error?.description, typed: typed)
        let response = try await req.view.render("admin/user", page).encodeResponse(for: req)
        response.status = error?.status ?? status
        return response
    }

    /// Runs a change on the user of the path; on a refusal the user's page again, with the message and what was typed.
    private func act(_ req: Request, notice: String, _ body: (String, User) async throws -> UserAdmin.ResetLink?) async throws -> Response {
        let username = req.parameters.get("username") ?? ""
        do {
            let link = try await body(username, try req.requireUser())
            if link != nil { return try await renderUser(req, username: username, link: link, notice: notice) }
            return req.redirect(to: Links.adminUser(username) + "?notice=" + notice.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!,
                                redirectType: .normal)
        } catch let refusal as DomainError where refusal.kind != .unauthenticated && refusal.kind != .notFound {
            return try await renderUser(req, username: username, error: refusal, typed: Self.typed(req))
        }
    }

    @Sendable func disable(req: Request) async throws -> Response {
        try await act(req, notice: "Đã khóa tài khoản.") { name, me in
            try await UserAdmin.setDisabled(username: name, disabled: true, by: .user(me), on: req.db); return nil
        }
    }

    @Sendable func enable(req: Request) async throws -> Response {
        try await act(req, notice: "Đã mở tài khoản.") { name, me in
            try await UserAdmin.setDisabled(username: name, disabled: false, by: .user(me), on: req.db); return nil
        }
    }

    @Sendable func unlock(req: Request) async throws -> Response {
        try await act(req, notice: "Đã mở khóa đăng nhập.") { name, me in
            try await UserAdmin.unlock(username: name, by: .user(me), on: req.db); return nil
        }
    }

    @Sendable func reset(req: Request) async throws -> Response {
        try await act(req, notice: "Đã tạo liên kết đặt mật khẩu.") { name, me in
            try await UserAdmin.issueResetLink(username: name, by: .user(me), app: req.application, host: req.headers.first(name: .host))
        }
    }

    @Sendable func changeScope(req: Request) async throws -> Response {
        let fields = (try? req.content.decode([String: String].self)) ?? [:]
        return try await act(req, notice: "Đã cập nhật vai trò, phạm vi.") { name, me in
            let input = UserAdmin.ChangeInput(displayName: fields["displayName"], role: fields["role"], unitCode: UnitCode(fields["unitCode"] ?? ""),
                                              region: fields["region"] ?? "", affiliationTaxCode: fields["affiliationTaxCode"] ?? "")
            try await UserAdmin.change(username: name, input, by: .user(me), on: req.db); return nil
        }
    }

    // MARK: the set-password link

    struct ResetPage: Encodable {
        let title = "Đặt mật khẩu mới – Khuyến công"
        let layout: PageLayout
        let csrf: String
        let action: String
        let username: String?
        let done: Bool
        let error: String?
        let loginLink = Links.login
    }

    @Sendable func resetPage(req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        let (_, user) = try await UserAdmin.openReset(token: token, on: req.db)
        let page = ResetPage(layout: PageLayout(req), csrf: CSRF.token(for: req), action: Links.passwordReset(token),
                             username: user.username, done: false, error: nil)
        return try await req.view.render("accounts/reset", page).encodeResponse(for: req)
    }

    struct ResetForm: Content { let new: String; let confirm: String }

    @Sendable func redeem(req: Request) async throws -> Response {
        let token = req.parameters.get("token") ?? ""
        let form = try req.content.decode(ResetForm.self)
        do {
            let user = try await UserAdmin.redeem(token: token, password: form.new, confirm: form.confirm, app: req.application)
            let page = ResetPage(layout: PageLayout(req), csrf: CSRF.token(for: req), action: Links.passwordReset(token),
                                 username: user.username, done: true, error: nil)
            return try await req.view.render("accounts/reset", page).encodeResponse(for: req)
        } catch let refusal as DomainError where refusal.kind == .invalidInput {
            let user = try? await UserAdmin.openReset(token: token, on: req.db).1
            let page = ResetPage(layout: PageLayout(req), csrf: CSRF.token(for: req), action: Links.passwordReset(token),
                                 username: user?.username, done: false, error: refusal.description)
            let response = try await req.view.render("accounts/reset", page).encodeResponse(for: req)
            response.status = .unprocessableEntity
            return response
        }
    }
}

/// What the pages say of a user: role and scope by name, state in words.
struct UserRow: Encodable {
    let username: String
    let displayName: String
    let role: String
    let scope: String
    let state: String
    let active: Bool
    let locked: Bool
    let link: String

    init(_ user: User, now: Date = Date()) {
        username = user.username
        displayName = user.displayName
        role = user.role.vietnameseName
        scope = UserRow.scope(of: user)
        locked = user.lockedUntil.map { $0 > now } ?? false
        active = !user.disabled
        state = user.disabled ? "Đã khóa tài khoản" : locked ? "Tạm khóa đăng nhập (sai mật khẩu nhiều lần)" : "Đang hoạt động"
        link = Links.adminUser(user.username)
    }

    static func scope(of user: User) -> String {
        var parts: [String] = []
        if let unit = user.unitID.flatMap({ AdminUnitCatalog.standard.unit(id: $0) }) { parts.append(unit.name) }
        if let region = user.regionCode { parts.append(region.vietnameseName) }
        if let tax = user.affiliationTaxCode { parts.append("gắn với cơ sở MST \(tax)") }
        return parts.isEmpty ? "Cả nước" : parts.joined(separator: "; ")
    }
}

struct UserFormOptions: Encodable {
    struct Option: Encodable { let value: String; let label: String; let selected: Bool }
    let roles: [Option]
    let regions: [Option]
    /// Today's provinces by name (the code sent), "(không)" first.
    var units: [UnitChoices.Choice] = []

    init(role: String?, region: String?, unit: UnitCode? = nil) {
        units = [UnitChoices.Choice(value: "", label: "(không)", selected: (unit?.rawValue ?? "").isEmpty)] + UnitChoices.today(selected: unit)
        roles = Role.allCases.map { Option(value: $0.rawValue, label: $0.vietnameseName, selected: $0.rawValue == role) }
        regions = [Option(value: "", label: "(không)", selected: (region ?? "").isEmpty)]
            + Region.allCases.map { Option(value: $0.rawValue, label: $0.vietnameseName, selected: $0.rawValue == region) }
    }
}

struct UsersPage: Encodable {
    let title = "Người dùng – Khuyến công"
    let layout: PageLayout
    let csrf: String
    let error: String?
    let canEdit: Bool
    let createAction = Links.adminUsers
    let users: [UserRow]
    let options: UserFormOptions
    let typed: [String: String]

    static func build(req: Request, error: String?, typed: [String: String]) async throws -> UsersPage {
        let user = try req.requireUser()
        let users = try await User.query(on: req.db).sort(\.$username).all()
        return UsersPage(layout: PageLayout(req), csrf: CSRF.token(for: req), error: error,
                         canEdit: AccessPolicyHelper.allows(user, .manageUsers), users: users.map { UserRow($0) },
                         options: UserFormOptions(role: typed["role"] ?? Role.provinceOfficer.rawValue, region: typed["region"],
                                                  unit: typed["unitCode"].map { UnitCode($0) }), typed: typed)
    }
}

struct UserPage: Encodable {
    struct Change: Encodable { let time: String; let actor: String; let action: String }
    let title: String
    let layout: PageLayout
    let csrf: String
    let error: String?
    let notice: String?
    let canEdit: Bool
    let isSelf: Bool
    let user: UserRow
    let unitCode: UnitCode
    let regionCode: String
    let taxCode: String
    let options: UserFormOptions
    let resetLink: String?
    /// The user's address the link was also mailed to (SMTP set), nil when it was not.
    let resetMailedTo: String?
    let resetExpires: String?
    let listLink = Links.adminUsers
    let disableAction: String
    let enableAction: String
    let unlockAction: String
    let resetAction: String
    let scopeAction: String
    let history: [Change]

    static func build(req: Request, username: String, link: UserAdmin.ResetLink?, notice: String?, error: String?,
                      typed: [String: String]) async throws -> UserPage {
        let me = try req.requireUser()
        let user = try await UserAdmin.target(username, on: req.db)
        func action(_ action: SiteRoute.UserAction) -> String { SiteRoute.adminUserAction(username: user.username, action).path }
        let history = try await AuditEntry.query(on: req.db).filter(\.$recordType == "user").filter(\.$recordID == user.username)
            .sort(\.$at, .descending).limit(20).all()
        let absolute = link.map { UserAdmin.absoluteURL($0.path, host: req.headers.first(name: .host)) }
        return UserPage(
            title: "Người dùng \(user.username) – Khuyến công", layout: PageLayout(req), csrf: CSRF.token(for: req), error: error,
            notice: notice ?? req.query[String.self, at: "notice"], canEdit: AccessPolicyHelper.allows(me, .manageUsers),
            isSelf: me.id == user.id, user: UserRow(user),
            unitCode: typed["unitCode"].map { UnitCode($0) } ?? user.unitID.flatMap { AdminUnitCatalog.standard.unit(id: $0)?.code } ?? "",
            regionCode: typed["region"] ?? user.regionCode?.rawValue ?? "", taxCode: typed["affiliationTaxCode"] ?? user.affiliationTaxCode ?? "",
            options: UserFormOptions(role: typed["role"] ?? user.role.rawValue, region: typed["region"] ?? user.regionCode?.rawValue,
                                     unit: typed["unitCode"].map { UnitCode($0) } ?? user.unitID.flatMap { AdminUnitCatalog.standard.unit(id: $0)?.code }),
            resetLink: absolute, resetMailedTo: link?.mailedTo,
            resetExpires: link.map { VietnameseFormat.timestamp(secondsSince1970: Int($0.expiresAt.timeIntervalSince1970)) },
            disableAction: action(.disable), enableAction: action(.enable), unlockAction: action(.unlock),
            resetAction: action(.reset), scopeAction: action(.scope),
            history: history.map {
                Change(time: VietnameseFormat.timestamp(secondsSince1970: Int($0.at.timeIntervalSince1970)),
                       actor: $0.actor, action: AuditPresentation.action($0.action, in: req.language))
            })
    }
}
