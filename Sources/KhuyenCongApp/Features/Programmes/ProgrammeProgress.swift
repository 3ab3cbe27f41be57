import Fluent
import KhuyenCongCore

/// Achievement to date: the realised outputs per indicator and the realised money of the programme's years up to a
/// report year, each year's figures taken from the report itself (`ReportSummary.build` over `YearRecords`, the
/// figures of the report JSON and the dashboard: one path per figure). The years before the report year count
/// whole (FY); the report year counts up to its period. Every year is built restated onto today's units, so a
/// province of today covers its predecessors of before the 2025 merger.
struct ProgrammeProgress: Sendable {
    /// What achievement is counted through: a report year, its period and the as-of date.
    struct Through: Sendable, Hashable {
        let year: Int
        let period: Period
        let asOf: CalendarDate

        /// The programme page: the current year of the term (or its last one), up to today.
        static func today(_ term: ProgrammeTerm, asOf: CalendarDate = .today()) -> Through {
            Through(year: min(max(asOf.year, term.firstYear), term.lastYear), period: .fullYear, asOf: asOf)
        }

        /// The report year from its start to the end of its period (Q2 → H1, Q3 → 9M, Q4 and H2 → FY), the others whole.
        func periods(_ term: ProgrammeTerm) -> [(year: Int, period: Period)] {
            guard year >= term.firstYear else { return [] }
            return (term.firstYear...min(year, term.lastYear)).map { ($0, $0 == year ? Self.toDate(period) : .fullYear) }
        }

        static func toDate(_ period: Period) -> Period {
            switch period {
            case .q1: .q1
            case .q2, .h1: .h1
            case .q3, .nineMonths: .nineMonths
            case .q4, .h2, .fullYear: .fullYear
            }
        }
    }

    /// One year's figures of one area, as its report states them.
    struct Year: Sendable, Codable {
        let year: Int
        let period: Period
        let outputs: [String: Int64]
        let realisedVnd: Money
        let realisedBySource: [String: Money]
    }

    var years: [Year] = []
    var outputs: [String: Int64] = [:]
    var realisedVnd: Money = 0
    var realisedBySource: [FundingSource: Money] = [:]

    func output(_ indicator: String) -> Int64 { outputs[indicator] ?? 0 }

    /// The achievement of each of `areas` (in their order), counting `source` only when given. Each year's records are
    /// loaded once for all areas.
    static func compute(_ areas: [ReportScope.Area], source: FundingSource?, through: Through, term: ProgrammeTerm,
                        catalog: AdminUnitCatalog? = nil, on db: any Database) async throws -> [ProgrammeProgress] {
        let catalog = try await AdminUnitCatalog.load(given: catalog, on: db)
        var result = Array(repeating: ProgrammeProgress(), count: areas.count)
        for (year, period) in through.periods(term) {
            let records = try await YearRecords.load(year: year, periods: [period], asOf: through.asOf, on: db)
            for (index, area) in areas.enumerated() {
                let scope = ReportScope(area: area, year: year, period: period, source: source, restate: true, asOf: through.asOf)
                let summary = try ReportSummary.build(scope, current: records, previous: YearRecords(), catalog: catalog)
                try result[index].add(summary)
            }
        }
        return result
    }

    static func compute(_ area: ReportScope.Area, source: FundingSource?, through: Through, term: ProgrammeTerm,
                        on db: any Database) async throws -> ProgrammeProgress {
        try await compute([area], source: source, through: through, term: term, on: db)[0]
    }

    /// Adds one year's report.
    mutating func add(_ summary: ReportSummary) throws {
        let outputs = Dictionary(summary.targets.map { ($0.indicator, $0.realised) }, uniquingKeysWith: +)
        let bySource = try Dictionary(summary.bySource.map { ($0.source.rawValue, $0.realisedVnd) }, uniquingKeysWith: { try $0 + $1 })
        years.append(Year(year: summary.scope.year, period: summary.scope.period, outputs: outputs,
                          realisedVnd: summary.realised.amountVnd, realisedBySource: bySource))
        for (code, value) in outputs { self.outputs[code] = try ReportMath.checkedAdd(self.outputs[code] ?? 0, value) }
        try realisedVnd += summary.realised.amountVnd
        for row in summary.bySource {
            try realisedBySource[row.source, default: .zero] += row.realisedVnd
        }
    }

    /// The sum of several areas' achievements (a region's provinces).
    static func sum(_ parts: [ProgrammeProgress]) throws -> ProgrammeProgress {
        var total = ProgrammeProgress()
        for part in parts {
            for (code, value) in part.outputs { total.outputs[code] = try ReportMath.checkedAdd(total.outputs[code] ?? 0, value) }
            try total.realisedVnd += part.realisedVnd
            for (source, value) in part.realisedBySource {
                try total.realisedBySource[source, default: .zero] += value
            }
        }
        if let first = parts.first {
            total.years = try first.years.indices.map { index in
                var outputs: [String: Int64] = [:], bySource: [String: Money] = [:], realised: Money = .zero
                for part in parts where index < part.years.count {
                    let year = part.years[index]
                    for (code, value) in year.outputs { outputs[code] = try ReportMath.checkedAdd(outputs[code] ?? 0, value) }
                    for (source, value) in year.realisedBySource { try bySource[source, default: .zero] += value }
                    try realised += year.realisedVnd
                }
                return Year(year: first.years[index].year, period: first.years[index].period, outputs: outputs, realisedVnd: realised,
                            realisedBySource: bySource)
            }
        }
        return total
    }
}
