import Fluent
import SQLKit

/// A data version per unit (`unit_data_versions`: unit id → counter), raised by triggers in the transaction of
/// every write to a row the data-quality rules read of that unit: its projects and their payments, outputs, steps,
/// beneficiaries and summary rows, its plan lines, revisions and targets, its period reports and totals. The quality
/// cache (`QualityCache`) keeps each unit's findings and each unit's share of the country-wide comparisons under these
/// counters, so that a write recomputes only what its unit holds. A unit without a row has version 0. Rows the rules
/// read that belong to no unit (an establishment's tax code) raise the row "*".
struct M0052_CreateUnitDataVersions: AsyncMigration {
    /// Tables with the unit in a column of their own, with a project, with a plan line, and of no unit.
    static let byUnit = ["projects", "project_period_totals", "period_totals", "period_reports", "plan_lines", "plan_targets"]
    static let byProject = ["disbursements", "outputs", "project_events", "project_beneficiaries"]
    static let byPlanLine = ["plan_line_revisions"]
    static let global = ["beneficiaries"]
    /// On PostgreSQL, tables without M0024's statement trigger get it, so that their writers too take the report
    /// version's row lock before the counters' rows (one lock order).
    static let lockFirst = ["project_beneficiaries", "beneficiaries"]

    static let upsert = "ON CONFLICT (unit_id) DO UPDATE SET version = unit_data_versions.version + 1"

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE TABLE unit_data_versions (unit_id TEXT PRIMARY KEY, version BIGINT NOT NULL)").run()
        if sql.dialect.name == "postgresql" {
            // Statement triggers with the statement's rows (transition tables): one counter update per unit and
            // statement, however many rows it writes (a rebuild of the summary tables writes millions).
            let units = [
                "unit": "SELECT DISTINCT r.unit_id, 1 FROM rows_ r",
                "project": "SELECT DISTINCT p.unit_id, 1 FROM rows_ r JOIN projects p ON p.id = r.project_id",
                "plan_line": "SELECT DISTINCT l.unit_id, 1 FROM rows_ r JOIN plan_lines l ON l.id = r.plan_line_id",
                "global": "SELECT DISTINCT '*', 1 FROM rows_ r",
            ]
            for (kind, select) in units {
                let insert = "INSERT INTO unit_data_versions (unit_id, version) \(select) \(Self.upsert);"
                try await sql.raw("""
                    CREATE FUNCTION raise_unit_data_versions_by_\(unsafeRaw: kind)() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                      IF TG_OP <> 'DELETE' THEN \(unsafeRaw: insert.replacingOccurrences(of: "rows_", with: "new_rows")) END IF;
                      IF TG_OP <> 'INSERT' THEN \(unsafeRaw: insert.replacingOccurrences(of: "rows_", with: "old_rows")) END IF;
                      RETURN NULL;
                    END $$
                    """).run()
            }
            for (kind, table) in Self.tablesByKind {
                for (event, rows) in [("INSERT", "NEW TABLE AS new_rows"), ("UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
                                      ("DELETE", "OLD TABLE AS old_rows")] {
                    try await sql.raw("""
                        CREATE TRIGGER unit_data_version_\(unsafeRaw: table)_\(unsafeRaw: event.lowercased()) AFTER \(unsafeRaw: event) ON \(unsafeRaw: table)
                        REFERENCING \(unsafeRaw: rows) FOR EACH STATEMENT EXECUTE FUNCTION raise_unit_data_versions_by_\(unsafeRaw: kind)()
                        """).run()
                }
            }
            for table in Self.lockFirst {
                try await sql.raw("""
                    CREATE TRIGGER report_version_\(unsafeRaw: table) BEFORE INSERT OR UPDATE OR DELETE ON \(unsafeRaw: table)
                    FOR EACH STATEMENT EXECUTE FUNCTION raise_report_version()
                    """).run()
            }
        } else {
            let units = [
                "unit": "SELECT row_.unit_id, 1 WHERE true",
                "project": "SELECT p.unit_id, 1 FROM projects p WHERE p.id = row_.project_id",
                "plan_line": "SELECT l.unit_id, 1 FROM plan_lines l WHERE l.id = row_.plan_line_id",
                "global": "SELECT '*', 1 WHERE true",
            ]
            for (kind, table) in Self.tablesByKind {
                let select = units[kind]!
                for event in ["INSERT", "UPDATE", "DELETE"] {
                    let rows = event == "INSERT" ? ["NEW"] : event == "DELETE" ? ["OLD"] : ["NEW", "OLD"]
                    let statements = rows.map {
                        "INSERT INTO unit_data_versions (unit_id, version) \(select.replacingOccurrences(of: "row_", with: $0)) \(Self.upsert);"
                    }.joined(separator: " ")
                    try await sql.raw("""
                        CREATE TRIGGER unit_data_version_\(unsafeRaw: table)_\(unsafeRaw: event.lowercased()) AFTER \(unsafeRaw: event) ON \(unsafeRaw: table)
                        BEGIN \(unsafeRaw: statements) END
                        """).run()
                }
            }
        }
    }

    static var tablesByKind: [(String, String)] {
        byUnit.map { ("unit", $0) } + byProject.map { ("project", $0) } + byPlanLine.map { ("plan_line", $0) } + global.map { ("global", $0) }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            for table in Self.lockFirst { try await sql.raw("DROP TRIGGER report_version_\(unsafeRaw: table) ON \(unsafeRaw: table)").run() }
        }
        for (_, table) in Self.tablesByKind {
            for event in ["insert", "update", "delete"] {
                let on = sql.dialect.name == "postgresql" ? " ON \(table)" : ""
                try await sql.raw("DROP TRIGGER unit_data_version_\(unsafeRaw: table)_\(unsafeRaw: event)\(unsafeRaw: on)").run()
            }
        }
        if sql.dialect.name == "postgresql" {
            for kind in ["unit", "project", "plan_line", "global"] { try await sql.raw("DROP FUNCTION raise_unit_data_versions_by_\(unsafeRaw: kind)()").run() }
        }
        try await sql.raw("DROP TABLE unit_data_versions").run()
    }
}
