import Fluent
import KhuyenCongCore
import SQLKit

/// The units' period reports (filed, reviewed and approved in Features/PeriodReports) as the reports read them:
/// status, submission date and the approved figures. Read from the table, as the reports read every record, so that
/// the reports do not depend on the feature that files them (which takes its figures from the reports).
struct FiledReport: Sendable {
    let unitID: UnitID
    let period: Period
    let status: PeriodReportStatus
    let submittedOn: CalendarDate?
    /// The figures as last approved (approved, or unlocked and awaiting re-approval).
    let approved: PeriodReportSnapshot?

    /// The reports of plan year `year` for `periods` (nil: every period), of `units` (nil: every unit). A stored
    /// snapshot that cannot be read throws (`PeriodReportSnapshot.Unreadable`).
    static func load(year: Int, periods: [Period]? = nil, units: [UnitID]? = nil, snapshots: Bool = false,
                     on db: any Database) async throws -> [FiledReport] {
        var query = (db as! any SQLDatabase).select()
            .columns(["unit_id", "period", "status", "submitted_on"] + (snapshots ? ["approved_snapshot"] : []))
            .from("period_reports").where("year", .equal, SQLBind(year))
        if let periods { query = query.where("period", .in, SQLBind.group(periods.map(\.rawValue))) }
        if let units { query = query.where("unit_id", .in, SQLBind.group(units)) }
        return try await query.all().map { row in
            FiledReport(unitID: try row.decode(column: "unit_id", as: UnitID.self),
                        period: try StoredValueError.decode(Period.self, try row.decode(column: "period", as: String.self), field: "period_reports.period"),
                        status: try StoredValueError.decode(PeriodReportStatus.self, try row.decode(column: "status", as: String.self), field: "period_reports.status"),
                        submittedOn: try row.decode(column: "submitted_on", as: String?.self).flatMap { try? CalendarDate(parsing: $0) },
                        approved: snapshots ? try PeriodReportSnapshot.read(try row.decode(column: "approved_snapshot", as: String?.self)) : nil)
        }
    }
}
