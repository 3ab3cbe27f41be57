import Fluent
import KhuyenCongCore
import Vapor

/// `/api/v1/programmes/2026-2030` (the national programme, with the provinces that have one) and
/// `/api/v1/programmes/2026-2030/{unitCode}` (a province's): read with achievement to date, and record or replace the
/// programme (201 when it is new, 200 when it replaces one). The ministry decides the national programme; a province
/// officer records their province's People's Committee decision.
struct ProgrammesAPIController: RouteCollection {
    static let term = ProgrammeTerm.current

    func boot(routes: any RoutesBuilder) throws {
        routes.get(.api(.programme(term: Self.term)), use: national).access(.signedIn)
        routes.post(.api(.programme(term: Self.term)), use: saveNational).access(.action(ProgrammeWorkflow.action(.country)))
        routes.get(.api(.programmeProvince(term: Self.term)), use: province).access(.record(.readRecord))
        routes.post(.api(.programmeProvince(term: Self.term)), use: saveProvince).access(.record(.editRecord))
    }

    struct Query: Decodable { let year: Int?; let period: String?; let asOf: String? }

    /// The province named in the path, once the caller may see it (404) and take `action` on it (403).
    static func province(_ req: Request, _ action: AccessAction) throws -> ProgrammeScope {
        let scope = try ProgrammeScope.province(code: try req.parameters.require("unitCode"), term: term)
        try req.authorize(.readRecord, ProgrammeWorkflow.record(scope))
        if action != .readRecord { try req.authorize(action, ProgrammeWorkflow.record(scope)) }
        return scope
    }

    static func through(_ req: Request) throws -> ProgrammeProgress.Through {
        let query = try req.query.decode(Query.self)
        return try .parse(year: query.year, period: query.period, asOf: query.asOf, term: term)
    }

    private func answer(_ scope: ProgrammeScope, _ req: Request, through: ProgrammeProgress.Through? = nil,
                        status: HTTPStatus = .ok) async throws -> Response {
        let overview = try await ProgrammeOverview.load(scope, term: Self.term, through: through ?? .today(Self.term), on: req.db)
        return try await ProgrammeDTO(overview.standing, own: overview.own, scope: scope,
                                      provinces: overview.provinces.map { $0.map { ($0.programme, $0.standing) } })
            .encodeResponse(status: status, for: req)
    }

    @Sendable func national(req: Request) async throws -> Response {
        try await answer(.country, req, through: try Self.through(req))
    }

    @Sendable func province(req: Request) async throws -> Response {
        let scope = try Self.province(req, .readRecord)
        return try await answer(scope, req, through: try Self.through(req))
    }

    @Sendable func saveNational(req: Request) async throws -> Response {
        try await save(.country, req)
    }

    @Sendable func saveProvince(req: Request) async throws -> Response {
        try await save(try Self.province(req, .editRecord), req)
    }

    private func save(_ scope: ProgrammeScope, _ req: Request) async throws -> Response {
        let edit = try ProgrammeInput.edit(try req.content.decode(ProgrammeInput.Body.self), term: Self.term)
        let created = try await ProgrammeWorkflow.save(scope, term: Self.term, edit, by: try req.requireUser(), on: req.db)
        return try await answer(scope, req, status: created ? .created : .ok)
    }
}
