import Fluent
import KhuyenCongCore
import Vapor

/// The programme pages (`/programmes/2026-2030` and `/programmes/2026-2030/{unitCode}`) and their form. The form posts
/// to the same write as the API; a refusal renders the page again with the error and what was typed.
struct ProgrammesController: RouteCollection {
    static let term = ProgrammeTerm.current

    func boot(routes: any RoutesBuilder) throws {
        routes.get(.programme(term: Self.term), use: national).access(.signedIn)
        routes.post(.programme(term: Self.term), use: saveNational).access(.action(ProgrammeWorkflow.action(.country)))
        routes.get(.programmeProvince(term: Self.term), use: province).access(.record(.readRecord))
        routes.post(.programmeProvince(term: Self.term), use: saveProvince).access(.record(.editRecord))
    }

    private func render(_ scope: ProgrammeScope, _ req: Request, error: DomainError? = nil, typed: [String: String]? = nil) async throws -> Response {
        let overview = try await ProgrammeOverview.load(scope, term: Self.term, through: .today(Self.term), on: req.db)
        let page = ProgrammePage.build(overview, user: try req.requireUser(), req: req, error: error?.description, typed: typed)
        let response = try await req.view.render("programmes/show", page).encodeResponse(for: req)
        response.status = error?.status ?? .ok
        return response
    }

    @Sendable func national(req: Request) async throws -> Response { try await render(.country, req) }

    @Sendable func province(req: Request) async throws -> Response {
        try await render(try ProgrammesAPIController.province(req, .readRecord), req)
    }

    @Sendable func saveNational(req: Request) async throws -> Response { try await save(.country, req) }

    @Sendable func saveProvince(req: Request) async throws -> Response {
        try await save(try ProgrammesAPIController.province(req, .editRecord), req)
    }

    private func save(_ scope: ProgrammeScope, _ req: Request) async throws -> Response {
        let typed = ((try? req.content.decode([String: String].self)) ?? [:]).filter { $0.key != "csrf" }
        do {
            let edit = try ProgrammeInput.edit(form: typed, term: Self.term)
            try await ProgrammeWorkflow.save(scope, term: Self.term, edit, by: try req.requireUser(), on: req.db)
            return req.redirect(to: Links.programme(unitCode: scope.unit?.code), redirectType: .normal)
        } catch let refusal as DomainError where refusal.kind != .unauthenticated && refusal.kind != .notFound {
            return try await render(scope, req, error: refusal, typed: typed)
        }
    }
}
