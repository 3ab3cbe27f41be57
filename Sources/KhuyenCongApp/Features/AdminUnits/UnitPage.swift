import Fluent
import KhuyenCongCore

/// A unit's page: what it is, its plan lines with their revisions, and its projects.
struct UnitPage: Encodable {
    struct PlanRow: Encodable {
        let year: Int
        let source: String
        let category: String
        let amount: String
        let approvedOn: String
        let decisionNo: String
        let revisions: Int
    }
    struct ProjectRow: Encodable {
        let code: String
        let link: String
        let title: String
        let year: Int
        let source: String
        let category: String
        let status: String
        let support: String
    }

    let title: String
    let layout: PageLayout
    let showProjects: Bool
    let code: String
    let name: String
    let region: String
    let validity: String
    let successor: String?
    let successorLink: String?
    let predecessors: [Predecessor]
    let planLines: [PlanRow]
    /// The plan pages of this unit's plan years (for those who may read its records).
    let planLinks: [Predecessor]
    let projects: [ProjectRow]

    struct Predecessor: Encodable { let name: String; let link: String }

    static func load(unit: AdminUnit, layout: PageLayout, showProjects: Bool, today: CalendarDate, on db: any Database) async throws -> UnitPage {
        let catalog = AdminUnitCatalog.standard
        let lines = try await PlanLine.lines(of: unit.id, on: db)
        let projects = showProjects ? try await Project.projects(of: unit.id, on: db) : []
        let successor = catalog.restated(unit)
        let predecessors = unit.validUntil == nil
            ? catalog.units.filter { $0.validUntil != nil && $0.successorCode == unit.code }.sorted { $0.code < $1.code } : []
        return UnitPage(
            title: "\(unit.name) – Khuyến công", layout: layout, showProjects: showProjects,
            code: unit.code, name: unit.name, region: unit.region.vietnameseName,
            validity: unit.validUntil.map { "Từ \(VietnameseFormat.date(unit.validFrom)) đến hết \(VietnameseFormat.date($0.adding(days: -1)))" }
                ?? "Từ \(VietnameseFormat.date(unit.validFrom))",
            successor: successor != unit ? successor.name : nil,
            successorLink: successor != unit ? Links.unit(successor.id) : nil,
            predecessors: predecessors.map { Predecessor(name: "\($0.name) (mã cũ \($0.code))", link: Links.unit($0.id)) },
            planLines: lines.compactMap { line in
                guard let revision = line.revision(asOf: today.description) else { return nil }
                return PlanRow(year: line.year, source: (try? FundingSource(parsing: line.source))?.vietnameseName ?? line.source,
                               category: categoryName(line.categoryCode),
                               amount: VietnameseFormat.money(Money(dong: revision.amountVnd)),
                               approvedOn: VietnameseFormat.date(stored: revision.approvedOn),
                               decisionNo: revision.decisionNo, revisions: line.revisions.count)
            },
            planLinks: !showProjects ? [] : Set(lines.map(\.year) + [today.year, today.year + 1]).sorted(by: >).compactMap { year in
                (try? catalog.resolve(code: unit.code, planYear: year))?.id == unit.id
                    ? Predecessor(name: "Năm \(year)", link: Links.plan(unitCode: unit.code, year: year)) : nil
            },
            projects: projects.map { project in
                ProjectRow(code: project.code, link: Links.project(project.code), title: project.title, year: project.year,
                           source: (try? FundingSource(parsing: project.source))?.vietnameseName ?? project.source,
                           category: categoryName(project.categoryCode),
                           status: (try? ProjectStatus(parsing: project.status))?.vietnameseName ?? project.status,
                           support: VietnameseFormat.money(Money(dong: project.supportApprovedVnd ?? project.supportRequestedVnd)))
            })
    }

    static func categoryName(_ code: String) -> String {
        ReferenceData.categories.first { $0.code == code }.map { "\($0.code). \($0.vietnameseName)" } ?? code
    }
}
