import Fluent
import Foundation
import KhuyenCongCore

/// One step of a project's lifecycle: who, when, the decision and a note. Never edited.
final class ProjectEvent: Model, @unchecked Sendable {
    static let schema = "project_events"

    @ID(key: .id) var id: UUID?
    @Parent(key: "project_id") var project: Project
    @OptionalField(key: "from_status") var fromStatus: ProjectStatus?
    @Field(key: "to_status") var toStatus: ProjectStatus
    @Field(key: "on_date") var onDate: String
    @Field(key: "actor") var actor: String
    @OptionalField(key: "decision_no") var decisionNo: String?
    @Field(key: "note") var note: String
    @Timestamp(key: "recorded_at", on: .create) var recordedAt: Date?

    init() {}

    init(projectID: UUID, fromStatus: ProjectStatus?, toStatus: ProjectStatus, onDate: String, actor: String,
         decisionNo: String?, note: String) {
        self.$project.id = projectID
        self.fromStatus = fromStatus
        self.toStatus = toStatus
        self.onDate = onDate
        self.actor = actor
        self.decisionNo = decisionNo
        self.note = note
    }
}
