import Fluent

struct M0002_CreateAdminUnits: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("admin_units")
            .field("id", .string, .identifier(auto: false))
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("region_code", .string, .required, .references("regions", "id"))
            .field("valid_from", .string, .required)
            .field("valid_until", .string)
            .field("successor_code", .string, .required)
            .unique(on: "code", "valid_from")
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema("admin_units").delete() }
}
