import Testing
@testable import KhuyenCongCore

@Suite("Periods")
struct PeriodTests {
    @Test func eachPeriodCoversItsMonths() {
        #expect(Period.h1.dates(in: 2024) == CalendarDate(2024, 1, 1)...CalendarDate(2024, 6, 30))
        #expect(Period.q1.dates(in: 2024) == CalendarDate(2024, 1, 1)...CalendarDate(2024, 3, 31))
        #expect(Period.q4.dates(in: 2023) == CalendarDate(2023, 10, 1)...CalendarDate(2023, 12, 31))
        #expect(Period.nineMonths.dates(in: 2025) == CalendarDate(2025, 1, 1)...CalendarDate(2025, 9, 30))
        #expect(Period.h2.dates(in: 2025) == CalendarDate(2025, 7, 1)...CalendarDate(2025, 12, 31))
        #expect(Period.fullYear.dates(in: 2024).contains(CalendarDate(2024, 12, 31)))
    }

    @Test func anUnknownPeriodIsRefused() throws {
        #expect(throws: DomainError.self) { try Period(parsing: "H3") }
        #expect(try Period(parsing: "h1") == .h1)
    }

    /// A period written into a text (a record id, a file name, a message) is its stored form, never its case's name;
    /// the monitoring states and settlement deadlines keep the words the API has always sent.
    @Test func periodsAndStatesReadAsTheirStoredText() throws {
        #expect("\(Period.fullYear) \(Period.nineMonths) \(Period.h1)" == "FY 9M H1")
        #expect(Period.allCases.map(\.description) == Period.allCases.map(\.rawValue))
        #expect(DeadlineState.allCases.map(\.rawValue) == ["missing", "late"])
        #expect(SettlementDeadline.file.rawValue == "settlement_file" && SettlementDeadline.close.rawValue == "settlement_close")
    }

    @Test func actualsSupersedeEstimatesPerProjectWithinThePeriod() throws {
        let h1 = Period.h1.dates(in: 2024)
        let rows: [DatedFigure<String>] = [
            .init(key: "A", date: CalendarDate(2024, 3, 1), value: 500, basis: .estimate),
            .init(key: "A", date: CalendarDate(2024, 5, 1), value: 480, basis: .actual),
            .init(key: "B", date: CalendarDate(2024, 4, 1), value: 300, basis: .estimate),
            .init(key: "B", date: CalendarDate(2024, 8, 1), value: 999, basis: .actual),   // outside H1
        ]
        // A counts only its actual (480); B has no actual inside H1, so its estimate (300) counts.
        #expect(try ReportMath.realised(rows, in: h1) == 780)
    }

    @Test func rankingIsByPercentageThenByLargerPlan() {
        let ranks = ReportMath.rank([("a", 100, 50), ("b", 200, 100), ("c", 100, 90), ("d", 0, 0)])
        #expect(ranks == ["c": 1, "b": 2, "a": 3, "d": 4])
    }
}
