import Foundation
import Fluent
import KhuyenCongCore
import SQLKit

/// The rows of one plan year that the report definitions add up: plan lines and targets, and the realised
/// totals of the periods asked for. Every figure of every report, page and export is computed from these,
/// in `ReportSummary.build`.
struct YearRecords: Sendable {
    struct PlanRow: Sendable { let unitID: String; let source: String; let category: String; let amount: Int64 }
    struct TargetRow: Sendable { let unitID: String; let source: String; let category: String; let indicator: String; let quantity: Int64 }
    var plan: [PlanRow] = []
    var targets: [TargetRow] = []
    /// Realised money and outputs per period, from the summary tables (`ReportTotals`).
    var realised: [Period: [ReportTotals.Total]] = [:]

    /// Loads plan year `year`: the latest revision of every plan line approved on or before `asOf`, the targets,
    /// and the realised totals of `periods`.
    /// `units`: only these units' rows (nil: every unit).
    static func load(year: Int, periods: Set<Period>, asOf: CalendarDate, units: Set<String>? = nil,
                     on db: any Database) async throws -> YearRecords {
        let sql = db as! any SQLDatabase
        var records = YearRecords()
        let unitFilter = Self.unitFilter(units)

        let revisions = try await sql.raw("""
            SELECT pl.id AS line_id, pl.unit_id, pl.source, pl.category_code, r.amount_vnd, r.approved_on, r.recorded_at
            FROM plan_lines pl JOIN plan_line_revisions r ON r.plan_line_id = pl.id
            WHERE pl.year = \(bind: year) AND r.approved_on <= \(bind: asOf.description)\(Self.unitFilter(units, column: "pl.unit_id"))
            """).all()
        var latest: [UUID: (approvedOn: String, recordedAt: Double, row: PlanRow)] = [:]
        for row in revisions {
            let lineID = try row.decode(column: "line_id", as: UUID.self)
            let approvedOn = try row.decode(column: "approved_on", as: String.self)
            let recordedAt = try row.decode(column: "recorded_at", as: Date?.self)?.timeIntervalSince1970 ?? 0
            let plan = PlanRow(unitID: try row.decode(column: "unit_id", as: String.self),
                               source: try row.decode(column: "source", as: String.self),
                               category: try row.decode(column: "category_code", as: String.self),
                               amount: try row.decode(column: "amount_vnd", as: Int64.self))
            if let current = latest[lineID], (current.approvedOn, current.recordedAt) >= (approvedOn, recordedAt) { continue }
            latest[lineID] = (approvedOn, recordedAt, plan)
        }
        records.plan = latest.values.map(\.row)

        records.targets = try await sql.raw("""
            SELECT unit_id, source, category_code, indicator_code, quantity FROM plan_targets WHERE year = \(bind: year)\(unitFilter)
            """).all().map { row in
                TargetRow(unitID: try row.decode(column: "unit_id", as: String.self),
                          source: try row.decode(column: "source", as: String.self),
                          category: try row.decode(column: "category_code", as: String.self),
                          indicator: try row.decode(column: "indicator_code", as: String.self),
                          quantity: try row.decode(column: "quantity", as: Int64.self))
            }

        records.realised = try await ReportTotals.load(year: year, periods: periods, units: units, on: db)
        return records
    }

    /// " AND <column> IN (…)" for these units, or nothing for every unit. Unit ids are "code@date" from the
    /// reference data (and kept to digits, "@" and "-" here): safe to inline as literals.
    static func unitFilter(_ units: Set<String>?, column: String = "unit_id") -> SQLRaw {
        guard let units else { return SQLRaw("") }
        let list = units.isEmpty ? "''" : units.sorted().map { "'\($0.filter { $0.isNumber || $0 == "@" || $0 == "-" })'" }.joined(separator: ",")
        return SQLRaw(" AND \(column) IN (\(list))")
    }
}
