import Fluent
import KhuyenCongCore
import Vapor

/// `/plans/{year}/consolidation` (page, XLSX) and `/api/v1/plans/{year}/consolidation` (JSON): the ministry's
/// consolidation of the national plans, for the ministry (every province) and the region reviewers (their region).
/// The allocation form of each row posts to `/plans/{unitCode}/{year}/allocations`; the API's twin is
/// `POST /api/v1/plans/{unitCode}/{year}/allocations` (PlansAPIController). Only the ministry officer allocates.
/// The year's path segment is named `unitCode` because the router allows one parameter name per position
/// (`/plans/{unitCode}/{year}` shares it); the constant "consolidation" wins over the plan page's `{year}`.
struct ConsolidationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.consolidation(), use: page).access(.action(.ministryStep))
        routes.get(.consolidationXLSX(), use: xlsx).access(.action(.ministryStep))
        routes.get(.api(.consolidation()), use: json).access(.action(.ministryStep))
        routes.post(.planPart(.allocations), use: allocate).access(.record(.ministryDecision))
    }

    static func load(_ req: Request) async throws -> Consolidation {
        let year = try Consolidation.year(try req.parameters.require("unitCode"))
        let asOf = try req.query.get(String?.self, at: "asOf").flatMap { $0.isEmpty ? nil : $0 }
            .map { text in try PlanInput.named("asOf") { try CalendarDate(parsing: text) } } ?? .today()
        return try await Consolidation.load(year: year, asOf: asOf, for: try req.requireUser().principal, on: req.db)
    }

    @Sendable func page(req: Request) async throws -> View {
        let data = try await Self.load(req)
        return try await req.view.render("plans/consolidation", ConsolidationPage.build(data, user: try req.requireUser(), req: req))
    }

    @Sendable func json(req: Request) async throws -> Consolidation { try await Self.load(req) }

    @Sendable func xlsx(req: Request) async throws -> Response {
        let data = try await Self.load(req)
        return Response(status: .ok, headers: ["Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                               "Content-Disposition": "attachment; filename=\"tong-hop-ke-hoach-quoc-gia-\(data.year).xlsx\""],
                        body: .init(data: try XLSXWriter.write([ConsolidationPage.sheet(data)])))
    }

    /// The allocation form of a row: on success back to the consolidation page; a refusal of the domain renders the
    /// page again with the error on that row and what was typed.
    @Sendable func allocate(req: Request) async throws -> Response {
        let key = try PlansAPIController.key(req, .ministryDecision)
        let user = try req.requireUser()
        let typed = ((try? req.content.decode([String: String].self)) ?? [:]).filter { $0.key != "csrf" }
        do {
            let amount = try PlanInput.amount(typed: typed["amountVnd"] ?? "", field: "amountVnd")
            let input = try PlanAllocation.input(.init(amountVnd: amount, allocatedOn: typed["allocatedOn"] ?? "",
                                                       decisionNo: typed["decisionNo"] ?? ""), year: key.year)
            try await PlanAllocation.allocate(key, input, by: user, on: req.db)
            return req.redirect(to: Links.consolidation(year: key.year) + "#unit-\(key.unit.code)", redirectType: .normal)
        } catch let refusal as DomainError where refusal.kind != .unauthenticated {
            let data = try await Consolidation.load(year: key.year, asOf: .today(), for: user.principal, on: req.db)
            let page = ConsolidationPage.build(data, user: user, req: req,
                                               sent: .init(unitCode: key.unit.code, fields: typed, error: refusal.description))
            let response = try await req.view.render("plans/consolidation", page).encodeResponse(for: req)
            response.status = refusal.status
            return response
        }
    }
}
