import KhuyenCongCore

/// The rules of a plan's cycle, apart from the database: which moves are legal from which status, and which access
/// action each step of each source needs (AccessPolicy decides who holds it).
enum PlanCycle {
    enum Status: String, Codable, Sendable, CaseIterable {
        case draft, submitted, approved, returned

        var vietnameseName: String {
            switch self {
            case .draft: "Dự thảo"
            case .submitted: "Đã trình, chờ phê duyệt"
            case .approved: "Đã phê duyệt"
            case .returned: "Trả lại để chỉnh sửa"
            }
        }
    }

    enum Step: String, Sendable, CaseIterable {
        /// A line or a target typed in: into the draft, or, on an approved plan, a revision with its decision.
        case edit, submit, approve, `return`
    }

    /// The status after `step`, or a 409 naming the status the plan is in.
    static func move(_ step: Step, from status: Status) throws -> Status {
        switch (step, status) {
        case (.edit, .draft), (.edit, .returned), (.edit, .approved): return status
        case (.submit, .draft), (.submit, .returned): return .submitted
        case (.approve, .submitted): return .approved
        case (.return, .submitted): return .returned
        default:
            throw DomainError(.illegalTransition,
                              vi: "Kế hoạch đang ở trạng thái \"\(status.vietnameseName)\": không thể \(step.vietnameseVerb)",
                              en: "the plan is \(status.rawValue): it cannot \(step.englishVerb)")
        }
    }

    /// Who takes a step: the province enters and submits both sources; the ministry decides on the national plan;
    /// for the local plan the province officer records the provincial People's Committee's decision.
    static func action(_ step: Step, source: FundingSource) -> AccessAction {
        switch (step, source) {
        case (.edit, _), (.submit, _): .editRecord
        case (.approve, .national), (.return, .national): .ministryDecision
        case (.approve, .local), (.return, .local): .editRecord
        }
    }
}

extension PlanCycle.Step {
    var vietnameseVerb: String {
        switch self {
        case .edit: "sửa kế hoạch"
        case .submit: "trình duyệt"
        case .approve: "phê duyệt"
        case .return: "trả lại"
        }
    }

    var englishVerb: String {
        switch self {
        case .edit: "be edited"
        case .submit: "be submitted"
        case .approve: "be approved"
        case .return: "be returned"
        }
    }
}
