import Fluent
import Foundation
import KhuyenCongCore

/// The one check every write of dated records and plans goes through: an approved period report locks the unit's
/// records dated in its period (and, for the annual report, the unit's plan for the year) until it is unlocked.
enum PeriodLocks {
    static func lockingReport(unitID: UnitID, planYear: Int, date: CalendarDate?, on db: any Database) async throws -> PeriodReport? {
        let locked = try await PeriodReport.query(on: db).filter(\.$unitID == unitID).filter(\.$year == planYear)
            .filter(\.$locked == true).all()
        return locked.first { report in
            guard let date else { return report.period == .fullYear }          // the plan itself: locked by the annual report
            return report.period.dates(in: planYear).contains(date)
        }
    }

    static func error(_ report: PeriodReport) -> DomainError {
        let period = report.period.vietnameseName(year: report.year)
        let date = VietnameseFormat.date(stored: report.approvedOn)
        return DomainError(.locked,
            vi: "Số liệu \(period) đã được \(report.approvedBy ?? "cán bộ phụ trách") phê duyệt ngày \(date) và đang bị khóa; cần mở khóa trước khi sửa",
            en: "the figures of \(report.period) \(report.year) were approved by \(report.approvedBy ?? "a reviewer") on \(report.approvedOn ?? "?") and are locked; unlock them first")
    }

    /// Throws 423 Locked when a record of `unitID`'s plan year dated `date` (nil: the plan itself) is locked.
    static func check(unitID: UnitID, planYear: Int, date: CalendarDate?, on db: any Database) async throws {
        if let report = try await lockingReport(unitID: unitID, planYear: planYear, date: date, on: db) { throw error(report) }
    }
}

/// Every locked report at once, for checks on many rows (an import).
struct PeriodLockIndex: Sendable {
    private let reports: [String: [PeriodReport]]

    static func load(on db: any Database) async throws -> PeriodLockIndex {
        let locked = try await PeriodReport.query(on: db).filter(\.$locked == true).all()
        return PeriodLockIndex(reports: Dictionary(grouping: locked) { "\($0.unitID)|\($0.year)" })
    }

    func report(unitID: UnitID, planYear: Int, date: CalendarDate?) -> PeriodReport? {
        reports["\(unitID)|\(planYear)"]?.first { report in
            guard let date else { return report.period == .fullYear }
            return report.period.dates(in: planYear).contains(date)
        }
    }
}
