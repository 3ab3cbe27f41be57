import Foundation

/// Robust statistics for outlier checks: the median and the median absolute deviation (MAD) of whole numbers
/// (unit costs in whole đồng), and the modified z-score of Iglewicz and Hoaglin, 0,6745 · (x − median) / MAD.
/// The median and the MAD are exact integers (the mean of the two middle values is rounded down); only the
/// z-score itself, a ratio compared with a threshold such as 3,5, is a `Double`. No money is held in a `Double`.
public enum RobustStatistics {
    public static func median(_ values: [Int64]) -> Int64? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        if sorted.count % 2 == 1 { return sorted[middle] }
        // (a + b) / 2 without overflow, rounded down.
        let a = sorted[middle - 1], b = sorted[middle]
        return a / 2 + b / 2 + (a % 2 + b % 2) / 2
    }

    /// The median of the absolute deviations from the median.
    public static func medianAbsoluteDeviation(_ values: [Int64]) -> Int64? {
        guard let centre = median(values) else { return nil }
        return median(values.map { $0 >= centre ? $0 - centre : centre - $0 })
    }

    /// The modified z-score of `value` against a median and a MAD; nil when the MAD is zero (no spread to judge by).
    public static func modifiedZScore(_ value: Int64, median: Int64, mad: Int64) -> Double? {
        guard mad > 0 else { return nil }
        return 0.6745 * (Double(value) - Double(median)) / Double(mad)
    }

    /// The values whose |modified z| exceeds `threshold`, with their score. Fewer than `minimumCount` values
    /// are too few to judge, and nothing is flagged.
    public static func outliers(_ values: [Int64], threshold: Double = 3.5, minimumCount: Int = 8) -> [(index: Int, z: Double)] {
        guard values.count >= minimumCount, let centre = median(values), let mad = medianAbsoluteDeviation(values) else { return [] }
        return values.enumerated().compactMap { index, value in
            guard let z = modifiedZScore(value, median: centre, mad: mad), abs(z) > threshold else { return nil }
            return (index, z)
        }
    }

    /// The same test on the logarithms of positive values (unit costs are skewed: a cost twice the median is as
    /// unusual as one half of it). The logarithms, their median, MAD and the z-score are `Double`s: statistics,
    /// not money; the costs themselves stay whole đồng.
    public static func logOutliers(_ values: [Int64], threshold: Double = 3.5, minimumCount: Int = 8) -> [(index: Int, z: Double)] {
        guard values.count >= minimumCount, values.allSatisfy({ $0 > 0 }) else { return [] }
        let logs = values.map { Foundation.log(Double($0)) }
        func median(_ xs: [Double]) -> Double {
            let sorted = xs.sorted(), middle = sorted.count / 2
            return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        }
        let centre = median(logs)
        let mad = median(logs.map { abs($0 - centre) })
        guard mad > 0 else { return [] }
        return logs.enumerated().compactMap { index, value in
            let z = 0.6745 * (value - centre) / mad
            return abs(z) > threshold ? (index, z) : nil
        }
    }
}
