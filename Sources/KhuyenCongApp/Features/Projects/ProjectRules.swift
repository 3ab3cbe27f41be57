import Fluent
import Foundation
import KhuyenCongCore

/// The law's ceilings applied to a project: support caps per establishment and the plan line's amount.
enum ProjectRules {
    static let committedStatuses: [String] = [ProjectStatus.approved, .allocated, .contracted, .inProgress, .accepted, .settled, .closed]
        .map(\.rawValue)

    static func checkCaps(_ project: Project, support: Int64, on db: any Database) async throws {
        let establishments = try await project.beneficiaries(on: db).map { (name: $0.0.name, support: Money(dong: $0.1)) }
        let breaches = SupportRules.breaches(category: project.categoryCode, planYear: project.year, support: Money(dong: support),
                                             counterpart: Money(dong: project.counterpartVnd), perEstablishment: establishments)
        guard breaches.isEmpty else {
            throw DomainError(.invalidInput, vi: breaches.map(\.vietnamese).joined(separator: "; "),
                              en: breaches.map(\.english).joined(separator: "; "))
        }
    }

    /// Σ approved support of the plan line's projects, with this one, may not exceed the line's amount in force.
    static func checkPlanLineCeiling(_ project: Project, approving amount: Int64, asOf: CalendarDate, on db: any Database) async throws {
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
        let committed = try Money.sum(others.map { Money(dong: $0.supportApprovedVnd ?? 0) })
        let total = try committed + Money(dong: amount)
        guard total.dong <= revision.amountVnd else {
            throw DomainError(.conflict,
                vi: "Vượt kế hoạch: đã duyệt \(VietnameseFormat.money(committed)) + \(VietnameseFormat.money(Money(dong: amount))) > kế hoạch \(VietnameseFormat.money(Money(dong: revision.amountVnd)))",
                en: "over the plan line: \(committed.dong) approved + \(amount) > \(revision.amountVnd)")
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
