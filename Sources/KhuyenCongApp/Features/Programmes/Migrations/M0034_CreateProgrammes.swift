import Fluent

/// The five-year programmes (the national one of the ministry, and each province's of its People's Committee) and
/// their targets per output indicator.
struct M0034_CreateProgrammes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("programmes")
            .id()
            // "country", or the id of the (today's) province unit the programme belongs to.
            .field("scope_key", .string, .required)
            .field("unit_id", .string, .references("admin_units", "id"))
            .field("first_year", .int, .required)
            .field("last_year", .int, .required)
            .field("decision_no", .string, .required)
            .field("decided_on", .string, .required)
            .field("signer", .string, .required)
            .field("national_vnd", .int64)
            .field("local_vnd", .int64)
            .field("version", .int, .required)
            .field("updated_by", .string, .required)
            .field("updated_at", .datetime)
            .unique(on: "scope_key", "first_year")
            .create()
        try await database.schema("programme_targets")
            .id()
            .field("programme_id", .uuid, .required, .references("programmes", "id", onDelete: .cascade))
            .field("indicator_code", .string, .required)
            .field("quantity", .int64, .required)
            .unique(on: "programme_id", "indicator_code")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("programme_targets").delete()
        try await database.schema("programmes").delete()
    }
}
