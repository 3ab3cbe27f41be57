/// An exact ratio of two integers, rounded only when displayed (half away from zero).
public struct Ratio: Hashable, Sendable {
    public let numerator: Int64
    public let denominator: Int64

    /// nil when the denominator is zero: a percentage of nothing is not a number.
    public init?(_ numerator: Int64, over denominator: Int64) {
        guard denominator != 0 else { return nil }
        self.numerator = numerator
        self.denominator = denominator
    }

    /// numerator / denominator × 100, unrounded, for JSON.
    public var percent: Double { Double(numerator) * 100 / Double(denominator) }

    /// (a − b) / b: year-on-year change.
    public static func change(from previous: Int64, to current: Int64) -> Ratio? {
        Ratio(current - previous, over: previous)
    }

    /// The same of two amounts of đồng (realised over plan); plain integers (literals) take the `Int64` forms.
    @_disfavoredOverload
    public init?(_ numerator: Money, over denominator: Money) { self.init(numerator.dong, over: denominator.dong) }

    @_disfavoredOverload
    public static func change(from previous: Money, to current: Money) -> Ratio? { change(from: previous.dong, to: current.dong) }

    /// The percentage scaled by 10^decimals and rounded half away from zero, computed exactly.
    public func roundedPercent(decimals: Int) -> Int128 {
        var scale: Int128 = 100
        for _ in 0..<decimals { scale *= 10 }
        return Ratio.divideRoundingHalfAwayFromZero(Int128(numerator) * scale, Int128(denominator))
    }

    static func divideRoundingHalfAwayFromZero(_ a: Int128, _ b: Int128) -> Int128 {
        let negative = (a < 0) != (b < 0)
        let (ma, mb) = (a.magnitude, b.magnitude)
        let (q, r) = ma.quotientAndRemainder(dividingBy: mb)
        let rounded = r * 2 >= mb ? q + 1 : q
        return negative ? -Int128(rounded) : Int128(rounded)
    }
}
