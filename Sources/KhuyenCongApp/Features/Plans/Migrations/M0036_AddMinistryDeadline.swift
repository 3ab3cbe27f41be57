import Fluent
import KhuyenCongCore
import SQLKit

/// The Department → ministry deadline of a plan year's national registration (Circular 36/2013 Art. 10: 15 June of
/// the year before), beside the implementing units → Department one. Existing years get the default.
struct M0036_AddMinistryDeadline: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("plan_years").field("ministry_deadline", .string).update()
        let sql = database as! any SQLDatabase
        for row in try await sql.raw("SELECT id FROM plan_years").all() {
            let year = try row.decode(column: "id", as: Int.self)
            try await sql.raw("UPDATE plan_years SET ministry_deadline = \(bind: ReferenceData.defaultMinistryDeadline(planYear: year).description) WHERE id = \(bind: year)").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("plan_years").deleteField("ministry_deadline").update()
    }
}
