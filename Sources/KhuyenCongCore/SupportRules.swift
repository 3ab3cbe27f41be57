/// The ceilings of khuyến công support, as dated rule data (Decree 45/2012, Decree 235/2025): per establishment,
/// a share of the investment and an amount; and the share of approved support that may be advanced.
public struct SupportCap: Hashable, Sendable {
    public let category: String
    /// Highest share of the establishment's investment (support + counterpart), in percent.
    public let maxSharePercent: Int64
    /// Highest support per establishment, in đồng.
    public let maxPerEstablishment: Money
    public let advanceSharePercent: Int64
    public let validFrom: CalendarDate
    public let validUntil: CalendarDate?
    public let basis: String

    public func isValid(on date: CalendarDate) -> Bool {
        validFrom <= date && (validUntil.map { date < $0 } ?? true)
    }
}

public enum SupportRules {
    static let decree45 = CalendarDate(2012, 7, 1)

    public static let caps: [SupportCap] = [
        SupportCap(category: "1", maxSharePercent: 50, maxPerEstablishment: Money(dong: 300_000_000), advanceSharePercent: 50,
                   validFrom: decree45, validUntil: nil, basis: "Máy móc thiết bị tiên tiến: ≤ 50% và ≤ 300 triệu đồng/cơ sở"),
        SupportCap(category: "2", maxSharePercent: 30, maxPerEstablishment: Money(dong: 1_000_000_000), advanceSharePercent: 50,
                   validFrom: decree45, validUntil: nil, basis: "Mô hình trình diễn, thí điểm sản xuất sạch hơn: ≤ 30% và ≤ 1.000 triệu đồng"),
    ]

    /// Categories without a cap of their own may still be advanced this share.
    public static let defaultAdvanceSharePercent: Int64 = 30

    /// The cap in force for a plan year's category (on 1 January of the plan year), if any.
    public static func cap(category: String, planYear: Int) -> SupportCap? {
        caps.first { $0.category == category && $0.isValid(on: CalendarDate(planYear, 1, 1)) }
    }

    public static func advanceShare(category: String, planYear: Int) -> Int64 {
        cap(category: category, planYear: planYear)?.advanceSharePercent ?? defaultAdvanceSharePercent
    }

    /// Every breach of the cap by a project's support (total and per establishment), as messages; empty when none.
    public static func breaches(category: String, planYear: Int, support: Money, counterpart: Money,
                                perEstablishment: [(name: String, support: Money)]) -> [DomainError] {
        guard let cap = cap(category: category, planYear: planYear) else { return [] }
        var problems: [DomainError] = []
        let investment = Int128(support.dong) + Int128(counterpart.dong)
        if investment > 0 && Int128(support.dong) * 100 > investment * Int128(cap.maxSharePercent) {
            problems.append(.invalid(
                vi: "Kinh phí hỗ trợ vượt \(cap.maxSharePercent)% tổng đầu tư (\(cap.basis))",
                en: "support exceeds \(cap.maxSharePercent)% of the investment"))
        }
        for establishment in perEstablishment where establishment.support > cap.maxPerEstablishment {
            problems.append(.invalid(
                vi: "\(establishment.name): hỗ trợ \(VietnameseFormat.money(establishment.support)) vượt mức \(VietnameseFormat.money(cap.maxPerEstablishment))/cơ sở (\(cap.basis))",
                en: "\(establishment.name): support \(establishment.support.dong) exceeds \(cap.maxPerEstablishment.dong) per establishment"))
        }
        return problems
    }
}
