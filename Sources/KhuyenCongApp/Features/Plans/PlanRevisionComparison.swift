import KhuyenCongCore

/// The decisions that shaped one source's plan, in the order they were taken, and the plan as it stood after any of
/// them: so that a page can set any two revisions side by side (issue 12, step 4).
struct PlanRevisionComparison: Sendable {
    /// One decision: every line revision it made (a plan's approval decides all its lines at once).
    struct Decision: Sendable, Equatable { let decisionNo: String; let approvedOn: String }
    struct Row: Sendable { let category: String; let before: Money?; let after: Money? }

    /// Oldest first.
    let decisions: [Decision]
    private let lines: [PlanContents.Line]

    init(_ lines: [PlanContents.Line]) {
        self.lines = lines
        var seen: [Decision] = []
        // Revisions in the order they took effect across lines: by approval date, then as recorded.
        for revision in lines.flatMap(\.revisions).sorted(by: PlanContents.Revision.inForce) {
            let decision = Decision(decisionNo: revision.decisionNo, approvedOn: revision.approvedOn)
            if !seen.contains(decision) { seen.append(decision) }
        }
        decisions = seen
    }

    /// Each line's amount after decision `index` (nil: the line did not exist yet).
    func amounts(after index: Int) -> [String: Money] {
        let decided = Array(decisions.prefix(index + 1))
        var result: [String: Money] = [:]
        for line in lines {
            result[line.category] = line.revisions.last { decided.contains(Decision(decisionNo: $0.decisionNo, approvedOn: $0.approvedOn)) }?.amount
        }
        return result
    }

    /// The lines as they stood after decision `from` and after decision `to`; lines that did not change are left out.
    func difference(from: Int, to: Int) -> [Row] {
        let before = amounts(after: from), after = amounts(after: to)
        return lines.map(\.category).compactMap { category in
            before[category] == after[category] ? nil : Row(category: category, before: before[category], after: after[category])
        }
    }
}
