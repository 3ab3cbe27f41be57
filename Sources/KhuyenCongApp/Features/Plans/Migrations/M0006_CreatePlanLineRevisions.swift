import Fluent

struct M0006_CreatePlanLineRevisions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("plan_line_revisions")
            .id()
            .field("plan_line_id", .uuid, .required, .references("plan_lines", "id"))
            .field("amount_vnd", .int64, .required)
            .field("approved_on", .string, .required)
            .field("decision_no", .string, .required)
            .field("recorded_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema("plan_line_revisions").delete() }
}
