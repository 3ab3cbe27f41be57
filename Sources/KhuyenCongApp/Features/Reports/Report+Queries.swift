import Foundation
import Fluent
import KhuyenCongCore
import SQLKit

/// The raw rows of one plan year that the report definitions add up. Every figure of every report, page
/// and export is computed from these, in `ReportSummary.build`.
struct YearRecords: Sendable {
    struct PlanRow: Sendable { let unitID: String; let source: String; let category: String; let amount: Int64 }
    struct TargetRow: Sendable { let unitID: String; let source: String; let category: String; let indicator: String; let quantity: Int64 }
    /// A project (by its id: hashing the UUID itself, never its text form) and, for outputs, an indicator.
    struct ProjectKey: Hashable, Sendable { let project: UUID; let indicator: String }
    struct DatedRow: Sendable {
        let key: ProjectKey
        let unitID: String
        let source: String
        let category: String
        let figure: DatedFigure<ProjectKey>
    }

    var plan: [PlanRow] = []
    var targets: [TargetRow] = []
    var disbursements: [DatedRow] = []
    var outputs: [DatedRow] = []

    /// Loads plan year `year`: the latest revision of every plan line approved on or before `asOf`, the targets,
    /// and the dated rows inside `range`.
    /// `units`: only these units' rows (nil: every unit).
    static func load(year: Int, range: ClosedRange<CalendarDate>, asOf: CalendarDate, units: Set<String>? = nil,
                     on db: any Database) async throws -> YearRecords {
        let sql = db as! any SQLDatabase
        var records = YearRecords()
        // Unit ids are "code@date" from the reference data: safe to inline as literals.
        let unitFilter = units.map { set in
            SQLRaw(" AND unit_id IN (" + (set.isEmpty ? "''" : set.sorted().map { "'\($0.filter { $0.isNumber || $0 == "@" || $0 == "-" })'" }.joined(separator: ",")) + ")")
        } ?? SQLRaw("")

        let revisions = try await sql.raw("""
            SELECT pl.id AS line_id, pl.unit_id, pl.source, pl.category_code, r.amount_vnd, r.approved_on, r.recorded_at
            FROM plan_lines pl JOIN plan_line_revisions r ON r.plan_line_id = pl.id
            WHERE pl.year = \(bind: year) AND r.approved_on <= \(bind: asOf.description)\(SQLRaw(unitFilter.sql.replacingOccurrences(of: "unit_id", with: "pl.unit_id")))
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

        let projectFilter = SQLRaw(unitFilter.sql.replacingOccurrences(of: "unit_id", with: "p.unit_id"))
        records.disbursements = try await datedRows(sql: sql, table: "disbursements", value: "amount_vnd", indicator: nil,
                                                    year: year, range: range, filter: projectFilter)
        records.outputs = try await datedRows(sql: sql, table: "outputs", value: "quantity", indicator: "indicator_code",
                                              year: year, range: range, filter: projectFilter)
        return records
    }

    private static func datedRows(sql: any SQLDatabase, table: String, value: String, indicator: String?, year: Int,
                                  range: ClosedRange<CalendarDate>, filter: SQLRaw) async throws -> [DatedRow] {
        let indicatorColumn = indicator.map { "d.\($0)" } ?? "''"
        return try await sql.raw("""
            SELECT p.id AS project_id, p.unit_id, p.source, p.category_code, d.on_date, d.\(unsafeRaw: value) AS value,
                   d.basis, \(unsafeRaw: indicatorColumn) AS indicator
            FROM \(unsafeRaw: table) d JOIN projects p ON p.id = d.project_id
            WHERE p.year = \(bind: year) AND d.on_date >= \(bind: range.lowerBound.description)
              AND d.on_date <= \(bind: range.upperBound.description)\(filter)
            """).all().map { row in
                let key = ProjectKey(project: try row.decode(column: "project_id", as: UUID.self),
                                     indicator: try row.decode(column: "indicator", as: String.self))
                return DatedRow(key: key,
                                unitID: try row.decode(column: "unit_id", as: String.self),
                                source: try row.decode(column: "source", as: String.self),
                                category: try row.decode(column: "category_code", as: String.self),
                                figure: DatedFigure(key: key,
                                                    date: try CalendarDate(parsing: try row.decode(column: "on_date", as: String.self)),
                                                    value: try row.decode(column: "value", as: Int64.self),
                                                    basis: try Basis(parsing: try row.decode(column: "basis", as: String.self))))
            }
    }
}
