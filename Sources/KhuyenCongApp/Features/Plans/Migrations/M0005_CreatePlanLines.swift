import Fluent

struct M0005_CreatePlanLines: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("plan_lines")
            .id()
            .field("unit_id", .string, .required, .references("admin_units", "id"))
            .field("year", .int, .required)
            .field("source", .string, .required)
            .field("category_code", .string, .required, .references("categories", "id"))
            .unique(on: "unit_id", "year", "source", "category_code")
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema("plan_lines").delete() }
}
