import Foundation

/// The id of a province-level unit as it was valid for a span of time: its code and the first day of its validity,
/// "38@2025-07-01" (`AdminUnit.id`). A type of its own, not a `String`, so that a unit id cannot be passed where a unit
/// code ("38"), a project code or a name is meant, and the reverse.
///
/// It is stored and sent as its plain text: a single-value container in JSON, in the interchange files and in the
/// database's `unit_id` columns (Fluent and SQLKit bind it as text), so nothing outside the code changes.
/// A small struct rather than pointfreeco's `Tagged<AdminUnit, String>`: the same single-value coding, without a new
/// package for the whole tree to resolve.
/// Ordered as the text: by code, then by the first day of validity (codes are two digits).
public struct UnitID: TextIdentifier {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// The id of the unit with `code` valid from `validFrom`.
    public init(code: UnitCode, validFrom: CalendarDate) { self.rawValue = "\(code)@\(validFrom)" }

    /// The code part ("38" of "38@2025-07-01"); the whole text for an id without a date.
    public var code: UnitCode { UnitCode(rawValue.split(separator: "@", maxSplits: 1).first.map(String.init) ?? rawValue) }
}
