/// A small deterministic generator (SplitMix64): the demo data set is the same on every machine and database.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }

    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &self) < percent }

    /// Splits `total` into `weights.count` parts proportional to the weights, each a multiple of `step`,
    /// adding up to `total` exactly (the rounding remainder goes to the largest part).
    static func split(_ total: Int64, weights: [Int], step: Int64) -> [Int64] {
        precondition(total % step == 0 && !weights.isEmpty)
        let units = total / step
        let weightSum = Int64(weights.reduce(0, +))
        var parts = weights.map { units * Int64($0) / weightSum }
        let remainder = units - parts.reduce(0, +)
        let largest = weights.indices.max { weights[$0] < weights[$1] }!
        parts[largest] += remainder
        return parts.map { $0 * step }
    }
}
