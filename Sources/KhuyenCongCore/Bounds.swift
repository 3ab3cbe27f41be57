/// The largest amount and quantity any input may carry: far above any real project, far below overflow, so that a
/// report adding up millions of rows can never overflow because of one typed or planted number.
/// - 1.000 tỷ đồng per amount: the whole national programme plans about 300 tỷ a year; 9 million rows at this
///   maximum still add up inside `Int64`.
/// - 1 tỷ (10⁹) per quantity: more trainees or establishments than the country has.
public enum Bounds {
    public static let maximumAmount = Money(dong: 1_000_000_000_000)
    public static let maximumQuantity: Int64 = 1_000_000_000

    /// A quantity between 0 and `maximumQuantity`, or an error naming the field.
    public static func quantity(_ value: Int64, field: String) throws -> Int64 {
        guard value >= 0 else {
            throw DomainError.invalid(vi: "\(field): số lượng không được âm (\(value))", en: "\(field): quantity must not be negative (\(value))")
        }
        guard value <= maximumQuantity else {
            throw DomainError.invalid(vi: "\(field): số lượng \(value) vượt giới hạn \(maximumQuantity)",
                                      en: "\(field): quantity \(value) is above the limit of \(maximumQuantity)")
        }
        return value
    }
}
