import Fluent
import KhuyenCongCore
import Vapor

/// One demo user per role. Passwords are random and shown once, when they are created; there is no default.
enum DemoUsers {
    struct Account: Sendable { let username: String; let role: Role; let password: String }

    static let specs: [(username: String, name: String, role: Role, unit: UnitCode?, region: String?)] = [
        ("admin", "Quản trị hệ thống", .admin, nil, nil),
        ("bo.congthuong", "Cán bộ Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công", .ministryOfficer, nil, nil),
        ("khuvuc.bac", "Cán bộ phụ trách khu vực phía Bắc", .regionReviewer, nil, "north"),
        ("thanhhoa", "Trung tâm Khuyến công Thanh Hóa", .provinceOfficer, "38", nil),
        ("nghean", "Trung tâm Khuyến công Nghệ An", .provinceOfficer, "40", nil),
        ("thamdinh", "Thành viên Hội đồng thẩm định khu vực phía Bắc (Sở Công Thương Nghệ An)", .appraiser, "40", "north"),
        ("xem", "Lãnh đạo (chỉ xem)", .viewer, nil, nil),
    ]

    static func create(app: Application) async throws -> [Account] {
        var missing: [(offset: Int, element: (username: String, name: String, role: Role, unit: UnitCode?, region: String?))] = []
        for spec in specs.enumerated() where try await User.find(username: spec.element.username, on: app.db) == nil { missing.append(spec) }
        // Created side by side: each bcrypt hash (work factor 12) takes a quarter of a second on the hashing pool's
        // threads, and one after another they were most of `serve`'s first start on an empty database.
        return try await withThrowingTaskGroup(of: (Int, Account).self) { group in
            for (index, spec) in missing {
                group.addTask {
                    let password = randomPassword()
                    _ = try await UserAdmin.create(username: spec.username, displayName: spec.name, role: spec.role, unitCode: spec.unit,
                                                   region: spec.region, password: password, actor: "seed", app: app)
                    return (index, Account(username: spec.username, role: spec.role, password: password))
                }
            }
            var accounts: [(Int, Account)] = []
            for try await account in group { accounts.append(account) }
            return accounts.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    static func describe(_ accounts: [Account]) -> String {
        (["Tài khoản mẫu (mật khẩu chỉ hiện một lần) / demo accounts (passwords are shown only once):"]
            + accounts.map { "  \($0.username.padding(toLength: 14, withPad: " ", startingAt: 0)) \($0.role.rawValue.padding(toLength: 17, withPad: " ", startingAt: 0)) \($0.password)" })
            .joined(separator: "\n")
    }

    private static func randomPassword() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789")
        return String((0..<16).map { _ in alphabet.randomElement()! })
    }
}
