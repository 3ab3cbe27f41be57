import Fluent
import Foundation
import KhuyenCongCore
import Vapor

/// User administration: the one core the command line (`khuyencong user …`), the demo seed, the pages (`/admin/users`)
/// and the API (`/api/v1/users`) share. Every change goes through `GuardedWrite` with its audit row; a signed-in
/// actor's right (`.manageUsers`, the administrator) is checked before and re-checked under the lock. Nobody changes
/// their own role or scope, and the last active administrator can be neither disabled nor given another role.
enum UserAdmin {
    /// Who makes the change: a signed-in user (their right is checked) or the command line / seed (trusted, named).
    struct Actor: Sendable {
        let name: String
        let user: User?
        static func system(_ name: String) -> Actor { Actor(name: name, user: nil) }
        static func user(_ user: User) -> Actor { Actor(name: user.username, user: user) }
    }

    /// A new user, all text as typed. Without a password the account gets an unusable one and a set-password link.
    struct CreateInput: Content {
        var username: String
        var displayName: String?
        var role: String
        var unitCode: UnitCode?
        var region: String?
        var affiliationTaxCode: String?
        var password: String?
    }

    /// A change of role or scope; a field left out keeps its value ("" clears the unit, region or tax code).
    struct ChangeInput: Content {
        var displayName: String?
        var role: String?
        var unitCode: UnitCode?
        var region: String?
        var affiliationTaxCode: String?
    }

    /// A one-time set-password link: only its token's hash is stored.
    struct ResetLink: Content, Sendable {
        let username: String
        let path: String
        let expiresAt: Date
        /// The address the link was mailed to (SMTP set and the user has one); nil = only shown to the administrator.
        var mailedTo: String? = nil
    }

    static let resetLifetime: TimeInterval = 24 * 3600

    // MARK: creation

    /// The command line's and the seed's form (the flags of `khuyencong user create`).
    static func create(username: String, displayName: String?, role: Role, unitCode: UnitCode?, region: String?,
                       password: String, actor: String, app: Application, affiliationTaxCode: String? = nil) async throws -> User {
        try await create(CreateInput(username: username, displayName: displayName, role: role.rawValue, unitCode: unitCode,
                                     region: region, affiliationTaxCode: affiliationTaxCode, password: password),
                         by: .system(actor), app: app).user
    }

    static func create(_ input: CreateInput, by actor: Actor, app: Application) async throws -> (user: User, link: ResetLink?) {
        try checkRight(actor)
        let username = input.username.trimmingCharacters(in: .whitespaces)
        var problems: [DomainError] = []
        if username.range(of: "^[a-z0-9._-]{3,40}$", options: .regularExpression) == nil {
            problems.append(.invalid(vi: "username: tên đăng nhập chỉ gồm a–z, 0–9, . _ - (3–40 ký tự)",
                                     en: "username: user names use a–z, 0–9, . _ - (3–40 characters)"))
        }
        let displayName = (input.displayName?.trimmingCharacters(in: .whitespacesAndNewlines)).flatMap { $0.isEmpty ? nil : $0 } ?? username
        if displayName.count > 200 {
            problems.append(.invalid(vi: "displayName: tên hiển thị tối đa 200 ký tự", en: "displayName: at most 200 characters"))
        }
        let password = input.password.flatMap { $0.isEmpty ? nil : $0 }
        if let password {
            do { try User.checkPasswordRules(password) } catch let error as DomainError {
                problems.append(.invalid(vi: "password: " + error.vietnamese, en: "password: " + error.english))
            }
        }
        var scope: Scope?
        do { scope = try Scope(role: input.role, unitCode: input.unitCode, region: input.region, taxCode: input.affiliationTaxCode) }
        catch let error as DomainError { problems.append(error) }
        guard problems.isEmpty, let scope else { throw combined(problems) }
        // bcrypt outside the transaction: it is slow, and the lock is held by nobody meanwhile.
        let hash = try await SignInGuard.hash(password ?? randomSecret(), using: app)
        let result: (User, ResetLink?) = try await GuardedWrite.run(on: app.db) { db in
            try await recheck(actor, on: db)
            if try await User.find(username: username, on: db) != nil {
                throw DomainError(.conflict, vi: "username: tên đăng nhập \"\(username)\" đã có", en: "username: \"\(username)\" is taken")
            }
            let user = User(username: username, displayName: displayName, role: scope.role, unitID: scope.unitID,
                            regionCode: scope.region, passwordHash: hash)
            user.affiliationTaxCode = scope.taxCode
            try await user.create(on: db)
            try await AuditTrail.record(actor: actor.name, action: "create", recordType: "user", recordID: username,
                                        unitID: scope.unitID, before: Nothing?.none, after: user.snapshot, on: db)
            let link = password == nil ? try await issueLink(for: user, by: actor, on: db) : nil
            return (user, link)
        }
        return result
    }

    // MARK: changes

    static func setDisabled(username: String, disabled: Bool, actor: String, on db: any Database) async throws {
        try await setDisabled(username: username, disabled: disabled, by: .system(actor), on: db)
    }

    static func setDisabled(username: String, disabled: Bool, by actor: Actor, on db: any Database) async throws {
        try checkRight(actor)
        try await GuardedWrite.run(on: db) { db in
            try await recheck(actor, on: db)
            let user = try await target(username, on: db)
            guard user.disabled != disabled else { return }
            if disabled { try await ensureAnotherActiveAdmin(besides: user, on: db) }
            let before = user.snapshot
            user.disabled = disabled
            try await user.save(on: db)
            if disabled {
                try await ApiToken.query(on: db).filter(\.$user.$id == user.requireID()).filter(\.$revokedAt == nil)
                    .set(\.$revokedAt, to: Date()).update()
            }
            try await AuditTrail.record(actor: actor.name, action: disabled ? "disable" : "enable", recordType: "user",
                                        recordID: username, unitID: user.unitID, before: before, after: user.snapshot, on: db)
        }
    }

    /// Ends a lock set by repeated wrong passwords, and the count towards it.
    static func unlock(username: String, by actor: Actor, on db: any Database) async throws {
        try checkRight(actor)
        try await GuardedWrite.run(on: db) { db in
            try await recheck(actor, on: db)
            let user = try await target(username, on: db)
            struct Throttle: Encodable { let failedLogins: Int; let lockedUntil: Date? }
            let before = Throttle(failedLogins: user.failedLogins, lockedUntil: user.lockedUntil)
            user.failedLogins = 0
            user.lockedUntil = nil
            try await user.save(on: db)
            try await AuditTrail.record(actor: actor.name, action: "unlock", recordType: "user", recordID: username,
                                        unitID: user.unitID, before: before, after: Throttle(failedLogins: 0, lockedUntil: nil), on: db)
        }
    }

    /// A new role, scope or display name. Nobody changes their own role or scope (so nobody raises their own rights);
    /// the last active administrator keeps the administrator's role.
    @discardableResult
    static func change(username: String, _ input: ChangeInput, by actor: Actor, on db: any Database) async throws -> User {
        try checkRight(actor)
        return try await GuardedWrite.run(on: db) { db in
            try await recheck(actor, on: db)
            let user = try await target(username, on: db)
            func keep<T>(_ typed: T?, _ current: T?) -> T? { typed == nil ? current : typed }
            let currentUnitCode = user.unitID.flatMap { AdminUnitCatalog.standard.unit(id: $0)?.code }
            let scope = try Scope(role: input.role ?? user.role.rawValue, unitCode: keep(input.unitCode, currentUnitCode),
                                  region: keep(input.region, user.regionCode?.rawValue), taxCode: keep(input.affiliationTaxCode, user.affiliationTaxCode))
            let name = input.displayName?.trimmingCharacters(in: .whitespacesAndNewlines)
            if let name, name.isEmpty || name.count > 200 {
                throw DomainError.invalid(vi: "displayName: tên hiển thị từ 1 đến 200 ký tự", en: "displayName: 1 to 200 characters")
            }
            let roleOrScopeChanges = scope.role != user.role || scope.unitID != user.unitID
                || scope.region != user.regionCode || scope.taxCode != user.affiliationTaxCode
            if scope.role != .admin { try await ensureAnotherActiveAdmin(besides: user, on: db) }
            if roleOrScopeChanges, let me = actor.user, me.id == user.id {
                throw DomainError(.forbidden, vi: "Không được tự thay đổi vai trò hoặc phạm vi của chính mình; hãy nhờ một quản trị viên khác",
                                  en: "nobody changes their own role or scope; ask another administrator")
            }
            let before = user.snapshot
            user.role = scope.role
            user.unitID = scope.unitID
            user.regionCode = scope.region
            user.affiliationTaxCode = scope.taxCode
            if let name { user.displayName = name }
            guard before.role != user.role || before.unitID != user.unitID || before.regionCode != user.regionCode
                || before.displayName != user.displayName || roleOrScopeChanges else { return user }
            try await user.save(on: db)
            try await AuditTrail.record(actor: actor.name, action: "change_scope", recordType: "user", recordID: username,
                                        unitID: user.unitID, before: before, after: user.snapshot, on: db)
            return user
        }
    }

    /// The command line's reset: the administrator types the new password.
    static func resetPassword(username: String, password: String, actor: String, app: Application) async throws {
        try User.checkPasswordRules(password)
        let hash = try await SignInGuard.hash(password, using: app)
        try await GuardedWrite.run(on: app.db) { db in
            let user = try await target(username, on: db)
            user.passwordHash = hash
            user.failedLogins = 0
            user.lockedUntil = nil
            try await user.save(on: db)
            try await AuditTrail.record(actor: actor, action: "reset_password", recordType: "user", recordID: username,
                                        unitID: user.unitID, before: Nothing?.none, after: ["password": "reset"], on: db)
        }
    }

    /// A one-time link with which the user sets a new password, valid `resetLifetime`; earlier unused links of the
    /// user stop working. The password stays as it is until the link is used.
    static func issueResetLink(username: String, by actor: Actor, on db: any Database) async throws -> ResetLink {
        try checkRight(actor)
        return try await GuardedWrite.run(on: db) { db in
            try await recheck(actor, on: db)
            return try await issueLink(for: try await target(username, on: db), by: actor, on: db)
        }
    }

    /// The link issued as above and, when mail is set up (`SMTP_URL`) and the user has an address, mailed to them after
    /// the write has committed. A failed send never undoes the link: the administrator still sees it and gives it.
    /// `host` is the request's Host, for the link's address when `PUBLIC_URL` is not set.
    static func issueResetLink(username: String, by actor: Actor, app: Application, host: String?) async throws -> ResetLink {
        var link = try await issueResetLink(username: username, by: actor, on: app.db)
        guard let server = app.notificationSettings.smtp,
              let address = try await UserContact.query(on: app.db).filter(\.$username == link.username).first()?.email,
              !address.isEmpty else { return link }
        let settings = app.notificationSettings
        let expires = VietnameseFormat.timestamp(secondsSince1970: Int(link.expiresAt.timeIntervalSince1970))
        let body = """
            Quản trị viên \(actor.name) đã tạo cho tài khoản \(link.username) một liên kết đặt mật khẩu dùng một lần, \
            hết hạn lúc \(expires):

            \(absoluteURL(link.path, host: host))

            Mở liên kết và đặt mật khẩu mới. Nếu bạn không đề nghị đặt lại mật khẩu, hãy báo ngay cho quản trị viên.

            --
            Thư tự động của Hệ thống quản lý chương trình khuyến công; vui lòng không trả lời thư này.

            """
        do {
            try await SMTPClient.send(MailMessage(from: settings.from, fromName: settings.fromName, to: address,
                                                  subject: "[Khuyến công] Liên kết đặt mật khẩu cho tài khoản \(link.username)", body: body),
                                      via: server)
            link.mailedTo = address
        } catch {
            app.logger.warning("set-password link mail to \(address) failed: \(error)")
        }
        return link
    }

    /// A path of the application as a full address: under `PUBLIC_URL` when set, else the request's host.
    static func absoluteURL(_ path: String, host: String?) -> String {
        let base = Environment.get("PUBLIC_URL").flatMap { $0.isEmpty ? nil : $0 }.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
            ?? host.map { "http://\($0)" } ?? ""
        return base + path
    }

    private static func issueLink(for user: User, by actor: Actor, on db: any Database) async throws -> ResetLink {
        let now = Date()
        try await PasswordReset.query(on: db).filter(\.$user.$id == user.requireID()).filter(\.$usedAt == nil)
            .filter(\.$expiresAt > now).set(\.$expiresAt, to: now).update()
        let (token, hash) = ApiToken.generate()
        let expires = now.addingTimeInterval(resetLifetime)
        try await PasswordReset(userID: try user.requireID(), tokenHash: hash, expiresAt: expires, createdBy: actor.name).create(on: db)
        try await AuditTrail.record(actor: actor.name, action: "issue_reset_link", recordType: "user", recordID: user.username,
                                    unitID: user.unitID, before: Nothing?.none, after: ["expiresAt": ISO8601DateFormatter().string(from: expires)], on: db)
        return ResetLink(username: user.username, path: Links.passwordReset(token), expiresAt: expires)
    }

    /// The link's holder sets a new password: checked like any new password, the link is spent, the lock is lifted.
    static func redeem(token: String, password: String, confirm: String, app: Application) async throws -> User {
        guard password == confirm else {
            throw DomainError.invalid(vi: "Hai lần nhập mật khẩu mới không khớp", en: "the two new passwords differ")
        }
        try User.checkPasswordRules(password)
        _ = try await openReset(token: token, on: app.db)
        let hash = try await SignInGuard.hash(password, using: app)
        return try await GuardedWrite.run(on: app.db) { db in
            let (reset, user) = try await openReset(token: token, on: db)
            reset.usedAt = Date()
            try await reset.save(on: db)
            user.passwordHash = hash
            user.failedLogins = 0
            user.lockedUntil = nil
            try await user.save(on: db)
            try await AuditTrail.record(actor: user.username, action: "reset_password_by_link", recordType: "user",
                                        recordID: user.username, unitID: user.unitID, before: Nothing?.none,
                                        after: ["password": "reset", "linkBy": reset.createdBy], on: db)
            return user
        }
    }

    /// The unspent, unexpired link of an enabled user, or a refusal that does not tell which of these failed.
    static func openReset(token: String, on db: any Database) async throws -> (PasswordReset, User) {
        guard token.count >= 20, token.count <= 100,
              let reset = try await PasswordReset.query(on: db).filter(\.$tokenHash == ApiToken.hash(token)).first(),
              reset.usedAt == nil, reset.expiresAt > Date(),
              let user = try await User.find(reset.$user.id, on: db), !user.disabled else {
            throw DomainError(.gone, vi: "Liên kết đặt mật khẩu không hợp lệ, đã dùng hoặc đã hết hạn; hãy đề nghị quản trị viên cấp liên kết mới",
                              en: "the set-password link is not valid, was used or has expired; ask an administrator for a new one")
        }
        return (reset, user)
    }

    // MARK: rules

    /// A role with the scope it needs, resolved: a province officer needs a unit, a region reviewer a region, an
    /// appraiser a region or a unit; the country (neither) otherwise.
    struct Scope {
        let role: Role
        let unitID: UnitID?
        let region: Region?
        let taxCode: String?

        init(role roleText: String, unitCode: UnitCode?, region regionText: String?, taxCode taxText: String?) throws {
            var problems: [DomainError] = []
            let role = Role(rawValue: roleText)
            if role == nil {
                problems.append(.invalid(vi: "role: vai trò \"\(roleText)\" không có", en: "role: no role \"\(roleText)\""))
            }
            var unit: AdminUnit?
            if let code = unitCode?.rawValue.trimmingCharacters(in: .whitespaces), !code.isEmpty {
                do { unit = try AdminUnitCatalog.standard.resolve(code: UnitCode(code), on: CalendarDate.today()) } catch {
                    problems.append(.invalid(vi: "unitCode: không có đơn vị mã \"\(code)\" hiện nay", en: "unitCode: no current unit \"\(code)\""))
                }
            }
            var region: Region?
            if let code = regionText?.trimmingCharacters(in: .whitespaces), !code.isEmpty {
                region = Region(rawValue: code)
                if region == nil { problems.append(.invalid(vi: "region: khu vực \"\(code)\" không có", en: "region: no region \"\(code)\"")) }
            }
            var taxCode: String?
            if let text = taxText?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
                do { taxCode = try TaxCode(text).digits } catch {
                    problems.append(.invalid(vi: "affiliationTaxCode: mã số thuế \"\(text)\" không hợp lệ", en: "affiliationTaxCode: not a tax code"))
                }
            }
            if let role, problems.isEmpty {
                switch role {
                case .provinceOfficer where unit == nil:
                    problems.append(.invalid(vi: "unitCode: cán bộ tỉnh cần đơn vị", en: "unitCode: a province officer needs a unit"))
                case .regionReviewer where region == nil:
                    problems.append(.invalid(vi: "region: cán bộ phụ trách khu vực cần khu vực", en: "region: a region reviewer needs a region"))
                case .appraiser where region == nil && unit == nil:
                    problems.append(.invalid(vi: "region: thành viên hội đồng cần khu vực hoặc đơn vị", en: "region: an appraiser needs a region or a unit"))
                default: break
                }
            }
            guard problems.isEmpty, let role else { throw UserAdmin.combined(problems) }
            self.role = role
            self.unitID = unit?.id
            self.region = region
            self.taxCode = role == .appraiser ? taxCode : nil
        }
    }

    static func checkRight(_ actor: Actor) throws {
        guard let user = actor.user else { return }
        guard AccessPolicy.decide(user.principal, .manageUsers, nil) == .allow else {
            throw DomainError(.forbidden, vi: "Chỉ quản trị hệ thống quản lý người dùng", en: "only an administrator manages users")
        }
    }

    /// Under the write lock: the actor's account as it is now (its role may have changed, it may be disabled).
    static func recheck(_ actor: Actor, on db: any Database) async throws {
        guard let user = actor.user else { return }
        guard let fresh = try await User.find(user.requireID(), on: db), !fresh.disabled else {
            throw DomainError(.forbidden, vi: "Tài khoản không còn hiệu lực", en: "the account is no longer active")
        }
        try checkRight(.user(fresh))
    }

    /// Refuses to take the last active administrator away (disabling or another role).
    static func ensureAnotherActiveAdmin(besides user: User, on db: any Database) async throws {
        guard user.role == .admin, !user.disabled else { return }
        let others = try await User.query(on: db).filter(\.$role == .admin).filter(\.$disabled == false)
            .filter(\.$id != user.requireID()).count()
        guard others > 0 else {
            throw DomainError(.conflict,
                              vi: "Không thể vô hiệu hóa hoặc đổi vai trò của quản trị hệ thống cuối cùng đang hoạt động; hãy tạo hoặc bật một quản trị viên khác trước",
                              en: "the last active administrator can be neither disabled nor given another role; add or enable another administrator first")
        }
    }

    static func target(_ username: String, on db: any Database) async throws -> User {
        guard let user = try await User.find(username: username, on: db) else {
            throw DomainError(.notFound, vi: "Không có người dùng \"\(username)\"", en: "no user \"\(username)\"")
        }
        return user
    }

    static func combined(_ problems: [DomainError]) -> DomainError {
        DomainError(.invalidInput, vi: problems.map(\.vietnamese).joined(separator: "; "), en: problems.map(\.english).joined(separator: "; "))
    }

    private static func randomSecret() -> String { ApiToken.generate().token }
}
