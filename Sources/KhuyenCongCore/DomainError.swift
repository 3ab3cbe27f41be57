/// Every refusal of the domain, with a message in Vietnamese and in English.
/// The app maps these to HTTP statuses and CLI exit codes in one place.
public struct DomainError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        case invalidInput, notFound, conflict, forbidden, unauthenticated, overflow, illegalTransition, locked, gone
    }
    public let kind: Kind
    public let vietnamese: String
    public let english: String

    public init(_ kind: Kind, vi: String, en: String) {
        self.kind = kind
        self.vietnamese = vi
        self.english = en
    }

    /// "Vietnamese message / English message": the form shown to users and in logs.
    public var description: String { "\(vietnamese) / \(english)" }

    public static func invalid(vi: String, en: String) -> DomainError { .init(.invalidInput, vi: vi, en: en) }
}
