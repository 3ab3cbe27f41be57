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
    public let unitCode: String?
    /// Highest share of the investment (support + counterpart), in basis points.
    public let maxShareBasisPoints: Int64
    public let maxAmount: Money
    public let per: CapBasis
    public let validFrom: CalendarDate
    public let validUntil: CalendarDate?
    public let legalBasis: String

    public init(kind: String, source: FundingSource, unitCode: String?, maxShareBasisPoints: Int64, maxAmount: Money,
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

/// One row in force on a date: among the rows that apply (valid from ≤ date < valid until), the latest valid from
/// wins, so that a new dated row supersedes the older from its date on while the older still rules before it.
func inForce<Row>(_ rows: [Row], on date: CalendarDate, from: (Row) -> CalendarDate, until: (Row) -> CalendarDate?) -> Row? {
    rows.filter { from($0) <= date && (until($0).map { date < $0 } ?? true) }
        .max { from($0) < from($1) }
}

/// Every rule table, as read from the database at the moment of a check.
public struct RuleBook: Sendable {
    public var kinds: [SupportKindRule]
    public var caps: [CapRule]
    public var advances: [AdvanceRule]
    /// The priority uplift rows (`rule_priority_uplifts`); none = no uplift.
    public var uplifts: [PriorityUpliftRule]

    public init(kinds: [SupportKindRule], caps: [CapRule], advances: [AdvanceRule], uplifts: [PriorityUpliftRule] = []) {
        self.kinds = kinds
        self.caps = caps
        self.advances = advances
        self.uplifts = uplifts
    }

    /// The priority uplift in force on `date` (the registration date).
    public func uplift(on date: CalendarDate) -> PriorityUpliftRule? {
        inForce(uplifts, on: date, from: \.validFrom, until: \.validUntil)
    }

    /// The amount a beneficiary may receive under `cap`: the cap's amount, or for a beneficiary in a disadvantaged area
    /// (a priority area, Circular 26/2014/TTLT-BTC-BCT Art. 6.2) the uplift in force × it; with the phrase that names
    /// the uplift and its basis for the message ("" without uplift).
    func allowedAmount(_ cap: CapRule, priority: Bool, on date: CalendarDate) -> (amount: Money, uplift: String) {
        guard priority, let uplift = uplift(on: date), uplift.factorPerMille > 1_000 else { return (cap.maxAmount, "") }
        let raised = Int128(cap.maxAmount.dong) * Int128(uplift.factorPerMille) / 1_000
        let amount = Money(dong: Int64(clamping: raised))
        let whole = uplift.factorPerMille / 1_000, fraction = uplift.factorPerMille % 1_000
        var factor = "\(whole)"
        if fraction != 0 {
            let digits = String(repeating: "0", count: 3 - String(fraction).count) + String(fraction)
            factor += "," + String(digits.reversed().drop { $0 == "0" }.reversed())
        }
        return (amount, " (mức ưu tiên \(factor) × \(VietnameseFormat.money(cap.maxAmount)) cho cơ sở ở địa bàn khó khăn — \(uplift.legalBasis))")
    }

    public func kind(_ code: String) -> SupportKindRule? { kinds.last { $0.code == code } }

    /// The kind of support a project of `category` is taken to be when none is chosen (existing projects, old files).
    public static func defaultKind(category: String) -> String {
        switch category {
        case "1": "machinery"
        case "2": "cp_assessment"
        case "3": "rural_product"
        case "4": "linkage"
        case "5": "training"
        case "6": "communication"
        case "7": "system_capacity"
        case "8": "digital_transformation"
        case "9": "sustainable_production"
        default: "other"
        }
    }

    /// Checks that a kind exists and belongs to the category.
    public func validateKind(_ code: String, category: String, field: String = "supportKind") throws {
        guard let kind = kind(code) else {
            throw DomainError.invalid(vi: "\(field): loại hỗ trợ \"\(code)\" không có", en: "\(field): support kind \"\(code)\" does not exist")
        }
        guard kind.category == category else {
            throw DomainError.invalid(vi: "\(field): \"\(kind.vietnameseName)\" thuộc nội dung \(kind.category), không thuộc nội dung \(category)",
                                      en: "\(field): support kind \(code) belongs to category \(kind.category), not \(category)")
        }
    }

    /// The cap in force on `date` (the registration date): for national support the national rule; for local
    /// support the province's own rule, and none when the province has set none (local projects follow the caps their
    /// province sets, not the national ones).
    public func cap(kind: String, source: FundingSource, unitCode: String, on date: CalendarDate) -> CapRule? {
        let rows = caps.filter { $0.kind == kind && $0.source == source
            && $0.unitCode == (source == .national ? nil : unitCode) }
        return inForce(rows, on: date, from: \.validFrom, until: \.validUntil)
    }

    /// The first-advance rule in force on the payment date; none = no advance is allowed.
    public func advance(kind: String, on date: CalendarDate) -> AdvanceRule? {
        inForce(advances.filter { $0.kind == kind }, on: date, from: \.validFrom, until: \.validUntil)
    }

    /// Every breach of the cap in force by a project's support (share of the investment, amount per model or per
    /// establishment), as messages naming the rule and its legal basis; empty when none. `otherKinds` are the
    /// beneficiaries supported under a kind of their own (not the project's): each is one establishment or one model of
    /// its kind, held to that kind's amount, and their support is not the project's model. `priority` names the
    /// beneficiaries in a disadvantaged area: each may receive up to the priority uplift in force × the amount (a model
    /// when every beneficiary of it is).
    public func capBreaches(kind: String, source: FundingSource, unitCode: String, on date: CalendarDate, support: Money,
                            counterpart: Money, perEstablishment: [(name: String, support: Money)],
                            otherKinds: [(name: String, kind: String, support: Money)] = [], priority: Set<String> = []) -> [DomainError] {
        var problems: [DomainError] = []
        for row in otherKinds {
            guard let cap = cap(kind: row.kind, source: source, unitCode: unitCode, on: date) else { continue }
            let allowed = allowedAmount(cap, priority: priority.contains(row.name), on: date)
            guard row.support > allowed.amount else { continue }
            problems.append(.invalid(
                vi: "\(row.name): hỗ trợ \(VietnameseFormat.money(row.support)) vượt mức \(VietnameseFormat.money(allowed.amount))/\(cap.per.vietnameseName)\(allowed.uplift) — \(describe(cap))",
                en: "\(row.name): support \(row.support.dong) exceeds \(allowed.amount.dong) per \(cap.per.rawValue) (\(cap.legalBasis))"))
        }
        guard let cap = cap(kind: kind, source: source, unitCode: unitCode, on: date) else { return problems }
        let rule = describe(cap)
        let investment = Int128(support.dong) + Int128(counterpart.dong)
        if investment > 0 && Int128(support.dong) * 10_000 > investment * Int128(cap.maxShareBasisPoints) {
            problems.append(.invalid(
                vi: "Kinh phí hỗ trợ vượt \(Self.percent(cap.maxShareBasisPoints)) tổng đầu tư — \(rule)",
                en: "support exceeds \(cap.maxShareBasisPoints) basis points of the investment (\(cap.legalBasis))"))
        }
        switch cap.per {
        case .model:
            let model = Money(dong: max(0, otherKinds.reduce(support.dong) { $0 - $1.support.dong }))
            let allowed = allowedAmount(cap, priority: !perEstablishment.isEmpty && perEstablishment.allSatisfy { priority.contains($0.name) }, on: date)
            if model > allowed.amount {
                problems.append(.invalid(
                    vi: "Hỗ trợ \(VietnameseFormat.money(model)) vượt mức \(VietnameseFormat.money(allowed.amount))/mô hình\(allowed.uplift) — \(rule)",
                    en: "support \(model.dong) exceeds \(allowed.amount.dong) per model (\(cap.legalBasis))"))
            }
        case .establishment:
            for establishment in perEstablishment {
                let allowed = allowedAmount(cap, priority: priority.contains(establishment.name), on: date)
                guard establishment.support > allowed.amount else { continue }
                problems.append(.invalid(
                    vi: "\(establishment.name): hỗ trợ \(VietnameseFormat.money(establishment.support)) vượt mức \(VietnameseFormat.money(allowed.amount))/cơ sở\(allowed.uplift) — \(rule)",
                    en: "\(establishment.name): support \(establishment.support.dong) exceeds \(allowed.amount.dong) per establishment (\(cap.legalBasis))"))
            }
        }
        return problems
    }

    /// A cap as its message names it: "kind: tối đa 50% và 300,0 triệu đồng/cơ sở (legal basis, áp dụng từ date)".
    func describe(_ cap: CapRule) -> String {
        "\(kind(cap.kind)?.vietnameseName ?? cap.kind): tối đa \(Self.percent(cap.maxShareBasisPoints)) và \(VietnameseFormat.money(cap.maxAmount))/\(cap.per.vietnameseName)"
            + " (\(cap.legalBasis), áp dụng từ \(VietnameseFormat.date(cap.validFrom)))"
    }

    /// A refusal when the advances so far plus this one exceed the kind's first-advance share of the approved support
    /// on the payment date; nil when they fit.
    public func advanceBreach(kind: String, on date: CalendarDate, advanced: Money, approved: Money) -> DomainError? {
        let kindName = self.kind(kind)?.vietnameseName ?? kind
        guard let rule = advance(kind: kind, on: date) else {
            return .invalid(vi: "Chưa có quy định tạm ứng cho loại hỗ trợ \"\(kindName)\" vào ngày \(VietnameseFormat.date(date))",
                            en: "no advance rule for support kind \(kind) on \(date)")
        }
        guard Int128(advanced.dong) * 10_000 <= Int128(approved.dong) * Int128(rule.firstAdvanceBasisPoints) else {
            return .invalid(
                vi: "Tạm ứng \(VietnameseFormat.money(advanced)) vượt \(Self.percent(rule.firstAdvanceBasisPoints)) kinh phí được duyệt"
                    + " (\(VietnameseFormat.money(approved))) — \(kindName): tạm ứng lần đầu tối đa \(Self.percent(rule.firstAdvanceBasisPoints))"
                    + " (\(rule.legalBasis))",
                en: "advances of \(advanced.dong) exceed \(rule.firstAdvanceBasisPoints) basis points of the approved support (\(rule.legalBasis))")
        }
        return nil
    }

    /// Basis points as a Vietnamese percentage: 5000 → "50%", 3333 → "33,33%".
    public static func percent(_ basisPoints: Int64) -> String {
        let whole = basisPoints / 100, cents = basisPoints % 100
        if cents == 0 { return "\(whole)%" }
        let digits = cents % 10 == 0 ? "\(cents / 10)" : (cents < 10 ? "0\(cents)" : "\(cents)")
        return "\(whole),\(digits)%"
    }

    /// "50", "33,33", "33.33" → basis points; refuses anything else naming the field.
    public static func basisPoints(parsing text: String, field: String) throws -> Int64 {
        let cleaned = text.trimmingCharacters(in: " %").replacingOccurrences(of: ",", with: ".")
        let parts = cleaned.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int64(parts[0]), whole >= 0, whole <= 100,
              parts.count == 1 || (1...2).contains(parts[1].count) && parts[1].allSatisfy(\.isASCII) && Int64(parts[1]) != nil else {
            throw DomainError.invalid(vi: "\(field): tỷ lệ \"\(text)\" không hợp lệ (0–100, tối đa 2 chữ số thập phân)",
                                      en: "\(field): share \"\(text)\" is not a percentage (0–100, up to 2 decimals)")
        }
        var fraction: Int64 = 0
        if parts.count == 2 { fraction = Int64(parts[1])! * (parts[1].count == 1 ? 10 : 1) }
        let value = whole * 100 + fraction
        guard value <= 10_000 else {
            throw DomainError.invalid(vi: "\(field): tỷ lệ vượt 100%", en: "\(field): share above 100%")
        }
        return value
    }
}

private extension String {
    func trimmingCharacters(in set: String) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return String(text)
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
