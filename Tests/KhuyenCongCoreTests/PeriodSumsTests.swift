import Testing
@testable import KhuyenCongCore

@Suite("Running period sums")
struct PeriodSumsTests {
    @Test func aRowCountsInEveryPeriodOfItsPlanYearThatHoldsIt() {
        #expect(Period.containing(CalendarDate(2024, 5, 20), planYear: 2024) == [.q2, .h1, .nineMonths, .fullYear])
        #expect(Period.containing(CalendarDate(2024, 12, 31), planYear: 2024) == [.q4, .h2, .fullYear])
        #expect(Period.containing(CalendarDate(2025, 1, 10), planYear: 2024).isEmpty)
    }

    /// Sums kept row by row give the figure ReportMath computes from all the rows at once, for every period,
    /// and taking rows away again gives the figure without them.
    @Test func runningSumsAgreeWithTheReportDefinitions() throws {
        var seed: UInt64 = 20261129
        func next(_ n: Int) -> Int { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Int((seed >> 33) % UInt64(n)) }
        for _ in 0..<200 {
            let rows = (0..<next(12)).map { _ in
                DatedFigure(key: next(3), date: CalendarDate(2024 + (next(10) == 0 ? 1 : 0), 1 + next(12), 1 + next(28)),
                            value: Int64(1 + next(1_000)), basis: next(3) == 0 ? Basis.estimate : .actual)
            }
            var sums: [Int: [Period: PeriodSums]] = [:]
            for row in rows {
                for period in Period.containing(row.date, planYear: 2024) { try sums[row.key, default: [:]][period, default: PeriodSums()].add(row.value, basis: row.basis) }
            }
            for period in Period.allCases {
                let expected = try ReportMath.realisedByKey(rows, in: period.dates(in: 2024))
                for key in 0..<3 { #expect((sums[key]?[period]?.realised ?? 0) == (expected[key] ?? 0)) }
            }
            guard let first = rows.first else { continue }
            for period in Period.containing(first.date, planYear: 2024) { try sums[first.key]![period]!.add(first.value, basis: first.basis, removing: true) }
            for period in Period.allCases {
                let expected = try ReportMath.realisedByKey(Array(rows.dropFirst()), in: period.dates(in: 2024))
                #expect((sums[first.key]?[period]?.realised ?? 0) == (expected[first.key] ?? 0))
            }
        }
    }
}
