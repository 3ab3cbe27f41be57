import Fluent
import Foundation
import KhuyenCongCore

extension AuditEntry {
    struct Filter {
        var actor: String?
        var unitID: UnitID?
        var recordID: String?
        var from: Date?
        var until: Date?
    }

    static func search(_ filter: Filter, limit: Int = 200, on db: any Database) async throws -> [AuditEntry] {
        var query = AuditEntry.query(on: db)
        if let actor = filter.actor, !actor.isEmpty { query = query.filter(\.$actor == actor) }
        if let unit = filter.unitID, !unit.rawValue.isEmpty { query = query.filter(\.$unitID == unit) }
        if let record = filter.recordID, !record.isEmpty { query = query.filter(\.$recordID == record) }
        if let from = filter.from { query = query.filter(\.$at >= from) }
        if let until = filter.until { query = query.filter(\.$at < until) }
        return try await query.sort(\.$at, .descending).limit(limit).all()
    }
}
