import Fluent
import Foundation
import KhuyenCongCore

/// Writes the audit row of a change. Call it inside the transaction of the write, so that either both the
/// change and its audit row are kept, or neither.
enum AuditTrail {
    static func record<Before: Encodable, After: Encodable>(
        actor: String, action: String, recordType: String, recordID: String, unitID: UnitID?,
        before: Before?, after: After?, on db: any Database
    ) async throws {
        let beforeJSON = try before.map(json), afterJSON = try after.map(json)
        try await AuditEntry(actor: actor, action: action, recordType: recordType, recordID: recordID, unitID: unitID,
                             before: beforeJSON, after: afterJSON).create(on: db)
        // The people concerned are told in the same transaction (Features/Notifications); mail leaves after the commit.
        try await NotificationRules.notify(actor: actor, action: action, recordType: recordType, recordID: recordID, unitID: unitID,
                                           before: beforeJSON, after: afterJSON, on: db)
    }

    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// A value with nothing to say, for audit rows of creations (no "before") and deletions (no "after").
struct Nothing: Encodable {}
