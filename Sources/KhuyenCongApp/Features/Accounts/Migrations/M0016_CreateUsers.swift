import Fluent

struct M0016_CreateUsers: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("users")
            .id()
            .field("username", .string, .required)
            .field("display_name", .string, .required)
            .field("role", .string, .required)
            .field("unit_id", .string, .references("admin_units", "id"))
            .field("region_code", .string, .references("regions", "id"))
            .field("affiliation_tax_code", .string)
            .field("password_hash", .string, .required)
            .field("disabled", .bool, .required)
            .field("failed_logins", .int, .required)
            .field("locked_until", .datetime)
            .field("created_at", .datetime)
            .unique(on: "username")
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema("users").delete() }
}
