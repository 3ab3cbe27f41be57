import Fluent

struct M0022_CreatePlannedOutputs: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("project_planned_outputs")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id"))
            .field("indicator_code", .string, .required, .references("indicators", "id"))
            .field("quantity", .int64, .required)
            .unique(on: "project_id", "indicator_code")
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema("project_planned_outputs").delete() }
}
