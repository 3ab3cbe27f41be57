import Fluent

/// Target quantities of a plan not yet approved; approval writes them into `plan_targets`, which the reports read.
struct M0032_CreatePlanDraftTargets: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("plan_draft_targets")
            .id()
            .field("unit_id", .string, .required, .references("admin_units", "id"))
            .field("year", .int, .required)
            .field("source", .string, .required)
            .field("category_code", .string, .required, .references("categories", "id"))
            .field("indicator_code", .string, .required, .references("indicators", "id"))
            .field("quantity", .int64, .required)
            .field("updated_by", .string, .required)
            .unique(on: "unit_id", "year", "source", "category_code", "indicator_code")
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema("plan_draft_targets").delete() }
}
