import Fluent

struct M0007_CreatePlanTargets: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("plan_targets")
            .id()
            .field("unit_id", .string, .required, .references("admin_units", "id"))
            .field("year", .int, .required)
            .field("source", .string, .required)
            .field("category_code", .string, .required, .references("categories", "id"))
            .field("indicator_code", .string, .required, .references("indicators", "id"))
            .field("quantity", .int64, .required)
            .unique(on: "unit_id", "year", "source", "category_code", "indicator_code")
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema("plan_targets").delete() }
}
