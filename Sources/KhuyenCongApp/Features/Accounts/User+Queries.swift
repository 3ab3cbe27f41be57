import Fluent
import Foundation
import KhuyenCongCore
import Vapor

extension User {
    static let minimumPasswordLength = 10
    /// After this many wrong passwords in a row the account waits `lockDuration` before it can try again.
    static let failuresBeforeLock = 5
    static let lockDuration: TimeInterval = 15 * 60

    static func find(username: String, on db: any Database) async throws -> User? {
        try await User.query(on: db).filter(\.$username == username).first()
    }

    static func checkPasswordRules(_ password: String) throws {
        guard password.count >= minimumPasswordLength else {
            throw DomainError.invalid(vi: "Mật khẩu phải có ít nhất \(minimumPasswordLength) ký tự",
                                      en: "the password must have at least \(minimumPasswordLength) characters")
        }
    }

    static let wrongCredentials = DomainError(.unauthenticated, vi: "Sai tên đăng nhập hoặc mật khẩu",
                                              en: "wrong user name or password")

    /// Checks a password, counting failures and locking the account for a while after repeated ones.
    /// Unknown users and wrong passwords get the same answer.
    static func authenticate(username: String, password: String, hasher: AsyncPasswordHasher, now: Date = Date(),
                             on db: any Database) async throws -> User {
        guard let user = try await find(username: username, on: db) else {
            _ = try? await hasher.verify(password, created: "$2b$12$C6UzMDM.H6dfI/f/IKxGhuCbJmiEeWGwXXNYIRbzBu0E/rUwl0iXW")
            throw wrongCredentials
        }
        if let until = user.lockedUntil, until > now {
            throw DomainError(.unauthenticated,
                vi: "Tài khoản tạm khóa do đăng nhập sai nhiều lần; thử lại sau \(Int((until.timeIntervalSince(now) / 60).rounded(.up))) phút",
                en: "too many failed sign-ins; try again in \(Int((until.timeIntervalSince(now) / 60).rounded(.up))) minutes")
        }
        guard try await hasher.verify(password, created: user.passwordHash) else {
            struct Throttle: Encodable { let failedLogins: Int; let lockedUntil: Date? }
            let before = Throttle(failedLogins: user.failedLogins, lockedUntil: user.lockedUntil)
            user.failedLogins += 1
            if user.failedLogins >= failuresBeforeLock {
                user.lockedUntil = now.addingTimeInterval(lockDuration)
                user.failedLogins = 0
            }
            try await db.transaction { db in
                try await user.save(on: db)
                try await AuditTrail.record(actor: username, action: "sign_in_failed", recordType: "user", recordID: username,
                                            unitID: user.unitID, before: before,
                                            after: Throttle(failedLogins: user.failedLogins, lockedUntil: user.lockedUntil), on: db)
            }
            throw wrongCredentials
        }
        guard !user.disabled else {
            throw DomainError(.unauthenticated, vi: "Tài khoản đã bị vô hiệu hóa", en: "this account is disabled")
        }
        if user.failedLogins != 0 || user.lockedUntil != nil {
            user.failedLogins = 0
            user.lockedUntil = nil
            try await user.save(on: db)
        }
        return user
    }
}
