/// Whether a dated figure is a closed account or a province's estimate (ước thực hiện) before the period closes.
public enum Basis: String, CaseIterable, Codable, Sendable {
    case actual, estimate

    public init(parsing text: String) throws {
        if let exact = Basis(rawValue: text) { self = exact; return }
        guard let basis = Basis(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw DomainError.invalid(vi: "Cơ sở số liệu \"\(text)\" không hợp lệ (actual, estimate)",
                                      en: "basis \"\(text)\" is invalid (actual, estimate)")
        }
        self = basis
    }
}

/// One dated quantity (money in đồng, or an output count) of one project: a plain `Int64`, since the same rule sums both
/// measures (a money figure is `Money.dong`; the report structs carry `Money` again).
public struct DatedFigure<Key: Hashable>: Sendable where Key: Sendable {
    public let key: Key
    public let date: CalendarDate
    public let value: Int64
    public let basis: Basis

    public init(key: Key, date: CalendarDate, value: Int64, basis: Basis) {
        self.key = key
        self.date = date
        self.value = value
        self.basis = basis
    }
}

/// The arithmetic of the report definitions, apart from any database.
public enum ReportMath {
    /// Σ of the figures dated inside `range`, where for each key (a project, or a project and indicator) any
    /// `actual` row in the range makes that key's `estimate` rows in the range ignored. Overflow is refused.
    public static func realised<Key>(_ figures: [DatedFigure<Key>], in range: ClosedRange<CalendarDate>) throws -> Int64 {
        try realisedByKey(figures, in: range).values.reduce(0) { try checkedAdd($0, $1) }
    }

    /// The same rule, per key: each key's rows in the range kept as `PeriodSums`, whose `realised` is the one
    /// definition of the rule (the summary tables keep the same sums, and their SQL is tested against this).
    public static func realisedByKey<Key>(_ figures: [DatedFigure<Key>], in range: ClosedRange<CalendarDate>) throws -> [Key: Int64] {
        var sums: [Key: PeriodSums] = [:]
        for figure in figures where range.contains(figure.date) {
            try sums[figure.key, default: PeriodSums()].add(figure.value, basis: figure.basis)
        }
        return sums.mapValues(\.realised)
    }

    public static func checkedAdd(_ a: Int64, _ b: Int64) throws -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        guard !overflow else { throw Money.overflowError }
        return sum
    }

    /// Ranks by percentage of plan, higher first; ties go to the larger plan. Units without a plan come last.
    public static func rank<Key: Comparable & Hashable>(_ rows: [(key: Key, plan: Money, realised: Money)]) -> [Key: Int] {
        let sorted = rows.sorted { a, b in
            let pa = Ratio(a.realised, over: a.plan), pb = Ratio(b.realised, over: b.plan)
            switch (pa, pb) {
            case (nil, nil): return a.plan == b.plan ? a.key < b.key : a.plan > b.plan
            case (nil, _): return false
            case (_, nil): return true
            case let (x?, y?):
                // Compare realised/plan exactly by cross-multiplying in 128 bits.
                let left = Int128(x.numerator) * Int128(y.denominator), right = Int128(y.numerator) * Int128(x.denominator)
                if left != right { return left > right }
                return a.plan == b.plan ? a.key < b.key : a.plan > b.plan
            }
        }
        return Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1.key, $0 + 1) })
    }
}
