import Fluent
import KhuyenCongCore
import Vapor

/// What the signed-in user may do on a project page right now: the forms shown, already decided.
struct ProjectActions: Encodable {
    struct Option: Encodable { let value: String; let label: String; let decision: Bool }
    struct Criterion: Encodable { let code: String; let name: String; let weight: Int; var maxScore = 100 }

    let csrf: String
    let version: Int
    let transitions: [Option]
    let appraise: Bool
    let appraisalLevel: String?
    let criteria: [Criterion]
    let disburse: Bool
    let recordOutputs: Bool
    let addBeneficiary: Bool
    /// The kinds of support a beneficiary may receive (the project's category); "" = the project's kind.
    var supportKinds: [Option] = []
    let indicators: [Option]
    /// The forms' addresses: `transitions`, `appraisals`, `beneficiaries`, `disbursements`, `outputs`.
    let forms: [String: String]
    /// Above the payment and output forms: the plan year's approved (locked) report, named, before anything is typed.
    var lockNotice: String? = nil

    static func load(_ project: Project, user: User?, request: Request) async throws -> ProjectActions? {
        guard let user else { return nil }
        let principal = user.principal
        let scope = project.recordScope
        func allowed(_ action: AccessAction) -> Bool { AccessPolicy.decide(principal, action, scope) == .allow }
        let transitions = Lifecycle.table.filter { $0.from == project.status }.compactMap { step -> Option? in
            guard let legal = try? Lifecycle.transition(from: step.from, to: step.to, source: project.source) else { return nil }
            return allowed(legal.action) ? Option(value: step.to.rawValue, label: step.to.vietnameseName, decision: legal.isDecision) : nil
        }
        let level = ProjectAppraisals.level(of: project)
        let canAppraise = principal.role == .appraiser && level != nil && allowed(.appraise)
        let disburse = allowed(.editRecord) && ProjectExecution.payingStatuses.contains(project.status)
        let recordOutputs = allowed(.editRecord) && ProjectExecution.deliveringStatuses.contains(project.status)
        var actions = ProjectActions(
            csrf: CSRF.token(for: request), version: project.version, transitions: transitions,
            appraise: canAppraise, appraisalLevel: level == "ministry" ? "Hội đồng cấp Bộ" : "Hội đồng cấp tỉnh",
            criteria: canAppraise ? try await AppraisalScoring.criteria(on: CalendarDate.today(), db: request.db)
                .map { Criterion(code: $0.code, name: $0.name, weight: $0.weight, maxScore: $0.maxScore) } : [],
            disburse: disburse, recordOutputs: recordOutputs,
            addBeneficiary: allowed(.editRecord) && ProjectEditing.editableStatuses.contains(project.status),
            supportKinds: ProjectPage.supportKinds(of: project).map { Option(value: $0.value, label: $0.label, decision: false) },
            indicators: ReferenceData.indicators.map { Option(value: $0.code, label: $0.vietnameseName, decision: false) },
            forms: SiteRoute.links([.transitions, .appraisals, .beneficiaries, .disbursements, .outputs]) { .projectPart(code: project.code, $0) })
        if disburse || recordOutputs { actions.lockNotice = try await LockedYearWarning.forProject(project, on: request.db) }
        return actions
    }
}
