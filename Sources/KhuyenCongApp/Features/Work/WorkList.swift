import Fluent
import Foundation
import KhuyenCongCore

/// "Việc của tôi": what is waiting for the signed-in person, by role, in the scope `AccessPolicy` gives them. Each item
/// links to the page where the work is done. Read only; every figure comes from the records as they are now.
enum WorkList {
    enum Kind: String, Sendable, CaseIterable {
        // Province officer
        case draft, returned, execution, periodReport = "period_report", plan
        // Appraiser
        case appraisal
        // Region reviewer and ministry
        case periodReportReview = "period_report_review", registration, allocation, overdueReport = "overdue_report"
        // Admin
        case lockedAccount = "locked_account"

        var vietnameseName: String {
            switch self {
            case .draft: "Đề án dự thảo chưa nộp"
            case .returned: "Đề án bị trả lại"
            case .execution: "Chờ ghi nhận giải ngân, kết quả kỳ này"
            case .periodReport: "Báo cáo kỳ đến hạn hoặc bị trả lại"
            case .plan: "Kế hoạch năm sau"
            case .appraisal: "Đề án chờ chấm điểm thẩm định"
            case .periodReportReview: "Báo cáo kỳ chờ duyệt"
            case .registration: "Đăng ký khuyến công quốc gia chờ xử lý"
            case .allocation: "Đề án đã phê duyệt chờ phân bổ kinh phí"
            case .overdueReport: "Báo cáo kỳ quá hạn"
            case .lockedAccount: "Tài khoản bị khóa"
            }
        }
    }

    struct Item: Sendable, Equatable {
        let kind: Kind
        let title: String
        let href: String
        let due: CalendarDate?
    }

    /// The projects' statuses a province must still record payments and outputs for.
    static let executing: [ProjectStatus] = [.allocated, .contracted, .inProgress]

    static func items(for principal: Principal, today: CalendarDate = .today(), now: Date = Date(), on db: any Database) async throws -> [Item] {
        switch principal.role {
        case .provinceOfficer: return try await provinceOfficer(principal, today: today, on: db)
        case .appraiser: return try await appraiser(principal, on: db)
        case .regionReviewer:
            return try await periodReportsToReview(principal, on: db) + registrations(principal, on: db)
        case .ministryOfficer:
            return try await registrations(principal, on: db) + allocations(principal, today: today, on: db)
                + overdueReports(principal, today: today, on: db)
        case .admin: return try await lockedAccounts(now: now, on: db)
        case .viewer: return []
        }
    }

    /// The ids of the units (of any time) on whose records `principal` may take `action`, through `AccessPolicy`;
    /// nil when that is every unit.
    static func unitIDs(_ principal: Principal, _ action: AccessAction) -> Set<UnitID>? {
        let units = AdminUnitCatalog.standard.units
        let allowed = units.filter { AccessPolicy.decide(principal, action, RecordScope(unitID: $0.id)) == .allow }.map(\.id)
        return allowed.count == units.count ? nil : Set(allowed)
    }

    static func projects(in units: Set<UnitID>?, statuses: [ProjectStatus], source: FundingSource? = nil, on db: any Database) async throws -> [Project] {
        if let units, units.isEmpty { return [] }
        let query = Project.query(on: db).filter(\.$status ~~ statuses)
        if let units { query.filter(\.$unitID ~~ Array(units)) }
        if let source { query.filter(\.$source == source) }
        return try await query.sort(\.$year).sort(\.$code).all()
    }

    static func unitName(_ unitID: UnitID) -> String { AdminUnitCatalog.standard.unit(id: unitID)?.name ?? unitID.rawValue }

    // MARK: - Province officer

    static func provinceOfficer(_ principal: Principal, today: CalendarDate, on db: any Database) async throws -> [Item] {
        let units = unitIDs(principal, .editRecord)
        var items: [Item] = []

        for project in try await projects(in: units, statuses: [.draft], on: db) {
            let due = project.source == .national
                ? try await registrationDeadline(planYear: project.year, on: db) : nil
            items.append(Item(kind: .draft, title: "Dự thảo chưa nộp: \(project.code) – \(project.title)", href: Links.project(project.code), due: due))
        }

        let returned = try await projects(in: units, statuses: [.returned], on: db)
        let reasons = try await returnReasons(of: returned, on: db)
        for project in returned {
            let reason = project.id.flatMap { reasons[$0] }.map { " Lý do: \($0)" } ?? ""
            items.append(Item(kind: .returned, title: "Bị trả lại để chỉnh sửa: \(project.code) – \(project.title).\(reason)",
                              href: Links.project(project.code), due: nil))
        }

        items += try await execution(units, today: today, on: db)
        if let code = principal.unitCode {
            items += try await periodReports(units, today: today, on: db)
            items += try await plans(unitCode: code, today: today, on: db)
        }
        return items
    }

    /// The note of each project's latest return.
    static func returnReasons(of projects: [Project], on db: any Database) async throws -> [UUID: String] {
        let ids = projects.compactMap(\.id)
        guard !ids.isEmpty else { return [:] }
        var reasons: [UUID: (at: Date, note: String)] = [:]
        for event in try await ProjectEvent.query(on: db).filter(\.$project.$id ~~ ids).filter(\.$toStatus == .returned).all() {
            let at = event.recordedAt ?? .distantPast
            if let known = reasons[event.$project.id], known.at > at { continue }
            reasons[event.$project.id] = (at, event.note)
        }
        return reasons.compactMapValues { $0.note.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0.note }
    }

    /// The half-year we are in: payments and outputs of running projects are recorded within it.
    static func currentHalf(_ today: CalendarDate) -> Period { today.month <= 6 ? .h1 : .h2 }

    static func execution(_ units: Set<UnitID>?, today: CalendarDate, on db: any Database) async throws -> [Item] {
        let running = try await projects(in: units, statuses: executing, on: db)
        let ids = running.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        let half = currentHalf(today)
        let range = half.dates(in: today.year)
        let (from, to) = (range.lowerBound.description, range.upperBound.description)
        let paid = Set(try await Disbursement.query(on: db).filter(\.$project.$id ~~ ids)
            .filter(\.$onDate >= from).filter(\.$onDate <= to).all().map { $0.$project.id })
        let achieved = Set(try await OutputRecord.query(on: db).filter(\.$project.$id ~~ ids)
            .filter(\.$onDate >= from).filter(\.$onDate <= to).all().map { $0.$project.id })
        let periodName = half.vietnameseName(year: today.year)
        return running.compactMap { project in
            guard let id = project.id else { return nil }
            let missing = [paid.contains(id) ? nil : "giải ngân", achieved.contains(id) ? nil : "kết quả"].compactMap { $0 }
            guard !missing.isEmpty else { return nil }
            return Item(kind: .execution,
                        title: "Chưa ghi nhận \(missing.joined(separator: " và ")) \(periodName.prefix(1).lowercased() + periodName.dropFirst()): \(project.code) – \(project.title)",
                        href: Links.project(project.code) + (paid.contains(id) ? "#ket-qua" : "#giai-ngan"), due: range.upperBound)
        }
    }

    /// A unit's own H1 and FY reports of last year and this year: returned or reopened ones, and those not submitted
    /// that are overdue or due within 60 days.
    static func periodReports(_ units: Set<UnitID>?, today: CalendarDate, on db: any Database) async throws -> [Item] {
        guard let units, !units.isEmpty else { return [] }
        let catalog = AdminUnitCatalog.standard
        let years = [today.year - 1, today.year]
        let reports = try await PeriodReport.query(on: db).filter(\.$unitID ~~ Array(units)).filter(\.$year ~~ years).all()
        var items: [Item] = []
        for year in years {
            for period in PeriodReportWorkflow.periods {
                guard let due = try await PeriodReportWorkflow.dueDate(year: year, period: period, on: db) else { continue }
                for unit in catalog.units(in: nil, planYear: year) where units.contains(unit.id) {
                    let report = reports.first { $0.unitID == unit.id && $0.year == year && $0.period == period }
                    let name = "Báo cáo \(period.vietnameseName(year: year).lowercased()) – \(unit.name)"
                    let href = Links.periodReport(unitID: unit.id, year: year, period: period)
                    switch report?.status {
                    case .returned?:
                        let reason = report?.returnReason.map { " Lý do: \($0)" } ?? ""
                        items.append(Item(kind: .periodReport, title: "\(name): bị trả lại, cần nộp lại.\(reason)", href: href, due: due))
                    case .unlocked?:
                        let reason = report?.unlockReason.map { " Lý do: \($0)" } ?? ""
                        items.append(Item(kind: .periodReport, title: "\(name): đã mở khóa để sửa, cần nộp lại.\(reason)", href: href, due: due))
                    case nil where due - today <= 60, .draft? where due - today <= 60:
                        let state = today > due ? "chưa nộp, quá hạn \(today - due) ngày" : "chưa nộp"
                        items.append(Item(kind: .periodReport, title: "\(name): \(state)", href: href, due: due))
                    default: break
                    }
                }
            }
        }
        return items
    }

    /// Next year's plan of the officer's unit, each source, while it is not submitted or approved.
    static func plans(unitCode: UnitCode, today: CalendarDate, on db: any Database) async throws -> [Item] {
        let year = today.year + 1
        guard let unit = try? AdminUnitCatalog.standard.resolve(code: unitCode, planYear: year) else { return [] }
        var items: [Item] = []
        for source in FundingSource.allCases {
            let record = try await PlanStatusRecord.query(on: db).filter(\.$unitID == unit.id).filter(\.$year == year)
                .filter(\.$source == source).first()
            let hasLines = record == nil ? try await PlanLine.query(on: db).filter(\.$unitID == unit.id).filter(\.$year == year)
                .filter(\.$source == source).count() > 0 : false
            let status = PlanContents.status(record, hasApprovedLines: hasLines)
            let due = source == .national ? try await ministryDeadline(planYear: year, on: db) : nil
            let name = "Kế hoạch khuyến công \(source == .national ? "quốc gia" : "địa phương") năm \(year) – \(unit.name)"
            switch status {
            case .draft:
                items.append(Item(kind: .plan, title: "\(name): \(record == nil ? "chưa lập" : "dự thảo"), chưa trình",
                                  href: Links.plan(unitCode: unit.code, year: year), due: due))
            case .returned:
                let reason = record?.returnReason.map { " Lý do: \($0)" } ?? ""
                items.append(Item(kind: .plan, title: "\(name): bị trả lại, cần trình lại.\(reason)",
                                  href: Links.plan(unitCode: unit.code, year: year), due: due))
            case .submitted, .approved: break
            }
        }
        return items
    }

    static func registrationDeadline(planYear: Int, on db: any Database) async throws -> CalendarDate {
        try await PlanYearSetting.find(planYear, on: db).flatMap { try? CalendarDate(parsing: $0.registrationDeadline) }
            ?? ReferenceData.defaultRegistrationDeadline(planYear: planYear)
    }

    static func ministryDeadline(planYear: Int, on db: any Database) async throws -> CalendarDate {
        try await PlanYearSetting.find(planYear, on: db).flatMap { $0.ministryDeadline.flatMap { try? CalendarDate(parsing: $0) } }
            ?? ReferenceData.defaultMinistryDeadline(planYear: planYear)
    }

    // MARK: - Appraiser

    /// Projects before a council (the province's while submitted, the ministry's while registered) that this appraiser
    /// may score and has not scored in the current round.
    static func appraiser(_ principal: Principal, on db: any Database) async throws -> [Item] {
        let readable = unitIDs(principal, .readRecord)
        let units = AdminUnitCatalog.standard.units.filter { unit in
            (readable?.contains(unit.id) ?? true) && AccessPolicy.decide(principal, .appraise, RecordScope(unitID: unit.id)) == .allow
        }
        let waiting = try await projects(in: Set(units.map(\.id)), statuses: [.submitted, .registered], on: db)
        let ids = waiting.compactMap(\.id)
        guard !ids.isEmpty else { return [] }
        var rounds: [UUID: Int] = [:]
        for event in try await ProjectEvent.query(on: db).filter(\.$project.$id ~~ ids).filter(\.$toStatus == .returned).all() {
            rounds[event.$project.id, default: 1] += 1
        }
        let scored = Set(try await Appraisal.query(on: db).filter(\.$project.$id ~~ ids).filter(\.$appraiser == principal.username).all()
            .map { "\($0.$project.id)|\($0.round)|\($0.level)" })
        return waiting.compactMap { project in
            guard let id = project.id, let level = ProjectAppraisals.level(of: project),
                  !scored.contains("\(id)|\(rounds[id] ?? 1)|\(level)") else { return nil }
            let council = level == "province" ? "hội đồng cấp tỉnh" : "hội đồng cấp Bộ"
            return Item(kind: .appraisal, title: "Chờ chấm điểm (\(council)): \(project.code) – \(project.title) (\(unitName(project.unitID)))",
                        href: Links.project(project.code) + "#tham-dinh", due: nil)
        }
    }

    // MARK: - Region reviewer and ministry

    static func periodReportsToReview(_ principal: Principal, on db: any Database) async throws -> [Item] {
        let units = unitIDs(principal, .ministryStep)
        if let units, units.isEmpty { return [] }
        let query = PeriodReport.query(on: db).filter(\.$status == .submitted)
        if let units { query.filter(\.$unitID ~~ Array(units)) }
        return try await query.sort(\.$year).sort(\.$period).sort(\.$unitID).all().map { report in
            let period = report.period
            let submitted = report.submittedOn.map { ", nộp ngày \(VietnameseFormat.date(stored: $0))" } ?? ""
            return Item(kind: .periodReportReview,
                        title: "Duyệt báo cáo \(period.vietnameseName(year: report.year).lowercased()) – \(unitName(report.unitID))\(submitted)",
                        href: Links.periodReport(unitID: report.unitID, year: report.year, period: period), due: nil)
        }
    }

    /// National projects the province has appraised (to be registered) or registered (to be appraised by the ministry).
    static func registrations(_ principal: Principal, on db: any Database) async throws -> [Item] {
        let units = unitIDs(principal, .ministryStep)
        return try await projects(in: units, statuses: [.appraisedProvince, .registered], source: .national, on: db).map { project in
            let step = project.status == .registered ? "Chờ thẩm định cấp Bộ" : "Chờ tiếp nhận đăng ký"
            return Item(kind: .registration, title: "\(step): \(project.code) – \(project.title) (\(unitName(project.unitID)))",
                        href: Links.project(project.code) + "#chuyen-buoc", due: nil)
        }
    }

    static func allocations(_ principal: Principal, today: CalendarDate, on db: any Database) async throws -> [Item] {
        let units = unitIDs(principal, .ministryDecision)
        return try await projects(in: units, statuses: [.approved], source: .national, on: db).filter { $0.allocatedOn == nil }.map { project in
            let waited = project.approvedOn.flatMap { try? CalendarDate(parsing: $0) }.map { ", đã chờ \(today - $0) ngày" } ?? ""
            return Item(kind: .allocation, title: "Chờ phân bổ kinh phí: \(project.code) – \(project.title) (\(unitName(project.unitID)))\(waited)",
                        href: Links.project(project.code) + "#chuyen-buoc", due: nil)
        }
    }

    /// One item per overdue period (last year's and this year's H1 and FY), naming the units that have not submitted.
    static func overdueReports(_ principal: Principal, today: CalendarDate, on db: any Database) async throws -> [Item] {
        let units = unitIDs(principal, .ministryStep)
        var items: [Item] = []
        for year in [today.year - 1, today.year] {
            for period in PeriodReportWorkflow.periods {
                guard let due = try await PeriodReportWorkflow.dueDate(year: year, period: period, on: db), due < today else { continue }
                let missing = try await PeriodReportCompleteness.rows(region: nil, year: year, period: period, today: today, on: db)
                    .filter { $0.status == .missing && (units?.contains($0.unitID) ?? true) }
                guard !missing.isEmpty else { continue }
                items.append(Item(kind: .overdueReport,
                                  title: "Báo cáo \(period.vietnameseName(year: year).lowercased()) quá hạn: \(missing.count) đơn vị chưa nộp (\(missing.map(\.name).joined(separator: ", ")))",
                                  href: Links.periodReports(year: year, period: period), due: due))
            }
        }
        return items
    }

    // MARK: - Admin

    static func lockedAccounts(now: Date, on db: any Database) async throws -> [Item] {
        try await User.query(on: db).filter(\.$lockedUntil > now).sort(\.$username).all().map { user in
            Item(kind: .lockedAccount, title: "Tài khoản bị khóa do đăng nhập sai nhiều lần: \(user.username) (\(user.displayName))",
                 href: Links.userAccount(user.username), due: nil)
        }
    }
}

extension Links {
    static let myWork = SiteRoute.myWork.path
    /// A user's administration page (Features/Accounts), where a locked account is unlocked.
    static func userAccount(_ username: String) -> String { adminUser(username) }

    static func periodReport(unitID: UnitID, year: Int, period: Period) -> String {
        SiteRoute.periodReport(unitID: unitID.rawValue, year: year, period).path
    }

    static func periodReports(year: Int, period: Period) -> String {
        SiteRoute.periodReports.path(query: "year=\(year)&period=\(period.rawValue)")
    }
}
