import Fluent
import Foundation
import KhuyenCongCore

/// The law's ceilings applied to a project: support caps per establishment and the plan line's amount.
enum ProjectRules {
    static let committedStatuses: [ProjectStatus] = [.approved, .allocated, .contracted, .inProgress, .accepted, .settled, .closed]

    /// The caps in force on the registration date (the submission date; today for a draft not yet submitted) for the
    /// project's kind of support and source: the national rule, or the province's own for local support (none set =
    /// no cap). Refuses with every breach, naming the rule and its legal basis.
    static func checkCaps(_ project: Project, support: Money, counterpart: Money? = nil, kind: String? = nil,
                          today: CalendarDate = .today(), on db: any Database) async throws {
        let kind = kind ?? project.supportKindCode
        let links = project.id == nil ? [] : try await project.beneficiaryLinks(on: db)
        // A beneficiary supported under a kind of its own is held to that kind's cap; the others to the project's.
        let ownKind = links.filter { ($0.supportKind ?? kind) == kind }
        let otherKinds = links.compactMap { link in
            link.supportKind.flatMap { $0 == kind ? nil : (name: link.beneficiary.name, kind: $0, support: link.supportVnd) }
        }
        let date = try project.submittedOn.map(CalendarDate.init(parsing:)) ?? today
        let book = try await RuleBook.load(on: db)
        let breaches = book.capBreaches(kind: kind, source: project.source,
                                        unitCode: AdminUnitCatalog.standard.unit(id: project.unitID)?.code ?? UnitCode(project.unitID.rawValue),
                                        on: date, support: support, counterpart: counterpart ?? project.counterpartVnd,
                                        perEstablishment: ownKind.map { (name: $0.beneficiary.name, support: $0.supportVnd) },
                                        otherKinds: otherKinds,
                                        priority: Set(links.filter { $0.beneficiary.disadvantagedArea }.map(\.beneficiary.name)))
        guard breaches.isEmpty else {
            throw DomainError(.invalidInput, vi: breaches.map(\.vietnamese).joined(separator: "; "),
                              en: breaches.map(\.english).joined(separator: "; "))
        }
    }

    /// A chosen kind of support, checked against the rule table and the category; nil when none was chosen.
    static func chosenKind(_ text: String?, category: String, on db: any Database) async throws -> String? {
        guard let code = text?.trimmingCharacters(in: .whitespaces), !code.isEmpty else { return nil }
        try await RuleBook.load(on: db).validateKind(code, category: category)
        return code
    }

    /// The advances of a project so far plus this one against its kind's first-advance share on the payment date.
    static func checkAdvance(_ project: Project, advanced: Money, approved: Money, paidOn date: CalendarDate,
                             on db: any Database) async throws {
        let book = try await RuleBook.load(on: db)
        if let refusal = book.advanceBreach(kind: project.supportKindCode, on: date, advanced: advanced, approved: approved) {
            throw refusal
        }
    }

    /// Σ approved support of the plan line's projects, with this one, may not exceed the line's amount in force.
    static func checkPlanLineCeiling(_ project: Project, approving amount: Money, asOf: CalendarDate, on db: any Database) async throws {
        guard let line = try await PlanLine.query(on: db)
            .filter(\.$unitID == project.unitID).filter(\.$year == project.year)
            .filter(\.$source == project.source).filter(\.$categoryCode == project.categoryCode)
            .with(\.$revisions).first(),
              let revision = line.revision(asOf: asOf.description) else {
            throw DomainError(.conflict, vi: "Chưa có kế hoạch kinh phí được duyệt cho nội dung này của đơn vị trong năm \(project.year)",
                              en: "there is no approved plan line for this unit, year, source and category")
        }
        let others = try await Project.query(on: db)
            .filter(\.$unitID == project.unitID).filter(\.$year == project.year)
            .filter(\.$source == project.source).filter(\.$categoryCode == project.categoryCode)
            .filter(\.$status ~~ committedStatuses).filter(\.$id != project.requireID()).all()
        let committed = try Money.sum(others.map { $0.supportApprovedVnd ?? .zero })
        let total = try committed + amount
        guard total <= revision.amountVnd else {
            throw DomainError(.conflict,
                vi: "Vượt kế hoạch: đã duyệt \(VietnameseFormat.money(committed)) + \(VietnameseFormat.money(amount)) > kế hoạch \(VietnameseFormat.money(revision.amountVnd))",
                en: "over the plan line: \(committed.dong) approved + \(amount.dong) > \(revision.amountVnd.dong)")
        }
    }

    /// Beneficiaries of this project supported in the same category within the three plan years before it.
    static func priorSupport(of project: Project, on db: any Database) async throws -> [(taxCode: String, name: String, projectCode: String, year: Int)] {
        let beneficiaries = try await project.beneficiaries(on: db).map(\.0)
        guard !beneficiaries.isEmpty else { return [] }
        let links = try await ProjectBeneficiary.query(on: db)
            .filter(\.$beneficiary.$id ~~ beneficiaries.compactMap(\.id))
            .filter(\.$project.$id != project.requireID())
            .with(\.$project).with(\.$beneficiary).all()
        return links.filter { link in
            link.project.categoryCode == project.categoryCode && (project.year - 3..<project.year).contains(link.project.year)
                && committedStatuses.contains(link.project.status)
        }.map { (taxCode: $0.beneficiary.taxCode, name: $0.beneficiary.name, projectCode: $0.project.code, year: $0.project.year) }
    }
}
