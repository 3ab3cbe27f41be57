import Fluent
import Foundation
import KhuyenCongCore

/// A removal of a payment, an output or a beneficiary is recorded, not erased: the row leaves its table (so that every
/// reader of the table — reports, summary tables, exports, imports, quality checks — counts it no more without a
/// filter of its own that one of them could forget), and its audit row keeps what it was, who removed it, when and why.
/// The project page's history shows these audit rows, struck through.
enum RecordRemoval {
    enum Kind: String, CaseIterable, Sendable {
        case disbursement, output, beneficiary
        var action: String { "remove_\(rawValue)" }
        var recordType: String { self == .beneficiary ? "project" : rawValue }
        var vietnameseName: String {
            switch self {
            case .disbursement: "Giải ngân"
            case .output: "Kết quả"
            case .beneficiary: "Cơ sở thụ hưởng"
            }
        }
    }

    /// A reason is required: 3 to 1000 characters.
    static func cleanReason(_ text: String?) throws -> String {
        let reason = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard reason.count >= 3 else {
            throw DomainError.invalid(vi: "reason: cần ghi lý do xóa", en: "reason: a removal needs its reason")
        }
        return try ProjectEditing.cleanText(reason, field: "reason", maxLength: 1000)
    }

    struct Removed: Codable { let removalReason: String }

    /// The audit row of a removal, in the removal's transaction: `values` are the row as it was, with its project.
    static func record(_ kind: Kind, of project: Project, id: UUID, reason: String, by user: User, values: [String: String],
                       on db: any Database) async throws {
        var before = values
        before["project"] = project.code
        before["id"] = id.uuidString
        try await AuditTrail.record(actor: user.username, action: kind.action, recordType: kind.recordType,
                                    recordID: kind == .beneficiary ? project.code : id.uuidString, unitID: project.unitID,
                                    before: before, after: Removed(removalReason: reason), on: db)
    }

    /// Corrections shown in a project's history: the removals, and the edits of rows (old and new values).
    static let editActions = ["update_disbursement", "update_output", "update_beneficiary"]

    struct Entry {
        /// nil for an edit.
        let removed: Kind?
        let action: String
        let at: Date
        let actor: String
        let values: [String: String]
        let after: [String: String]
        let reason: String
    }

    /// The removals and edits of one project's rows, oldest first, from the audit trail.
    static func entries(of project: Project, on db: any Database) async throws -> [Entry] {
        let rows = try await AuditEntry.query(on: db).filter(\.$unitID == project.unitID)
            .filter(\.$action ~~ (Kind.allCases.map(\.action) + editActions)).sort(\.$at).all()
        return rows.compactMap { row in
            let before = strings(row.before), after = strings(row.after)
            guard before["project"] == project.code else { return nil }
            return Entry(removed: Kind.allCases.first { $0.action == row.action }, action: row.action, at: row.at, actor: row.actor,
                         values: before, after: after, reason: after["removalReason"] ?? "")
        }
    }

    /// A JSON object of the audit trail as text values.
    static func strings(_ json: String?) -> [String: String] {
        guard let json, let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return [:] }
        return object.compactMapValues { value in
            switch value {
            case let text as String: text
            case let number as NSNumber: number.stringValue
            default: nil
            }
        }
    }
}
