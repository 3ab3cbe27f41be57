import Fluent
import KhuyenCongCore

/// The warning shown before a project, a payment or an output is put in a plan year whose annual (or half-year) report
/// is approved: the records of the locked period are refused by `PeriodLocks` anyway; this says so first, naming the
/// year and the report, and the new-project form asks the officer to confirm.
enum LockedYearWarning {
    /// The unit's locked reports of the plan year, annual first.
    static func lockedReports(unitID: UnitID, year: Int, on db: any Database) async throws -> [PeriodReport] {
        try await PeriodReport.query(on: db).filter(\.$unitID == unitID).filter(\.$year == year).filter(\.$locked == true).all()
            .sorted { ($0.period == .fullYear ? 0 : 1) < ($1.period == .fullYear ? 0 : 1) }
    }

    /// "Báo cáo cả năm 2025 của Thanh Hóa đã được … phê duyệt ngày 20/01/2026 và đang khóa".
    static func reportPhrase(_ report: PeriodReport, unitName: String) -> String {
        let period = report.period.vietnameseName(year: report.year).lowercasedFirst
        let approved = report.approvedOn.map { " ngày \(VietnameseFormat.date(stored: $0))" } ?? ""
        return "Báo cáo \(period) của \(unitName) đã được phê duyệt\(approved) và đang khóa số liệu"
    }

    /// The warning for a new project of `unitCode` in `year`, nil when that year's annual report is not locked.
    static func forNewProject(unitCode: UnitCode, year: Int, on db: any Database) async throws -> String? {
        guard let unit = try? AdminUnitCatalog.standard.resolve(code: unitCode, planYear: year),
              let report = try await lockedReports(unitID: unit.id, year: year, on: db).first(where: { $0.period == .fullYear })
        else { return nil }
        return "Năm kế hoạch \(year): \(reportPhrase(report, unitName: unit.name)). Kế hoạch năm \(year) không sửa được, "
            + "giải ngân và kết quả ghi vào các ngày của năm \(year) sẽ bị từ chối cho đến khi báo cáo được mở khóa."
    }

    /// The plan years of today's unit `unitCode` (and its predecessors) whose annual report is locked, each with its warning.
    static func lockedYears(unitCode: UnitCode, on db: any Database) async throws -> [String] {
        let catalog = AdminUnitCatalog.standard
        let reports = try await PeriodReport.query(on: db).filter(\.$locked == true).filter(\.$period == .fullYear)
            .sort(\.$year, .descending).all()
        return reports.compactMap { report in
            guard let unit = catalog.unit(id: report.unitID), catalog.restated(unit).code == unitCode else { return nil }
            return "Năm \(report.year): \(reportPhrase(report, unitName: unit.name))."
        }
    }

    /// The notice above a project's payment and output forms, nil when no report of its plan year is locked.
    static func forProject(_ project: Project, on db: any Database) async throws -> String? {
        let reports = try await lockedReports(unitID: project.unitID, year: project.year, on: db)
        guard !reports.isEmpty else { return nil }
        let name = AdminUnitCatalog.standard.unit(id: project.unitID)?.name ?? project.unitID.rawValue
        let phrases = reports.map { reportPhrase($0, unitName: name) }.joined(separator: "; ")
        let span = reports.contains { $0.period == .fullYear } ? "năm \(project.year)"
            : reports.map { $0.period.vietnameseName(year: project.year).lowercasedFirst }.joined(separator: ", ")
        return "Năm kế hoạch \(project.year) của đề án: \(phrases). Khoản giải ngân hoặc kết quả ghi vào ngày thuộc \(span) "
            + "sẽ bị từ chối cho đến khi báo cáo được mở khóa."
    }
}
