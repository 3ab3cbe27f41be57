import Foundation

/// An amount of whole Vietnamese đồng. There is no minor unit; arithmetic that would overflow is an error.
/// It is stored, served and encoded as the plain integer of đồng (a single-value Codable, as it has been since the
/// first commit), so a Fluent `@Field`, an API body and a stored JSON snapshot hold `Money` and keep the same number
/// they held as `Int64` (MoneyCodableTests). Models, DTOs and functions that hand amounts between features carry `Money`,
/// never a bare `Int64` (MoneyTypeTests keeps it so).
public struct Money: Hashable, Comparable, Codable, Sendable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    public let dong: Int64

    public init(dong: Int64) { self.dong = dong }
    /// A literal amount in code and tests (`let fee: Money = 50_000_000`); amounts read from outside are parsed instead.
    public init(integerLiteral value: Int64) { self.dong = value }
    public static let zero = Money(dong: 0)

    /// Whole triệu (millions) or tỷ (billions) of đồng, as planners write them; overflow is refused.
    public static func millions(_ value: Int64) throws -> Money { try Money(dong: value).times(1_000_000) }
    public static func billions(_ value: Int64) throws -> Money { try Money(dong: value).times(1_000_000_000) }

    public static func < (a: Money, b: Money) -> Bool { a.dong < b.dong }

    public static func + (a: Money, b: Money) throws -> Money {
        let (sum, overflow) = a.dong.addingReportingOverflow(b.dong)
        guard !overflow else { throw Money.overflowError }
        return Money(dong: sum)
    }

    public static func - (a: Money, b: Money) throws -> Money {
        let (difference, overflow) = a.dong.subtractingReportingOverflow(b.dong)
        guard !overflow else { throw Money.overflowError }
        return Money(dong: difference)
    }

    public static func += (a: inout Money, b: Money) throws { a = try a + b }
    public static func -= (a: inout Money, b: Money) throws { a = try a - b }

    public func times(_ factor: Int64) throws -> Money {
        let (product, overflow) = dong.multipliedReportingOverflow(by: factor)
        guard !overflow else { throw Money.overflowError }
        return Money(dong: product)
    }

    /// A checked sum: the whole sum is refused if any partial sum overflows.
    public static func sum<S: Sequence>(_ amounts: S) throws -> Money where S.Element == Money {
        try amounts.reduce(.zero) { try $0 + $1 }
    }

    /// Parses an amount as an official types it in a form: "1.500.000.000", "1 500 000 000" or "1500000000". Only
    /// whole groups of three digits are taken as thousands ("1.5" and "1.50.000" are refused: a decimal or a typo).
    public init(typed text: String) throws {
        let trimmed = text.trimmingSpaces
        let separators: Set<Character> = [".", " ", "\u{00A0}"]
        let groups = trimmed.split(omittingEmptySubsequences: false, whereSeparator: { separators.contains($0) })
        let grouped = groups.count > 1 && (1...3).contains(groups[0].count) && groups.dropFirst().allSatisfy { $0.count == 3 }
        guard groups.count == 1 || grouped else {
            throw DomainError.invalid(
                vi: "Số tiền \"\(trimmed)\" không hợp lệ: số nguyên đồng, có thể nhóm ba chữ số bằng dấu chấm (1.500.000.000)",
                en: "amount \"\(trimmed)\" is invalid: whole đồng, thousands optionally grouped with dots (1.500.000.000)")
        }
        try self.init(parsing: groups.joined())
    }

    /// Parses a whole, non-negative amount written without separators, as the interchange files carry it.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingSpaces
        guard !trimmed.isEmpty, trimmed.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw DomainError.invalid(
                vi: "Số tiền \"\(trimmed)\" không hợp lệ: phải là số nguyên đồng không âm, không dấu phân cách",
                en: "amount \"\(trimmed)\" is invalid: whole non-negative đồng without separators expected")
        }
        guard trimmed.count <= 19, let value = Int64(trimmed), value <= Bounds.maximumAmount.dong else {
            throw Money.aboveMaximum(String(trimmed.prefix(24)))
        }
        self.init(dong: value)
    }

    public var description: String { VietnameseFormat.dong(self) }

    static func aboveMaximum(_ text: String) -> DomainError {
        DomainError.invalid(vi: "Số tiền \(text) vượt giới hạn \(VietnameseFormat.billions(Bounds.maximumAmount))",
                            en: "amount \(text) is above the limit of \(Bounds.maximumAmount.dong) đồng")
    }

    public static let overflowError = DomainError(
        .overflow, vi: "Số tiền vượt quá giới hạn tính toán", en: "amount overflows the supported range")

    /// The plain integer of đồng, the only form ever written (there is no keyed `{"dong": N}` form to read).
    public init(from decoder: any Decoder) throws {
        dong = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(dong)
    }
}

extension Money {
    /// Refuses negative amounts where only payments or budgets make sense, and amounts above `Bounds.maximumAmount`.
    public func requireNonNegative(field: String) throws -> Money {
        guard dong >= 0 else {
            throw DomainError.invalid(vi: "\(field): số tiền không được âm (\(dong))",
                                      en: "\(field): amount must not be negative (\(dong))")
        }
        guard self <= Bounds.maximumAmount else {
            throw DomainError.invalid(vi: "\(field): số tiền \(dong) vượt giới hạn \(VietnameseFormat.billions(Bounds.maximumAmount))",
                                      en: "\(field): amount \(dong) is above the limit of \(Bounds.maximumAmount.dong) đồng")
        }
        return self
    }
}
