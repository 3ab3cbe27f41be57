import Fluent
import KhuyenCongCore
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// The two counters a request's caches are checked against, read together in one statement:
/// `data` is the report data version (M0024, `ReportCache`), `accounts` the accounts version (M0054, `AccountsCache`).
struct Versions: Sendable, Equatable {
    let data: Int64
    let accounts: Int64

    static func read(on db: any Database) async throws -> Versions {
        try await AppMetrics.timedQuery("versions") {
            let row = try await (db as! any SQLDatabase).raw("""
                SELECT r.version AS data, a.version AS accounts FROM report_version r, accounts_version a WHERE r.id = 1 AND a.id = 1
                """).first()
            return Versions(data: try row?.decode(column: "data", as: Int64.self) ?? 0,
                            accounts: try row?.decode(column: "accounts", as: Int64.self) ?? 0)
        }
    }
}

extension Request {
    private struct VersionsKey: StorageKey { typealias Value = Versions }

    /// Whether this request may answer from the per-instance caches validated by `versions()`: a GET or HEAD. Another
    /// method may write, and a write's own answer must see it, so it reads afresh.
    var readsFromCaches: Bool { method == .GET || method == .HEAD }

    /// The counters as they are now: read once per GET or HEAD request (the first cache asking reads both, the
    /// others reuse them: at most one version query per request), read afresh on every call otherwise.
    func versions() async throws -> Versions {
        if let known = storage[VersionsKey.self] { return known }
        // A reading request shares a statement with the requests that arrive with it (Core/SharedVersionsRead.swift).
        guard readsFromCaches else { return try await Versions.read(on: db) }
        let read = try await application.sharedVersionsRead.read()
        storage[VersionsKey.self] = read
        return read
    }
}

/// Who a token, a session and a user id stand for, kept per instance while the accounts version (M0054) is
/// unchanged: triggers raise it in the transaction of every write to users, tokens and sessions, so a revoked
/// token, a signed-out session, a disabled user or a changed password is seen by every instance at the next request.
/// An entry is stored under the version read before its rows were read (a write meanwhile makes it merely look old);
/// when the version moves, everything is dropped. Unknown tokens and sessions are never kept.
/// Each request gets its own model objects (`UserRecord.model()`), never one shared with another request.
final class AccountsCache: Sendable {
    private struct State {
        var version: Int64 = .min
        var tokens: [String: (token: TokenRecord, user: UserRecord)] = [:]
        var users: [UUID: UserRecord] = [:]
        var sessions: [String: SessionData] = [:]
        var count: Int { tokens.count + users.count + sessions.count }
    }

    private let state = NIOLockedValueBox(State())
    private let capacity: Int

    init(capacity: Int = 20_000) { self.capacity = capacity }

    func token(_ hash: String, at version: Int64) -> (token: TokenRecord, user: UserRecord)? {
        state.withLockedValue { $0.version == version ? $0.tokens[hash] : nil }
    }

    func user(_ id: UUID, at version: Int64) -> UserRecord? {
        state.withLockedValue { $0.version == version ? $0.users[id] : nil }
    }

    func session(_ id: String, at version: Int64) -> SessionData? {
        state.withLockedValue { $0.version == version ? $0.sessions[id] : nil }
    }

    func store(token: TokenRecord, user: UserRecord, at version: Int64) {
        update(version) { $0.tokens[token.tokenHash] = (token, user); $0.users[user.id] = user }
    }

    func store(user: UserRecord, at version: Int64) { update(version) { $0.users[user.id] = user } }

    func store(session id: String, _ data: SessionData, at version: Int64) { update(version) { $0.sessions[id] = data } }

    private func update(_ version: Int64, _ change: (inout State) -> Void) {
        state.withLockedValue { state in
            if state.version != version || state.count >= capacity { state = State(); state.version = version }
            change(&state)
        }
    }
}

/// A user's row, as the cache keeps it.
struct UserRecord: Sendable {
    let id: UUID
    let username: String, displayName: String, role: Role
    let unitID: UnitID?, regionCode: Region?, affiliationTaxCode: String?
    let passwordHash: String
    let disabled: Bool
    let failedLogins: Int
    let lockedUntil: Date?
    let language: String?
    let createdAt: Date?

    init(_ user: User) throws {
        id = try user.requireID()
        username = user.username; displayName = user.displayName; role = user.role
        unitID = user.unitID; regionCode = user.regionCode; affiliationTaxCode = user.affiliationTaxCode
        passwordHash = user.passwordHash; disabled = user.disabled; failedLogins = user.failedLogins
        lockedUntil = user.lockedUntil; language = user.language; createdAt = user.createdAt
    }

    /// A model of its own for one request, marked as stored (as `User.find` would give it).
    func model() -> User {
        let user = User(username: username, displayName: displayName, role: role, unitID: unitID, regionCode: regionCode,
                        passwordHash: passwordHash)
        user.id = id
        user.$id.exists = true
        user.affiliationTaxCode = affiliationTaxCode
        user.disabled = disabled
        user.failedLogins = failedLogins
        user.lockedUntil = lockedUntil
        user.language = language
        user.createdAt = createdAt
        return user
    }
}

/// An API token's row, as the cache keeps it.
struct TokenRecord: Sendable {
    let id: UUID
    let userID: UUID
    let tokenHash: String
    let expiresAt: Date
    let revokedAt: Date?
    let createdAt: Date?

    init(_ token: ApiToken) throws {
        id = try token.requireID()
        userID = token.$user.id
        tokenHash = token.tokenHash; expiresAt = token.expiresAt; revokedAt = token.revokedAt; createdAt = token.createdAt
    }

    func model(user: User) -> ApiToken {
        let token = ApiToken(userID: userID, tokenHash: tokenHash, expiresAt: expiresAt)
        token.id = id
        token.$id.exists = true
        token.revokedAt = revokedAt
        token.createdAt = createdAt
        token.$user.value = user
        return token
    }
}

/// The browser sessions (Fluent's `_fluent_sessions` rows), read through `AccountsCache` on GET and HEAD requests, and
/// written only when a request changed its session's data (Vapor's middleware writes the session back after every
/// request that has one; an unchanged session is a write, and a raised accounts version, for nothing).
struct CachedSessions: AsyncSessionDriver {
    let stored: any SessionDriver

    private struct ReadKey: StorageKey { typealias Value = (id: String, data: SessionData?) }

    func createSession(_ data: SessionData, for request: Request) async throws -> SessionID {
        try await stored.createSession(data, for: request).get()
    }

    func readSession(_ sessionID: SessionID, for request: Request) async throws -> SessionData? {
        let data: SessionData?
        if request.readsFromCaches {
            let cache = request.application.accountsCache
            let version = try await request.versions().accounts
            if let known = cache.session(sessionID.string, at: version) {
                data = known
            } else {
                data = try await stored.readSession(sessionID, for: request).get()
                if let data { cache.store(session: sessionID.string, data, at: version) }
            }
        } else {
            data = try await stored.readSession(sessionID, for: request).get()
        }
        request.storage[ReadKey.self] = (sessionID.string, data)
        return data
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) async throws -> SessionID {
        if let read = request.storage[ReadKey.self], read.id == sessionID.string, read.data == data { return sessionID }
        return try await stored.updateSession(sessionID, to: data, for: request).get()
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) async throws {
        try await stored.deleteSession(sessionID, for: request).get()
    }
}

extension Application {
    private struct AccountsCacheKey: StorageKey { typealias Value = AccountsCache }

    /// Set up in `configure`; one per running instance.
    var accountsCache: AccountsCache {
        get { storage[AccountsCacheKey.self] ?? AccountsCache() }
        set { storage[AccountsCacheKey.self] = newValue }
    }
}
