import Fluent
import Foundation
import KhuyenCongCore
import SQLKit

extension Project {
    /// Writes every mutable field, but only if the stored version is still `expectedVersion`; the version goes up
    /// by one. One statement, so that two concurrent changes cannot both win. Throws `ProjectEditing.Stale`.
    func saveVersioned(expectedVersion: Int, on db: any Database) async throws {
        let updated = try await (db as! any SQLDatabase).update(Project.schema)
            .set("title", to: title).set("implementing_unit", to: implementingUnit)
            .set("support_requested_vnd", to: supportRequestedVnd).set("support_approved_vnd", to: supportApprovedVnd)
            .set("counterpart_vnd", to: counterpartVnd).set("status", to: status.rawValue)
            .set("submitted_on", to: submittedOn).set("approved_on", to: approvedOn).set("allocated_on", to: allocatedOn)
            .set("settled_vnd", to: settledVnd).set("support_kind", to: supportKind)
            .set("version", to: SQLRaw("version + 1")).set("updated_at", to: Date())
            .where("id", .equal, try requireID()).where("version", .equal, expectedVersion)
            .returning("id").all()
        guard !updated.isEmpty else {
            throw ProjectEditing.Stale(current: try await Project.find(code: code, on: db).snapshot)
        }
        version = expectedVersion + 1
    }

    var recordScope: RecordScope { RecordScope(unitID: unitID) }
}
