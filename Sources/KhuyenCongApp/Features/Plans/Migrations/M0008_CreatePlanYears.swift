import Fluent

struct M0008_CreatePlanYears: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("plan_years")
            .field("id", .int, .identifier(auto: false))
            .field("registration_deadline", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema("plan_years").delete() }
}
