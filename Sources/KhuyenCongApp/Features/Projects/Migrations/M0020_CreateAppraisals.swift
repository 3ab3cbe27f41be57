import Fluent

struct M0020_CreateAppraisals: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("appraisals")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id"))
            .field("round", .int, .required)
            .field("level", .string, .required)
            .field("appraiser", .string, .required)
            .field("score", .int, .required)
            .field("criteria_scores", .string, .required)
            .field("opinion", .string, .required)
            .field("created_at", .datetime)
            .unique(on: "project_id", "round", "level", "appraiser")
            .create()
        try await database.schema("appraisal_criteria")
            .field("id", .string, .identifier(auto: false))
            .field("name_vi", .string, .required)
            .field("weight", .int, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("appraisal_criteria").delete()
        try await database.schema("appraisals").delete()
    }
}
