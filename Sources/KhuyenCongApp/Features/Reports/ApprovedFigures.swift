import Fluent
import KhuyenCongCore

/// The summary from approved period reports only: each unit's figures as its reviewer approved them, added up
/// (units without an approved report count as nothing). The default is the latest figures, with the share of
/// approved units beside them.
enum ApprovedFigures {
    /// The last approved figures of each unit that has them (approved, or unlocked and awaiting re-approval).
    static func approvedSnapshots(_ scope: ReportScope, catalog: AdminUnitCatalog, on db: any Database) async throws -> (units: [AdminUnit], reports: [PeriodReport], approved: [ReportSummary]) {
        let units = try scope.scopeUnits(catalog: catalog)
        guard PeriodReportWorkflow.periods.contains(scope.period) else { return (units, [], []) }
        let reports = try await PeriodReport.query(on: db).filter(\.$year == scope.year).filter(\.$period == scope.period.rawValue)
            .filter(\.$unitID ~~ units.map(\.id)).all()
        return (units, reports, reports.compactMap { PeriodReportWorkflow.decode($0.approvedSnapshot) })
    }

    static func approval(_ scope: ReportScope, catalog: AdminUnitCatalog, on db: any Database) async throws -> ReportSummary.Approval? {
        guard PeriodReportWorkflow.periods.contains(scope.period) else { return nil }
        let (units, reports, _) = try await approvedSnapshots(scope, catalog: catalog, on: db)
        let approved = reports.filter { $0.status == "approved" }.count
        return .init(figures: scope.approvedOnly ? "approved" : "latest", approvedUnits: approved, units: units.count,
                     sharePct: Ratio(Int64(approved), over: Int64(units.count))?.percent)
    }

    static func summary(_ scope: ReportScope, catalog: AdminUnitCatalog, on db: any Database) async throws -> ReportSummary {
        let (_, _, snapshots) = try await approvedSnapshots(scope, catalog: catalog, on: db)
        // Start from the latest figures' frame (scope, units, names), then put the approved amounts in it.
        let frame = try ReportSummary.build(scope, current: YearRecords(), previous: YearRecords(), catalog: catalog)
        func sum(_ pick: (ReportSummary) -> Int64) throws -> Int64 { try snapshots.map(pick).reduce(0, ReportMath.checkedAdd) }
        let plan = try sum { $0.plan.amountVnd }, previousPlan = try sum { $0.plan.previousYearVnd }
        let realised = try sum { $0.realised.amountVnd }, samePeriod = try sum { $0.realised.samePeriodPreviousYearVnd }
        let rows = snapshots.flatMap(\.byCategory), sources = snapshots.flatMap(\.bySource), targets = snapshots.flatMap(\.targets)
        let byCategory = try Set(rows.map(\.category)).sorted { (Int($0) ?? 0, $0) < (Int($1) ?? 0, $1) }.map { code in
            let planned = try rows.filter { $0.category == code }.map(\.planVnd).reduce(0, ReportMath.checkedAdd)
            return ReportSummary.CategoryRow(category: code, name: rows.first { $0.category == code }?.name ?? code, planVnd: planned,
                                             sharePct: Ratio(planned, over: plan)?.percent,
                                             realisedVnd: try rows.filter { $0.category == code }.map(\.realisedVnd).reduce(0, ReportMath.checkedAdd))
        }
        let bySource = try frame.bySource.map { row in
            let planned = try sources.filter { $0.source == row.source }.map(\.planVnd).reduce(0, ReportMath.checkedAdd)
            let paid = try sources.filter { $0.source == row.source }.map(\.realisedVnd).reduce(0, ReportMath.checkedAdd)
            return ReportSummary.SourceRow(source: row.source, planVnd: planned, realisedVnd: paid, pctOfPlan: Ratio(paid, over: planned)?.percent)
        }
        let targetRows = try ReferenceData.indicators.compactMap { indicator -> ReportSummary.TargetRow? in
            let matching = targets.filter { $0.indicator == indicator.code }
            guard !matching.isEmpty else { return nil }
            return .init(indicator: indicator.code, name: indicator.vietnameseName,
                         planned: try matching.map(\.planned).reduce(0, ReportMath.checkedAdd),
                         realised: try matching.map(\.realised).reduce(0, ReportMath.checkedAdd))
        }
        // Each snapshot is one unit's; restated, several old units add up into today's.
        var perUnit: [String: (plan: Int64, realised: Int64)] = [:]
        for row in snapshots.flatMap(\.byUnit) {
            guard let unit = catalog.unit(id: row.unitID).map({ scope.restate ? catalog.restated($0) : $0 }) else { continue }
            let current = perUnit[unit.id] ?? (0, 0)
            perUnit[unit.id] = (try ReportMath.checkedAdd(current.plan, row.planVnd), try ReportMath.checkedAdd(current.realised, row.realisedVnd))
        }
        let ranks = ReportMath.rank(frame.byUnit.map { (key: $0.unitID, plan: perUnit[$0.unitID]?.plan ?? 0, realised: perUnit[$0.unitID]?.realised ?? 0) })
        let byUnit = frame.byUnit.map { row in
            let figures = perUnit[row.unitID] ?? (0, 0)
            return ReportSummary.UnitRow(unitCode: row.unitCode, unitID: row.unitID, name: row.name, planVnd: figures.plan, realisedVnd: figures.realised,
                                         pctOfPlan: Ratio(figures.realised, over: figures.plan)?.percent, rank: ranks[row.unitID] ?? 0)
        }.sorted { $0.rank < $1.rank }
        return ReportSummary(scope: frame.scope, plan: .init(amountVnd: plan, previousYearVnd: previousPlan,
                                                            changePct: Ratio.change(from: previousPlan, to: plan)?.percent),
                             realised: .init(amountVnd: realised, pctOfPlan: Ratio(realised, over: plan)?.percent,
                                             samePeriodPreviousYearVnd: samePeriod, changePct: Ratio.change(from: samePeriod, to: realised)?.percent),
                             byCategory: byCategory, bySource: bySource, targets: targetRows, byUnit: byUnit)
    }
}
