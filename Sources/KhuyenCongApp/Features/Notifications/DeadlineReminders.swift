import Fluent
import Foundation
import KhuyenCongCore
import Vapor

/// The deadlines' reminders of one day: N days before a deadline (`NOTIFY_DAYS_BEFORE`, 7 by default) and on the day
/// after it, to the province officers whose unit still has the work to do. The deadlines are data: `plan_years`
/// (registration by the implementing units, registration with the ministry), the period reports (Q1, H1, Q3 and FY:
/// H1 and FY stand for the second and fourth quarters' reports; `PeriodReportWorkflow.dueDate`) and
/// `rule_deadlines` (the settlement of a plan year's accounts, 22 January; each
/// accepted project's settlement file, `settlement_file` days — 15 — after its final acceptance). Each reminder has a unique key (user, deadline, kind,
/// day), so running the day's reminders twice makes each one once, and mails it once.
enum DeadlineReminders {
    struct Deadline: Sendable {
        /// "registration/2027", "ministry/2027", "report/2026/H1", "settlement/2026".
        let key: String
        let due: CalendarDate
        let what: String
        /// Whether the officer's unit (today's unit code) still has this work to do.
        let pending: @Sendable (_ unitCode: UnitCode, _ db: any Database) async throws -> Bool
        let link: @Sendable (_ unitCode: UnitCode) -> String?
    }

    enum Kind: String { case before, after }

    /// The deadlines of the plan years around `date`.
    static func deadlines(around date: CalendarDate, on db: any Database) async throws -> [Deadline] {
        var result: [Deadline] = []
        let book = try await DeadlineBook.load(on: db)
        for year in (date.year - 1)...(date.year + 2) {
            let registration = book.date(year, "registration_department") ?? ReferenceData.defaultRegistrationDeadline(planYear: year)
            let ministry = book.date(year, "registration_ministry") ?? ReferenceData.defaultMinistryDeadline(planYear: year)
            result.append(Deadline(key: "registration/\(year)", due: registration,
                                   what: "Đăng ký đề án khuyến công quốc gia năm \(year)",
                                   pending: { code, db in try await !hasRegistered(unitCode: code, year: year, on: db) },
                                   link: { Links.registration(unitCode: $0, year: year) }))
            result.append(Deadline(key: "ministry/\(year)", due: ministry,
                                   what: "Trình kế hoạch khuyến công quốc gia năm \(year) lên Bộ Công Thương",
                                   pending: { code, db in try await !planSubmitted(unitCode: code, year: year, on: db) },
                                   link: { Links.plan(unitCode: $0, year: year) }))
            for period in PeriodReportWorkflow.periods {
                guard let due = try await PeriodReportWorkflow.dueDate(year: year, period: period, on: db) else { continue }
                let pending: @Sendable (UnitCode, any Database) async throws -> Bool = { code, db in
                    try await !reportSubmitted(unitCode: code, year: year, period: period, on: db)
                }
                let link: @Sendable (UnitCode) -> String? = { code in
                    guard let key = try? PeriodReportWorkflow.key(unitCode: code, year: year, period: period.rawValue) else { return nil }
                    return Links.periodReport(unitID: key.unit.id, year: year, period: period)
                }
                result.append(Deadline(key: "report/\(year)/\(period.rawValue)", due: due,
                                       what: "Nộp báo cáo \(period.vietnameseName(year: year).lowercasedFirst)", pending: pending, link: link))
            }
            if let due = book.date(year, "settlement_close") {
                result.append(Deadline(key: "settlement/\(year)", due: due,
                                       what: "Quyết toán kinh phí khuyến công năm \(year)",
                                       pending: { code, db in try await unsettled(unitCode: code, year: year, on: db) > 0 },
                                       link: { _ in Links.projectRegister }))
            }
        }
        return result
    }

    /// Each accepted project's settlement file (Circular 36/2013 Art. 18: within `settlement_file` days — 15 — of the
    /// final acceptance), for the projects whose deadline is `daysBefore` days after `date` or was the day before it.
    static func settlementFiles(on date: CalendarDate, daysBefore: Int, on db: any Database) async throws -> [Deadline] {
        // The days in force (`DeadlineBook`) of every plan year with deadline rows, and the law's 15 of the years without.
        let book = try await DeadlineBook.load(on: db)
        let dues = [date.adding(days: daysBefore), date.adding(days: -1)]
        let everyDays = Set(Set(book.history.map(\.year)).map(book.settlementFileDays)).union([15])
        let acceptedOn = Set(everyDays.flatMap { d in dues.map { $0.adding(days: -d).description } })
        let events = try await ProjectEvent.query(on: db).filter(\.$toStatus == .accepted)
            .filter(\.$onDate ~~ Array(acceptedOn)).all()
        guard !events.isEmpty else { return [] }
        let projects = try await Project.query(on: db).filter(\.$id ~~ events.map { $0.$project.id })
            .filter(\.$status == .accepted).all()
        let catalog = AdminUnitCatalog.standard
        var result: [Deadline] = []
        for project in projects.sorted(by: { $0.code < $1.code }) {
            guard let id = project.id else { continue }
            let accepted = events.filter { $0.$project.id == id }.compactMap { try? CalendarDate(parsing: $0.onDate) }.max()
            guard let accepted, case let due = accepted.adding(days: book.settlementFileDays(project.year)), dues.contains(due) else { continue }
            let code = project.code
            let unitCode = catalog.unit(id: project.unitID).map { catalog.restated($0).code }
            result.append(Deadline(
                key: "settlement-file/\(code)", due: due,
                what: "Nộp hồ sơ quyết toán đề án \(code) (nghiệm thu cuối cùng ngày \(VietnameseFormat.date(accepted)))",
                pending: { officerUnit, db in
                    guard officerUnit == unitCode else { return false }
                    return try await Project.query(on: db).filter(\.$code == code).filter(\.$status == .accepted).count() > 0
                },
                link: { _ in Links.project(code) }))
        }
        return result
    }

    /// Makes the reminders of `date` (in one guarded write) and returns how many are new.
    @discardableResult
    static func run(_ app: Application, on date: CalendarDate, daysBefore: Int? = nil) async throws -> Int {
        let days = daysBefore ?? app.notificationSettings.daysBefore
        return try await GuardedWrite.run(on: app.db) { db in
            let officers = try await User.query(on: db).filter(\.$disabled == false)
                .filter(\.$role == .provinceOfficer).sort(\.$username).all()
            guard !officers.isEmpty else { return 0 }
            let emails = try await NotificationRules.addresses(of: officers.compactMap(\.id), on: db)
            var made = 0
            let all = try await deadlines(around: date, on: db) + settlementFiles(on: date, daysBefore: days, on: db)
            for deadline in all {
                let kind: Kind
                if deadline.due == date.adding(days: days) { kind = .before } else if deadline.due == date.adding(days: -1) { kind = .after } else { continue }
                for officer in officers {
                    guard let id = officer.id, let code = officer.principal.unitCode,
                          let unit = AdminUnitCatalog.standard.unit(id: officer.unitID ?? "") else { continue }
                    let key = "due:\(id.uuidString):\(deadline.key):\(kind.rawValue):\(date)"
                    guard try await UserNotification.query(on: db).filter(\.$dedupKey == key).count() == 0 else { continue }
                    guard try await deadline.pending(code, db) else { continue }
                    let dueText = VietnameseFormat.date(deadline.due)
                    let title: String
                    let body: String
                    switch kind {
                    case .before:
                        title = "Nhắc hạn: \(deadline.what) – hạn \(dueText) (còn \(days) ngày)"
                        body = "\(deadline.what) của \(unit.name) (mã đơn vị \(code)) đến hạn ngày \(dueText), còn \(days) ngày."
                    case .after:
                        title = "Quá hạn: \(deadline.what) – hạn \(dueText) đã qua"
                        body = "\(deadline.what) của \(unit.name) (mã đơn vị \(code)) đã quá hạn ngày \(dueText) mà chưa hoàn thành."
                    }
                    try await UserNotification(userID: id, kind: kind == .before ? .deadlineBefore : .deadlineAfter, title: title, body: body,
                                               link: deadline.link(code), recordType: "deadline", recordID: deadline.key,
                                               actor: nil, mailTo: emails[id], dedupKey: key).create(on: db)
                    made += 1
                }
            }
            return made
        }
    }

    // MARK: - Is the work done?

    private static func hasRegistered(unitCode: UnitCode, year: Int, on db: any Database) async throws -> Bool {
        guard let unit = try? AdminUnitCatalog.standard.resolve(code: unitCode, planYear: year) else { return true }
        return try await Project.query(on: db).filter(\.$unitID == unit.id).filter(\.$year == year)
            .filter(\.$source == .national).filter(\.$status != .draft).count() > 0
    }

    private static func planSubmitted(unitCode: UnitCode, year: Int, on db: any Database) async throws -> Bool {
        guard let unit = try? AdminUnitCatalog.standard.resolve(code: unitCode, planYear: year) else { return true }
        let record = try await PlanStatusRecord.query(on: db).filter(\.$unitID == unit.id).filter(\.$year == year)
            .filter(\.$source == .national).first()
        if let record { return [.submitted, .approved].contains(record.status) }
        return try await PlanLine.query(on: db).filter(\.$unitID == unit.id).filter(\.$year == year)
            .filter(\.$source == .national).count() > 0
    }

    private static func reportSubmitted(unitCode: UnitCode, year: Int, period: Period, on db: any Database) async throws -> Bool {
        guard let key = try? PeriodReportWorkflow.key(unitCode: unitCode, year: year, period: period.rawValue) else { return true }
        guard let report = try await PeriodReportWorkflow.find(key, on: db) else { return false }
        return report.status == .submitted || report.status == .approved
    }

    private static func unsettled(unitCode: UnitCode, year: Int, on db: any Database) async throws -> Int {
        guard let unit = try? AdminUnitCatalog.standard.resolve(code: unitCode, planYear: year) else { return 0 }
        return try await Project.query(on: db).filter(\.$unitID == unit.id).filter(\.$year == year)
            .filter(\.$status == .accepted).count()
    }
}

/// `khuyencong notify --due [--date YYYY-MM-DD] [--days-before N]`: the day's deadline reminders, then the outbox's mail
/// (for cron; `serve` does the same once a day with `NOTIFY_DAILY=1`). Running it twice for a day sends nothing more.
struct NotifyCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "due", help: "tạo nhắc hạn của ngày và gửi thư / make the day's deadline reminders and send the mail") var due: Bool
        @Option(name: "date", help: "ngày (YYYY-MM-DD), mặc định hôm nay / the day, today by default") var date: String?
        @Option(name: "days-before", help: "nhắc trước bao nhiêu ngày (mặc định NOTIFY_DAYS_BEFORE hoặc 7) / days before a deadline") var daysBefore: Int?
    }
    var help: String { "Thông báo: nhắc hạn và gửi thư / notifications: deadline reminders and mail" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await migrate(app)
        var made = 0
        if signature.due {
            let date = try signature.date.map { try CalendarDate(parsing: $0) } ?? .today()
            if let days = signature.daysBefore, !(0...365).contains(days) {
                throw DomainError.invalid(vi: "--days-before: từ 0 đến 365", en: "--days-before: 0 to 365")
            }
            made = try await DeadlineReminders.run(app, on: date, daysBefore: signature.daysBefore)
            context.console.print("Nhắc hạn ngày \(VietnameseFormat.date(date)): \(made) thông báo mới / \(made) new reminders")
        }
        if app.notificationSettings.smtp == nil {
            context.console.print("Chưa đặt SMTP_URL: chỉ thông báo trong ứng dụng / no SMTP_URL: in-app notifications only")
        } else {
            let result = await NotificationOutbox.flush(app)
            context.console.print("Thư đã gửi / mail sent: \(result.sent), lỗi / failed: \(result.failed)")
            if result.failed > 0 { throw DomainError(.conflict, vi: "Có \(result.failed) thư chưa gửi được (sẽ thử lại)", en: "\(result.failed) mails failed (will be retried)") }
        }
    }
}
