import Fluent

/// A user's chosen language for the pages (`vi`, `en`); empty: Vietnamese, or what the browser asks for.
struct M0048_AddUserLanguage: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("users").field("language", .string).update()
    }

    func revert(on database: any Database) async throws { try await database.schema("users").deleteField("language").update() }
}
