import Fluent
import Vapor

/// Signs in the user of a browser session (pages only), refusing disabled users and sessions older than
/// `maximumAge`. On GET and HEAD the user comes from `AccountsCache` while the accounts version is unchanged.
struct SessionUserAuthenticator: AsyncMiddleware {
    static let maximumAge: TimeInterval = 12 * 3600

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if !request.isAPI, request.hasSession,
           let idText = request.session.data["uid"], let id = UUID(uuidString: idText) {
            let signedInAt = request.session.data["at"].flatMap(Double.init) ?? 0
            if Date().timeIntervalSince1970 - signedInAt > Self.maximumAge {
                request.session.destroy()
            } else if let user = try await Self.user(id, for: request), !user.disabled {
                request.auth.login(user)
            }
        }
        return try await next.respond(to: request)
    }

    static func user(_ id: UUID, for request: Request) async throws -> User? {
        guard request.readsFromCaches else { return try await User.find(id, on: request.db) }
        let cache = request.application.accountsCache
        let version = try await request.versions().accounts
        if let known = cache.user(id, at: version) { return known.model() }
        guard let user = try await User.find(id, on: request.db) else { return nil }
        cache.store(user: try UserRecord(user), at: version)
        return user
    }
}

/// `Authorization: Bearer …` on `/api/v1/*` and `/metrics`: a stored, unexpired, unrevoked token of an enabled user.
/// On GET and HEAD the token and its user come from `AccountsCache` while the accounts version is unchanged (the
/// version is read in the same statement as the report data version, so a cached report costs one query in all).
struct TokenAuthenticator: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.answersMachines, let bearer = request.headers.bearerAuthorization {
            if let (token, user) = try await Self.lookup(ApiToken.hash(bearer.token), for: request),
               token.revokedAt == nil, token.expiresAt > Date(), !user.disabled {
                request.auth.login(user)
                request.storage[CurrentToken.self] = token
            } else {
                request.logger.notice("refused API token: unknown, expired or revoked")
            }
        }
        return try await next.respond(to: request)
    }

    static func lookup(_ hash: String, for request: Request) async throws -> (ApiToken, User)? {
        guard request.readsFromCaches else { return try await query(hash, on: request.db) }
        let cache = request.application.accountsCache
        let version = try await request.versions().accounts
        if let known = cache.token(hash, at: version) {
            let user = known.user.model()
            return (known.token.model(user: user), user)
        }
        guard let (token, user) = try await query(hash, on: request.db) else { return nil }
        cache.store(token: try TokenRecord(token), user: try UserRecord(user), at: version)
        return (token, user)
    }

    /// One query for the token and its user (a join, not an eager load).
    private static func query(_ hash: String, on db: any Database) async throws -> (ApiToken, User)? {
        guard let token = try await ApiToken.query(on: db).join(User.self, on: \ApiToken.$user.$id == \User.$id)
            .filter(\.$tokenHash == hash).first(), let user = try? token.joined(User.self) else { return nil }
        token.$user.value = user
        return (token, user)
    }

    struct CurrentToken: StorageKey { typealias Value = ApiToken }
}
