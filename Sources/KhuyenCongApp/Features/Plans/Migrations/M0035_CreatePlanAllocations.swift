import Fluent
import SQLKit

/// The ministry's allocations of budget estimates (phân bổ dự toán) to a unit's approved national plan: amount,
/// date and decision. A write raises the report data version (monitoring reads these rows), as M0024 does for the
/// other tables the reports read.
struct M0035_CreatePlanAllocations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("plan_allocations")
            .id()
            .field("unit_id", .string, .required, .references("admin_units", "id"))
            .field("year", .int, .required)
            .field("source", .string, .required)
            .field("amount_vnd", .int64, .required)
            .field("allocated_on", .string, .required)
            .field("decision_no", .string, .required)
            .field("recorded_by", .string, .required)
            .field("recorded_at", .datetime)
            .create()
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE INDEX plan_allocations_unit_year ON plan_allocations (unit_id, year, source)").run()
        if sql.dialect.name == "postgresql" {
            try await sql.raw("""
                CREATE TRIGGER report_version_plan_allocations BEFORE INSERT OR UPDATE OR DELETE ON plan_allocations
                FOR EACH STATEMENT EXECUTE FUNCTION raise_report_version()
                """).run()
        } else {
            for event in ["INSERT", "UPDATE", "DELETE"] {
                try await sql.raw("""
                    CREATE TRIGGER report_version_plan_allocations_\(unsafeRaw: event.lowercased()) AFTER \(unsafeRaw: event) ON plan_allocations
                    BEGIN UPDATE report_version SET version = version + 1 WHERE id = 1; END
                    """).run()
            }
        }
    }

    func revert(on database: any Database) async throws {
        // Dropping the table drops its triggers and index.
        try await database.schema("plan_allocations").delete()
    }
}
