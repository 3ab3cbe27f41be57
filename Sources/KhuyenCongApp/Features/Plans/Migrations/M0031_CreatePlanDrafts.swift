import Fluent

/// Amounts of a plan not yet approved. Kept apart from `plan_line_revisions`, which the reports read, so that a
/// draft never counts; approval turns each draft into a revision with the decision's number and date.
struct M0031_CreatePlanDrafts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("plan_drafts")
            .id()
            .field("unit_id", .string, .required, .references("admin_units", "id"))
            .field("year", .int, .required)
            .field("source", .string, .required)
            .field("category_code", .string, .required, .references("categories", "id"))
            .field("amount_vnd", .int64, .required)
            .field("reason", .string)
            .field("updated_by", .string, .required)
            .unique(on: "unit_id", "year", "source", "category_code")
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema("plan_drafts").delete() }
}
