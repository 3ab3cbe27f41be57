import Fluent
import Foundation
import KhuyenCongCore
import SQLKit

/// The rules about one project's money, results and steps. The database adds up the dated rows and returns only the
/// projects that break a rule (a region holds thousands of projects and tens of thousands of rows: loading them all
/// took seconds); the exact test and the message are written here, once. The statements have no ORDER BY (the findings
/// are sorted where they are listed): sorting by project code led SQLite to walk the year's projects of the whole
/// country by the code index instead of the unit's by (year, unit), which after a write, with the connection's page
/// cache emptied, cost a table read per project of the country.
extension QualityFindings {
    static func projectRules(_ scope: Scope, add: Add, on db: any Database) async throws {
        let unitIDs = scope.units.map(\.id)
        guard !unitIDs.isEmpty else { return }
        let sql = db as! any SQLDatabase
        let money = { (amount: Money) in VietnameseFormat.money(amount) }
        let range = scope.period.dates(in: scope.year)
        // Dates come from the calendar, not from input; literals keep SQLite's text and PostgreSQL's date columns alike.
        let start = range.lowerBound.description, end = range.upperBound.description
        let inScope = SQLQueryString("p.year = \(bind: scope.year) AND p.unit_id IN (\(binds: unitIDs)) AND p.status IN (\(binds: countedStatuses))")
        let scopeIDs = SQLQueryString("SELECT p.id FROM projects p WHERE ") + inScope
        let accepted = Array(acceptedStatuses).sorted()

        let rows = try await sql.raw("""
            SELECT p.code, p.unit_id, p.category_code, p.status, p.support_approved_vnd, p.settled_vnd,
              COALESCE(d.actual_total, 0) AS actual_total, COALESCE(d.advanced, 0) AS advanced, COALESCE(d.rows_to_end, 0) AS rows_to_end,
              COALESCE(o.in_period, 0) AS in_period, COALESCE(o.any_rows, 0) AS any_rows,
              CASE WHEN EXISTS (SELECT 1 FROM project_events e WHERE e.project_id = p.id AND e.to_status = 'accepted') THEN 1 ELSE 0 END AS has_acceptance
            FROM projects p
            LEFT JOIN (SELECT project_id,
                CAST(SUM(CASE WHEN basis = 'actual' THEN amount_vnd ELSE 0 END) AS BIGINT) AS actual_total,
                CAST(SUM(CASE WHEN basis = 'actual' AND kind = 'advance' THEN amount_vnd ELSE 0 END) AS BIGINT) AS advanced,
                CAST(SUM(CASE WHEN amount_vnd > 0 AND on_date <= '\(unsafeRaw: end)' THEN 1 ELSE 0 END) AS BIGINT) AS rows_to_end
              FROM disbursements WHERE project_id IN (\(scopeIDs)) GROUP BY project_id) d ON d.project_id = p.id
            LEFT JOIN (SELECT project_id,
                CAST(SUM(CASE WHEN quantity > 0 AND on_date >= '\(unsafeRaw: start)' AND on_date <= '\(unsafeRaw: end)' THEN 1 ELSE 0 END) AS BIGINT) AS in_period,
                CAST(SUM(CASE WHEN quantity > 0 THEN 1 ELSE 0 END) AS BIGINT) AS any_rows
              FROM outputs WHERE project_id IN (\(scopeIDs)) GROUP BY project_id) o ON o.project_id = p.id
            WHERE \(inScope) AND (
              COALESCE(d.actual_total, 0) > COALESCE(p.settled_vnd, p.support_approved_vnd, 0)
              OR COALESCE(d.advanced, 0) * 100 > COALESCE(p.support_approved_vnd, 0) * \(advanceShareCase(year: scope.year))
              OR (COALESCE(o.in_period, 0) > 0 AND COALESCE(d.rows_to_end, 0) = 0)
              OR (p.status IN (\(binds: accepted)) AND ((COALESCE(d.actual_total, 0) > 0 AND COALESCE(o.any_rows, 0) = 0)
                  OR NOT EXISTS (SELECT 1 FROM project_events e WHERE e.project_id = p.id AND e.to_status = 'accepted'))))
            """).all()
        for row in rows {
            let code = try row.decode(column: "code", as: String.self), unitID = try row.decode(column: "unit_id", as: UnitID.self)
            let category = try row.decode(column: "category_code", as: String.self), status = try row.decode(column: "status", as: ProjectStatus.self)
            let approvedVnd = try row.decode(column: "support_approved_vnd", as: Money?.self), settledVnd = try row.decode(column: "settled_vnd", as: Money?.self)
            let actualTotal = try row.decode(column: "actual_total", as: Money.self), advanced = try row.decode(column: "advanced", as: Money.self)
            let rowsToEnd = try row.decode(column: "rows_to_end", as: Int64.self)
            let inPeriod = try row.decode(column: "in_period", as: Int64.self), anyOutput = try row.decode(column: "any_rows", as: Int64.self)
            let hasAcceptance = try row.decode(column: "has_acceptance", as: Int64.self) != 0

            let allowed = settledVnd ?? approvedVnd ?? 0
            if actualTotal > allowed {
                add("overpaid", code, unitID,
                    "Đề án \(code) đã thực chi \(money(actualTotal)), vượt \(settledVnd == nil ? "kinh phí được duyệt" : "số quyết toán") \(money(allowed)).")
            }
            if advanced > 0 {
                let share = SupportRules.advanceShare(category: category, planYear: scope.year)
                let approved = approvedVnd ?? 0
                if Int128(advanced.dong) * 100 > Int128(approved.dong) * Int128(share) {
                    add("advance_over_share", code, unitID, "Đề án \(code) đã tạm ứng \(money(advanced)), vượt \(share)% kinh phí được duyệt \(money(approved)).")
                }
            }
            if inPeriod > 0 && rowsToEnd == 0 {
                add("output_without_money", code, unitID, "Đề án \(code) ghi nhận kết quả trong kỳ nhưng đến hết kỳ chưa có khoản giải ngân nào.")
            }
            if acceptedStatuses.contains(status.rawValue) {
                if actualTotal > 0 && anyOutput == 0 {
                    add("money_without_output", code, unitID,
                        "Đề án \(code) đã nghiệm thu, đã chi \(money(actualTotal)) nhưng không có kết quả nào được ghi nhận.")
                }
                if !hasAcceptance {
                    add("accepted_without_record", code, unitID,
                        "Đề án \(code) ở trạng thái \"\(status.vietnameseName)\" nhưng không có bước nghiệm thu được ghi nhận.")
                }
            }
        }
        try await estimateRules(scope, inScope: inScope, add: add, on: db)
    }

    /// The advance share of each category in force for the plan year, as a SQL expression (the project rules' own
    /// figures, one call per category), so that the database returns only the projects above it.
    private static func advanceShareCase(year: Int) -> SQLQueryString {
        var expression = SQLQueryString("CASE p.category_code")
        for code in Set(ReferenceData.categories.map(\.code)).sorted() {
            expression = expression + SQLQueryString(" WHEN \(bind: code) THEN \(bind: SupportRules.advanceShare(category: code, planYear: year))")
        }
        return expression + SQLQueryString(" ELSE 0 END")
    }

    /// Estimates left where actuals should be: a settled project whose year is still estimated, and (at FY) an H1
    /// estimate left after the unit's H1 report was approved. Read from the summary table, offenders only.
    private static func estimateRules(_ scope: Scope, inScope: SQLQueryString, add: Add, on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        let money = { (amount: Money) in VietnameseFormat.money(amount) }
        let settled = try await sql.raw("""
            SELECT p.code, p.unit_id, t.estimate_sum FROM projects p JOIN project_period_totals t ON t.project_id = p.id
            WHERE \(inScope) AND p.status IN ('settled', 'closed') AND t.period = \(bind: Period.fullYear.rawValue)
              AND t.measure = \(bind: ReportTotals.money) AND t.actual_rows = 0 AND t.estimate_sum > 0
            """).all()
        for row in settled {
            let code = try row.decode(column: "code", as: String.self)
            add("settled_with_estimates", code, try row.decode(column: "unit_id", as: UnitID.self),
                "Đề án \(code) đã quyết toán nhưng số chi cả năm vẫn là số ước (\(money(try row.decode(column: "estimate_sum", as: Money.self)))).")
        }

        guard scope.period == .fullYear else { return }
        let approvedH1 = try await PeriodReport.query(on: db).filter(\.$unitID ~~ scope.units.map(\.id)).filter(\.$year == scope.year)
            .filter(\.$period == .h1).filter(\.$status ~~ [PeriodReportStatus.approved, .unlocked]).all().map(\.unitID)
        guard !approvedH1.isEmpty else { return }
        let stale = try await sql.raw("""
            SELECT p.code, p.unit_id, t.measure, t.estimate_sum FROM projects p JOIN project_period_totals t ON t.project_id = p.id
            WHERE \(inScope) AND p.unit_id IN (\(binds: approvedH1)) AND t.period = \(bind: Period.h1.rawValue)
              AND t.actual_rows = 0 AND t.estimate_sum > 0
            """).all()
        for row in stale {
            let code = try row.decode(column: "code", as: String.self), measure = try row.decode(column: "measure", as: String.self)
            // Money (whole đồng) or an indicator's quantity, as the measure says.
            let estimate = try row.decode(column: "estimate_sum", as: Int64.self)
            let what = measure == ReportTotals.money ? "giải ngân \(money(Money(dong: estimate)))"
                : "kết quả \((try? ReferenceData.indicator(code: measure))?.vietnameseName.lowercased() ?? measure) \(VietnameseFormat.count(estimate))"
            add("stale_estimate", code, try row.decode(column: "unit_id", as: UnitID.self),
                "Đề án \(code): số ước \(what) của 6 tháng đầu năm chưa được thay bằng số thực hiện, dù báo cáo 6 tháng đã được phê duyệt.")
        }
    }
}
