import Fluent
import Foundation
import KhuyenCongCore
import SQLKit
import Vapor

/// The monitoring lists of DESIGN.md for a scope and plan year, as of a date: late registrations, silent units,
/// projects approved but not allocated, and missing or late period reports; and the pipeline by status.
struct Monitoring: Content, Sendable {
    struct LateSubmission: Content, Sendable { let unitCode: UnitCode; let unitName: String; let projectCode: String; let year: Int; let submittedOn: String; let daysLate: Int }
    struct SilentUnit: Content, Sendable { let unitCode: UnitCode; let name: String; let lastNationalYear: Int? }
    struct WaitingAllocation: Content, Sendable {
        let projectCode: String; let title: String; let unitName: String; let category: String; let approvedOn: String
        let approvedVnd: Money; let daysWaiting: Int
    }
    struct PeriodReportState: Content, Sendable { let unitCode: UnitCode; let name: String; let state: DeadlineState; let daysLate: Int? }
    /// A province's national plan of a year sent to the ministry after its deadline (`state` `.late`, `submittedOn`
    /// set), or not sent by the as-of date once the deadline has passed (`.missing`, days counted to the as-of date).
    struct LatePlanRegistration: Content, Sendable {
        let unitCode: UnitCode; let unitName: String; let year: Int; let deadline: String; let submittedOn: String?; let state: DeadlineState; let daysLate: Int
    }
    struct PipelineRow: Content, Sendable {
        let status: ProjectStatus; let name: String; let count: Int; let requestedVnd: Money; let approvedVnd: Money; let averageDaysInStatus: Int?
    }

    let lateSubmissions: [LateSubmission]
    let silentUnits: [SilentUnit]
    let silentYears: Int
    let waitingAllocation: [WaitingAllocation]
    let periodReports: [PeriodReportState]
    let pipeline: [PipelineRow]
    /// National plans of this plan year and the next sent late to the ministry (Department → ministry deadline).
    let latePlanRegistrations: [LatePlanRegistration]
    /// National projects forwarded late to the ministry, or not forwarded (Monitoring+Deadlines.swift).
    let lateMinistryRegistrations: [LateMinistryRegistration]
    /// Settlements overdue after the final acceptance or the close of the year's accounts.
    let overdueSettlements: [OverdueSettlement]
    /// Quarterly reports of the year missing or late.
    let quarterlyReports: [QuarterlyReportState]

    static func compute(_ scope: ReportScope, silentYears: Int = 3, catalog: AdminUnitCatalog? = nil, cache: ReportCache? = nil,
                        on db: any Database) async throws -> Monitoring {
        if let cache {
            return try await cache.value(.init(kind: "monitoring", scope: scope, detail: String(silentYears)), on: db) {
                try await compute(scope, silentYears: silentYears, catalog: catalog, on: db)
            }
        }
        // nil: the units with the region memberships of the database (M0051).
        let catalog = try await AdminUnitCatalog.load(given: catalog, on: db)
        let asOf = scope.asOf
        let scopeUnits = try scope.scopeUnits(catalog: catalog)
        // A region follows the dated membership: a record counts where its unit was (as it was) or where today's unit
        // is (restated), and today's units are those of the region now (Bình Thuận: south as it was, Lâm Đồng central).
        let region: Region? = if case .region(let region) = scope.area { region } else { nil }
        let todayCodes = Set(scopeUnits.filter { unit in region.map { catalog.restatedRegion(of: unit) == $0 } ?? true }
            .map { catalog.restated($0).code })
        func inScope(_ unitID: UnitID) -> Bool {
            guard let unit = catalog.unit(id: unitID) else { return false }
            guard let region else { return todayCodes.contains(catalog.restated(unit).code) }
            if scope.restate { return catalog.restatedRegion(of: unit) == region }
            return catalog.region(of: unit, on: min(asOf, unit.validUntil?.adding(days: -1) ?? asOf)) == region
        }
        let years = (scope.year - silentYears + 1)...(scope.year + 1)
        let sql = db as! any SQLDatabase
        let deadlines = Dictionary(try await PlanYearSetting.query(on: db).all().compactMap { setting in
            setting.id.flatMap { year in (try? CalendarDate(parsing: setting.registrationDeadline)).map { (year, $0) } }
        }, uniquingKeysWith: { a, _ in a })
        func deadline(_ year: Int) -> CalendarDate { deadlines[year] ?? ReferenceData.defaultRegistrationDeadline(planYear: year) }
        func unitName(_ unitID: UnitID) -> (UnitCode, String) {
            let unit = catalog.unit(id: unitID)
            return (unit?.code ?? UnitCode(unitID.rawValue), unit?.name ?? unitID.rawValue)
        }
        // Only the few rows each list needs are read (at national scale a plan year holds some 20,000 projects).

        // Late registrations of national projects for this plan year and the next (registered during this year).
        let lateRows = try await sql.raw("""
            SELECT code, unit_id, year, submitted_on FROM projects
            WHERE source = 'national' AND ((year = \(bind: scope.year) AND submitted_on > \(bind: deadline(scope.year).description))
                                        OR (year = \(bind: scope.year + 1) AND submitted_on > \(bind: deadline(scope.year + 1).description)))
            """).all()
        // National lists are empty when only the local source is asked for.
        let nationalAsked = scope.source != .local
        let late = try lateRows.filter { _ in nationalAsked }.compactMap { row -> LateSubmission? in
            let unitID = try row.decode(column: "unit_id", as: UnitID.self), year = try row.decode(column: "year", as: Int.self)
            guard inScope(unitID), let submitted = try? CalendarDate(parsing: try row.decode(column: "submitted_on", as: String.self)) else { return nil }
            let (code, name) = unitName(unitID)
            return LateSubmission(unitCode: code, unitName: name, projectCode: try row.decode(column: "code", as: String.self), year: year,
                                  submittedOn: submitted.description, daysLate: submitted - deadline(year))
        }.sorted { ($0.unitCode, $0.projectCode) < ($1.unitCode, $1.projectCode) }

        // Units (today's) with no national project beyond a draft in the last N plan years.
        func lastYears(_ condition: SQLQueryString) async throws -> [UnitCode: Int] {
            var result: [UnitCode: Int] = [:]
            for row in try await sql.raw("SELECT unit_id, MAX(year) AS last_year FROM projects WHERE source = 'national' AND \(condition) GROUP BY unit_id").all() {
                let unitID = try row.decode(column: "unit_id", as: UnitID.self), year = try row.decode(column: "last_year", as: Int.self)
                let code = catalog.unit(id: unitID).map { catalog.restated($0).code } ?? UnitCode(unitID.rawValue)
                result[code] = max(result[code] ?? year, year)
            }
            return result
        }
        let lastNational = try await lastYears("status <> 'draft' AND year >= \(bind: years.lowerBound) AND year <= \(bind: scope.year)")
        let earlierNational = try await lastYears("year < \(bind: years.lowerBound)")
        let silent = catalog.units(in: nil, on: asOf).filter { todayCodes.contains($0.code) && lastNational[$0.code] == nil }.map { unit in
            SilentUnit(unitCode: unit.code, name: unit.name, lastNationalYear: earlierNational[unit.code])
        }

        // Approved but not allocated. The ministry allocates budget estimates to a unit's approved national plan
        // (`plan_allocations`), not project by project: a unit's approved national projects of a year, taken in order of
        // approval (then code), count as allocated as long as the unit's allocations of that year dated on or before the
        // as-of date cover their cumulative approved support; from the first project they no longer cover, the rest
        // wait. A project with its own allocation date on or before the as-of date (or moved past allocation without
        // one) is allocated whatever the unit's allocations, but its support still counts in the cumulative sum.
        // Days waited run from the project's approval to the as-of date.
        var allocatedTo: [String: Money] = [:]
        if nationalAsked {
            for allocation in try await PlanAllocation.query(on: db).filter(\.$source == .national)
                .filter(\.$year <= scope.year).filter(\.$year >= years.lowerBound).filter(\.$allocatedOn <= asOf.description).all()
            where inScope(allocation.unitID) {
                try allocatedTo["\(allocation.unitID)/\(allocation.year)", default: 0] += allocation.amountVnd
            }
        }
        let committed = ProjectRules.committedStatuses
        // Only the projects that can wait are read, and all committed ones of the units with allocations (for the sums).
        let allocatedUnits = Set(allocatedTo.keys.map { UnitID(String($0.split(separator: "/")[0])) })
        let approvedProjects = try await Project.query(on: db).filter(\.$source == .national).filter(\.$status ~~ committed)
            .filter(\.$year <= scope.year).filter(\.$year >= years.lowerBound)
            .group(.or) { group in
                group.filter(\.$status == .approved).filter(\.$allocatedOn > asOf.description)
                if !allocatedUnits.isEmpty { group.filter(\.$unitID ~~ Array(allocatedUnits)) }
            }
            .all()
            .filter { nationalAsked && inScope($0.unitID) }
            .compactMap { project -> (Project, CalendarDate)? in
                guard let approved = project.approvedOn.flatMap({ try? CalendarDate(parsing: $0) }), approved <= asOf else { return nil }
                return (project, approved)
            }
        var waiting: [WaitingAllocation] = []
        for (_, projects) in Dictionary(grouping: approvedProjects, by: { "\($0.0.unitID)/\($0.0.year)" }) {
            let budget = allocatedTo["\(projects[0].0.unitID)/\(projects[0].0.year)"] ?? 0
            var cumulative: Money = 0
            var covered = true
            for (project, approved) in projects.sorted(by: { ($0.1, $0.0.code) < ($1.1, $1.0.code) }) {
                try cumulative += project.supportApprovedVnd ?? 0
                covered = covered && cumulative <= budget
                let ownDate = project.allocatedOn.flatMap { try? CalendarDate(parsing: $0) }
                let ownAllocation = ownDate.map { $0 <= asOf } ?? (project.status != .approved)
                if covered || ownAllocation { continue }
                waiting.append(WaitingAllocation(projectCode: project.code, title: project.title, unitName: unitName(project.unitID).1,
                                                 category: project.categoryCode, approvedOn: approved.description,
                                                 approvedVnd: project.supportApprovedVnd ?? 0, daysWaiting: asOf - approved))
            }
        }
        waiting.sort { ($0.daysWaiting, $1.projectCode) > ($1.daysWaiting, $0.projectCode) }

        // National plans sent late to the ministry, for this plan year and the next (sent during this year).
        var latePlans: [LatePlanRegistration] = []
        if nationalAsked {
            let planDeadlines = try await PlanDeadlines.load(on: db)
            for year in [scope.year, scope.year + 1] {
                let units = try scope.units(for: year, catalog: catalog)
                let statuses = Dictionary(try await PlanStatusRecord.query(on: db).filter(\.$year == year)
                    .filter(\.$source == .national).all().map { ($0.unitID, $0) }, uniquingKeysWith: { a, _ in a })
                // Plans imported before the cycle existed have approved lines but no status row: approved, never late.
                var imported = Set<UnitID>()
                for row in try await sql.raw("""
                    SELECT DISTINCT l.unit_id FROM plan_lines l JOIN plan_line_revisions r ON r.plan_line_id = l.id
                    WHERE l.year = \(bind: year) AND l.source = 'national'
                    """).all() { imported.insert(try row.decode(column: "unit_id", as: UnitID.self)) }
                let deadline = planDeadlines.ministry(year)
                for unitID in units.sorted() {
                    let record = statuses[unitID]
                    let status = PlanContents.status(record, hasApprovedLines: imported.contains(unitID))
                    guard let late = PlanDeadlines.daysLate(submittedOn: record?.submittedOn, status: status, deadline: deadline, asOf: asOf) else { continue }
                    let (code, name) = unitName(unitID)
                    latePlans.append(LatePlanRegistration(unitCode: code, unitName: name, year: year, deadline: deadline.description,
                                                          submittedOn: late.submitted?.description, state: late.submitted == nil ? .missing : .late,
                                                          daysLate: late.days))
                }
            }
        }

        // The H1 and FY reports against their deadlines in force (`DeadlineBook`, the settings page), as the report's
        // page reads them (`PeriodReportWorkflow.dueDate`; `quarterDue` reads any report step: report_h1, report_fy).
        let book = try await DeadlineBook.load(on: db)
        var reports: [PeriodReportState] = []
        if scope.period == .h1 || scope.period == .fullYear, let due = book.quarterDue(scope.year, scope.period) {
            let stored = Dictionary(try await FiledReport.load(year: scope.year, periods: [scope.period], on: db).map { ($0.unitID, $0) },
                                    uniquingKeysWith: { a, _ in a })
            for unit in scopeUnits {
                let report = stored[unit.id]
                let submitted = report?.submittedOn
                if report == nil || report?.status == .draft || submitted == nil {
                    if asOf > due { reports.append(PeriodReportState(unitCode: unit.code, name: unit.name, state: .missing, daysLate: asOf - due)) }
                } else if let submitted, submitted > due {
                    reports.append(PeriodReportState(unitCode: unit.code, name: unit.name, state: .late, daysLate: submitted - due))
                }
            }
        }

        let pipeline = try await pipeline(year: scope.year, units: scope.area == .country ? nil : Set(scopeUnits.map(\.id)),
                                          source: scope.source, asOf: asOf, on: sql)
        return Monitoring(lateSubmissions: late, silentUnits: silent, silentYears: silentYears, waitingAllocation: waiting,
                          periodReports: reports, pipeline: pipeline, latePlanRegistrations: latePlans,
                          lateMinistryRegistrations: try await lateMinistryRegistrations(scope, book: book, inScope: inScope, unitName: unitName, on: sql),
                          overdueSettlements: try await overdueSettlements(scope, book: book, inScope: inScope, unitName: unitName, on: sql),
                          quarterlyReports: try await quarterlyReports(scope, units: scopeUnits, book: book, on: db))
    }

    /// Projects of the plan year by status: counts and amounts, and the average days since each project's last
    /// event (added up per status and date in SQL, so that only a few rows come back).
    private static func pipeline(year: Int, units: Set<UnitID>?, source: FundingSource?, asOf: CalendarDate,
                                 on sql: any SQLDatabase) async throws -> [PipelineRow] {
        func sourceFilter(_ column: String) -> SQLRaw { SQLRaw(source.map { " AND \(column) = '\($0.rawValue)'" } ?? "") }
        var amounts: [ProjectStatus: (count: Int, requested: Money, approved: Money)] = [:]
        for row in try await sql.raw("""
            SELECT status, COUNT(*) AS n, CAST(SUM(support_requested_vnd) AS BIGINT) AS requested,
                   CAST(SUM(COALESCE(support_approved_vnd, 0)) AS BIGINT) AS approved
            FROM projects WHERE year = \(bind: year)\(YearRecords.unitFilter(units))\(sourceFilter("source")) GROUP BY status
            """).all() {
            amounts[try row.decode(column: "status", as: ProjectStatus.self)] = (try row.decode(column: "n", as: Int.self),
                                                                          try row.decode(column: "requested", as: Money.self),
                                                                          try row.decode(column: "approved", as: Money.self))
        }
        var waits: [ProjectStatus: (days: Int, count: Int)] = [:]
        for row in try await sql.raw("""
            SELECT status, last_date, COUNT(*) AS n FROM (
                SELECT p.status, MAX(e.on_date) AS last_date FROM projects p JOIN project_events e ON e.project_id = p.id
                WHERE p.year = \(bind: year)\(YearRecords.unitFilter(units, column: "p.unit_id"))\(sourceFilter("p.source"))
                GROUP BY p.id, p.status) last_events
            GROUP BY status, last_date
            """).all() {
            guard let date = try? CalendarDate(parsing: try row.decode(column: "last_date", as: String.self)) else { continue }
            let status = try row.decode(column: "status", as: ProjectStatus.self), count = try row.decode(column: "n", as: Int.self)
            let current = waits[status] ?? (0, 0)
            waits[status] = (current.days + (asOf - date) * count, current.count + count)
        }
        return ProjectStatus.allCases.compactMap { status -> PipelineRow? in
            guard let figures = amounts[status] else { return nil }
            let wait = waits[status]
            return PipelineRow(status: status, name: status.vietnameseName, count: figures.count,
                               requestedVnd: figures.requested, approvedVnd: figures.approved,
                               averageDaysInStatus: wait.map { $0.count == 0 || status.isTerminal ? nil : $0.days / $0.count } ?? nil)
        }
    }
}
