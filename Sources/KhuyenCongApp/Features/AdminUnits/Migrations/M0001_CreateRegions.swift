import Fluent

struct M0001_CreateRegions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("regions")
            .field("id", .string, .identifier(auto: false))
            .field("name_vi", .string, .required)
            .field("name_en", .string, .required)
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema("regions").delete() }
}
