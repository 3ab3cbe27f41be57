import Fluent
import Foundation
import KhuyenCongCore
import Vapor

/// Which units have submitted their period report, on time or late, approved, returned, or not at all; and the
/// reminders a mailer picks up.
enum PeriodReportCompleteness {
    struct Row: Content, Sendable {
        let unitCode: UnitCode; let unitID: UnitID; let name: String; let status: PeriodReportFiling; let statusName: String
        let submittedOn: String?; let daysLate: Int?; let approvedBy: String?; let link: String
    }

    struct Reminder: Content, Sendable {
        let unitCode: UnitCode; let unitName: String; let year: Int; let period: Period; let dueOn: String
        /// Negative: overdue by that many days.
        let daysLeft: Int
        let status: PeriodReportFiling
    }

    static func rows(region: Region?, year: Int, period: Period, today: CalendarDate = .today(), on db: any Database) async throws -> [Row] {
        let units = try await AdminUnitCatalog.load(on: db).units(in: region, planYear: year)   // the regions in force (region_memberships)
        let reports = Dictionary(try await PeriodReport.query(on: db).filter(\.$year == year).filter(\.$period == period).all()
            .map { ($0.unitID, $0) }, uniquingKeysWith: { a, _ in a })
        let due = try await PeriodReportWorkflow.dueDate(year: year, period: period, on: db)
        return units.map { unit in
            let report = reports[unit.id]
            let submitted = report?.submittedOn.flatMap { try? CalendarDate(parsing: $0) }
            let status: PeriodReportFiling
            switch report?.status {
            case nil, .draft?: status = due.map { today > $0 } == true ? .missing : .notDue
            case let value?: status = PeriodReportFiling(value)
            }
            let late = zip2(submitted, due).flatMap { $0 > $1 ? $0 - $1 : nil } ?? (status == .missing ? due.map { today - $0 } : nil)
            return Row(unitCode: unit.code, unitID: unit.id, name: unit.name, status: status,
                       statusName: status.vietnameseName,
                       submittedOn: submitted.map(VietnameseFormat.date), daysLate: late, approvedBy: report?.approvedBy,
                       link: Links.periodReport(unitID: unit.id, year: year, period: period))
        }
    }

    /// Reports not yet submitted that are due within `withinDays` days or overdue, for this year's and last year's periods.
    static func reminders(region: Region?, withinDays: Int, today: CalendarDate = .today(), on db: any Database) async throws -> [Reminder] {
        var result: [Reminder] = []
        for year in [today.year - 1, today.year] {
            for period in PeriodReportWorkflow.periods {
                guard let due = try await PeriodReportWorkflow.dueDate(year: year, period: period, on: db), due - today <= withinDays,
                      due.year >= today.year - 1 else { continue }
                for row in try await rows(region: region, year: year, period: period, today: today, on: db)
                    where [.missing, .notDue, .returned, .unlocked].contains(row.status) {
                    result.append(Reminder(unitCode: row.unitCode, unitName: row.name, year: year, period: period,
                                           dueOn: due.description, daysLeft: due - today, status: row.status))
                }
            }
        }
        return result.sorted { ($0.daysLeft, $0.unitCode) < ($1.daysLeft, $1.unitCode) }
    }
}
