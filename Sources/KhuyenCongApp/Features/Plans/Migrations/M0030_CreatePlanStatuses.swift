import Fluent

/// Where a plan (unit, plan year, source) stands in its cycle, with the version that stale edits are refused by.
struct M0030_CreatePlanStatuses: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("plan_statuses")
            .id()
            .field("unit_id", .string, .required, .references("admin_units", "id"))
            .field("year", .int, .required)
            .field("source", .string, .required)
            .field("status", .string, .required)
            .field("version", .int, .required)
            .field("decision_no", .string)
            .field("approved_on", .string)
            .field("approved_by", .string)
            .field("submitted_on", .string)
            .field("return_reason", .string)
            .field("updated_by", .string, .required)
            .field("updated_at", .datetime)
            .unique(on: "unit_id", "year", "source")
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema("plan_statuses").delete() }
}
