import Fluent
import Foundation

/// What a project plans to deliver: a quantity per output indicator.
final class PlannedOutput: Model, @unchecked Sendable {
    static let schema = "project_planned_outputs"

    @ID(key: .id) var id: UUID?
    @Parent(key: "project_id") var project: Project
    @Field(key: "indicator_code") var indicatorCode: String
    @Field(key: "quantity") var quantity: Int64

    init() {}

    init(projectID: UUID, indicatorCode: String, quantity: Int64) {
        self.$project.id = projectID
        self.indicatorCode = indicatorCode
        self.quantity = quantity
    }
}
