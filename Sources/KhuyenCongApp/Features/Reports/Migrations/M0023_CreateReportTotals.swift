import Fluent

/// The summary tables of `ReportTotals`, filled from the rows already stored.
struct M0023_CreateReportTotals: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("project_period_totals")
            .field("project_id", .uuid, .required, .references("projects", "id"))
            .field("period", .string, .required)
            .field("measure", .string, .required)
            .field("year", .int, .required)
            .field("unit_id", .string, .required)
            .field("source", .string, .required)
            .field("category_code", .string, .required)
            .field("actual_sum", .int64, .required)
            .field("actual_rows", .int64, .required)
            .field("estimate_sum", .int64, .required)
            .unique(on: "project_id", "period", "measure")
            .create()
        try await database.schema("period_totals")
            .field("year", .int, .required)
            .field("period", .string, .required)
            .field("unit_id", .string, .required)
            .field("source", .string, .required)
            .field("category_code", .string, .required)
            .field("measure", .string, .required)
            .field("value", .int64, .required)
            .unique(on: "year", "period", "unit_id", "source", "category_code", "measure")
            .create()
        try await ReportTotals.rebuild(on: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema("period_totals").delete()
        try await database.schema("project_period_totals").delete()
    }
}
