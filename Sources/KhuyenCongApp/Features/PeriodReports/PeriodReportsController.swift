import Fluent
import KhuyenCongCore
import Vapor

/// The period report pages: the reviewer's completeness page, and a unit's report with its forms.
struct PeriodReportsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        // Reviewers see their region (the ministry the country); a province officer their own unit's reports; each
        // row is filtered through AccessPolicy's readRecord.
        routes.get(.periodReports, use: completeness).access(.signedIn)
        routes.get(.periodReport(), use: show).access(.record(.readRecord))
        routes.post(.periodReportStep(unitID: nil, year: nil, nil, .submit), use: submit).access(.record(.editRecord))
        routes.post(.periodReportStep(unitID: nil, year: nil, nil, .approve), use: approve).access(.record(.ministryStep))
        routes.post(.periodReportStep(unitID: nil, year: nil, nil, .return), use: returnReport).access(.record(.ministryStep))
        routes.post(.periodReportStep(unitID: nil, year: nil, nil, .unlock), use: unlock).access(.record(.ministryStep))
    }

    struct CompletenessPage: Encodable {
        struct Option: Encodable { let value: String; let label: String; let selected: Bool }
        struct Count: Encodable { let label: String; let count: Int }
        let title = "Tình hình nộp báo cáo kỳ – Khuyến công"
        let layout: PageLayout
        let heading: String
        let years: [Option]
        let periods: [Option]
        let counts: [Count]
        let rows: [PeriodReportCompleteness.Row]
        /// One sentence per report due within 30 days or overdue.
        let reminders: [String]
    }

    struct Query: Decodable { let year: Int?; let period: String? }

    @Sendable func completeness(req: Request) async throws -> View {
        let user = try req.requireUser()
        let query = try req.query.decode(Query.self)
        let today = CalendarDate.today()
        let year = query.year ?? today.year
        guard (2000...2100).contains(year) else {
            throw DomainError.invalid(vi: "Năm \(year) không hợp lệ (2000–2100)", en: "year \(year) is out of range (2000–2100)")
        }
        let period = try Period(parsing: query.period ?? "H1")
        guard PeriodReportWorkflow.periods.contains(period) else {
            throw DomainError.invalid(vi: "Kỳ báo cáo là Q1, H1, Q3 hoặc FY", en: "the report period is Q1, H1, Q3 or FY")
        }
        let region = user.principal.role == .regionReviewer ? user.principal.region : nil
        let readable = { (unitID: UnitID) in AccessPolicy.decide(user.principal, .readRecord, RecordScope(unitID: unitID)) == .allow }
        let rows = try await PeriodReportCompleteness.rows(region: region, year: year, period: period, on: req.db).filter { readable($0.unitID) }
        let ownUnit = user.principal.role == .provinceOfficer ? user.principal.unitCode.flatMap { try? AdminUnitCatalog.standard.resolve(code: $0, planYear: today.year) } : nil
        let statuses: [PeriodReportFiling] = [.approved, .submitted, .returned, .unlocked, .missing, .notDue]
        let page = CompletenessPage(
            layout: PageLayout(req),
            heading: "Báo cáo \(period.vietnameseName(year: year)) – \(ownUnit?.name ?? region?.vietnameseName ?? "Cả nước")",
            years: (2023...today.year).reversed().map { .init(value: String($0), label: String($0), selected: $0 == year) },
            periods: PeriodReportWorkflow.periods.map { .init(value: $0.rawValue, label: Self.periodLabel($0), selected: $0 == period) },
            counts: statuses.map { status in
                .init(label: status.vietnameseName, count: rows.filter { $0.status == status }.count)
            }.filter { $0.count > 0 } + [.init(label: "Nộp muộn", count: rows.filter { $0.daysLate != nil && $0.submittedOn != nil }.count)],
            rows: rows,
            reminders: try await PeriodReportCompleteness.reminders(region: region, withinDays: 30, on: req.db).filter { reminder in
                (try? AdminUnitCatalog.standard.resolve(code: reminder.unitCode, planYear: reminder.year)).map { readable($0.id) } ?? false
            }.map { reminder in
                let name = reminder.period.vietnameseName(year: reminder.year)
                return "\(reminder.unitName): báo cáo \(name), hạn \(VietnameseFormat.date(stored: reminder.dueOn))"
                    + (reminder.daysLeft < 0 ? " – quá hạn \(-reminder.daysLeft) ngày" : "")
            })
        return try await req.view.render("period-reports/index", page)
    }

    /// The short name of a report period in the page's choice.
    static func periodLabel(_ period: Period) -> String {
        switch period {
        case .h1: "6 tháng"
        case .fullYear: "Cả năm"
        default: "Quý " + (period == .q1 ? "I" : period == .q2 ? "II" : period == .q3 ? "III" : "IV")
        }
    }

    static func key(_ req: Request, _ action: AccessAction) throws -> PeriodReportWorkflow.Key {
        let unitID = UnitID(try req.parameters.require("unitID"))
        guard let unit = AdminUnitCatalog.standard.unit(id: unitID), let year = Int(try req.parameters.require("year")) else {
            throw DomainError(.notFound, vi: "Không tìm thấy", en: "not found")
        }
        let key = try PeriodReportWorkflow.key(unitCode: unit.code, year: year, period: try req.parameters.require("period"))
        guard key.unit.id == unit.id else { throw DomainError(.notFound, vi: "Không tìm thấy", en: "not found") }
        try req.authorize(.readRecord, RecordScope(unitID: unit.id))
        if action != .readRecord { try req.authorize(action, RecordScope(unitID: unit.id)) }
        return key
    }

    private func render(_ key: PeriodReportWorkflow.Key, _ req: Request, error: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let history = try await AuditEntry.query(on: req.db).filter(\.$recordType == "period_report").filter(\.$recordID == key.recordID)
            .sort(\.$at).all()
        let page = PeriodReportPage(key, report: try await PeriodReportsAPIController.dto(key, on: req.db), history: history,
                                    reader: try req.requireUser().principal,
                                    quality: try await QualitySection.load(unit: key.unit, year: key.year, period: key.period,
                                                                           cache: req.application.reportCache, on: req.db),
                                    layout: PageLayout(req), csrf: CSRF.token(for: req), language: req.language, error: error)
        let response = try await req.view.render("period-reports/show", page).encodeResponse(for: req)
        response.status = status
        return response
    }

    @Sendable func show(req: Request) async throws -> Response { try await render(try Self.key(req, .readRecord), req) }

    private func act(_ req: Request, _ action: AccessAction, _ body: (PeriodReportWorkflow.Key, User) async throws -> Void) async throws -> Response {
        let key = try Self.key(req, action)
        do {
            try await body(key, try req.requireUser())
            return req.redirect(to: Links.periodReport(unitID: key.unit.id, year: key.year, period: key.period), redirectType: .normal)
        } catch let refusal as DomainError {
            return try await render(key, req, error: refusal.description, status: refusal.status)
        }
    }

    struct Form: Content { let coverNote: String?; let reason: String? }

    @Sendable func submit(req: Request) async throws -> Response {
        try await act(req, .editRecord) { key, user in
            _ = try await PeriodReportWorkflow.submit(key, coverNote: (try? req.content.decode(Form.self))?.coverNote, by: user, on: req.db)
        }
    }

    @Sendable func approve(req: Request) async throws -> Response {
        try await act(req, .ministryStep) { key, user in _ = try await PeriodReportWorkflow.approve(key, by: user, on: req.db) }
    }

    @Sendable func returnReport(req: Request) async throws -> Response {
        try await act(req, .ministryStep) { key, user in
            _ = try await PeriodReportWorkflow.returnForChanges(key, reason: (try? req.content.decode(Form.self))?.reason ?? "", by: user, on: req.db)
        }
    }

    @Sendable func unlock(req: Request) async throws -> Response {
        try await act(req, .ministryStep) { key, user in
            _ = try await PeriodReportWorkflow.unlock(key, reason: (try? req.content.decode(Form.self))?.reason ?? "", by: user, on: req.db)
        }
    }
}
