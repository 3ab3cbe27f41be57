import Fluent
import Foundation
import KhuyenCongCore

/// The deadlines of the plan years as they are in force: the latest `rule_deadlines` row of a year and step (rows are
/// only added, by `RuleAdmin.addDeadline`), else `plan_years` (the registration steps and the H1/FY reports), else the
/// law's default (`SupportRules.deadlines(year:)`, `ReferenceData`).
struct DeadlineBook: Sendable {
    struct Entry: Sendable {
        let year: Int
        let step: String
        let date: CalendarDate?
        let daysAfter: Int?
        let legalBasis: String
        /// Who recorded the row in force ("migrate" for the seed; nil: `plan_years` or the law's default).
        let recordedBy: String?
        let recordedAt: Date?
    }

    /// Every step of a plan year, in the order of the year: the two registration steps (Circular 36/2013 Art. 10), the
    /// period reports (Decree 45/2012 Art. 16), the settlement (Circular 36/2013 Art. 18).
    static let steps = ["registration_department", "registration_ministry", "report_q1", "report_q2", "report_h1", "report_q3",
                        "report_q4", "report_fy", "settlement_file", "settlement_close"]
    /// The steps `plan_years` also keeps (the pages of plans, work lists and reminders read them there).
    static let planYearSteps: Set<String> = ["registration_department", "registration_ministry", "report_h1", "report_fy"]

    /// The latest row of each year and step, and every row (the history) by the moment recorded.
    let latest: [String: DeadlineRecord]
    let history: [DeadlineRecord]
    let planYears: [Int: PlanYearSetting]

    static func load(on db: any Database, year: Int? = nil) async throws -> DeadlineBook {
        var rows = DeadlineRecord.query(on: db)
        var settings = PlanYearSetting.query(on: db)
        if let year {
            rows = rows.filter(\.$year == year)
            settings = settings.filter(\.$id == year)
        }
        let history = try await rows.sort(\.$createdAt).all()
        var latest: [String: DeadlineRecord] = [:]
        for row in history { latest[key(row.year, row.step)] = row }
        let planYears = Dictionary(try await settings.all().compactMap { setting in setting.id.map { ($0, setting) } },
                                   uniquingKeysWith: { a, _ in a })
        return DeadlineBook(latest: latest, history: history, planYears: planYears)
    }

    static func key(_ year: Int, _ step: String) -> String { "\(year)|\(step)" }

    func entry(_ year: Int, _ step: String) -> Entry {
        if let row = latest[Self.key(year, step)] {
            return Entry(year: year, step: step, date: row.dueOn.flatMap { try? CalendarDate(parsing: $0) }, daysAfter: row.daysAfter,
                         legalBasis: row.legalBasis, recordedBy: row.recordedBy, recordedAt: row.createdAt)
        }
        let setting = planYears[year]
        func stored(_ text: String?) -> CalendarDate? { text.flatMap { try? CalendarDate(parsing: $0) } }
        let registration = "Thông tư 36/2013/TT-BCT, Điều 10", reports = "Nghị định 45/2012/NĐ-CP, Điều 16"
        switch step {
        case "registration_department":
            return Entry(year: year, step: step, date: stored(setting?.registrationDeadline) ?? ReferenceData.defaultRegistrationDeadline(planYear: year),
                         daysAfter: nil, legalBasis: registration, recordedBy: nil, recordedAt: nil)
        case "registration_ministry":
            return Entry(year: year, step: step, date: stored(setting?.ministryDeadline) ?? ReferenceData.defaultMinistryDeadline(planYear: year),
                         daysAfter: nil, legalBasis: registration, recordedBy: nil, recordedAt: nil)
        case "report_h1":
            return Entry(year: year, step: step, date: stored(setting?.h1ReportDue) ?? ReferenceData.defaultReportDue(period: .h1, year: year),
                         daysAfter: nil, legalBasis: reports, recordedBy: nil, recordedAt: nil)
        case "report_fy":
            return Entry(year: year, step: step, date: stored(setting?.fyReportDue) ?? ReferenceData.defaultReportDue(period: .fullYear, year: year),
                         daysAfter: nil, legalBasis: reports, recordedBy: nil, recordedAt: nil)
        default:
            let law = SupportRules.deadlines(year: year).first { $0.step == step }
            return Entry(year: year, step: step, date: law?.date, daysAfter: law?.daysAfter, legalBasis: law?.legalBasis ?? "",
                         recordedBy: nil, recordedAt: nil)
        }
    }

    func date(_ year: Int, _ step: String) -> CalendarDate? { entry(year, step).date }

    /// Days after the final acceptance the settlement file is due (15 by the law).
    func settlementFileDays(_ year: Int) -> Int { entry(year, "settlement_file").daysAfter ?? 15 }

    /// The due date of a quarter's report of a year (15th of the month after the quarter by default).
    func quarterDue(_ year: Int, _ quarter: Period) -> CalendarDate? { date(year, "report_" + quarter.rawValue.lowercased()) }
}
