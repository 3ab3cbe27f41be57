import KhuyenCongCore
import Vapor

/// The plan page's context: every string already formatted, every permission already decided; what the user typed
/// comes back in `typed` when a form is refused, so nothing is lost.
struct PlanPage: Encodable {
    struct Option: Encodable { let value: String; let label: String; let selected: Bool }
    struct Revision: Encodable { let amount: String; let approvedOn: String; let decisionNo: String; let reason: String }
    struct Line: Encodable {
        let category: String; let approved: String; let draft: String; let draftReason: String; let revisions: [Revision]
    }
    struct Target: Encodable { let category: String; let indicator: String; let approved: String; let draft: String }
    struct FileLink: Encodable { let label: String; let link: String }
    struct Allocation: Encodable { let amount: String; let allocatedOn: String; let decisionNo: String }
    /// Two decisions side by side: every line they set differently, before → after.
    struct Comparison: Encodable {
        struct Row: Encodable { let category: String; let before: String; let after: String; let change: String }
        let fromOptions: [Option]
        let toOptions: [Option]
        let heading: String?
        let rows: [Row]
    }
    struct Section: Encodable {
        let source: String
        let name: String
        let status: String
        let version: Int
        let facts: [ProjectPage.Field]
        let lines: [Line]
        let totalApproved: String
        let totalDraft: String
        let targets: [Target]
        let canSubmit: Bool
        let canDecide: Bool
        /// The People's Committee's decision (local) or the ministry's (national), for the approval form's label.
        let decisionLabel: String
        let typedDecisionNo: String
        let typedApprovedOn: String
        let typedReason: String
        let typedSigner: String
        let files: [FileLink]
        /// nil while the source has fewer than two decisions.
        let comparison: Comparison?
        /// The ministry's allocations of the national plan's budget (national source only), oldest first.
        let allocations: [Allocation]
        let allocatedTotal: String
        /// The national registration report (national source only).
        let registrationLink: String?
        /// The section's forms: `submit`, `approve`, `return`.
        var steps: [String: String] = [:]
    }
    /// What was typed into the line and target forms.
    struct Typed: Encodable {
        var lineAmount = "", lineReason = "", lineDecisionNo = "", lineApprovedOn = ""
        var targetQuantity = "", targetDecisionNo = "", targetApprovedOn = ""
    }

    let title: String
    let layout: PageLayout
    let csrf: String
    /// The line and target forms' addresses (`lines`, `targets`) and the page's own (`page`, for the comparison).
    let forms: [String: String]
    let heading: String
    let unitLink: String
    let unitName: String
    let error: String?
    let sections: [Section]
    let canEdit: Bool
    let anyApproved: Bool
    let versionNational: Int
    let versionLocal: Int
    let lineSources: [Option]
    let lineCategories: [Option]
    let targetSources: [Option]
    let targetCategories: [Option]
    let targetIndicators: [Option]
    let typed: Typed

    /// The form values a refused request sent, by field name.
    struct Sent { var form: String = ""; var fields: [String: String] = [:]; var source: String? = nil }
    /// The two decisions asked for (`?compare=national&from=0&to=2`), by their position, oldest first.
    struct Compare { let source: String; let from: Int; let to: Int }

    static func build(_ plan: PlanContents, allocations: [PlanAllocation], user: User, req: Request, error: String?, sent: Sent,
                      compare: Compare? = nil) -> PlanPage {
        let scope = RecordScope(unitID: plan.key.unit.id)
        func allows(_ action: AccessAction) -> Bool { AccessPolicy.decide(user.principal, action, scope) == .allow }
        // Exact đồng: a plan is typed and checked to the last đồng.
        let money = { (amount: Money) in VietnameseFormat.dong(amount) }
        let categories = ReferenceData.categories.filter { $0.isValid(on: CalendarDate(plan.key.year, 1, 1)) }
        func field(_ form: String, _ name: String) -> String { sent.form == form ? sent.fields[name] ?? "" : "" }
        func options(_ values: [(String, String)], form: String, name: String) -> [Option] {
            values.map { Option(value: $0.0, label: $0.1, selected: field(form, name) == $0.0) }
        }
        let sources = FundingSource.allCases.map { ($0.rawValue, $0.vietnameseName) }

        let sections = plan.sources.map { source -> Section in
            let record = source.record
            let date = VietnameseFormat.date(stored:)
            // Checked sums; each amount is bounded at the door, so these cannot overflow in practice.
            let approvedTotal = (try? Money.sum(source.lines.compactMap(\.approvedAmount))) ?? .zero
            let draftTotal = (try? Money.sum(source.lines.compactMap(\.draftAmount))) ?? .zero
            let mine = sent.source == source.source.rawValue
            var facts: [ProjectPage.Field] = []
            if let number = record?.decisionNo { facts.append(.init(label: "Quyết định phê duyệt", value: "\(number), ngày \(date(record?.approvedOn))")) }
            if let signer = record?.signer { facts.append(.init(label: "Người ký", value: signer)) }
            if let submitted = record?.submittedOn { facts.append(.init(label: "Ngày trình", value: date(submitted))) }
            if let reason = record?.returnReason { facts.append(.init(label: "Lý do trả lại", value: reason)) }
            return Section(
                source: source.source.rawValue, name: source.source.vietnameseName, status: source.status.vietnameseName,
                version: source.version, facts: facts,
                lines: source.lines.map { line in
                    Line(category: UnitPage.categoryName(line.category), approved: line.approvedAmount.map(money) ?? "–",
                         draft: line.draftAmount.map(money) ?? "–", draftReason: line.draftReason ?? "",
                         revisions: line.revisions.reversed().map {
                             Revision(amount: money($0.amount), approvedOn: date($0.approvedOn), decisionNo: $0.decisionNo, reason: $0.reason ?? "–")
                         })
                },
                totalApproved: source.lines.contains { $0.approvedAmount != nil } ? money(approvedTotal) : "–",
                totalDraft: source.lines.contains { $0.draftAmount != nil } ? money(draftTotal) : "–",
                targets: source.targets.map { target in
                    Target(category: UnitPage.categoryName(target.category),
                           indicator: ReferenceData.indicators.first { $0.code == target.indicator }?.vietnameseName ?? target.indicator,
                           approved: target.quantity.map(VietnameseFormat.count) ?? "–", draft: target.draftQuantity.map(VietnameseFormat.count) ?? "–")
                },
                canSubmit: allows(PlanCycle.action(.submit, source: source.source)) && [.draft, .returned].contains(source.status)
                    && !(source.lines.allSatisfy { $0.draftAmount == nil } && source.targets.allSatisfy { $0.draftQuantity == nil }),
                canDecide: allows(PlanCycle.action(.approve, source: source.source)) && source.status == .submitted,
                decisionLabel: source.source == .national ? "Quyết định của Bộ Công Thương" : "Quyết định của UBND tỉnh",
                typedDecisionNo: mine ? sent.fields["decisionNo"] ?? "" : "",
                typedApprovedOn: mine ? sent.fields["approvedOn"] ?? "" : "",
                typedReason: mine ? sent.fields["reason"] ?? "" : "",
                typedSigner: mine ? sent.fields["signer"] ?? "" : "",
                files: source.files.compactMap { file in
                    file.id.map { FileLink(label: "\(file.filename) (quyết định \(file.decisionNo))",
                                           link: Links.planFile(unitCode: plan.key.unit.code, year: plan.key.year, id: $0)) }
                },
                comparison: comparison(source, compare: compare?.source == source.source.rawValue ? compare : nil, money: money),
                allocations: source.source == .national
                    ? allocations.map { Allocation(amount: money($0.amountVnd), allocatedOn: date($0.allocatedOn), decisionNo: $0.decisionNo) } : [],
                allocatedTotal: money((try? Money.sum(allocations.map(\.amountVnd))) ?? .zero),
                registrationLink: source.source == .national ? Links.registration(unitCode: plan.key.unit.code, year: plan.key.year) : nil,
                steps: SiteRoute.links([.submit, .approve, .return]) { .planStep(unitCode: plan.key.unit.code, year: plan.key.year, source.source, $0) })
        }
        let categoryValues = categories.map { ($0.code, "\($0.code). \($0.vietnameseName)") }
        return PlanPage(
            title: "Kế hoạch năm \(plan.key.year) – \(plan.key.unit.name)", layout: PageLayout(req), csrf: CSRF.token(for: req),
            forms: SiteRoute.links([.lines, .targets]) { .planPart(unitCode: plan.key.unit.code, year: plan.key.year, $0) }
                .merging(["page": Links.plan(unitCode: plan.key.unit.code, year: plan.key.year)]) { $1 },
            heading: "\(plan.key.unit.name): kế hoạch khuyến công năm \(plan.key.year)",
            unitLink: Links.unit(plan.key.unit.id), unitName: plan.key.unit.name, error: error, sections: sections,
            canEdit: allows(.editRecord) && plan.sources.contains { $0.status != .submitted },
            anyApproved: plan.sources.contains { $0.status == .approved },
            versionNational: plan.source(.national).version, versionLocal: plan.source(.local).version,
            lineSources: options(sources, form: "line", name: "source"),
            lineCategories: options(categoryValues, form: "line", name: "category"),
            targetSources: options(sources, form: "target", name: "source"),
            targetCategories: options(categoryValues, form: "target", name: "category"),
            targetIndicators: options(ReferenceData.indicators.map { ($0.code, $0.vietnameseName) }, form: "target", name: "indicator"),
            typed: Typed(lineAmount: field("line", "amountVnd"), lineReason: field("line", "reason"),
                         lineDecisionNo: field("line", "decisionNo"), lineApprovedOn: field("line", "approvedOn"),
                         targetQuantity: field("target", "quantity"), targetDecisionNo: field("target", "decisionNo"),
                         targetApprovedOn: field("target", "approvedOn")))
    }
}

extension PlanPage {
    /// The comparison form of a source and, when two decisions are asked for, the lines they set differently.
    static func comparison(_ source: PlanContents.Source, compare: Compare?, money: (Money) -> String) -> Comparison? {
        let revisions = PlanRevisionComparison(source.lines)
        guard revisions.decisions.count >= 2 else { return nil }
        let range = revisions.decisions.indices
        let from = compare.map(\.from).flatMap { range.contains($0) ? $0 : nil }
        let to = compare.map(\.to).flatMap { range.contains($0) ? $0 : nil }
        func label(_ index: Int) -> String {
            let decision = revisions.decisions[index]
            return "\(decision.decisionNo), ngày \(VietnameseFormat.date(stored: decision.approvedOn))"
        }
        func options(_ selected: Int) -> [Option] {
            range.map { Option(value: String($0), label: label($0), selected: $0 == selected) }
        }
        var heading: String?
        var rows: [Comparison.Row] = []
        if let from, let to {
            heading = "Sau quyết định \(label(from)) → sau quyết định \(label(to))"
            rows = revisions.difference(from: from, to: to).map { row in
                let change = row.before.map { before in row.after.map { after in
                    // Two bounded amounts: their difference cannot overflow.
                    (after >= before ? "+" : "−") + money(Money(dong: after >= before ? after.dong - before.dong : before.dong - after.dong)) } ?? "bỏ dòng" } ?? "dòng mới"
                return .init(category: UnitPage.categoryName(row.category), before: row.before.map(money) ?? "–",
                             after: row.after.map(money) ?? "–", change: change)
            }
        }
        return Comparison(fromOptions: options(from ?? range.lowerBound), toOptions: options(to ?? range.upperBound - 1),
                          heading: heading, rows: rows)
    }
}

extension Links {
    /// The plan page of a unit (by its code on 1 January of the plan year) and year.
    static func plan(unitCode: UnitCode, year: Int) -> String { SiteRoute.plan(unitCode: unitCode, year: year).path }
}
