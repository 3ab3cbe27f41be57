import Testing
@testable import KhuyenCongCore

@Suite("Money and Vietnamese formatting")
struct MoneyAndFormatTests {
    @Test func theReferencePlanDisplaysAsOneHundredSeventyPointEightBillion() {
        #expect(VietnameseFormat.billions(Money(dong: 170_750_000_000)) == "170,8 tỷ đồng")
        #expect(VietnameseFormat.billions(Money(dong: 186_530_000_000)) == "186,5 tỷ đồng")
    }

    @Test func millionsAndWholeDongUseDotsForThousands() {
        #expect(VietnameseFormat.millions(Money(dong: 53_550_000)) == "53,6 triệu đồng")
        #expect(VietnameseFormat.dong(Money(dong: 1_234_567)) == "1.234.567 đ")
        #expect(VietnameseFormat.billions(Money(dong: 1_234_560_000_000)) == "1.234,6 tỷ đồng")
        #expect(VietnameseFormat.money(Money(dong: 999_999)) == "999.999 đ")
        #expect(VietnameseFormat.money(Money(dong: 2_500_000)) == "2,5 triệu đồng")
    }

    @Test func percentagesRoundHalfAwayFromZeroOnlyForDisplay() {
        #expect(VietnameseFormat.percent(Ratio(34_700_000_000, over: 170_750_000_000)) == "20,3%")
        #expect(VietnameseFormat.percent(Ratio(1, over: 8)) == "12,5%")       // exactly 12.5
        #expect(VietnameseFormat.percent(Ratio(1, over: 16), decimals: 1) == "6,3%")  // 6.25 → 6.3
        #expect(VietnameseFormat.change(Ratio.change(from: 186_530_000_000, to: 170_750_000_000)) == "−8,5%")
        #expect(VietnameseFormat.change(Ratio.change(from: 31_474_000_000, to: 34_700_000_000), decimals: 2) == "+10,25%")
        #expect(VietnameseFormat.percent(Ratio(5, over: 0)) == "–")
    }

    @Test func aSumThatWouldOverflowIsRefused() throws {
        let big = Money(dong: Int64.max - 10)
        #expect(throws: DomainError.self) { try big + Money(dong: 11) }
        #expect(throws: DomainError.self) { try Money.sum([big, Money(dong: 5), Money(dong: 6)]) }
        #expect(try Money.sum([Money(dong: 1), Money(dong: 2)]) == Money(dong: 3))
    }

    @Test func negativeFractionalAndSeparatedAmountsAreRefusedWhenParsed() throws {
        #expect(try Money(parsing: "170750000000").dong == 170_750_000_000)
        for bad in ["-5", "1.5", "1.000", "12a", "", "99999999999999999999"] {
            #expect(throws: DomainError.self) { try Money(parsing: bad) }
        }
        #expect(throws: DomainError.self) { try Money(dong: -1).requireNonNegative(field: "amount_vnd") }
    }

    @Test func typedAmountsMayGroupThousandsWithDots() throws {
        for typed in ["1.500.000.000", "1 500 000 000", "1500000000", " 1.500.000.000 ", "1\u{00A0}500\u{00A0}000\u{00A0}000"] {
            #expect(try Money(typed: typed).dong == 1_500_000_000, "\(typed)")
        }
        #expect(try Money(typed: "999").dong == 999)
        for bad in ["1.5", "1.50.000", "1.5000", "1..000", ".500", "1.000.", "-1.000", "1,5", "", "12a"] {
            #expect(throws: DomainError.self, "\(bad)") { try Money(typed: bad) }
        }
    }

    @Test func datesAreCalendarDatesInVietnameseStyle() throws {
        #expect(VietnameseFormat.date(CalendarDate(2026, 11, 29)) == "29/11/2026")
        #expect(try CalendarDate(parsing: "29/11/2026") == CalendarDate(2026, 11, 29))
        #expect(try CalendarDate(parsing: "2024-02-29") == CalendarDate(2024, 2, 29))
        #expect(throws: DomainError.self) { try CalendarDate(parsing: "2023-02-29") }
        #expect(throws: DomainError.self) { try CalendarDate(parsing: "31/04/2024") }
        #expect(CalendarDate(2024, 6, 10) - CalendarDate(2024, 5, 20) == 21)
        #expect(CalendarDate(2024, 12, 31).adding(days: 1) == CalendarDate(2025, 1, 1))
    }
}

@Suite("Stored dates on pages")
struct StoredDateFormatTests {
    @Test func aStoredDateShowsVietnameseStyleAndAMissingOneADash() {
        #expect(VietnameseFormat.date(stored: "2026-11-29") == "29/11/2026")
        #expect(VietnameseFormat.date(stored: nil) == "–")
        #expect(VietnameseFormat.date(stored: "2026-02-30") == "–")
    }

    @Test func aMomentShowsInVietnamsTime() {
        // 2026-11-29T19:52:18Z is 30/11/2026 02:52 in Hà Nội (UTC+7).
        #expect(VietnameseFormat.timestamp(secondsSince1970: 1_795_981_938) == "30/11/2026 02:52")
        #expect(VietnameseFormat.timestamp(secondsSince1970: 0) == "01/01/1970 07:00")
        #expect(VietnameseFormat.timestamp(secondsSince1970: -7 * 3600 - 60) == "31/12/1969 23:59")
    }

    @Test func cellsLoseTheirSurroundingSpacesTabsAndNoBreakSpaces() {
        #expect(" 12 \t".trimmingSpaces == "12")
        #expect("\u{00A0}Thanh Hóa\u{00A0}".trimmingSpaces == "Thanh Hóa")
        #expect("   ".trimmingSpaces.isEmpty)
        #expect("".trimmingSpaces.isEmpty)
        #expect("a b".trimmingSpaces == "a b")
    }
}
