/// The rules of khuyến công support as dated data: kinds of support, caps per kind × source, first-advance shares,
/// deadlines and the priority uplift. The rows live in the database (seeded by `migrate` from `SupportRules.law`,
/// added to by an administrator with a new dated row, never overwritten); the checks here are pure and take the rows.
/// Shares are basis points (5 000 = 50 %), money whole đồng: never a floating-point number.

/// A kind of support (loại hỗ trợ) within a content category, with the indicator it counts toward.
public struct SupportKindRule: Hashable, Codable, Sendable {
    public let code: String
    public let category: String
    public let vietnameseName: String
    public let indicator: String?
    public let validFrom: CalendarDate
    public let validUntil: CalendarDate?
    public let legalBasis: String

    public init(code: String, category: String, vietnameseName: String, indicator: String?, validFrom: CalendarDate,
                validUntil: CalendarDate? = nil, legalBasis: String) {
        self.code = code
        self.category = category
        self.vietnameseName = vietnameseName
        self.indicator = indicator
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.legalBasis = legalBasis
    }
}

/// What a cap's amount is counted per.
public enum CapBasis: String, Codable, Sendable, CaseIterable {
    case establishment, model

    public var vietnameseName: String {
        switch self {
        case .establishment: "cơ sở"
        case .model: "mô hình"
        }
    }
}

/// A ceiling of support for a kind and source: the national rule (no unit) or a province's own (local projects).
public struct CapRule: Hashable, Codable, Sendable {
    public let kind: String
    public let source: FundingSource
    /// The province whose rule this is (local support); nil = the national rule.
    public let unitCode: UnitCode?
    /// Highest share of the investment (support + counterpart), in basis points.
    public let maxShareBasisPoints: Int64
    public let maxAmount: Money
    public let per: CapBasis
    public let validFrom: CalendarDate
    public let validUntil: CalendarDate?
    public let legalBasis: String

    public init(kind: String, source: FundingSource, unitCode: UnitCode?, maxShareBasisPoints: Int64, maxAmount: Money,
                per: CapBasis, validFrom: CalendarDate, validUntil: CalendarDate? = nil, legalBasis: String) {
        self.kind = kind
        self.source = source
        self.unitCode = unitCode
        self.maxShareBasisPoints = maxShareBasisPoints
        self.maxAmount = maxAmount
        self.per = per
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.legalBasis = legalBasis
    }
}

/// The share of the approved support that may be paid as the first advance, per kind.
public struct AdvanceRule: Hashable, Codable, Sendable {
    public let kind: String
    public let firstAdvanceBasisPoints: Int64
    public let validFrom: CalendarDate
    public let validUntil: CalendarDate?
    public let legalBasis: String

    public init(kind: String, firstAdvanceBasisPoints: Int64, validFrom: CalendarDate, validUntil: CalendarDate? = nil,
                legalBasis: String) {
        self.kind = kind
        self.firstAdvanceBasisPoints = firstAdvanceBasisPoints
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.legalBasis = legalBasis
    }
}

/// A deadline of a plan year: a fixed date, or a number of days after an event (the settlement file after the final
/// acceptance). The two registration steps and the H1/FY report dates stay in `plan_years`.
public struct DeadlineRule: Hashable, Codable, Sendable {
    public let year: Int
    public let step: String
    public let date: CalendarDate?
    public let daysAfter: Int?
    public let legalBasis: String

    public init(year: Int, step: String, date: CalendarDate?, daysAfter: Int? = nil, legalBasis: String) {
        self.year = year
        self.step = step
        self.date = date
        self.daysAfter = daysAfter
        self.legalBasis = legalBasis
    }
}

/// Support for priority areas or sectors up to this multiple of the normal level (per mille: 1 500 = 1,5×).
public struct PriorityUpliftRule: Hashable, Codable, Sendable {
    public let factorPerMille: Int64
    public let validFrom: CalendarDate
    public let validUntil: CalendarDate?
    public let legalBasis: String

    public init(factorPerMille: Int64, validFrom: CalendarDate, validUntil: CalendarDate? = nil, legalBasis: String) {
        self.factorPerMille = factorPerMille
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.legalBasis = legalBasis
    }
}

/// The rules as the law has them, seeded by `migrate` (M0039). Where a figure was not confirmed from a primary text,
/// the legal basis says so, and an administrator corrects it with a new dated row.
public enum SupportRules {
    /// Decree 45/2012/NĐ-CP took effect on 5 July 2012.
    public static let decree45 = CalendarDate(2012, 7, 5)
    /// Circular 26/2014/TTLT-BTC-BCT (18/02/2014), in force 45 days later.
    public static let circular26of2014 = CalendarDate(2014, 4, 4)
    /// Circular 28/2018/TT-BTC (28/03/2018), in force 12/05/2018.
    public static let circular28of2018 = CalendarDate(2018, 5, 12)
    static let decree235 = CalendarDate(2025, 10, 15)

    static let basis2014 = "Thông tư liên tịch 26/2014/TTLT-BTC-BCT, Điều 5"
    static let basis2018 = "Thông tư 28/2018/TT-BTC, Điều 8"
    static let advanceBasis = "Thông tư 36/2013/TT-BCT, Điều 13–14; Thông tư liên tịch 26/2014/TTLT-BTC-BCT, Điều 8"
    static let unconfirmed = "chưa đối chiếu văn bản gốc; giữ mức cũ của hệ thống — quản trị viên điều chỉnh bằng dòng mới"

    public static let kinds: [SupportKindRule] = {
        func kind(_ code: String, _ category: String, _ name: String, _ indicator: String?, from: CalendarDate = decree45) -> SupportKindRule {
            SupportKindRule(code: code, category: category, vietnameseName: name, indicator: indicator, validFrom: from,
                            legalBasis: from == decree235 ? "Nghị định 235/2025/NĐ-CP" : "Nghị định 45/2012/NĐ-CP, Điều 4")
        }
        return [
            kind("demo_model", "1", "Mô hình trình diễn kỹ thuật (công nghệ mới, sản phẩm mới)", "demo_models"),
            kind("machinery", "1", "Ứng dụng máy móc thiết bị tiên tiến, chuyển giao công nghệ", "establishments_supported"),
            kind("production_line", "1", "Ứng dụng cả dây chuyền sản xuất", "establishments_supported"),
            kind("cp_pilot_model", "2", "Mô hình thí điểm sản xuất sạch hơn", "demo_models"),
            kind("cp_assessment", "2", "Tư vấn, đánh giá sản xuất sạch hơn", "cp_assessments"),
            kind("pollution_treatment", "2", "Xử lý ô nhiễm môi trường tại cơ sở, cụm công nghiệp", "establishments_supported"),
            kind("rural_product", "3", "Phát triển sản phẩm công nghiệp nông thôn tiêu biểu", "products_recognised"),
            kind("fair", "3", "Hội chợ, triển lãm, phòng trưng bày sản phẩm", "events"),
            kind("linkage", "4", "Liên kết, cụm liên kết ngành, chuỗi giá trị", "establishments_supported"),
            kind("cluster_infrastructure", "4", "Đầu tư hạ tầng cụm công nghiệp", nil),
            kind("training", "5", "Đào tạo nghề, truyền nghề, nâng cao năng lực quản lý", "trainees"),
            kind("consulting", "5", "Tư vấn, trợ giúp cơ sở công nghiệp nông thôn", "establishments_supported"),
            kind("enterprise_founding", "5", "Hỗ trợ thành lập doanh nghiệp", "establishments_supported"),
            kind("communication", "6", "Thông tin, tuyên truyền", "events"),
            kind("system_capacity", "7", "Nâng cao năng lực hệ thống khuyến công", "trainees"),
            kind("digital_transformation", "8", "Chuyển đổi số", "establishments_supported", from: decree235),
            kind("sustainable_production", "9", "Sản xuất bền vững", "establishments_supported", from: decree235),
        ]
    }()

    public static let caps: [CapRule] = [
        CapRule(kind: "demo_model", source: .national, unitCode: nil, maxShareBasisPoints: 3_000, maxAmount: Money(dong: 500_000_000),
                per: .model, validFrom: circular26of2014, validUntil: circular28of2018, legalBasis: basis2014),
        CapRule(kind: "machinery", source: .national, unitCode: nil, maxShareBasisPoints: 5_000, maxAmount: Money(dong: 200_000_000),
                per: .establishment, validFrom: circular26of2014, validUntil: circular28of2018, legalBasis: basis2014),
        CapRule(kind: "demo_model", source: .national, unitCode: nil, maxShareBasisPoints: 3_000, maxAmount: Money(dong: 1_000_000_000),
                per: .model, validFrom: circular28of2018, legalBasis: basis2018),
        CapRule(kind: "machinery", source: .national, unitCode: nil, maxShareBasisPoints: 5_000, maxAmount: Money(dong: 300_000_000),
                per: .establishment, validFrom: circular28of2018, legalBasis: basis2018),
        CapRule(kind: "production_line", source: .national, unitCode: nil, maxShareBasisPoints: 5_000, maxAmount: Money(dong: 450_000_000),
                per: .establishment, validFrom: circular28of2018, legalBasis: basis2018 + " (cả dây chuyền: tối đa 1,5 lần mức máy móc thiết bị)"),
    ]

    public static let advances: [AdvanceRule] = {
        let seventy = ["demo_model", "machinery", "production_line", "cp_pilot_model", "cp_assessment", "training", "consulting",
                       "fair", "communication"]
        let unconfirmedThirty = ["pollution_treatment", "rural_product", "linkage", "system_capacity", "digital_transformation",
                                 "sustainable_production"]
        return seventy.map { AdvanceRule(kind: $0, firstAdvanceBasisPoints: 7_000, validFrom: decree45, legalBasis: advanceBasis) }
            + [AdvanceRule(kind: "cluster_infrastructure", firstAdvanceBasisPoints: 3_000, validFrom: decree45, legalBasis: advanceBasis),
               AdvanceRule(kind: "enterprise_founding", firstAdvanceBasisPoints: 10_000, validFrom: decree45, legalBasis: advanceBasis)]
            + unconfirmedThirty.map { AdvanceRule(kind: $0, firstAdvanceBasisPoints: 3_000, validFrom: decree45,
                                                  legalBasis: "Tạm ứng 30% (\(unconfirmed))") }
    }()

    public static let priorityUplift = PriorityUpliftRule(factorPerMille: 1_500, validFrom: circular26of2014,
                                                          legalBasis: "Thông tư liên tịch 26/2014/TTLT-BTC-BCT, Điều 6.2 (địa bàn, ngành nghề ưu tiên)")

    /// The deadlines of a plan year besides the registration steps and the H1/FY reports (kept in `plan_years`):
    /// the settlement file 15 days after the final acceptance, the accounts settled by 22 January of the next year
    /// (Circular 36/2013 Art. 18), and the provincial People's Committee's quarterly reports (Decree 45/2012 Art. 16).
    public static func deadlines(year: Int) -> [DeadlineRule] {
        let settlement = "Thông tư 36/2013/TT-BCT, Điều 18"
        let quarterly = "Nghị định 45/2012/NĐ-CP, Điều 16 (báo cáo quý; hạn ngày 15 tháng sau quý — \(unconfirmed))"
        return [
            DeadlineRule(year: year, step: "settlement_file", date: nil, daysAfter: 15, legalBasis: settlement + " (15 ngày sau nghiệm thu cuối cùng)"),
            DeadlineRule(year: year, step: "settlement_close", date: CalendarDate(year + 1, 1, 22), legalBasis: settlement),
            DeadlineRule(year: year, step: "report_q1", date: CalendarDate(year, 4, 15), legalBasis: quarterly),
            DeadlineRule(year: year, step: "report_q2", date: CalendarDate(year, 7, 15), legalBasis: quarterly),
            DeadlineRule(year: year, step: "report_q3", date: CalendarDate(year, 10, 15), legalBasis: quarterly),
            DeadlineRule(year: year, step: "report_q4", date: CalendarDate(year + 1, 1, 15), legalBasis: quarterly),
        ]
    }

    /// The plan years whose deadlines `migrate` seeds; a later year gets its rows from an administrator.
    public static let seededYears = 2013...2035

    /// The law as seeded, as one book (for pure tests and the seed).
    public static var law: RuleBook { RuleBook(kinds: kinds, caps: caps, advances: advances, uplifts: [priorityUplift]) }
}

extension SupportRules {
    /// The first-advance share in whole percent of a category's default kind as seeded (on 1 January of the plan
    /// year). Only for readers not yet on the database's rule tables (the data-quality findings); the checks use
    /// `RuleBook.advanceBreach` on the rows in force.
    public static func advanceShare(category: String, planYear: Int) -> Int64 {
        (law.advance(kind: RuleBook.defaultKind(category: category), on: CalendarDate(planYear, 1, 1))?.firstAdvanceBasisPoints ?? 0) / 100
    }
}
