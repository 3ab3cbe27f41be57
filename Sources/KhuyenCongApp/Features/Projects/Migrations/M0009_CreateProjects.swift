import Fluent

struct M0009_CreateProjects: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("projects")
            .id()
            .field("code", .string, .required)
            .field("title", .string, .required)
            .field("unit_id", .string, .required, .references("admin_units", "id"))
            .field("year", .int, .required)
            .field("source", .string, .required)
            .field("category_code", .string, .required, .references("categories", "id"))
            .field("implementing_unit", .string, .required)
            .field("support_requested_vnd", .int64, .required)
            .field("support_approved_vnd", .int64)
            .field("counterpart_vnd", .int64, .required)
            .field("status", .string, .required)
            .field("submitted_on", .string)
            .field("approved_on", .string)
            .field("allocated_on", .string)
            .field("settled_vnd", .int64)
            .field("moved_from_code", .string)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "code")
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema("projects").delete() }
}
