import Fluent

struct M0015_CreatePeriodReports: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("period_reports")
            .id()
            .field("unit_id", .string, .required, .references("admin_units", "id"))
            .field("year", .int, .required)
            .field("period", .string, .required)
            .field("status", .string, .required)
            .field("cover_note", .string, .required)
            .field("submitted_on", .string)
            .field("approved_on", .string)
            .field("approved_by", .string)
            .field("snapshot", .string)
            .field("approved_snapshot", .string)
            .field("locked", .bool, .required)
            .field("return_reason", .string)
            .field("unlock_reason", .string)
            .field("unlocked_by", .string)
            .field("unlocked_on", .string)
            .unique(on: "unit_id", "year", "period")
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema("period_reports").delete() }
}
