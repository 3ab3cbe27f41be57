import Fluent

struct M0004_CreateIndicators: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("indicators")
            .field("id", .string, .identifier(auto: false))
            .field("name_vi", .string, .required)
            .field("name_en", .string, .required)
            .field("unit_label", .string, .required)
            .field("valid_from", .string, .required)
            .field("valid_until", .string)
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema("indicators").delete() }
}
