import Fluent
import Foundation
import KhuyenCongCore

/// Who changed which record, when, and its values before and after. Append-only: nothing edits or deletes it.
final class AuditEntry: Model, @unchecked Sendable {
    static let schema = "audit_log"

    @ID(key: .id) var id: UUID?
    @Field(key: "at") var at: Date
    @Field(key: "actor") var actor: String
    @Field(key: "action") var action: String
    @Field(key: "record_type") var recordType: String
    @Field(key: "record_id") var recordID: String
    @OptionalField(key: "unit_id") var unitID: UnitID?
    @OptionalField(key: "before") var before: String?
    @OptionalField(key: "after") var after: String?

    init() {}

    init(actor: String, action: String, recordType: String, recordID: String, unitID: UnitID?,
         before: String?, after: String?, at: Date = Date()) {
        self.at = at
        self.actor = actor
        self.action = action
        self.recordType = recordType
        self.recordID = recordID
        self.unitID = unitID
        self.before = before
        self.after = after
    }
}
