/// A text with a meaning of its own (a unit's code, a unit's id) as a type of its own, so that one cannot be passed
/// where another is meant. It is stored and sent as its plain text (Swift's own `Codable` of a `RawRepresentable`
/// with a `String` raw value: a single value), ordered and printed as that text.
public protocol TextIdentifier: RawRepresentable, Hashable, Comparable, Codable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible where RawValue == String {
    init(rawValue: String)
}

extension TextIdentifier {
    public init(_ rawValue: String) { self.init(rawValue: rawValue) }
    public init(stringLiteral value: String) { self.init(rawValue: value) }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { rawValue }
}
