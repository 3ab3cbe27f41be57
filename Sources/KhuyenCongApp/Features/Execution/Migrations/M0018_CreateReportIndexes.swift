import Fluent
import SQLKit

/// Indexes for the report queries: records by plan year and unit, dated rows by project and date.
struct M0018_CreateReportIndexes: AsyncMigration {
    static let indexes = [
        ("idx_projects_year_unit", "projects", "year, unit_id"),
        ("idx_disbursements_project_date", "disbursements", "project_id, on_date"),
        ("idx_outputs_project_date", "outputs", "project_id, on_date"),
        ("idx_plan_lines_year_unit", "plan_lines", "year, unit_id"),
        ("idx_plan_line_revisions_line", "plan_line_revisions", "plan_line_id"),
        ("idx_project_events_project", "project_events", "project_id"),
        ("idx_audit_log_record", "audit_log", "record_type, record_id"),
    ]

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for (name, table, columns) in Self.indexes {
            try await sql.raw("CREATE INDEX \(unsafeRaw: name) ON \(unsafeRaw: table) (\(unsafeRaw: columns))").run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for (name, _, _) in Self.indexes { try await sql.raw("DROP INDEX \(unsafeRaw: name)").run() }
    }
}
