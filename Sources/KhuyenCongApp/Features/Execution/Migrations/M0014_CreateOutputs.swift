import Fluent

struct M0014_CreateOutputs: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("outputs")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id"))
            .field("on_date", .string, .required)
            .field("indicator_code", .string, .required, .references("indicators", "id"))
            .field("quantity", .int64, .required)
            .field("basis", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema("outputs").delete() }
}
