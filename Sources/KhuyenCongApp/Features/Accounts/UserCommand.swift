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
                role: try Role(parsing: try required(signature.role, "--role")), unitCode: signature.unit.map { UnitCode($0) },
                region: signature.region, password: try readPassword(signature), actor: actor, app: app,
                affiliationTaxCode: signature.taxCode)
            if let email { try await UserContact.setEmail(email, username: user.username, actor: actor, on: app.db) }
            context.console.print("Đã tạo người dùng / created user \(user.username) (\(user.role.rawValue))")
        case "list":
            for user in try await User.query(on: app.db).sort(\.$username).all() {
                let scope = user.unitID?.rawValue ?? user.regionCode?.rawValue ?? "country"
                context.console.print("\(user.username)\t\(user.role.rawValue)\t\(scope)\t\(user.disabled ? "disabled" : "active")\t\(user.displayName)")
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
