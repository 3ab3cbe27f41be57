import Fluent
import Foundation
import KhuyenCongCore
import SQLKit

/// Summary tables kept in the same transaction as every write of a dated row, so that a report adds up a few
/// hundred ready totals instead of every disbursement and output of two plan years, and never lags behind.
/// - `project_period_totals`: per project, period of its plan year and measure (`vnd`, or an indicator code),
///   the running sums of actual and estimate rows (`PeriodSums`);
/// - `period_totals`: per plan year, period, unit, source, category and measure, Σ of the projects' realised
///   figures (actuals superseding estimates per project, as the report definitions say).
enum ReportTotals {
    /// The measure of money paid; outputs use their indicator code.
    static let money = "vnd"

    /// Whom a project's figures count for: set when the project is created, never changed.
    struct Attribution: Hashable, Sendable {
        let project: UUID
        let year: Int
        let unitID: UnitID
        let source: FundingSource
        let category: String
    }

    /// One ready total of `period_totals`.
    struct Total: Sendable {
        let unitID: UnitID
        let source: FundingSource
        let category: String
        let measure: String
        let value: Int64
    }

    /// Changes to dated rows, gathered (one row or a million) and written in one go by `apply`.
    struct Changes: Sendable {
        struct Key: Hashable, Comparable, Sendable {
            let attribution: Attribution
            let period: Period
            let measure: String
            /// The same order in every process (locks are taken in it), without formatting ids as text.
            static func < (a: Key, b: Key) -> Bool {
                let order = withUnsafeBytes(of: a.attribution.project.uuid) { x in
                    withUnsafeBytes(of: b.attribution.project.uuid) { y in x.elementsEqual(y) ? 0 : x.lexicographicallyPrecedes(y) ? -1 : 1 }
                }
                if order != 0 { return order < 0 }
                return (a.period.rawValue, a.measure) < (b.period.rawValue, b.measure)
            }
        }
        private(set) var sums: [Key: PeriodSums] = [:]

        mutating func add(_ attribution: Attribution, date: CalendarDate, measure: String, value: Int64, basis: Basis,
                          removing: Bool = false) throws {
            for period in Period.containing(date, planYear: attribution.year) {
                try sums[Key(attribution: attribution, period: period, measure: measure), default: PeriodSums()]
                    .add(value, basis: basis, removing: removing)
            }
        }

        /// Adds rows already summed (all dated in `date`'s month): what a bulk write gathers per project, measure and
        /// month, so that a million rows cost a few thousand lookups of these keys rather than four per row.
        mutating func add(_ attribution: Attribution, date: CalendarDate, measure: String, sums added: PeriodSums) throws {
            for period in Period.containing(date, planYear: attribution.year) {
                let key = Key(attribution: attribution, period: period, measure: measure)
                sums[key] = try (sums[key] ?? PeriodSums()) + added
            }
        }

        /// Adds the changes to the projects' sums, reads the new sums back, and moves each project's change of
        /// realised figure into `period_totals`. Run it inside the transaction of the write it follows.
        func apply(on db: any Database) async throws {
            let sql = db as! any SQLDatabase
            var reportChanges: [TotalKey: Int64] = [:]
            // Sorted, so that concurrent writers on PostgreSQL take row locks in the same order.
            let keys = sums.keys.sorted()
            for chunk in keys.chunked(400) {
                var insert = sql.insert(into: "project_period_totals")
                    .columns(["project_id", "period", "measure", "year", "unit_id", "source", "category_code",
                              "actual_sum", "actual_rows", "estimate_sum"])
                for key in chunk {
                    let change = sums[key]!
                    let a = key.attribution
                    insert = insert.values([SQLBind(a.project), SQLBind(key.period.rawValue), SQLBind(key.measure), SQLBind(a.year),
                                            SQLBind(a.unitID), SQLBind(a.source.rawValue), SQLBind(a.category), SQLBind(change.actual),
                                            SQLBind(change.actualRows), SQLBind(change.estimate)])
                }
                let rows = try await insert
                    .onConflict(with: ["project_id", "period", "measure"]) { update in
                        for column in ["actual_sum", "actual_rows", "estimate_sum"] {
                            update.set(column, to: SQLRaw("project_period_totals.\(column) + excluded.\(column)"))
                        }
                        return update
                    }
                    .returning("project_id", "period", "measure", "actual_sum", "actual_rows", "estimate_sum")
                    .all()
                let byKey = Dictionary(uniqueKeysWithValues: chunk.map {
                    (PartKey(project: $0.attribution.project, period: $0.period.rawValue, measure: $0.measure), $0)
                })
                for row in rows {
                    let part = PartKey(project: try row.decode(column: "project_id", as: UUID.self),
                                       period: try row.decode(column: "period", as: String.self),
                                       measure: try row.decode(column: "measure", as: String.self))
                    guard let key = byKey[part], let change = sums[key] else { continue }
                    let now = PeriodSums(actual: try row.decode(column: "actual_sum", as: Int64.self),
                                         actualRows: try row.decode(column: "actual_rows", as: Int64.self),
                                         estimate: try row.decode(column: "estimate_sum", as: Int64.self))
                    let before = try now - change
                    let delta = try ReportMath.checkedAdd(now.realised, -before.realised)
                    guard delta != 0 else { continue }
                    let total = TotalKey(year: key.attribution.year, period: key.period.rawValue, unitID: key.attribution.unitID,
                                         source: key.attribution.source, category: key.attribution.category, measure: key.measure)
                    reportChanges[total] = try ReportMath.checkedAdd(reportChanges[total] ?? 0, delta)
                }
            }
            for chunk in reportChanges.keys.sorted().chunked(400) {
                var insert = sql.insert(into: "period_totals")
                    .columns(["year", "period", "unit_id", "source", "category_code", "measure", "value"])
                for key in chunk {
                    insert = insert.values([SQLBind(key.year), SQLBind(key.period), SQLBind(key.unitID), SQLBind(key.source.rawValue),
                                            SQLBind(key.category), SQLBind(key.measure), SQLBind(reportChanges[key]!)])
                }
                try await insert.onConflict(with: ["year", "period", "unit_id", "source", "category_code", "measure"]) {
                    $0.set("value", to: SQLRaw("period_totals.value + excluded.value"))
                }.run()
            }
        }

        private struct PartKey: Hashable { let project: UUID; let period: String; let measure: String }
    }

    struct TotalKey: Hashable, Comparable, Sendable {
        let year: Int, period: String, unitID: UnitID, source: FundingSource, category: String, measure: String
        static func < (a: TotalKey, b: TotalKey) -> Bool {
            (a.year, a.period, a.unitID, a.source.rawValue, a.category, a.measure) < (b.year, b.period, b.unitID, b.source.rawValue, b.category, b.measure)
        }
    }

    /// A realised output already summed over the units a scope's records were loaded for (`Detail.outputsSummed`).
    struct OutputTotal: Sendable {
        let source: FundingSource
        let category: String
        let indicator: String
        let value: Int64
    }

    /// How much of a year `load` reads.
    enum Detail: Sendable {
        /// Every total, per unit: records that serve many scopes (the dashboard, the quality rules).
        case perUnit
        /// Money per unit, outputs summed over the units asked for by the database: one scope's year. A country's
        /// 2,380 totals of 2026 H1 (national synthetic set) are 340 money rows and 60 sums of outputs.
        case outputsSummed
        /// Money only: the year before, which a summary compares through its money alone.
        case moneyOnly
    }

    /// The ready totals of plan year `year` for `periods`, for `units` (nil: every unit), and with `.outputsSummed` the
    /// outputs per period, source, category and indicator, summed over `units`.
    static func load(year: Int, periods: Set<Period>, units: Set<UnitID>?, detail: Detail = .perUnit,
                     on db: any Database) async throws -> (perUnit: [Period: [Total]], summedOutputs: [Period: [OutputTotal]]) {
        guard !periods.isEmpty else { return ([:], [:]) }
        // Read as one packed row (Core/PackedRows.swift): a country's report reads a few thousand totals, and a
        // driver's hop and SQLKit's decoding per row were most of its time.
        var binds: [PackedRows.Bind] = []
        /// The condition on the year, periods, measure (compared with money by `measure`, when given) and units, its
        /// binds appended in the order of its `?`.
        func rows(measure: String? = nil) -> String {
            binds += [.integer(Int64(year))] + periods.map(\.rawValue).sorted().map { .text($0) }
            var condition = "year = ? AND period IN (" + Array(repeating: "?", count: periods.count).joined(separator: ",") + ")"
            if let measure {
                condition += " AND measure \(measure) ?"
                binds.append(.text(money))
            }
            if let units {
                condition += " AND unit_id IN (" + (units.isEmpty ? "NULL" : Array(repeating: "?", count: units.count).joined(separator: ",")) + ")"
                binds += units.sorted().map { .text($0.rawValue) }
            }
            return condition
        }
        let statement = switch detail {
        case .perUnit:
            "SELECT period, unit_id, source, category_code, measure, value FROM period_totals WHERE \(rows()) AND value <> 0"
        case .moneyOnly:
            "SELECT period, unit_id, source, category_code, measure, value FROM period_totals WHERE \(rows(measure: "=")) AND value <> 0"
        case .outputsSummed:
            "SELECT period, unit_id, source, category_code, measure, value FROM period_totals WHERE \(rows(measure: "=")) AND value <> 0 "
                + "UNION ALL SELECT period, NULL, source, category_code, measure, SUM(value) FROM period_totals WHERE \(rows(measure: "<>")) "
                + "GROUP BY period, measure, source, category_code HAVING SUM(value) <> 0"
        }
        var totals: [Period: [Total]] = [:], outputs: [Period: [OutputTotal]] = [:]
        for row in try await PackedRows.all(statement, binds, columns: ["period", "unit_id", "source", "category_code", "measure", "value"], on: db) {
            let period = try StoredValueError.decode(Period.self, try row.string(0), field: "period_totals.period")
            let source = try StoredValueError.decode(FundingSource.self, try row.string(2), field: "period_totals.source")
            guard let unit = row.optionalString(1) else {
                outputs[period, default: []].append(OutputTotal(source: source, category: try row.string(3), indicator: try row.string(4),
                                                                value: try row.int64(5)))
                continue
            }
            totals[period, default: []].append(Total(unitID: UnitID(unit), source: source, category: try row.string(3),
                                                     measure: try row.string(4), value: try row.int64(5)))
        }
        return (totals, outputs)
    }

    /// Computes both tables again from the raw rows, in set-based SQL that runs on SQLite and PostgreSQL: after
    /// bulk loads that write rows directly (seeds), on migration, and to check the running totals. In one transaction
    /// (the caller's, or its own): the work table below is the connection's own.
    static func rebuild(on db: any Database) async throws {
        guard db.inTransaction else { return try await db.transaction { try await rebuild(on: $0) } }
        let sql = db as! any SQLDatabase
        try await sql.raw("DELETE FROM period_totals").run()
        try await sql.raw("DELETE FROM project_period_totals").run()
        // One pass over the dated rows: per project and measure (`vnd`, or an indicator) the sums of each quarter of
        // its plan year, by a CASE over the text date, kept in a temporary work table; both tables are then made from
        // it, each period adding up its quarters (H1 = Q1 + Q2). `period_totals` groups the work table's rows (one per
        // project and measure) rather than `project_period_totals`' eight times as many: sorting those was a third of
        // the rebuild on SQLite.
        let quarters: [Period] = [.q1, .q2, .q3, .q4]
        let perQuarter = quarters.enumerated().map { index, quarter -> String in
            let inQuarter = "substr(d.on_date, 6, 2) BETWEEN '\(String(format: "%02d", quarter.months.lowerBound))' AND '\(String(format: "%02d", quarter.months.upperBound))'"
            return """
                SUM(CASE WHEN \(inQuarter) AND d.basis = 'actual' THEN d.VALUE ELSE 0 END) AS actual_sum\(index),
                SUM(CASE WHEN \(inQuarter) AND d.basis = 'actual' THEN 1 ELSE 0 END) AS actual_rows\(index),
                SUM(CASE WHEN \(inQuarter) AND d.basis <> 'actual' THEN d.VALUE ELSE 0 END) AS estimate_sum\(index),
                SUM(CASE WHEN \(inQuarter) THEN 1 ELSE 0 END) AS rows\(index)
                """
        }.joined(separator: ",\n")
        /// A column of `period`: the sum of its quarters' columns.
        func of(_ period: Period, _ column: String) -> String {
            "(" + quarters.indices
                .filter { period.months.contains(quarters[$0].months.lowerBound) && period.months.contains(quarters[$0].months.upperBound) }
                .map { "w.\(column)\($0)" }.joined(separator: " + ") + ")"
        }
        /// The value of `expression(period)` for the period of the row (`pr.code`).
        func byPeriod(_ expression: (Period) -> String) -> String {
            "CASE pr.code " + Period.allCases.map { "WHEN '\($0.rawValue)' THEN \(expression($0))" }.joined(separator: " ") + " END"
        }
        let periods = Period.allCases.map { "SELECT '\($0.rawValue)' AS code" }.joined(separator: " UNION ALL ")
        let dated = [("disbursements", "amount_vnd", "'\(money)'", ""), ("outputs", "quantity", "d.indicator_code", ", d.indicator_code")]
            .map { table, value, measure, grouped in
                """
                SELECT d.project_id, \(measure) AS measure, \(perQuarter.replacingOccurrences(of: "VALUE", with: value))
                FROM \(table) d JOIN projects y ON y.id = d.project_id
                WHERE substr(d.on_date, 1, 4) = CAST(y.year AS TEXT)
                GROUP BY d.project_id\(grouped)
                """
            }.joined(separator: " UNION ALL ")
        try await sql.raw("CREATE TEMPORARY TABLE report_totals_work AS \(unsafeRaw: dated)").run()
        // The index by year (M0049) built after the rows, in one sort: placing each row was a third of this
        // statement on PostgreSQL.
        try await SecondaryIndexes.setAside([M0049_CoverQualityIndexes.yearIndex.0], on: db) {
            try await sql.raw("""
                INSERT INTO project_period_totals (project_id, period, measure, year, unit_id, source, category_code,
                                                   actual_sum, actual_rows, estimate_sum)
                SELECT p.id, pr.code, w.measure, p.year, p.unit_id, p.source, p.category_code,
                       \(unsafeRaw: byPeriod { of($0, "actual_sum") }), \(unsafeRaw: byPeriod { of($0, "actual_rows") }),
                       \(unsafeRaw: byPeriod { of($0, "estimate_sum") })
                FROM report_totals_work w JOIN projects p ON p.id = w.project_id
                CROSS JOIN (\(unsafeRaw: periods)) pr
                WHERE \(unsafeRaw: byPeriod { of($0, "rows") }) > 0
                """).run()
        }
        // Per project the realised figure of each period (actuals superseding estimates), added up per unit, source,
        // category and measure; a period gets a total where at least one project has rows in it, as above.
        let perPeriod = Period.allCases.enumerated().map { index, period in
            "SUM(CASE WHEN \(of(period, "actual_rows")) > 0 THEN \(of(period, "actual_sum")) ELSE \(of(period, "estimate_sum")) END) AS value\(index), "
                + "SUM(CASE WHEN \(of(period, "rows")) > 0 THEN 1 ELSE 0 END) AS projects\(index)"
        }.joined(separator: ",\n")
        func grouped(_ column: String) -> (Period) -> String {
            { period in "g.\(column)\(Period.allCases.firstIndex(of: period)!)" }
        }
        // The read index (M0056) built after the rows too: they come group by group, each with its eight periods.
        try await SecondaryIndexes.setAside([M0056_CoverPeriodTotals.index.0], on: db) {
            try await sql.raw("""
                INSERT INTO period_totals (year, period, unit_id, source, category_code, measure, value)
                SELECT g.year, pr.code, g.unit_id, g.source, g.category_code, g.measure, \(unsafeRaw: byPeriod(grouped("value")))
                FROM (SELECT p.year, p.unit_id, p.source, p.category_code, w.measure, \(unsafeRaw: perPeriod)
                      FROM report_totals_work w JOIN projects p ON p.id = w.project_id
                      GROUP BY p.year, p.unit_id, p.source, p.category_code, w.measure) g
                CROSS JOIN (\(unsafeRaw: periods)) pr
                WHERE \(unsafeRaw: byPeriod(grouped("projects"))) > 0
                """).run()
        }
        try await sql.raw("DROP TABLE report_totals_work").run()
    }
}

extension ReportTotals.Attribution {
    init(_ project: Project) throws {
        self.init(project: try project.requireID(), year: project.year, unitID: project.unitID, source: project.source,
                  category: project.categoryCode)
    }
}
