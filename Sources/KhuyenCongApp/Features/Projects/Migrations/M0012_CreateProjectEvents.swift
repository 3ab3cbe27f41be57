import Fluent

struct M0012_CreateProjectEvents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("project_events")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id"))
            .field("from_status", .string)
            .field("to_status", .string, .required)
            .field("on_date", .string, .required)
            .field("actor", .string, .required)
            .field("decision_no", .string)
            .field("note", .string, .required)
            .field("recorded_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema("project_events").delete() }
}
