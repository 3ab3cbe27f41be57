import Testing
@testable import KhuyenCongCore

/// The pure checks on the rule rows as the law has them (issue 14); the app tests run the same through the database.
@Suite("Support rules as dated data")
struct SupportRuleBookTests {
    let law = SupportRules.law
    let day2026 = CalendarDate(2026, 3, 1)

    @Test func machineryIsCappedAtHalfTheInvestmentAndThreeHundredMillionPerEstablishment() {
        let ok = law.capBreaches(kind: "machinery", source: .national, unitCode: "38", on: day2026, support: Money(dong: 300_000_000),
                                 counterpart: Money(dong: 300_000_000), perEstablishment: [("A", Money(dong: 300_000_000))])
        #expect(ok.isEmpty)
        let tooMuch = law.capBreaches(kind: "machinery", source: .national, unitCode: "38", on: day2026, support: Money(dong: 400_000_000),
                                      counterpart: Money(dong: 300_000_000), perEstablishment: [("A", Money(dong: 400_000_000))])
        #expect(tooMuch.count == 2)
        #expect(tooMuch[1].vietnamese.contains("300,0 triệu đồng/cơ sở"))
        #expect(tooMuch[1].vietnamese.contains("Thông tư 28/2018/TT-BTC"))
    }

    @Test func aDemonstrationModelIsCappedPerModelAndBefore2018AtFiveHundredMillion() {
        let over = law.capBreaches(kind: "demo_model", source: .national, unitCode: "38", on: day2026, support: Money(dong: 1_000_000_001),
                                   counterpart: Money(dong: 3_000_000_000), perEstablishment: [])
        #expect(over.count == 1 && over[0].vietnamese.contains("/mô hình"))
        let in2016 = law.capBreaches(kind: "demo_model", source: .national, unitCode: "38", on: CalendarDate(2016, 4, 1),
                                     support: Money(dong: 600_000_000), counterpart: Money(dong: 3_000_000_000), perEstablishment: [])
        #expect(in2016.count == 1 && in2016[0].vietnamese.contains("26/2014/TTLT-BTC-BCT"))
        #expect(law.cap(kind: "machinery", source: .national, unitCode: "38", on: CalendarDate(2016, 4, 1))?.maxAmount == Money(dong: 200_000_000))
        #expect(law.cap(kind: "production_line", source: .national, unitCode: "38", on: day2026)?.maxAmount == Money(dong: 450_000_000))
    }

    @Test func localSupportFollowsTheProvinceAndANewerRowRulesFromItsDate() {
        // No province rule: no cap (the national one does not bind local support).
        #expect(law.cap(kind: "machinery", source: .local, unitCode: "38", on: day2026) == nil)
        var book = law
        book.caps.append(CapRule(kind: "machinery", source: .local, unitCode: "38", maxShareBasisPoints: 4_000,
                                 maxAmount: Money(dong: 150_000_000), per: .establishment, validFrom: CalendarDate(2024, 1, 1),
                                 legalBasis: "Nghị quyết HĐND tỉnh"))
        book.caps.append(CapRule(kind: "machinery", source: .local, unitCode: "38", maxShareBasisPoints: 4_000,
                                 maxAmount: Money(dong: 200_000_000), per: .establishment, validFrom: CalendarDate(2026, 6, 1),
                                 legalBasis: "Nghị quyết HĐND tỉnh sửa đổi"))
        #expect(book.cap(kind: "machinery", source: .local, unitCode: "38", on: day2026)?.maxAmount == Money(dong: 150_000_000))
        #expect(book.cap(kind: "machinery", source: .local, unitCode: "38", on: CalendarDate(2026, 6, 1))?.maxAmount == Money(dong: 200_000_000))
        #expect(book.cap(kind: "machinery", source: .local, unitCode: "40", on: day2026) == nil)
    }

    @Test func firstAdvancesFollowTheKind() {
        let approved = Money(dong: 1_000_000_000)
        #expect(law.advanceBreach(kind: "machinery", on: day2026, advanced: Money(dong: 700_000_000), approved: approved) == nil)
        let over = law.advanceBreach(kind: "machinery", on: day2026, advanced: Money(dong: 710_000_000), approved: approved)
        #expect(over?.vietnamese.contains("Thông tư 36/2013/TT-BCT") == true)
        #expect(law.advanceBreach(kind: "cluster_infrastructure", on: day2026, advanced: Money(dong: 300_000_000), approved: approved) == nil)
        #expect(law.advanceBreach(kind: "cluster_infrastructure", on: day2026, advanced: Money(dong: 300_000_001), approved: approved) != nil)
        #expect(law.advanceBreach(kind: "enterprise_founding", on: day2026, advanced: approved, approved: approved) == nil)
    }

    @Test func everyCategoryHasADefaultKindOfItsOwn() throws {
        for category in ReferenceData.categories {
            let kind = RuleBook.defaultKind(category: category.code)
            try law.validateKind(kind, category: category.code)
        }
        #expect(throws: DomainError.self) { try law.validateKind("machinery", category: "6") }
        #expect(RuleBook.percent(5_000) == "50%" && RuleBook.percent(3_333) == "33,33%" && RuleBook.percent(1_250) == "12,5%")
        #expect(try RuleBook.basisPoints(parsing: "33,5", field: "f") == 3_350)
        #expect(throws: DomainError.self) { try RuleBook.basisPoints(parsing: "101", field: "f") }
    }

    @Test func anEstablishmentInADisadvantagedAreaMayReceiveTheUpliftedCap() {
        func check(_ amount: Int64, priority: Bool, on date: CalendarDate = CalendarDate(2026, 3, 1)) -> [DomainError] {
            law.capBreaches(kind: "machinery", source: .national, unitCode: "38", on: date, support: Money(dong: amount),
                            counterpart: Money(dong: 600_000_000), perEstablishment: [("HTX A", Money(dong: amount))],
                            priority: priority ? ["HTX A"] : [])
        }
        #expect(check(400_000_000, priority: true).isEmpty)          // 300 × 1,5 = 450 triệu
        #expect(check(450_000_000, priority: true).isEmpty)
        let over = check(460_000_000, priority: true)
        #expect(over.count == 1)
        #expect(over[0].vietnamese.contains("450,0 triệu đồng/cơ sở (mức ưu tiên 1,5 × 300,0 triệu đồng"))
        #expect(over[0].vietnamese.contains("26/2014/TTLT-BTC-BCT, Điều 6.2"))
        #expect(check(301_000_000, priority: false).count == 1)
        // Without an uplift row in force, none applies.
        var book = law
        book.uplifts = []
        #expect(book.capBreaches(kind: "machinery", source: .national, unitCode: "38", on: CalendarDate(2026, 3, 1), support: Money(dong: 400_000_000),
                                 counterpart: Money(dong: 600_000_000), perEstablishment: [("HTX A", Money(dong: 400_000_000))], priority: ["HTX A"]).count == 1)
        // Before Circular 26/2014 there was no uplift.
        #expect(law.uplift(on: CalendarDate(2013, 6, 1)) == nil)
    }
}
