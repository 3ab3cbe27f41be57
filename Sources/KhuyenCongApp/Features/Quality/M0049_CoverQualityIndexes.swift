import Fluent
import SQLKit

/// The data-quality rules add up a region's payments and outputs per project (basis, kind, amount; quantity): with
/// these columns in the by-project indexes the database reads the indexes alone instead of one table row per record
/// (a region at national scale: 64,000 payments and 64,000 outputs). The indexes replace M0018's on the same leading
/// columns, so every query that used those can use these, and a write still maintains one index per table. The unit
/// costs read a year's money and quantities per project from `project_period_totals`, by year, period and measure.
struct M0049_CoverQualityIndexes: AsyncMigration {
    static let yearIndex = ("idx_project_period_totals_year", "project_period_totals",
                            "year, period, measure, project_id, actual_sum, actual_rows, estimate_sum")

    static let indexes = [
        ("idx_disbursements_project_date", "idx_disbursements_project_cover", "disbursements", "project_id, on_date",
         "project_id, on_date, basis, kind, amount_vnd"),
        ("idx_outputs_project_date", "idx_outputs_project_cover", "outputs", "project_id, on_date", "project_id, on_date, quantity"),
    ]

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for (old, new, table, _, columns) in Self.indexes {
            try await sql.raw("CREATE INDEX \(unsafeRaw: new) ON \(unsafeRaw: table) (\(unsafeRaw: columns))").run()
            try await sql.raw("DROP INDEX \(unsafeRaw: old)").run()
        }
        let (name, table, columns) = Self.yearIndex
        try await sql.raw("CREATE INDEX \(unsafeRaw: name) ON \(unsafeRaw: table) (\(unsafeRaw: columns))").run()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("DROP INDEX \(unsafeRaw: Self.yearIndex.0)").run()
        for (old, new, table, columns, _) in Self.indexes {
            try await sql.raw("CREATE INDEX \(unsafeRaw: old) ON \(unsafeRaw: table) (\(unsafeRaw: columns))").run()
            try await sql.raw("DROP INDEX \(unsafeRaw: new)").run()
        }
    }
}
