import Fluent
import Foundation
import KhuyenCongCore

/// Editing a project's fields: only while the province holds it (draft or returned), only from the version
/// the editor saw, all checks before any write, and the audit row in the same transaction.
enum ProjectEditing {
    static let editableStatuses: Set<ProjectStatus> = [.draft, .returned]

    /// A stale edit: someone saved in between. Carries the current values so the editor can see them.
    struct Stale: Error {
        let current: Project.Snapshot
        let error = DomainError(.conflict,
            vi: "Đề án đã được người khác sửa trong lúc bạn sửa; hãy xem giá trị hiện tại và sửa lại",
            en: "someone else changed this project meanwhile; review the current values and edit again")
    }

    static func apply(_ patch: ProjectPatch, to project: Project, actor: String, on db: any Database) async throws -> Project {
        let title = try patch.title.map { try cleanText($0, field: "title", maxLength: 500) } ?? project.title
        let implementing = try patch.implementingUnit.map { try cleanText($0, field: "implementingUnit", maxLength: 300) } ?? project.implementingUnit
        let requested = try (patch.supportRequestedVnd ?? project.supportRequestedVnd).requireNonNegative(field: "supportRequestedVnd")
        let counterpart = try (patch.counterpartVnd ?? project.counterpartVnd).requireNonNegative(field: "counterpartVnd")
        try Project.validatePlannedOutputs(patch.plannedOutputs ?? [:])
        guard patch.version == project.version else { throw Stale(current: project.snapshot) }
        guard editableStatuses.contains(project.status) else {
            throw DomainError(.conflict, vi: "Không sửa được đề án ở trạng thái \"\(project.status.vietnameseName)\"",
                              en: "a project cannot be edited in status \(project.status.rawValue)")
        }
        let before = project.snapshot
        let kind = try await ProjectRules.chosenKind(patch.supportKind, category: project.categoryCode, on: db) ?? project.supportKind
        return try await db.transaction { db in
            project.supportKind = kind
            try await ProjectRules.checkCaps(project, support: requested, counterpart: counterpart, on: db)
            project.title = title
            project.implementingUnit = implementing
            project.supportRequestedVnd = requested
            project.counterpartVnd = counterpart
            try await project.saveVersioned(expectedVersion: patch.version, on: db)
            try await ProjectSearchText.update(projectID: try project.requireID(), on: db)
            if let planned = patch.plannedOutputs { try await project.replacePlannedOutputs(planned, on: db) }
            try await AuditTrail.record(actor: actor, action: "update", recordType: "project", recordID: project.code,
                                        unitID: project.unitID, before: before, after: project.snapshot, on: db)
            return project
        }
    }

    /// Trims, refuses empty, over-long or control-character text. Markup is kept as typed: it is escaped on display.
    static func cleanText(_ text: String, field: String, maxLength: Int) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw DomainError.invalid(vi: "\(field): không được để trống", en: "\(field): must not be empty")
        }
        guard trimmed.count <= maxLength else {
            throw DomainError.invalid(vi: "\(field): dài quá \(maxLength) ký tự", en: "\(field): longer than \(maxLength) characters")
        }
        guard !trimmed.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) else {
            throw DomainError.invalid(vi: "\(field): có ký tự điều khiển", en: "\(field): contains control characters")
        }
        return trimmed
    }
}
