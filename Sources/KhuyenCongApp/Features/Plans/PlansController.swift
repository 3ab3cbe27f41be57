import Fluent
import KhuyenCongCore
import Vapor

/// The plan page of a unit and year, and its forms. The forms post to the same workflow as the API; a refusal
/// renders the page again with the error and what was typed.
struct PlansController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.plan(), use: show).access(.record(.readRecord))
        routes.post(.planPart(.lines), use: saveLine).access(.record(PlanCycle.action(.edit, source: .national)))
        routes.post(.planPart(.targets), use: saveTarget).access(.record(PlanCycle.action(.edit, source: .national)))
        for source in FundingSource.allCases {
            routes.post(.planStep(source, .submit), use: { try await step(req: $0, .submit, source) })
                .access(.record(PlanCycle.action(.submit, source: source)))
            // The decision may come with its file (multipart), up to the attachments' size.
            routes.on(.POST, .planStep(source, .approve), body: .collect(maxSize: ByteCount(value: Attachment.maximumSize + 1_048_576)),
                    use: { try await step(req: $0, .approve, source) })
                .access(.record(PlanCycle.action(.approve, source: source)))
            routes.post(.planStep(source, .return), use: { try await step(req: $0, .return, source) })
                .access(.record(PlanCycle.action(.return, source: source)))
        }
        routes.get(.planFile(), use: PlanDecisionFile.download).access(.record(.readRecord))
    }

    @Sendable func show(req: Request) async throws -> Response {
        try await render(try PlansAPIController.key(req, .readRecord), req)
    }

    private func render(_ key: PlanKey, _ req: Request, error: DomainError? = nil, sent: PlanPage.Sent = .init()) async throws -> Response {
        let plan = try await PlanContents.load(key, on: req.db)
        let compare = (try? req.query.get(String.self, at: "compare")).map { source in
            PlanPage.Compare(source: source, from: (try? req.query.get(Int.self, at: "from")) ?? -1, to: (try? req.query.get(Int.self, at: "to")) ?? -1)
        }
        let allocations = try await PlanAllocation.list(unitID: key.unit.id, year: key.year, db: req.db)
        let page = PlanPage.build(plan, allocations: allocations, user: try req.requireUser(), req: req, error: error?.description, sent: sent,
                                  compare: compare)
        let response = try await req.view.render("plans/show", page).encodeResponse(for: req)
        response.status = error?.status ?? .ok
        return response
    }

    /// Every form's fields as typed (all text), so that a refused form comes back filled in. The decision form is
    /// multipart (it may carry the decision's file), so its text fields are read by name.
    private func fields(_ req: Request) -> [String: String] {
        if req.headers.contentType?.type == "multipart", let form = try? req.content.decode(DecisionForm.self) {
            return ["decisionNo": form.decisionNo, "approvedOn": form.approvedOn, "signer": form.signer, "version": form.version]
                .compactMapValues { $0 }
        }
        return ((try? req.content.decode([String: String].self)) ?? [:]).filter { $0.key != "csrf" }
    }

    struct DecisionForm: Content { let decisionNo: String?; let approvedOn: String?; let signer: String?; let version: String?; let file: File? }

    /// Runs a write; on a refusal of the domain, the page again with the error and the typed values.
    private func act(_ req: Request, _ action: AccessAction, form: String, source: String? = nil,
                     _ body: @escaping (PlanKey, [String: String], User) async throws -> Void) async throws -> Response {
        let key = try PlansAPIController.key(req, action)
        let typed = fields(req)
        do {
            try await body(key, typed, try req.requireUser())
            return req.redirect(to: Links.plan(unitCode: key.unit.code, year: key.year), redirectType: .normal)
        } catch let refusal as DomainError where refusal.kind != .unauthenticated {
            return try await render(key, req, error: refusal, sent: .init(form: form, fields: typed, source: source ?? typed["source"]))
        }
    }

    @Sendable func saveLine(req: Request) async throws -> Response {
        try await act(req, .editRecord, form: "line") { key, typed, user in
            let source = try PlanInput.source(typed["source"] ?? "")
            let amount = try PlanInput.amount(typed: typed["amountVnd"] ?? "", field: "amountVnd")
            let body = PlanInput.LineBody(source: source.rawValue, category: typed["category"] ?? "", amountVnd: amount,
                                          reason: typed["reason"], decisionNo: typed["decisionNo"], approvedOn: typed["approvedOn"],
                                          version: Self.version(typed, source))
            try await PlanWorkflow.saveLine(key, try PlanInput.line(body, year: key.year), by: user, on: req.db)
        }
    }

    @Sendable func saveTarget(req: Request) async throws -> Response {
        try await act(req, .editRecord, form: "target") { key, typed, user in
            let source = try PlanInput.source(typed["source"] ?? "")
            let quantity = try PlanInput.quantity(typed: typed["quantity"] ?? "", field: "quantity")
            let body = PlanInput.TargetBody(source: source.rawValue, category: typed["category"] ?? "", indicator: typed["indicator"] ?? "",
                                            quantity: quantity, decisionNo: typed["decisionNo"], approvedOn: typed["approvedOn"],
                                            version: Self.version(typed, source))
            try await PlanWorkflow.saveTarget(key, try PlanInput.target(body, year: key.year), by: user, on: req.db)
        }
    }

    func step(req: Request, _ step: PlanCycle.Step, _ source: FundingSource) async throws -> Response {
        try await act(req, PlanCycle.action(step, source: source), form: step.rawValue, source: source.rawValue) { key, typed, user in
            let version = try Self.version(typed["version"])
            switch step {
            case .submit: try await PlanWorkflow.submit(key, source, version: version, by: user, on: req.db)
            case .approve:
                let decision = try PlanInput.decision(number: typed["decisionNo"] ?? "", date: typed["approvedOn"] ?? "",
                                                      signer: typed["signer"], year: key.year)
                let file = (try? req.content.decode(DecisionForm.self))?.file.flatMap { file in
                    file.data.readableBytes > 0 ? ProjectWorkflow.Upload(data: Data(file.data.readableBytesView), filename: file.filename) : nil
                }
                try await PlanWorkflow.approve(key, source, decision, file: file, version: version, by: user, on: req.db)
            case .return:
                try await PlanWorkflow.returnForChanges(key, source, reason: typed["reason"] ?? "", version: version, by: user, on: req.db)
            case .edit: break
            }
        }
    }

    /// The line and target forms carry both sources' versions; the one of the chosen source is compared.
    static func version(_ typed: [String: String], _ source: FundingSource) -> Int? {
        typed[source == .national ? "versionNational" : "versionLocal"].flatMap { Int($0) }
    }

    static func version(_ text: String?) throws -> Int? {
        guard let text, !text.isEmpty else { return nil }
        guard let value = Int(text) else { throw DomainError.invalid(vi: "version: không hợp lệ", en: "version: invalid") }
        return try PlanInput.version(value)
    }
}
