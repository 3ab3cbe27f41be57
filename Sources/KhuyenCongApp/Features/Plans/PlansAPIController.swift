import Fluent
import KhuyenCongCore
import Vapor

/// `/api/v1/plans/{unitCode}/{year}`: read a plan, type lines and targets, and move each source through its cycle.
/// The steps are one route per source, so that each declares the access rule it really has: the ministry decides
/// on the national plan, the province officer records the People's Committee's decision on the local one.
struct PlansAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.api(.plan()), use: show).access(.record(.readRecord))
        routes.post(.api(.planPart(.lines)), use: saveLine).access(.record(PlanCycle.action(.edit, source: .national)))
        routes.post(.api(.planPart(.targets)), use: saveTarget).access(.record(PlanCycle.action(.edit, source: .national)))
        routes.post(.api(.planPart(.allocations)), use: allocate).access(.record(.ministryDecision))
        for source in FundingSource.allCases {
            routes.post(.api(.planStep(source, .submit)), use: { try await submit(req: $0, source: source) })
                .access(.record(PlanCycle.action(.submit, source: source)))
            routes.post(.api(.planStep(source, .approve)), use: { try await approve(req: $0, source: source) })
                .access(.record(PlanCycle.action(.approve, source: source)))
            routes.post(.api(.planStep(source, .return)), use: { try await returnPlan(req: $0, source: source) })
                .access(.record(PlanCycle.action(.return, source: source)))
        }
    }

    /// The plan named in the path, once the caller may see it (404) and take `action` on it (403).
    static func key(_ req: Request, _ action: AccessAction) throws -> PlanKey {
        let key = try PlanKey.resolve(unitCode: try req.parameters.require("unitCode"), year: try req.parameters.require("year"))
        try req.authorize(.readRecord, RecordScope(unitID: key.unit.id))
        if action != .readRecord { try req.authorize(action, RecordScope(unitID: key.unit.id)) }
        return key
    }

    private func answer(_ key: PlanKey, _ req: Request, status: HTTPStatus = .ok) async throws -> Response {
        try await PlanDTO(try await PlanContents.load(key, on: req.db), allocations: try await PlanAllocation.list(unitID: key.unit.id, year: key.year, db: req.db))
            .encodeResponse(status: status, for: req)
    }

    @Sendable func show(req: Request) async throws -> Response {
        try await answer(try Self.key(req, .readRecord), req)
    }

    @Sendable func saveLine(req: Request) async throws -> Response {
        let key = try Self.key(req, .editRecord)
        let edit = try PlanInput.line(try req.content.decode(PlanInput.LineBody.self), year: key.year)
        try await PlanWorkflow.saveLine(key, edit, by: try req.requireUser(), on: req.db)
        return try await answer(key, req, status: .created)
    }

    @Sendable func saveTarget(req: Request) async throws -> Response {
        let key = try Self.key(req, .editRecord)
        let edit = try PlanInput.target(try req.content.decode(PlanInput.TargetBody.self), year: key.year)
        try await PlanWorkflow.saveTarget(key, edit, by: try req.requireUser(), on: req.db)
        return try await answer(key, req, status: .created)
    }

    /// The ministry allocates budget estimates to the unit's approved national plan (201 with the plan and its allocations).
    @Sendable func allocate(req: Request) async throws -> Response {
        let key = try Self.key(req, .ministryDecision)
        let input = try PlanAllocation.input(try req.content.decode(PlanAllocation.Body.self), year: key.year)
        try await PlanAllocation.allocate(key, input, by: try req.requireUser(), on: req.db)
        return try await answer(key, req, status: .created)
    }

    func submit(req: Request, source: FundingSource) async throws -> Response {
        let key = try Self.key(req, PlanCycle.action(.submit, source: source))
        // The body is optional: only a version to compare.
        let body = req.body.data == nil ? nil : try req.content.decode(PlanInput.SubmitBody.self)
        try await PlanWorkflow.submit(key, source, version: try PlanInput.version(body?.version), by: try req.requireUser(), on: req.db)
        return try await answer(key, req)
    }

    func approve(req: Request, source: FundingSource) async throws -> Response {
        let key = try Self.key(req, PlanCycle.action(.approve, source: source))
        let body = try req.content.decode(PlanInput.DecisionBody.self)
        let decision = try PlanInput.decision(number: body.decisionNo, date: body.approvedOn, signer: body.signer, year: key.year)
        try await PlanWorkflow.approve(key, source, decision, version: try PlanInput.version(body.version), by: try req.requireUser(), on: req.db)
        return try await answer(key, req)
    }

    func returnPlan(req: Request, source: FundingSource) async throws -> Response {
        let key = try Self.key(req, PlanCycle.action(.return, source: source))
        let body = try req.content.decode(PlanInput.ReturnBody.self)
        try await PlanWorkflow.returnForChanges(key, source, reason: body.reason, version: try PlanInput.version(body.version),
                                                by: try req.requireUser(), on: req.db)
        return try await answer(key, req)
    }
}
