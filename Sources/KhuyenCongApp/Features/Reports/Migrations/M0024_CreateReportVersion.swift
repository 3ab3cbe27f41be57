import Fluent
import SQLKit

/// The report data version of `ReportCache`: one counter, raised by triggers in the transaction of every write
/// to a table that reports and monitoring read.
struct M0024_CreateReportVersion: AsyncMigration {
    /// The tables whose changes change a report, a dashboard or the monitoring lists.
    static let tables = ["plan_lines", "plan_line_revisions", "plan_targets", "plan_years", "projects", "project_events",
                         "period_reports", "period_totals"]
    /// On PostgreSQL also the tables written before `period_totals` in the same transaction, so that every writer
    /// takes the counter's row lock before the rows it shares with others (one lock order, no deadlock).
    static let lockFirst = ["disbursements", "outputs", "project_period_totals"]

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE TABLE report_version (id INTEGER PRIMARY KEY, version BIGINT NOT NULL)").run()
        try await sql.raw("INSERT INTO report_version (id, version) VALUES (1, 0)").run()
        if sql.dialect.name == "postgresql" {
            try await sql.raw("""
                CREATE FUNCTION raise_report_version() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN UPDATE report_version SET version = version + 1 WHERE id = 1; RETURN NULL; END $$
                """).run()
            for table in Self.tables + Self.lockFirst {
                try await sql.raw("""
                    CREATE TRIGGER report_version_\(unsafeRaw: table) BEFORE INSERT OR UPDATE OR DELETE ON \(unsafeRaw: table)
                    FOR EACH STATEMENT EXECUTE FUNCTION raise_report_version()
                    """).run()
            }
        } else {
            // SQLite has row triggers only, and one writer at a time: no lock order to keep.
            for table in Self.tables {
                for event in ["INSERT", "UPDATE", "DELETE"] {
                    try await sql.raw("""
                        CREATE TRIGGER report_version_\(unsafeRaw: table)_\(unsafeRaw: event.lowercased()) AFTER \(unsafeRaw: event) ON \(unsafeRaw: table)
                        BEGIN UPDATE report_version SET version = version + 1 WHERE id = 1; END
                        """).run()
                }
            }
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            for table in Self.tables + Self.lockFirst { try await sql.raw("DROP TRIGGER report_version_\(unsafeRaw: table) ON \(unsafeRaw: table)").run() }
            try await sql.raw("DROP FUNCTION raise_report_version()").run()
        } else {
            for table in Self.tables {
                for event in ["insert", "update", "delete"] { try await sql.raw("DROP TRIGGER report_version_\(unsafeRaw: table)_\(unsafeRaw: event)").run() }
            }
        }
        try await sql.raw("DROP TABLE report_version").run()
    }
}
