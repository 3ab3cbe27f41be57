import Fluent
import Foundation
import KhuyenCongCore
import Vapor

/// The monitoring lists of DESIGN.md for a scope and plan year, as of a date: late registrations, silent units,
/// projects approved but not allocated, and missing or late period reports; and the pipeline by status.
struct Monitoring: Content, Sendable {
    struct LateSubmission: Content, Sendable { let unitCode: String; let unitName: String; let projectCode: String; let year: Int; let submittedOn: String; let daysLate: Int }
    struct SilentUnit: Content, Sendable { let unitCode: String; let name: String; let lastNationalYear: Int? }
    struct WaitingAllocation: Content, Sendable {
        let projectCode: String; let title: String; let unitName: String; let category: String; let approvedOn: String
        let approvedVnd: Int64; let daysWaiting: Int
    }
    struct PeriodReportState: Content, Sendable { let unitCode: String; let name: String; let state: String; let daysLate: Int? }
    struct PipelineRow: Content, Sendable {
        let status: String; let name: String; let count: Int; let requestedVnd: Int64; let approvedVnd: Int64; let averageDaysInStatus: Int?
    }

    let lateSubmissions: [LateSubmission]
    let silentUnits: [SilentUnit]
    let silentYears: Int
    let waitingAllocation: [WaitingAllocation]
    let periodReports: [PeriodReportState]
    let pipeline: [PipelineRow]

    static func compute(_ scope: ReportScope, silentYears: Int = 3, catalog: AdminUnitCatalog = .standard, on db: any Database) async throws -> Monitoring {
        let asOf = scope.asOf
        let scopeUnits = try scope.scopeUnits(catalog: catalog)
        let todayCodes = Set(scopeUnits.map { catalog.restated($0).code })
        func inScope(_ unitID: String) -> Bool {
            guard let unit = catalog.unit(id: unitID) else { return false }
            return todayCodes.contains(catalog.restated(unit).code)
        }
        let years = (scope.year - silentYears + 1)...(scope.year + 1)
        let projects = try await Project.query(on: db).filter(\.$year >= years.lowerBound).filter(\.$year <= years.upperBound).all()
            .filter { inScope($0.unitID) && (scope.source == nil || $0.source == scope.source?.rawValue) }
        let deadlines = Dictionary(try await PlanYearSetting.query(on: db).all().compactMap { setting in
            setting.id.flatMap { year in (try? CalendarDate(parsing: setting.registrationDeadline)).map { (year, $0) } }
        }, uniquingKeysWith: { a, _ in a })
        func unitName(_ unitID: String) -> (String, String) {
            let unit = catalog.unit(id: unitID)
            return (unit?.code ?? unitID, unit?.name ?? unitID)
        }

        // Late registrations of national projects for this plan year and the next (registered during this year).
        let late = projects.filter { $0.source == "national" && ($0.year == scope.year || $0.year == scope.year + 1) }.compactMap { project -> LateSubmission? in
            guard let submitted = project.submittedOn.flatMap({ try? CalendarDate(parsing: $0) }) else { return nil }
            let deadline = deadlines[project.year] ?? ReferenceData.defaultRegistrationDeadline(planYear: project.year)
            guard submitted > deadline else { return nil }
            let (code, name) = unitName(project.unitID)
            return LateSubmission(unitCode: code, unitName: name, projectCode: project.code, year: project.year,
                                  submittedOn: submitted.description, daysLate: submitted - deadline)
        }.sorted { ($0.unitCode, $0.projectCode) < ($1.unitCode, $1.projectCode) }

        // Units (today's) with no national project beyond a draft in the last N plan years.
        let lastNational = Dictionary(grouping: projects.filter { $0.source == "national" && $0.status != "draft" && $0.year <= scope.year }) { project in
            catalog.unit(id: project.unitID).map { catalog.restated($0).code } ?? project.unitID
        }.mapValues { $0.map(\.year).max() }
        let allTimeNational = try await Project.query(on: db).filter(\.$source == "national").filter(\.$year < years.lowerBound).all()
        let silent = catalog.units(in: nil, on: asOf).filter { todayCodes.contains($0.code) && lastNational[$0.code] == nil }.map { unit in
            let earlier = allTimeNational.filter { catalog.unit(id: $0.unitID).map { catalog.restated($0).code } == unit.code }.map(\.year).max()
            return SilentUnit(unitCode: unit.code, name: unit.name, lastNationalYear: earlier)
        }

        let waiting = projects.filter { $0.source == "national" && $0.status == ProjectStatus.approved.rawValue && $0.year <= scope.year }
            .compactMap { project -> WaitingAllocation? in
                guard let approved = project.approvedOn.flatMap({ try? CalendarDate(parsing: $0) }), approved <= asOf else { return nil }
                return WaitingAllocation(projectCode: project.code, title: project.title, unitName: unitName(project.unitID).1,
                                         category: project.categoryCode, approvedOn: approved.description,
                                         approvedVnd: project.supportApprovedVnd ?? 0, daysWaiting: asOf - approved)
            }.sorted { $0.daysWaiting > $1.daysWaiting }

        var reports: [PeriodReportState] = []
        if scope.period == .h1 || scope.period == .fullYear {
            let due = scope.period == .h1 ? CalendarDate(scope.year, 7, 15) : CalendarDate(scope.year + 1, 1, 15)
            let stored = Dictionary(try await PeriodReport.query(on: db).filter(\.$year == scope.year)
                .filter(\.$period == scope.period.rawValue).all().map { ($0.unitID, $0) }, uniquingKeysWith: { a, _ in a })
            for unit in scopeUnits {
                let report = stored[unit.id]
                let submitted = report?.submittedOn.flatMap { try? CalendarDate(parsing: $0) }
                if report == nil || report?.status == "draft" || submitted == nil {
                    if asOf > due { reports.append(PeriodReportState(unitCode: unit.code, name: unit.name, state: "missing", daysLate: asOf - due)) }
                } else if let submitted, submitted > due {
                    reports.append(PeriodReportState(unitCode: unit.code, name: unit.name, state: "late", daysLate: submitted - due))
                }
            }
        }

        let yearProjects = projects.filter { $0.year == scope.year && Set(scopeUnits.map(\.id)).contains($0.unitID) }
        let lastEvents = try await lastEventDates(of: yearProjects, on: db)
        let pipeline = ProjectStatus.allCases.compactMap { status -> PipelineRow? in
            let group = yearProjects.filter { $0.status == status.rawValue }
            guard !group.isEmpty else { return nil }
            let waits = group.compactMap { lastEvents[$0.id!].map { asOf - $0 } }
            return PipelineRow(status: status.rawValue, name: status.vietnameseName, count: group.count,
                               requestedVnd: group.reduce(0) { $0 + $1.supportRequestedVnd },
                               approvedVnd: group.reduce(0) { $0 + ($1.supportApprovedVnd ?? 0) },
                               averageDaysInStatus: waits.isEmpty || status.isTerminal ? nil : waits.reduce(0, +) / waits.count)
        }
        return Monitoring(lateSubmissions: late, silentUnits: silent, silentYears: silentYears, waitingAllocation: waiting,
                          periodReports: reports, pipeline: pipeline)
    }

    private static func lastEventDates(of projects: [Project], on db: any Database) async throws -> [UUID: CalendarDate] {
        guard !projects.isEmpty else { return [:] }
        var result: [UUID: CalendarDate] = [:]
        for event in try await ProjectEvent.query(on: db).filter(\.$project.$id ~~ projects.compactMap(\.id)).all() {
            guard let date = try? CalendarDate(parsing: event.onDate) else { continue }
            let id = event.$project.id
            if result[id].map({ date > $0 }) ?? true { result[id] = date }
        }
        return result
    }
}
