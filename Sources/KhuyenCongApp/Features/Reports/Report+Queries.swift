import Foundation
import Fluent
import KhuyenCongCore
import SQLKit

/// The rows of one plan year that the report definitions add up: plan lines and targets, and the realised
/// totals of the periods asked for. Every figure of every report, page and export is computed from these,
/// in `ReportSummary.build`.
struct YearRecords: Sendable {
    struct PlanRow: Sendable { let unitID: UnitID; let source: FundingSource; let category: String; let amount: Money }
    struct TargetRow: Sendable { let unitID: UnitID; let source: FundingSource; let category: String; let indicator: String; let quantity: Int64 }
    var plan: [PlanRow] = []
    var targets: [TargetRow] = []
    /// Realised money and outputs per period, from the summary tables (`ReportTotals`); with `.outputsSummed`, money only.
    var realised: [Period: [ReportTotals.Total]] = [:]
    /// With `.outputsSummed`: the realised outputs summed over `summedOver`, the units they were loaded for.
    var summedOutputs: [Period: [ReportTotals.OutputTotal]] = [:]
    var summedOver: Set<UnitID>?

    /// Loads plan year `year`: the latest revision of every plan line approved on or before `asOf`, the targets,
    /// and the realised totals of `periods`.
    /// `units`: only these units' rows (nil: every unit).
    /// `detail`: how much of the realised totals (`ReportTotals.Detail`). `.moneyOnly` also leaves out the targets: what a
    /// summary compares with in the year before (`ReportSummary.Totals` reads nothing else of it), 630 of 2025 H1's
    /// 4,410 totals in the national synthetic set. `.outputsSummed` needs `units`.
    static func load(year: Int, periods: Set<Period>, asOf: CalendarDate, units: Set<UnitID>? = nil,
                     detail: ReportTotals.Detail = .perUnit, on db: any Database) async throws -> YearRecords {
        var records = YearRecords()
        let unitFilter = Self.unitFilter(units)

        // Read as one packed row (Core/PackedRows.swift), as the realised totals are.
        let revisions = try await PackedRows.all("""
            SELECT pl.id AS line_id, pl.unit_id, pl.source, pl.category_code, r.amount_vnd, r.approved_on, \(PackedRows.epoch("r.recorded_at", on: db)) AS recorded_at
            FROM plan_lines pl JOIN plan_line_revisions r ON r.plan_line_id = pl.id
            WHERE pl.year = ? AND r.approved_on <= ?\(Self.unitFilter(units, column: "pl.unit_id").sql)
            """, [.integer(Int64(year)), .text(asOf.description)],
            columns: ["line_id", "unit_id", "source", "category_code", "amount_vnd", "approved_on", "recorded_at"], on: db)
        // Keyed by the line id's text: parsing UUIDs (sscanf per byte) took 4–5 % of a region's report in a profile.
        var latest: [String: (approvedOn: String, recordedAt: Double, row: PlanRow)] = [:]
        for row in revisions {
            let lineID = try row.string(0)
            let approvedOn = try row.string(5)
            let recordedAt = try row.double(6) ?? 0
            let plan = PlanRow(unitID: UnitID(try row.string(1)), source: try StoredValueError.decode(FundingSource.self, try row.string(2), field: "plan_lines.source"), category: try row.string(3), amount: Money(dong: try row.int64(4)))
            if let current = latest[lineID], (current.approvedOn, current.recordedAt) >= (approvedOn, recordedAt) { continue }
            latest[lineID] = (approvedOn, recordedAt, plan)
        }
        records.plan = latest.values.map(\.row)

        if detail != .moneyOnly { records.targets = try await PackedRows.all("""
            SELECT unit_id, source, category_code, indicator_code, quantity FROM plan_targets WHERE year = ?\(unitFilter.sql)
            """, [.integer(Int64(year))], columns: ["unit_id", "source", "category_code", "indicator_code", "quantity"], on: db).map { row in
                TargetRow(unitID: UnitID(try row.string(0)), source: try StoredValueError.decode(FundingSource.self, try row.string(1), field: "plan_targets.source"), category: try row.string(2),
                          indicator: try row.string(3), quantity: try row.int64(4))
            }
        }

        precondition(detail != .outputsSummed || units != nil, "outputs are summed over the units given")
        (records.realised, records.summedOutputs) = try await ReportTotals.load(year: year, periods: periods, units: units,
                                                                                detail: detail, on: db)
        if detail == .outputsSummed { records.summedOver = units }
        return records
    }

    /// " AND <column> IN (…)" for these units, or nothing for every unit. Unit ids are "code@date" from the
    /// reference data (and kept to digits, "@" and "-" here): safe to inline as literals.
    static func unitFilter(_ units: Set<UnitID>?, column: String = "unit_id") -> SQLRaw {
        guard let units else { return SQLRaw("") }
        let list = units.isEmpty ? "''" : units.sorted().map { "'\($0.rawValue.filter { $0.isNumber || $0 == "@" || $0 == "-" })'" }.joined(separator: ",")
        return SQLRaw(" AND \(column) IN (\(list))")
    }
}
