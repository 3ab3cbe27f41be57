import Fluent
import SQLKit

struct M0026_CreateFormSubmissions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("form_submissions")
            .id()
            .field("nonce", .string, .required)
            .field("created_at", .datetime, .required)
            .unique(on: "nonce")
            .create()
        try await (database as! any SQLDatabase).raw("CREATE INDEX form_submissions_created_at ON form_submissions (created_at)").run()
    }

    func revert(on database: any Database) async throws { try await database.schema("form_submissions").delete() }
}
