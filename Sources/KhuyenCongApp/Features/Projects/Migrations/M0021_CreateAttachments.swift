import Fluent

struct M0021_CreateAttachments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("attachments")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id"))
            .field("event_id", .uuid, .references("project_events", "id"))
            .field("filename", .string, .required)
            .field("size", .int, .required)
            .field("data", .data, .required)
            .field("uploaded_by", .string, .required)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema("attachments").delete() }
}
