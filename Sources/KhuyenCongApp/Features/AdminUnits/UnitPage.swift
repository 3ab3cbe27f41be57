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
        /// The unit the project was made under, when it is a predecessor of this one (history across the 2025 merger).
        let history: String?
    }
    /// A period report of this unit or a predecessor: where it stands, and its page.
    struct ReportRow: Encodable {
        let name: String
        let unit: String
        let status: String
        let link: String
    }

    let title: String
    let layout: PageLayout
    let showProjects: Bool
    let code: UnitCode
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
    /// This unit's period reports and its predecessors', newest first (for those who may read its records).
    let periodReports: [ReportRow]
    /// The dashboard of each plan year, on the units of that year.
    let dashboards: [Predecessor]
    /// The heading of the projects' table: it names the predecessors whose history it holds.
    let projectsNote: String?

    struct Predecessor: Encodable { let name: String; let link: String }

    static func load(unit: AdminUnit, layout: PageLayout, showProjects: Bool, today: CalendarDate, on db: any Database) async throws -> UnitPage {
        let catalog = AdminUnitCatalog.standard
        let lines = try await PlanLine.lines(of: unit.id, on: db)
        let successor = catalog.restated(unit)
        let predecessors = unit.validUntil == nil
            ? catalog.units.filter { $0.validUntil != nil && $0.successorCode == unit.code }.sorted { $0.code < $1.code } : []
        // A unit of today joins its predecessors' records as its history (what AccessPolicy gives its officers too).
        let family = [unit] + predecessors
        let projects = showProjects ? try await Project.query(on: db).filter(\.$unitID ~~ family.map(\.id))
            .sort(\.$year, .descending).sort(\.$code).all() : []
        let reports = showProjects ? try await periodReports(of: family, today: today, on: db) : []
        let dashboardYears = Array((2023...today.year).reversed())
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
                return PlanRow(year: line.year, source: line.source.vietnameseName,
                               category: categoryName(line.categoryCode),
                               amount: VietnameseFormat.money(revision.amountVnd),
                               approvedOn: VietnameseFormat.date(stored: revision.approvedOn),
                               decisionNo: revision.decisionNo, revisions: line.revisions.count)
            },
            planLinks: !showProjects ? [] : Set(lines.map(\.year) + [today.year, today.year + 1] + (predecessors.isEmpty ? [] : dashboardYears))
                .sorted(by: >).flatMap { year in
                    family.filter { (try? catalog.resolve(code: $0.code, planYear: year))?.id == $0.id }.map { member in
                        Predecessor(name: member == unit ? "Năm \(year)" : "Năm \(year) (\(member.name), mã cũ \(member.code))",
                                    link: Links.plan(unitCode: member.code, year: year))
                    }
                },
            projects: projects.map { project in
                ProjectRow(code: project.code, link: Links.project(project.code), title: project.title, year: project.year,
                           source: project.source.vietnameseName,
                           category: categoryName(project.categoryCode),
                           status: project.status.vietnameseName,
                           support: VietnameseFormat.money(project.supportApprovedVnd ?? project.supportRequestedVnd),
                           history: project.unitID == unit.id ? nil : catalog.unit(id: project.unitID).map { "\($0.name) (mã cũ \($0.code))" })
            },
            periodReports: reports,
            dashboards: dashboardYears.flatMap { year in
                family.filter { (try? catalog.resolve(code: $0.code, planYear: year))?.id == $0.id }.map { member in
                    Predecessor(name: member == unit ? "Năm \(year)" : "Năm \(year) (\(member.name))", link: Links.unitDashboard(unitCode: member.code, year: year))
                }
            },
            projectsNote: predecessors.isEmpty || !showProjects ? nil
                : "Gồm cả đề án của \(predecessors.map(\.name).joined(separator: ", ")) trước ngày 01/07/2025.")
    }

    /// The H1 and FY reports of every plan year since 2023 of the unit and its predecessors, on the units of each year.
    static func periodReports(of family: [AdminUnit], today: CalendarDate, on db: any Database) async throws -> [ReportRow] {
        let catalog = AdminUnitCatalog.standard
        let stored = try await PeriodReport.query(on: db).filter(\.$unitID ~~ family.map(\.id)).all()
        var rows: [ReportRow] = []
        for year in (2023...today.year).reversed() {
            for period in PeriodReportWorkflow.periods.reversed() {
                let due = try await PeriodReportWorkflow.dueDate(year: year, period: period, on: db)
                for member in family where (try? catalog.resolve(code: member.code, planYear: year))?.id == member.id {
                    let report = stored.first { $0.unitID == member.id && $0.year == year && $0.period == period }
                    let status: String
                    switch report?.status {
                    case nil, .draft?: status = (due.map { today > $0 } == true ? PeriodReportFiling.missing : .notDue).vietnameseName
                    case let value?: status = value.vietnameseName
                    }
                    rows.append(ReportRow(name: period.vietnameseName(year: year), unit: member.name, status: status,
                                          link: Links.periodReport(unitID: member.id, year: year, period: period)))
                }
            }
        }
        return rows
    }

    static func categoryName(_ code: String) -> String {
        ReferenceData.categories.first { $0.code == code }.map { "\($0.code). \($0.vietnameseName)" } ?? code
    }
}

extension Links {
    /// A unit's dashboard for a plan year, on the units of that year (a predecessor by its old code).
    static func unitDashboard(unitCode: UnitCode, year: Int) -> String { SiteRoute.dashboard.path(query: "unit=\(unitCode)&year=\(year)&period=FY") }
}
