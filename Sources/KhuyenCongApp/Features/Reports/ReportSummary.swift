import Fluent
import KhuyenCongCore
import Vapor

/// The summary of DESIGN.md (Command line): plan, realisation, categories, sources, targets and units.
/// Amounts are whole đồng; percentages are unrounded (nil where the base is zero).
struct ReportSummary: Content, Sendable {
    struct ScopeInfo: Codable, Sendable {
        let area: String
        let region: String?
        let unitCode: String?
        let name: String
        let year: Int
        let period: String
        let source: String?
        let restated: Bool
        let asOf: String
    }
    struct Plan: Codable, Sendable { let amountVnd: Int64; let previousYearVnd: Int64; let changePct: Double? }
    struct Realised: Codable, Sendable {
        let amountVnd: Int64
        let pctOfPlan: Double?
        let samePeriodPreviousYearVnd: Int64
        let changePct: Double?
    }
    struct CategoryRow: Codable, Sendable { let category: String; let name: String; let planVnd: Int64; let sharePct: Double?; let realisedVnd: Int64 }
    struct SourceRow: Codable, Sendable { let source: String; let planVnd: Int64; let realisedVnd: Int64; let pctOfPlan: Double? }
    struct TargetRow: Codable, Sendable { let indicator: String; let name: String; let planned: Int64; let realised: Int64 }
    struct UnitRow: Codable, Sendable {
        let unitCode: String
        let unitID: String
        let name: String
        let planVnd: Int64
        let realisedVnd: Int64
        let pctOfPlan: Double?
        let rank: Int
    }

    /// How many of the scope's units have an approved report for the period (H1 and FY), and which figures these are.
    struct Approval: Codable, Sendable { let figures: String; let approvedUnits: Int; let units: Int; let sharePct: Double? }

    let scope: ScopeInfo
    var approval: Approval? = nil
    let plan: Plan
    let realised: Realised
    let byCategory: [CategoryRow]
    let bySource: [SourceRow]
    let targets: [TargetRow]
    let byUnit: [UnitRow]

    /// Loads the rows of the plan year and the one before, and applies the report definitions; through `cache`
    /// (pages and API), once per change of the data. `catalog` nil: the units with the region memberships of the database.
    static func compute(_ scope: ReportScope, catalog: AdminUnitCatalog? = nil, cache: ReportCache? = nil,
                        on db: any Database) async throws -> ReportSummary {
        if let cache { return try await cache.value(.init(kind: "summary", scope: scope), on: db) { try await compute(scope, catalog: catalog, on: db) } }
        let catalog = try await AdminUnitCatalog.load(given: catalog, on: db)
        var summary = scope.approvedOnly ? try await ApprovedFigures.summary(scope, catalog: catalog, on: db)
                                         : try await latest(scope, catalog: catalog, on: db)
        summary.approval = try await ApprovedFigures.approval(scope, catalog: catalog, on: db)
        return summary
    }

    static func latest(_ scope: ReportScope, catalog: AdminUnitCatalog, on db: any Database) async throws -> ReportSummary {
        let units = scope.area == .country ? nil : try scope.units(for: scope.year, catalog: catalog)
        let previousUnits = scope.area == .country ? nil : try scope.units(for: scope.year - 1, catalog: catalog)
        let current = try await YearRecords.load(year: scope.year, periods: [scope.period], asOf: scope.asOf, units: units, on: db)
        let previous = try await YearRecords.load(year: scope.year - 1, periods: [scope.period], asOf: scope.asOf, units: previousUnits, on: db)
        return try build(scope, current: current, previous: previous, catalog: catalog)
    }

    static func build(_ scope: ReportScope, current: YearRecords, previous: YearRecords, catalog: AdminUnitCatalog) throws -> ReportSummary {
        let units = try scope.units(for: scope.year, catalog: catalog)
        let previousUnits = try scope.units(for: scope.year - 1, catalog: catalog)
        let source = scope.source?.rawValue
        func inScope(_ unitID: String, _ rowSource: String, _ category: String, _ set: Set<String>) -> Bool {
            set.contains(unitID) && (source == nil || source == rowSource) && (scope.categories?.contains(category) ?? true)
        }

        let plan = current.plan.filter { inScope($0.unitID, $0.source, $0.category, units) }
        let previousPlan = previous.plan.filter { inScope($0.unitID, $0.source, $0.category, previousUnits) }
        // Realised totals are per project already (actuals superseding estimates), summed in ReportTotals.
        let realised = (current.realised[scope.period] ?? []).filter { inScope($0.unitID, $0.source, $0.category, units) }
        let paid = realised.filter { $0.measure == ReportTotals.money }
        let outputs = realised.filter { $0.measure != ReportTotals.money }
        let previousPaid = (previous.realised[scope.period] ?? [])
            .filter { $0.measure == ReportTotals.money && inScope($0.unitID, $0.source, $0.category, previousUnits) }
        let targets = current.targets.filter { inScope($0.unitID, $0.source, $0.category, units) }

        func total<S: Sequence>(_ values: S) throws -> Int64 where S.Element == Int64 { try values.reduce(0, ReportMath.checkedAdd) }
        func paidWhere(_ keep: (ReportTotals.Total) -> Bool) throws -> Int64 { try total(paid.filter(keep).map(\.value)) }

        let planTotal = try total(plan.map(\.amount))
        let previousPlanTotal = try total(previousPlan.map(\.amount))
        let realisedTotal = try total(paid.map(\.value))
        let previousPaidTotal = try total(previousPaid.map(\.value))

        let categoryCodes = Set(plan.map(\.category)).union(paid.map(\.category)).sorted { (Int($0) ?? 0, $0) < (Int($1) ?? 0, $1) }
        let byCategory = try categoryCodes.map { code in
            let planned = try total(plan.filter { $0.category == code }.map(\.amount))
            return CategoryRow(category: code, name: ReferenceData.categories.first { $0.code == code }?.vietnameseName ?? code,
                               planVnd: planned, sharePct: Ratio(planned, over: planTotal)?.percent,
                               realisedVnd: try paidWhere { $0.category == code })
        }
        let sources = scope.source.map { [$0] } ?? FundingSource.allCases
        let bySource = try sources.map { src in
            let planned = try total(plan.filter { $0.source == src.rawValue }.map(\.amount))
            let realised = try paidWhere { $0.source == src.rawValue }
            return SourceRow(source: src.rawValue, planVnd: planned, realisedVnd: realised, pctOfPlan: Ratio(realised, over: planned)?.percent)
        }
        let indicatorCodes = ReferenceData.indicators.map(\.code)
        let targetRows = try indicatorCodes.compactMap { code -> TargetRow? in
            let planned = try total(targets.filter { $0.indicator == code }.map(\.quantity))
            let realised = try total(outputs.filter { $0.measure == code }.map(\.value))
            guard planned != 0 || realised != 0 else { return nil }
            return TargetRow(indicator: code, name: ReferenceData.indicators.first { $0.code == code }?.vietnameseName ?? code,
                             planned: planned, realised: realised)
        }

        // Units: as they were in the plan year, or restated onto today's units.
        func unitKey(_ unitID: String) -> AdminUnit? {
            guard let unit = catalog.unit(id: unitID) else { return nil }
            return scope.restate ? catalog.restated(unit) : unit
        }
        var unitList = try scope.scopeUnits(catalog: catalog).map { scope.restate ? catalog.restated($0) : $0 }
        unitList = Array(Dictionary(unitList.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }).values).sorted { $0.code < $1.code }
        var planByUnit: [String: Int64] = [:], paidByUnit: [String: Int64] = [:]
        for row in plan { if let unit = unitKey(row.unitID) { planByUnit[unit.id] = try ReportMath.checkedAdd(planByUnit[unit.id] ?? 0, row.amount) } }
        for row in paid {
            if let unit = unitKey(row.unitID) { paidByUnit[unit.id] = try ReportMath.checkedAdd(paidByUnit[unit.id] ?? 0, row.value) }
        }
        let ranks = ReportMath.rank(unitList.map { (key: $0.id, plan: planByUnit[$0.id] ?? 0, realised: paidByUnit[$0.id] ?? 0) })
        let byUnit = unitList.map { unit in
            UnitRow(unitCode: unit.code, unitID: unit.id, name: unit.name, planVnd: planByUnit[unit.id] ?? 0,
                    realisedVnd: paidByUnit[unit.id] ?? 0,
                    pctOfPlan: Ratio(paidByUnit[unit.id] ?? 0, over: planByUnit[unit.id] ?? 0)?.percent, rank: ranks[unit.id] ?? 0)
        }.sorted { $0.rank < $1.rank }

        let scopeInfo: ScopeInfo
        switch scope.area {
        case .country:
            scopeInfo = ScopeInfo(area: "country", region: nil, unitCode: nil, name: "Cả nước", year: scope.year,
                                  period: scope.period.rawValue, source: source, restated: scope.restate, asOf: scope.asOf.description)
        case .region(let region):
            scopeInfo = ScopeInfo(area: "region", region: region.rawValue, unitCode: nil, name: region.vietnameseName,
                                  year: scope.year, period: scope.period.rawValue, source: source, restated: scope.restate,
                                  asOf: scope.asOf.description)
        case .unit(let code):
            let unit = try catalog.resolve(code: code, planYear: scope.year)
            let region = scope.restate ? catalog.restatedRegion(of: unit) : catalog.region(of: unit, on: CalendarDate(scope.year, 1, 1))
            scopeInfo = ScopeInfo(area: "unit", region: region.rawValue, unitCode: code, name: unit.name,
                                  year: scope.year, period: scope.period.rawValue, source: source, restated: scope.restate,
                                  asOf: scope.asOf.description)
        }

        return ReportSummary(
            scope: scopeInfo,
            plan: Plan(amountVnd: planTotal, previousYearVnd: previousPlanTotal,
                       changePct: Ratio.change(from: previousPlanTotal, to: planTotal)?.percent),
            realised: Realised(amountVnd: realisedTotal, pctOfPlan: Ratio(realisedTotal, over: planTotal)?.percent,
                               samePeriodPreviousYearVnd: previousPaidTotal,
                               changePct: Ratio.change(from: previousPaidTotal, to: realisedTotal)?.percent),
            byCategory: byCategory, bySource: bySource, targets: targetRows, byUnit: byUnit)
    }
}
