/// Where a project (đề án) stands.
public enum ProjectStatus: String, CaseIterable, Codable, Sendable {
    case draft, submitted
    case appraisedProvince = "appraised_province"
    case registered
    case appraisedMinistry = "appraised_ministry"
    case approved, allocated, contracted
    case inProgress = "in_progress"
    case accepted, settled, closed, returned, rejected, cancelled, moved

    public var vietnameseName: String {
        switch self {
        case .draft: "Dự thảo"
        case .submitted: "Đã nộp"
        case .appraisedProvince: "Đã thẩm định cấp tỉnh"
        case .registered: "Đã đăng ký với Bộ"
        case .appraisedMinistry: "Đã thẩm định cấp Bộ"
        case .approved: "Đã phê duyệt"
        case .allocated: "Đã phân bổ kinh phí"
        case .contracted: "Đã ký hợp đồng"
        case .inProgress: "Đang thực hiện"
        case .accepted: "Đã nghiệm thu"
        case .settled: "Đã quyết toán"
        case .closed: "Đã kết thúc"
        case .returned: "Trả lại để chỉnh sửa"
        case .rejected: "Không phê duyệt"
        case .cancelled: "Đã hủy"
        case .moved: "Đã chuyển năm/nguồn"
        }
    }

    public var isTerminal: Bool { [.closed, .rejected, .cancelled, .moved].contains(self) }

    public init(parsing text: String) throws {
        guard let status = ProjectStatus(rawValue: text.trimmingCharacters(in: .whitespaces)) else {
            throw DomainError.invalid(vi: "Trạng thái đề án \"\(text)\" không hợp lệ",
                                      en: "project status \"\(text)\" is invalid")
        }
        self = status
    }
}

/// Who may take a step: the province that owns the project, an appraiser, or the ministry's side.
public enum Actor: String, Sendable, Codable {
    case province, appraiser, ministry
}

/// The lifecycle of DESIGN.md as a transition table. Local projects skip the ministry steps.
public enum Lifecycle {
    public struct Transition: Hashable, Sendable {
        public let from: ProjectStatus
        public let to: ProjectStatus
        public let actor: Actor
        /// A step that is a decision carries a decision number (số quyết định).
        public let isDecision: Bool

        /// What `AccessPolicy` is asked on the project before this step is taken.
        public var action: AccessAction {
            switch actor {
            case .province: .editRecord
            case .ministry: .ministryStep
            case .appraiser: .appraise
            }
        }
    }

    public static let table: [Transition] = [
        t(.draft, .submitted, .province),
        t(.draft, .cancelled, .province),
        t(.submitted, .appraisedProvince, .province, decision: true),
        t(.submitted, .returned, .province),
        t(.submitted, .rejected, .province, decision: true),
        t(.appraisedProvince, .registered, .ministry),
        t(.appraisedProvince, .approved, .province, decision: true),   // local projects only
        t(.appraisedProvince, .returned, .province),
        t(.registered, .appraisedMinistry, .ministry, decision: true),
        t(.registered, .returned, .ministry),
        t(.registered, .rejected, .ministry, decision: true),
        t(.registered, .moved, .ministry, decision: true),
        t(.appraisedMinistry, .approved, .ministry, decision: true),
        t(.appraisedMinistry, .returned, .ministry),
        t(.appraisedMinistry, .rejected, .ministry, decision: true),
        t(.approved, .allocated, .ministry, decision: true),
        t(.approved, .moved, .ministry, decision: true),
        t(.approved, .cancelled, .ministry, decision: true),
        t(.allocated, .contracted, .province),
        t(.allocated, .cancelled, .ministry, decision: true),
        t(.contracted, .inProgress, .province),
        t(.contracted, .cancelled, .ministry, decision: true),
        t(.inProgress, .accepted, .province, decision: true),
        t(.inProgress, .cancelled, .ministry, decision: true),
        t(.accepted, .settled, .province, decision: true),
        t(.settled, .closed, .ministry),
        t(.returned, .submitted, .province),
        t(.returned, .cancelled, .province),
    ]

    /// Steps that only national projects take (the ministry's registration and appraisal).
    static let ministrySteps: Set<ProjectStatus> = [.registered, .appraisedMinistry, .moved]

    /// For a local project the province allocates its own budget; for a national one the ministry does.
    public static func transition(from: ProjectStatus, to: ProjectStatus, source: FundingSource) throws -> Transition {
        let refusal = DomainError(.illegalTransition,
            vi: "Không thể chuyển đề án từ \"\(from.vietnameseName)\" sang \"\(to.vietnameseName)\"",
            en: "a project cannot move from \(from.rawValue) to \(to.rawValue)")
        guard let step = table.first(where: { $0.from == from && $0.to == to }) else { throw refusal }
        switch source {
        case .national:
            if from == .appraisedProvince && to == .approved { throw refusal }
            return step
        case .local:
            // Neither into nor out of them: a local project never stands at the ministry's registration or appraisal.
            if ministrySteps.contains(to) || ministrySteps.contains(from) { throw refusal }
            // The province decides every step of its own budget's projects.
            return Transition(from: from, to: to, actor: step.actor == .ministry ? .province : step.actor,
                              isDecision: step.isDecision)
        }
    }

    /// The usual road from a draft to `target`, for a project that got there without detours.
    public static func path(to target: ProjectStatus, source: FundingSource) -> [ProjectStatus] {
        let main: [ProjectStatus] = source == .national
            ? [.draft, .submitted, .appraisedProvince, .registered, .appraisedMinistry, .approved, .allocated,
               .contracted, .inProgress, .accepted, .settled, .closed]
            : [.draft, .submitted, .appraisedProvince, .approved, .allocated, .contracted, .inProgress, .accepted,
               .settled, .closed]
        if let index = main.firstIndex(of: target) { return Array(main[...index]) }
        switch target {
        case .returned: return [.draft, .submitted, .returned]
        case .rejected: return [.draft, .submitted, .rejected]
        case .cancelled: return [.draft, .cancelled]
        case .moved: return [.draft, .submitted, .appraisedProvince, .registered, .moved]
        default: return [.draft]
        }
    }

    private static func t(_ from: ProjectStatus, _ to: ProjectStatus, _ actor: Actor, decision: Bool = false) -> Transition {
        Transition(from: from, to: to, actor: actor, isDecision: decision)
    }
}
