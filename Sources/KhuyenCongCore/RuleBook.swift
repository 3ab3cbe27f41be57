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
    public func cap(kind: String, source: FundingSource, unitCode: UnitCode, on date: CalendarDate) -> CapRule? {
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
    public func capBreaches(kind: String, source: FundingSource, unitCode: UnitCode, on date: CalendarDate, support: Money,
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
