import Fluent
import Foundation
import KhuyenCongCore
import Vapor

/// `khuyencong user create|list|disable|enable|reset-password`.
struct UserCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "create | list | disable | enable | reset-password") var action: String
        @Option(name: "username") var username: String?
        @Option(name: "name", help: "tên hiển thị / display name") var name: String?
        @Option(name: "role", help: "admin, ministry_officer, region_reviewer, province_officer, appraiser, viewer") var role: String?
        @Option(name: "unit", help: "mã đơn vị hiện nay / today's unit code") var unit: String?
        @Option(name: "region", help: "north | central | south") var region: String?
        @Option(name: "tax-code", help: "cơ sở mà thành viên hội đồng gắn với / an appraiser's own establishment") var taxCode: String?
        @Option(name: "email", help: "địa chỉ nhận thông báo / e-mail address for notifications") var email: String?
        @Flag(name: "password-stdin", help: "đọc mật khẩu từ đầu vào chuẩn / read the password from standard input") var passwordStdin: Bool
    }
    var help: String { "Quản lý người dùng / manage users" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await migrate(app)
        let actor = "cli:" + (ProcessInfo.processInfo.environment["USER"] ?? "root")
        switch signature.action {
        case "create":
            let email = try signature.email.map(UserContact.validated)
            let user = try await UserAdmin.create(
                username: try required(signature.username, "--username"), displayName: signature.name,
                role: try Role(parsing: try required(signature.role, "--role")), unitCode: signature.unit,
                region: signature.region, password: try readPassword(signature), actor: actor, app: app,
                affiliationTaxCode: signature.taxCode)
            if let email { try await UserContact.setEmail(email, username: user.username, actor: actor, on: app.db) }
            context.console.print("Đã tạo người dùng / created user \(user.username) (\(user.role))")
        case "list":
            for user in try await User.query(on: app.db).sort(\.$username).all() {
                let scope = user.unitID ?? user.regionCode ?? "country"
                context.console.print("\(user.username)\t\(user.role)\t\(scope)\t\(user.disabled ? "disabled" : "active")\t\(user.displayName)")
            }
        case "disable", "enable":
            try await UserAdmin.setDisabled(username: try required(signature.username, "--username"),
                                            disabled: signature.action == "disable", actor: actor, on: app.db)
            context.console.print("Đã cập nhật / updated \(signature.username ?? "")")
        case "reset-password":
            try await UserAdmin.resetPassword(username: try required(signature.username, "--username"),
                                              password: try readPassword(signature), actor: actor, app: app)
            context.console.print("Đã đặt lại mật khẩu / password reset for \(signature.username ?? "")")
        default:
            throw DomainError.invalid(vi: "Thao tác \"\(signature.action)\" không có", en: "unknown action \"\(signature.action)\"")
        }
    }

    private func required(_ value: String?, _ name: String) throws -> String {
        guard let value, !value.isEmpty else { throw DomainError.invalid(vi: "Thiếu \(name)", en: "\(name) is required") }
        return value
    }

    private func readPassword(_ signature: Signature) throws -> String {
        guard signature.passwordStdin else {
            throw DomainError.invalid(vi: "Hãy truyền mật khẩu qua --password-stdin", en: "pass the password with --password-stdin")
        }
        return (readLine(strippingNewline: true) ?? "")
    }
}

/// User administration shared by the command line and the demo seed; every change is audited.
enum UserAdmin {
    static func create(username: String, displayName: String?, role: Role, unitCode: String?, region: String?,
                       password: String, actor: String, app: Application, affiliationTaxCode: String? = nil) async throws -> User {
        let affiliation = try affiliationTaxCode.map { try TaxCode($0).digits }
        guard username.range(of: "^[a-z0-9._-]{3,40}$", options: .regularExpression) != nil else {
            throw DomainError.invalid(vi: "Tên đăng nhập chỉ gồm a–z, 0–9, . _ - (3–40 ký tự)",
                                      en: "user names use a–z, 0–9, . _ - (3–40 characters)")
        }
        try User.checkPasswordRules(password)
        let today = CalendarDate.today()
        let unit = try unitCode.map { try AdminUnitCatalog.standard.resolve(code: $0, on: today) }
        let regionValue = try region.map { code -> Region in
            guard let value = Region(rawValue: code) else {
                throw DomainError.invalid(vi: "Khu vực \"\(code)\" không có", en: "region \"\(code)\" does not exist")
            }
            return value
        }
        switch role {
        case .provinceOfficer where unit == nil:
            throw DomainError.invalid(vi: "Cán bộ tỉnh cần --unit", en: "a province officer needs --unit")
        case .regionReviewer where regionValue == nil, .appraiser where regionValue == nil && unit == nil:
            throw DomainError.invalid(vi: "Vai trò này cần --region", en: "this role needs --region")
        default: break
        }
        if try await User.find(username: username, on: app.db) != nil {
            throw DomainError(.conflict, vi: "Tên đăng nhập \"\(username)\" đã có", en: "user name \"\(username)\" is taken")
        }
        let user = User(username: username, displayName: displayName ?? username, role: role.rawValue, unitID: unit?.id,
                        regionCode: regionValue?.rawValue, passwordHash: try await SignInGuard.hash(password, using: app))
        user.affiliationTaxCode = affiliation
        try await app.db.transaction { db in
            try await user.create(on: db)
            try await AuditTrail.record(actor: actor, action: "create", recordType: "user", recordID: username,
                                        unitID: unit?.id, before: Nothing?.none, after: user.snapshot, on: db)
        }
        return user
    }

    static func setDisabled(username: String, disabled: Bool, actor: String, on db: any Database) async throws {
        guard let user = try await User.find(username: username, on: db) else {
            throw DomainError(.notFound, vi: "Không có người dùng \"\(username)\"", en: "no user \"\(username)\"")
        }
        let before = user.snapshot
        try await db.transaction { db in
            user.disabled = disabled
            try await user.save(on: db)
            if disabled {
                try await ApiToken.query(on: db).filter(\.$user.$id == user.requireID()).filter(\.$revokedAt == nil)
                    .set(\.$revokedAt, to: Date()).update()
            }
            try await AuditTrail.record(actor: actor, action: disabled ? "disable" : "enable", recordType: "user",
                                        recordID: username, unitID: user.unitID, before: before, after: user.snapshot, on: db)
        }
    }

    static func resetPassword(username: String, password: String, actor: String, app: Application) async throws {
        try User.checkPasswordRules(password)
        guard let user = try await User.find(username: username, on: app.db) else {
            throw DomainError(.notFound, vi: "Không có người dùng \"\(username)\"", en: "no user \"\(username)\"")
        }
        let hash = try await SignInGuard.hash(password, using: app)
        try await app.db.transaction { db in
            user.passwordHash = hash
            user.failedLogins = 0
            user.lockedUntil = nil
            try await user.save(on: db)
            try await AuditTrail.record(actor: actor, action: "reset_password", recordType: "user", recordID: username,
                                        unitID: user.unitID, before: Nothing?.none, after: ["password": "reset"], on: db)
        }
    }
}
