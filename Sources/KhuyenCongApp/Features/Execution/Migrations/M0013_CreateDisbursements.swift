import Fluent

struct M0013_CreateDisbursements: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("disbursements")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id"))
            .field("on_date", .string, .required)
            .field("amount_vnd", .int64, .required)
            .field("basis", .string, .required)
            .field("kind", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema("disbursements").delete() }
}
