import Fluent
import Foundation
import KhuyenCongCore
import SQLKit
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

    static func lockedMessage(until: Date, now: Date) -> DomainError {
        let minutes = max(1, Int((until.timeIntervalSince(now) / 60).rounded(.up)))
        return DomainError(.unauthenticated,
                           vi: "Tài khoản tạm khóa do đăng nhập sai nhiều lần; thử lại sau \(minutes) phút",
                           en: "too many failed sign-ins; try again in \(minutes) minutes")
    }

    /// Takes one of the account's attempts in a single statement, before its password is checked, so that however
    /// many requests race, at most `failuresBeforeLock` checks happen before the lock. The attempt that reaches
    /// the limit sets the lock itself; a lock that has run out starts a new count.
    static func reserveAttempt(username: String, now: Date, on db: any Database) async throws -> AttemptBooking {
        let sql = db as! any SQLDatabase
        let lockEnd = now.addingTimeInterval(lockDuration)
        let taken = try await sql.raw("""
            UPDATE users SET
              failed_logins = CASE WHEN locked_until IS NOT NULL THEN 1 ELSE failed_logins + 1 END,
              locked_until = CASE WHEN (CASE WHEN locked_until IS NOT NULL THEN 1 ELSE failed_logins + 1 END) >= \(bind: failuresBeforeLock)
                                  THEN \(bind: lockEnd) ELSE NULL END
            WHERE username = \(bind: username) AND (locked_until IS NULL OR locked_until <= \(bind: now))
            RETURNING failed_logins
            """).first()
        if let taken {
            let failures = try taken.decode(column: "failed_logins", as: Int.self)
            return .taken(lockSet: failures >= failuresBeforeLock ? lockEnd : nil)
        }
        return .locked(until: try await find(username: username, on: db)?.lockedUntil ?? lockEnd)
    }

    /// What taking an attempt found: the attempt (and the lock it set, when it was the last one allowed), or a lock
    /// already running, so no attempt was taken.
    enum AttemptBooking {
        case taken(lockSet: Date?)
        case locked(until: Date)
    }

    /// Gives back an attempt taken but not used (its address had no allowance left): as if it had not been taken,
    /// so a lock that attempt set goes too.
    static func releaseAttempt(username: String, on db: any Database) async throws {
        try await (db as! any SQLDatabase).raw("""
            UPDATE users SET
              failed_logins = failed_logins - 1,
              locked_until = CASE WHEN failed_logins - 1 < \(bind: failuresBeforeLock) THEN NULL ELSE locked_until END
            WHERE username = \(bind: username) AND failed_logins > 0
            """).run()
    }

    /// A right password: the count starts again and any lock goes.
    static func clearAttempts(username: String, on db: any Database) async throws {
        try await (db as! any SQLDatabase).raw("""
            UPDATE users SET failed_logins = 0, locked_until = NULL
            WHERE username = \(bind: username) AND (failed_logins <> 0 OR locked_until IS NOT NULL)
            """).run()
    }
}
