import Fluent

struct M0003_CreateCategories: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("categories")
            .field("id", .string, .identifier(auto: false))
            .field("name_vi", .string, .required)
            .field("name_en", .string, .required)
            .field("valid_from", .string, .required)
            .field("valid_until", .string)
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema("categories").delete() }
}
