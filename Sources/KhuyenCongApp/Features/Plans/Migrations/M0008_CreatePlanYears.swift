import Fluent

struct M0008_CreatePlanYears: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("plan_years")
            .field("id", .int, .identifier(auto: false))
            .field("registration_deadline", .string, .required)
            .field("h1_report_due", .string)
            .field("fy_report_due", .string)
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema("plan_years").delete() }
}
