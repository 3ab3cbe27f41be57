import Fluent
import Foundation
import KhuyenCongCore
import Vapor

/// The one way a password is checked (pages, API tokens, password changes): the account's attempt (taken
/// atomically in the database, in the account's turn on this instance), then the address's allowance, then bcrypt
/// on its own pool; every refusal pauses.
/// Unknown users and wrong passwords get the same answer.
enum SignIn {
    static func authenticate(username: String, password: String, req: Request) async throws -> User {
        try await authenticate(username: username, password: password, address: SignInGuard.clientAddress(of: req),
                               app: req.application, on: req.db, logger: req.logger)
    }

    static func authenticate(username: String, password: String, address: String, app: Application, now: Date = Date(),
                             on db: any Database, logger: Logger) async throws -> User {
        do {
            return try await check(username: username, password: password, address: address, app: app, now: now, on: db, logger: logger)
        } catch let refusal as DomainError where refusal.kind == .unauthenticated {
            await app.signInGuard.pause()
            throw refusal
        }
    }

    /// What the account's turn found in the database.
    private enum Booking {
        case unknownUser
        case locked(until: Date)
        case taken(User)
    }

    private static func check(username: String, password: String, address: String, app: Application, now: Date,
                              on db: any Database, logger: Logger) async throws -> User {
        let guardian = app.signInGuard
        if guardian.blockedUntil(address: address, now: now) != nil {     // no database work for a blocked address
            try takeAddressAllowance(address, guardian: guardian, now: now, logger: logger)
        }
        // The account's attempt first: requests refused by its lock then cost the address nothing, so a flood on one
        // account does not lock out the other people behind the same address. bcrypt runs after the turn, so
        // attempts on a known account take as long as on an unknown one, however many arrive together.
        let booking: Booking = try await guardian.turns.take(username) { knownLock in
            if let knownLock { return (.locked(until: knownLock), nil) }
            guardian.countLookup()
            guard let user = try await User.find(username: username, on: db) else { return (.unknownUser, nil) }
            switch try await User.reserveAttempt(username: username, now: now, on: db) {
            case .locked(let until): return (.locked(until: until), until)
            case .taken(let lockSet): return (.taken(user), lockSet)
            }
        }
        switch booking {
        case .unknownUser:
            try takeAddressAllowance(address, guardian: guardian, now: now, logger: logger)
            // The same work as for a known user, so that timing does not tell which names exist.
            _ = try? await guardian.verify(password, created: dummyHash, using: app)
            throw User.wrongCredentials
        case .locked(let until):
            throw User.lockedMessage(until: until, now: now)
        case .taken(let user):
            do {
                try takeAddressAllowance(address, guardian: guardian, now: now, logger: logger)
            } catch {
                try await User.releaseAttempt(username: username, on: db)
                throw error
            }
            guard try await guardian.verify(password, created: user.passwordHash, using: app) else {
                try await recordFailure(of: user, on: db)
                throw User.wrongCredentials
            }
            guardian.release(address: address)
            try await User.clearAttempts(username: username, on: db)
            guard !user.disabled else {
                throw DomainError(.unauthenticated, vi: "Tài khoản đã bị vô hiệu hóa", en: "this account is disabled")
            }
            return user
        }
    }

    private static func takeAddressAllowance(_ address: String, guardian: SignInGuard, now: Date, logger: Logger) throws {
        guard !guardian.reserve(address: address, now: now) else { return }
        logger.notice("sign-in refused: too many failures from \(address)")
        let until = guardian.blockedUntil(address: address, now: now) ?? now.addingTimeInterval(guardian.limits.addressWindow)
        let minutes = max(1, Int((until.timeIntervalSince(now) / 60).rounded(.up)))
        throw DomainError(.unauthenticated,
                          vi: "Quá nhiều lần đăng nhập sai từ địa chỉ này; thử lại sau \(minutes) phút",
                          en: "too many failed sign-ins from this address; try again in \(minutes) minutes")
    }

    /// bcrypt of a random string, never anyone's password.
    private static let dummyHash = "$2b$12$C6UzMDM.H6dfI/f/IKxGhuCbJmiEeWGwXXNYIRbzBu0E/rUwl0iXW"

    /// One audit row per wrong password: the count and lock as read before the attempt and as they are now. Its own
    /// statement, no transaction: under a flood, transactions holding SQLite's write lock across statements while
    /// waiting for the thread pool are what stalled everyone.
    private static func recordFailure(of user: User, on db: any Database) async throws {
        struct Throttle: Encodable { let failedLogins: Int; let lockedUntil: Date? }
        let now = try await User.find(user.id, on: db)
        try await AuditTrail.record(actor: user.username, action: "sign_in_failed", recordType: "user", recordID: user.username,
                                    unitID: user.unitID, before: Throttle(failedLogins: user.failedLogins, lockedUntil: user.lockedUntil),
                                    after: Throttle(failedLogins: now?.failedLogins ?? 0, lockedUntil: now?.lockedUntil), on: db)
    }
}
