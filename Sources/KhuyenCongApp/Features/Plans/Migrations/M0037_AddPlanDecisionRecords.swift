import Fluent

/// The approval decision as the province records it (issue 12): who signed it, and the decision's file.
struct M0037_AddPlanDecisionRecords: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("plan_statuses").field("signer", .string).update()
        try await database.schema("plan_decision_files")
            .id()
            .field("unit_id", .string, .required)
            .field("year", .int, .required)
            .field("source", .string, .required)
            .field("decision_no", .string, .required)
            .field("filename", .string, .required)
            .field("size", .int, .required)
            .field("data", .data, .required)
            .field("uploaded_by", .string, .required)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("plan_decision_files").delete()
        try await database.schema("plan_statuses").deleteField("signer").update()
    }
}
