import Fluent
import Vapor

/// Signs in the user of a browser session (pages only), refusing disabled users and sessions older than
/// `maximumAge`.
struct SessionUserAuthenticator: AsyncMiddleware {
    static let maximumAge: TimeInterval = 12 * 3600

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if !request.url.path.hasPrefix("/api/"), request.hasSession,
           let idText = request.session.data["uid"], let id = UUID(uuidString: idText) {
            let signedInAt = request.session.data["at"].flatMap(Double.init) ?? 0
            if Date().timeIntervalSince1970 - signedInAt > Self.maximumAge {
                request.session.destroy()
            } else if let user = try await User.find(id, on: request.db), !user.disabled {
                request.auth.login(user)
            }
        }
        return try await next.respond(to: request)
    }
}

/// `Authorization: Bearer …` on `/api/v1/*` and `/metrics`: a stored, unexpired, unrevoked token of an enabled user.
struct TokenAuthenticator: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if RouteAccess.answersMachines(request.url.path), let bearer = request.headers.bearerAuthorization {
            // One query for the token and its user (a join, not an eager load: this runs on every API request).
            if let token = try await ApiToken.query(on: request.db).join(User.self, on: \ApiToken.$user.$id == \User.$id)
                .filter(\.$tokenHash == ApiToken.hash(bearer.token)).first(),
               let user = try? token.joined(User.self), token.revokedAt == nil, token.expiresAt > Date(), !user.disabled {
                token.$user.value = user
                request.auth.login(user)
                request.storage[CurrentToken.self] = token
            } else {
                request.logger.notice("refused API token: unknown, expired or revoked")
            }
        }
        return try await next.respond(to: request)
    }

    struct CurrentToken: StorageKey { typealias Value = ApiToken }
}
