import Foundation

/// The code of a province-level unit, "38" (`AdminUnit.code`). Codes are reused with another meaning across the
/// 1 July 2025 merger, so a code alone names a unit only together with a date; `UnitID` is the code with its first day.
/// A type of its own, not a `String`, so that a unit code cannot be passed where a unit id, a project code or a name
/// is meant, and the reverse.
///
/// It is stored and sent as its plain text: a single-value container in JSON, in the interchange files, in route paths
/// and in the database's `unit_code` columns (Fluent and SQLKit bind it as text), so nothing outside the code changes.
/// No shape is checked here: a code is resolved against the catalog where it is read (`AdminUnitCatalog.resolve`).
/// Ordered as the text, which is the order of the codes (two digits).
public struct UnitCode: TextIdentifier, LosslessStringConvertible, CodingKeyRepresentable {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// A dictionary keyed by codes stays a JSON object keyed by the text ("38": …), as a `[String: …]` was.
    public var codingKey: any CodingKey { Key(stringValue: rawValue) }

    public init?<T: CodingKey>(codingKey: T) { self.rawValue = codingKey.stringValue }

    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
