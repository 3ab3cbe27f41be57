import Fluent

/// Why a plan line was revised: kept with the revision (nullable: imported revisions carry none).
struct M0033_AddPlanRevisionReasons: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("plan_line_revisions").field("reason", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("plan_line_revisions").deleteField("reason").update()
    }
}
