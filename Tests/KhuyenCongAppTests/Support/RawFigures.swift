import KhuyenCongCore
import SQLKit
import Vapor
@testable import KhuyenCongApp

/// The report figures computed straight from the raw rows with one SQL statement each, independently of the
/// report code: the expected values the tests compare the reports with.
struct RawFigures {
    let sql: any SQLDatabase

    func scalar(_ query: SQLQueryString) async throws -> Int64 {
        try await sql.raw(query).first()!.decode(column: "v", as: Int64.self)
    }

    /// Σ latest approved revision of every plan line of the region's units for the year.
    func plan(region: String, year: Int, source: String? = nil, categories: [String]? = nil, asOf: String = "9999-12-31") async throws -> Money {
        Money(dong: try await scalar("""
            SELECT CAST(COALESCE(SUM(r.amount_vnd), 0) AS BIGINT) AS v
            FROM plan_lines pl JOIN admin_units u ON u.id = pl.unit_id JOIN plan_line_revisions r ON r.plan_line_id = pl.id
            WHERE pl.year = \(bind: year) AND u.region_code = \(bind: region)
              AND (\(bind: source ?? "") = '' OR pl.source = \(bind: source ?? ""))
              AND (\(bind: categories == nil ? 1 : 0) = 1 OR pl.category_code IN (\(unsafeRaw: inList(categories))))
              AND r.approved_on = (SELECT MAX(r2.approved_on) FROM plan_line_revisions r2
                                   WHERE r2.plan_line_id = pl.id AND r2.approved_on <= \(bind: asOf))
            """))
    }

    /// Σ disbursements in [from, to] of the year's projects, where a project's actual rows in the range make its
    /// estimate rows in the range not count.
    func realised(region: String, year: Int, from: String, to: String, source: String? = nil, categories: [String]? = nil) async throws -> Money {
        Money(dong: try await scalar("""
            SELECT CAST(COALESCE(SUM(d.amount_vnd), 0) AS BIGINT) AS v
            FROM disbursements d JOIN projects p ON p.id = d.project_id JOIN admin_units u ON u.id = p.unit_id
            WHERE p.year = \(bind: year) AND u.region_code = \(bind: region)
              AND d.on_date >= \(bind: from) AND d.on_date <= \(bind: to)
              AND (\(bind: source ?? "") = '' OR p.source = \(bind: source ?? ""))
              AND (\(bind: categories == nil ? 1 : 0) = 1 OR p.category_code IN (\(unsafeRaw: inList(categories))))
              AND (d.basis = 'actual' OR NOT EXISTS (
                    SELECT 1 FROM disbursements a WHERE a.project_id = d.project_id AND a.basis = 'actual'
                      AND a.on_date >= \(bind: from) AND a.on_date <= \(bind: to)))
            """))
    }

    /// Σ outputs of an indicator in [from, to], actuals superseding estimates per project and indicator.
    func outputs(region: String, year: Int, indicator: String, from: String, to: String, source: String) async throws -> Int64 {
        try await scalar("""
            SELECT CAST(COALESCE(SUM(o.quantity), 0) AS BIGINT) AS v
            FROM outputs o JOIN projects p ON p.id = o.project_id JOIN admin_units u ON u.id = p.unit_id
            WHERE p.year = \(bind: year) AND u.region_code = \(bind: region) AND p.source = \(bind: source)
              AND o.indicator_code = \(bind: indicator) AND o.on_date >= \(bind: from) AND o.on_date <= \(bind: to)
              AND (o.basis = 'actual' OR NOT EXISTS (
                    SELECT 1 FROM outputs a WHERE a.project_id = o.project_id AND a.indicator_code = o.indicator_code
                      AND a.basis = 'actual' AND a.on_date >= \(bind: from) AND a.on_date <= \(bind: to)))
            """)
    }

    func targets(region: String, year: Int, indicator: String) async throws -> Int64 {
        try await scalar("""
            SELECT CAST(COALESCE(SUM(t.quantity), 0) AS BIGINT) AS v
            FROM plan_targets t JOIN admin_units u ON u.id = t.unit_id
            WHERE t.year = \(bind: year) AND u.region_code = \(bind: region) AND t.indicator_code = \(bind: indicator)
            """)
    }

    private func inList(_ categories: [String]?) -> String {
        (categories ?? ["-"]).map { "'\($0.filter(\.isNumber))'" }.joined(separator: ", ")
    }
}
