import Fluent
import KhuyenCongCore
import Vapor

/// The summary of DESIGN.md (Command line): plan, realisation, categories, sources, targets and units.
/// Amounts are whole đồng; percentages are unrounded (nil where the base is zero).
struct ReportSummary: Content, Sendable {
    struct ScopeInfo: Codable, Sendable {
        enum Area: String, Codable, Sendable { case country, region, unit }
        let area: Area
        let region: Region?
        let unitCode: UnitCode?
        let name: String
        let year: Int
        let period: Period
        let source: FundingSource?
        let restated: Bool
        let asOf: String
    }
    struct Plan: Codable, Sendable { let amountVnd: Money; let previousYearVnd: Money; let changePct: Double? }
    struct Realised: Codable, Sendable {
        let amountVnd: Money
        let pctOfPlan: Double?
        let samePeriodPreviousYearVnd: Money
        let changePct: Double?
    }
    struct CategoryRow: Codable, Sendable { let category: String; let name: String; let planVnd: Money; let sharePct: Double?; let realisedVnd: Money }
    struct SourceRow: Codable, Sendable { let source: FundingSource; let planVnd: Money; let realisedVnd: Money; let pctOfPlan: Double? }
    struct TargetRow: Codable, Sendable { let indicator: String; let name: String; let planned: Int64; let realised: Int64 }
    struct UnitRow: Codable, Sendable {
        let unitCode: UnitCode
        let unitID: UnitID
        let name: String
        let planVnd: Money
        let realisedVnd: Money
        let pctOfPlan: Double?
        let rank: Int
    }

    /// How many of the scope's units have an approved report for the period (H1 and FY), and which figures these are.
    struct Approval: Codable, Sendable {
        /// Which figures the summary adds up: each unit's latest, or only those of its approved period report.
        enum Figures: String, Codable, Sendable { case latest, approved }
        let figures: Figures; let approvedUnits: Int; let units: Int; let sharePct: Double?

        /// "; chỉ số liệu đã duyệt, 3/15 đơn vị đã được duyệt báo cáo": the note after the as-of date.
        var note: String {
            "; \(figures == .approved ? "chỉ số liệu đã duyệt" : "số liệu mới nhất"), \(approvedUnits)/\(units) đơn vị đã được duyệt báo cáo"
        }
    }

    let scope: ScopeInfo
    var approval: Approval? = nil
    let plan: Plan
    let realised: Realised
    let byCategory: [CategoryRow]
    let bySource: [SourceRow]
    let targets: [TargetRow]
    let byUnit: [UnitRow]

    /// The one way to a scope's summary, for every view (API, pages, dashboard, command, exports, documents, period
    /// reports): the latest figures (`build` over the records of the plan year and the one before: loaded here, or
    /// `records` already loaded for several scopes, as the dashboard has them) or, with `scope.approvedOnly`, the
    /// approved period reports' figures added up (`ApprovedFigures`); with the share of approved units beside them.
    /// Through `cache` (pages and API), once per change of the data. `catalog` nil: the units with the region
    /// memberships of the database.
    static func compute(_ scope: ReportScope, catalog: AdminUnitCatalog? = nil, cache: ReportCache? = nil,
                        records: (current: YearRecords, previous: YearRecords)? = nil, on db: any Database) async throws -> ReportSummary {
        if let cache {
            return try await cache.value(.init(kind: "summary", scope: scope), on: db) {
                try await compute(scope, catalog: catalog, records: records, on: db)
            }
        }
        let catalog = try await AdminUnitCatalog.load(given: catalog, on: db)
        var summary: ReportSummary
        if scope.approvedOnly {
            summary = try await ApprovedFigures.summary(scope, catalog: catalog, on: db)
        } else if let records {
            summary = try build(scope, current: records.current, previous: records.previous, catalog: catalog)
        } else {
            summary = try await latest(scope, catalog: catalog, on: db)
        }
        summary.approval = try await ApprovedFigures.approval(scope, catalog: catalog, on: db)
        return summary
    }

    static func latest(_ scope: ReportScope, catalog: AdminUnitCatalog, on db: any Database) async throws -> ReportSummary {
        let units = try scope.units(for: scope.year, catalog: catalog)
        let previousUnits = scope.area == .country ? nil : try scope.units(for: scope.year - 1, catalog: catalog)
        let current = try await YearRecords.load(year: scope.year, periods: [scope.period], asOf: scope.asOf, units: units,
                                                 detail: .outputsSummed, on: db)
        let previous = try await YearRecords.load(year: scope.year - 1, periods: [scope.period], asOf: scope.asOf, units: previousUnits,
                                                  detail: .moneyOnly, on: db)
        return try build(scope, current: current, previous: previous, catalog: catalog)
    }

    /// The report definitions over the records: the scope's rows added up (`Totals`), then the summary made of them.
    static func build(_ scope: ReportScope, current: YearRecords, previous: YearRecords, catalog: AdminUnitCatalog) throws -> ReportSummary {
        try make(scope, totals: try Totals(scope, current: current, previous: previous, catalog: catalog), catalog: catalog)
    }

    /// The additive figures a summary is made of: the scope's totals, and their parts per category, source, unit (of
    /// the plan year) and indicator. Two of them add up into the figures of both: the approved figures are the
    /// approved snapshots' totals added up, and made into a summary as the latest figures are.
    struct Totals: Sendable, Equatable {
        /// Planned and realised amounts.
        struct Pair: Sendable, Equatable {
            var plan: Money = .zero
            var realised: Money = .zero
            static func + (a: Pair, b: Pair) throws -> Pair {
                Pair(plan: try a.plan + b.plan, realised: try a.realised + b.realised)
            }
        }
        /// Planned and realised quantities of an indicator (counts, not money).
        struct Quantities: Sendable, Equatable {
            var plan: Int64 = 0
            var realised: Int64 = 0
            static func + (a: Quantities, b: Quantities) throws -> Quantities {
                Quantities(plan: try ReportMath.checkedAdd(a.plan, b.plan), realised: try ReportMath.checkedAdd(a.realised, b.realised))
            }
        }
        var plan: Money = .zero
        var previousPlan: Money = .zero
        var realised: Money = .zero
        var samePeriodPreviousYear: Money = .zero
        /// By category code: planned and paid (a category is listed when it has a plan line or a payment).
        var byCategory: [String: Pair] = [:]
        var bySource: [FundingSource: Pair] = [:]
        /// By the unit id of the plan year (restated, if asked, when the summary is made).
        var byUnit: [UnitID: Pair] = [:]
        /// By indicator code: planned (`plan`) and realised quantities.
        var targets: [String: Quantities] = [:]

        init() {}

        /// The scope's rows of the records: plan lines, targets and realised totals (actuals superseding estimates
        /// per project, added up in `ReportTotals`) of its units, source and categories.
        init(_ scope: ReportScope, current: YearRecords, previous: YearRecords, catalog: AdminUnitCatalog) throws {
            let units = try scope.units(for: scope.year, catalog: catalog)
            let previousUnits = try scope.units(for: scope.year - 1, catalog: catalog)
            let source = scope.source
            func inScope(_ unitID: UnitID, _ rowSource: FundingSource, _ category: String, _ set: Set<UnitID>) -> Bool {
                set.contains(unitID) && (source == nil || source == rowSource) && (scope.categories?.contains(category) ?? true)
            }
            func add(_ value: Money, to total: inout Money) throws { total = try total + value }
            func add(_ value: Int64, to total: inout Int64) throws { total = try ReportMath.checkedAdd(total, value) }
            for row in current.plan where inScope(row.unitID, row.source, row.category, units) {
                try add(row.amount, to: &plan)
                try add(row.amount, to: &byCategory[row.category, default: Pair()].plan)
                try add(row.amount, to: &bySource[row.source, default: Pair()].plan)
                try add(row.amount, to: &byUnit[row.unitID, default: Pair()].plan)
            }
            for row in previous.plan where inScope(row.unitID, row.source, row.category, previousUnits) { try add(row.amount, to: &previousPlan) }
            for row in current.realised[scope.period] ?? [] where inScope(row.unitID, row.source, row.category, units) {
                guard row.measure == ReportTotals.money else {
                    try add(row.value, to: &targets[row.measure, default: Quantities()].realised)
                    continue
                }
                let amount = Money(dong: row.value)
                try add(amount, to: &realised)
                try add(amount, to: &byCategory[row.category, default: Pair()].realised)
                try add(amount, to: &bySource[row.source, default: Pair()].realised)
                try add(amount, to: &byUnit[row.unitID, default: Pair()].realised)
            }
            for row in previous.realised[scope.period] ?? []
            where row.measure == ReportTotals.money && inScope(row.unitID, row.source, row.category, previousUnits) {
                try add(Money(dong: row.value), to: &samePeriodPreviousYear)
            }
            if let summedOver = current.summedOver {
                // Summed by the database over the units the records were loaded for, which must be this scope's.
                precondition(summedOver == units, "outputs summed for other units than the scope's")
                for row in current.summedOutputs[scope.period] ?? []
                where (source == nil || source == row.source) && (scope.categories?.contains(row.category) ?? true) {
                    try add(row.value, to: &targets[row.indicator, default: Quantities()].realised)
                }
            }
            for row in current.targets where inScope(row.unitID, row.source, row.category, units) {
                try add(row.quantity, to: &targets[row.indicator, default: Quantities()].plan)
            }
        }

        static func + (a: Totals, b: Totals) throws -> Totals {
            func merge<Key: Hashable>(_ x: [Key: Pair], _ y: [Key: Pair]) throws -> [Key: Pair] {
                var result = x
                for (key, value) in y { result[key] = try (result[key] ?? Pair()) + value }
                return result
            }
            var sum = Totals()
            sum.plan = try a.plan + b.plan
            sum.previousPlan = try a.previousPlan + b.previousPlan
            sum.realised = try a.realised + b.realised
            sum.samePeriodPreviousYear = try a.samePeriodPreviousYear + b.samePeriodPreviousYear
            sum.byCategory = try merge(a.byCategory, b.byCategory)
            sum.bySource = try merge(a.bySource, b.bySource)
            sum.byUnit = try merge(a.byUnit, b.byUnit)
            sum.targets = a.targets
            for (key, value) in b.targets { sum.targets[key] = try (sum.targets[key] ?? Quantities()) + value }
            return sum
        }
    }

    /// The summary of `scope` made of `totals`: names, shares, percentages and ranks; the units of the scope (as
    /// they were in the plan year, or restated onto today's units), each with its figures.
    static func make(_ scope: ReportScope, totals t: Totals, catalog: AdminUnitCatalog) throws -> ReportSummary {
        let byCategory = t.byCategory.keys.sorted { (Int($0) ?? 0, $0) < (Int($1) ?? 0, $1) }.map { code in
            let figures = t.byCategory[code]!
            return CategoryRow(category: code, name: ReferenceData.categories.first { $0.code == code }?.vietnameseName ?? code,
                               planVnd: figures.plan, sharePct: Ratio(figures.plan, over: t.plan)?.percent, realisedVnd: figures.realised)
        }
        let bySource = (scope.source.map { [$0] } ?? FundingSource.allCases).map { src in
            let figures = t.bySource[src] ?? Totals.Pair()
            return SourceRow(source: src, planVnd: figures.plan, realisedVnd: figures.realised,
                             pctOfPlan: Ratio(figures.realised, over: figures.plan)?.percent)
        }
        let targetRows = ReferenceData.indicators.compactMap { indicator -> TargetRow? in
            guard let figures = t.targets[indicator.code], figures.plan != 0 || figures.realised != 0 else { return nil }
            return TargetRow(indicator: indicator.code, name: indicator.vietnameseName, planned: figures.plan, realised: figures.realised)
        }

        // Several units of the plan year may add up into one of today's.
        var unitList = try scope.scopeUnits(catalog: catalog).map { scope.restate ? catalog.restated($0) : $0 }
        unitList = Array(Dictionary(unitList.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }).values).sorted { $0.code < $1.code }
        var perUnit: [UnitID: Totals.Pair] = [:]
        for (unitID, figures) in t.byUnit {
            guard let unit = catalog.unit(id: unitID).map({ scope.restate ? catalog.restated($0) : $0 }) else { continue }
            perUnit[unit.id] = try (perUnit[unit.id] ?? Totals.Pair()) + figures
        }
        let ranks = ReportMath.rank(unitList.map { (key: $0.id, plan: perUnit[$0.id]?.plan ?? .zero, realised: perUnit[$0.id]?.realised ?? .zero) })
        let byUnit = unitList.map { unit in
            let figures = perUnit[unit.id] ?? Totals.Pair()
            return UnitRow(unitCode: unit.code, unitID: unit.id, name: unit.name, planVnd: figures.plan, realisedVnd: figures.realised,
                           pctOfPlan: Ratio(figures.realised, over: figures.plan)?.percent, rank: ranks[unit.id] ?? 0)
        }.sorted { $0.rank < $1.rank }

        return ReportSummary(
            scope: try scopeInfo(scope, catalog: catalog),
            plan: Plan(amountVnd: t.plan, previousYearVnd: t.previousPlan, changePct: Ratio.change(from: t.previousPlan, to: t.plan)?.percent),
            realised: Realised(amountVnd: t.realised, pctOfPlan: Ratio(t.realised, over: t.plan)?.percent,
                               samePeriodPreviousYearVnd: t.samePeriodPreviousYear,
                               changePct: Ratio.change(from: t.samePeriodPreviousYear, to: t.realised)?.percent),
            byCategory: byCategory, bySource: bySource, targets: targetRows, byUnit: byUnit)
    }

    static func scopeInfo(_ scope: ReportScope, catalog: AdminUnitCatalog) throws -> ScopeInfo {
        let source = scope.source
        switch scope.area {
        case .country:
            return ScopeInfo(area: .country, region: nil, unitCode: nil, name: "Cả nước", year: scope.year,
                             period: scope.period, source: source, restated: scope.restate, asOf: scope.asOf.description)
        case .region(let region):
            return ScopeInfo(area: .region, region: region, unitCode: nil, name: region.vietnameseName,
                             year: scope.year, period: scope.period, source: source, restated: scope.restate,
                             asOf: scope.asOf.description)
        case .unit(let code):
            let unit = try catalog.resolve(code: code, planYear: scope.year)
            let region = scope.restate ? catalog.restatedRegion(of: unit) : catalog.region(of: unit, on: CalendarDate(scope.year, 1, 1))
            return ScopeInfo(area: .unit, region: region, unitCode: code, name: unit.name,
                             year: scope.year, period: scope.period, source: source, restated: scope.restate,
                             asOf: scope.asOf.description)
        }
    }
}
