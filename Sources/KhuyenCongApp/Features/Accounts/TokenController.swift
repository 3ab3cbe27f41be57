import Fluent
import KhuyenCongCore
import Vapor

/// API tokens: `POST /api/v1/auth/token` with a user name and password; `DELETE` revokes the token in use.
struct TokenController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post(.api(.authToken), use: create).access(.public)
        routes.delete(.api(.authToken), use: revoke).access(.signedIn)
        routes.get(.api(.me), use: me).access(.signedIn)
    }

    struct Credentials: Content { let username: String; let password: String }
    struct TokenResponse: Content { let token: String; let expiresAt: Date }
    struct Me: Content { let username: String; let displayName: String; let role: Role; let unitCode: UnitCode?; let region: Region? }

    @Sendable func create(req: Request) async throws -> Response {
        let credentials = try req.content.decode(Credentials.self)
        let user: User
        do {
            user = try await SignIn.authenticate(username: credentials.username, password: credentials.password, req: req)
        } catch let error as DomainError where error.kind == .unauthenticated {
            req.logger.notice("refused token for \"\(credentials.username)\": \(error.english)")
            throw error
        }
        let (token, hash) = ApiToken.generate()
        let record = ApiToken(userID: try user.requireID(), tokenHash: hash, expiresAt: Date().addingTimeInterval(ApiToken.lifetime))
        struct TokenAudit: Encodable { let expiresAt: Date; let revokedAt: Date? }
        try await req.db.transaction { db in
            try await record.create(on: db)
            try await AuditTrail.record(actor: user.username, action: "create_token", recordType: "api_token",
                                        recordID: try record.requireID().uuidString, unitID: user.unitID,
                                        before: Nothing?.none, after: TokenAudit(expiresAt: record.expiresAt, revokedAt: nil), on: db)
        }
        return try await TokenResponse(token: token, expiresAt: record.expiresAt).encodeResponse(status: .created, for: req)
    }

    @Sendable func revoke(req: Request) async throws -> HTTPStatus {
        if let token = req.storage[TokenAuthenticator.CurrentToken.self] {
            let user = try req.requireUser()
            try await req.db.transaction { db in
                token.revokedAt = Date()
                try await token.save(on: db)
                try await AuditTrail.record(actor: user.username, action: "revoke_token", recordType: "api_token",
                                            recordID: try token.requireID().uuidString, unitID: user.unitID,
                                            before: ["revokedAt": Date?.none], after: ["revokedAt": token.revokedAt], on: db)
            }
        }
        return .noContent
    }

    @Sendable func me(req: Request) async throws -> Me {
        let user = try req.requireUser()
        let principal = user.principal
        return Me(username: user.username, displayName: user.displayName, role: user.role,
                  unitCode: principal.unitCode, region: principal.region)
    }
}
