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
                let name = (try? Period(parsing: reminder.period)).map { $0.vietnameseName(year: reminder.year) } ?? "\(reminder.period) \(reminder.year)"
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

    struct ReportPage: Encodable {
        struct Figure: Encodable { let label: String; let live: String; let submitted: String; let approved: String }
        let title: String
        let layout: PageLayout
        let csrf: String
        /// The step forms' addresses: `submit`, `approve`, `return`, `unlock`.
        let steps: [String: String]
        let heading: String
        let status: String
        let locked: Bool
        let facts: [ProjectPage.Field]
        let figures: [Figure]
        let differences: [String]
        let history: [String]
        let canSubmit: Bool
        let canReview: Bool
        let canUnlock: Bool
        /// Data-quality findings of the unit and period, with the unit's comments.
        let quality: QualitySection
        let error: String?
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
        let dto = try await PeriodReportsAPIController.dto(key, on: req.db)
        let user = try req.requireUser()
        let scope = RecordScope(unitID: key.unit.id)
        let money = { (dong: Money?) in dong.map { VietnameseFormat.money($0) } ?? "–" }
        let date = VietnameseFormat.date(stored:)
        func figure(_ label: String, _ pick: (ReportSummary) -> Money) -> ReportPage.Figure {
            .init(label: label, live: money(pick(dto.live)), submitted: money(dto.submitted.map(pick)), approved: money(dto.approved.map(pick)))
        }
        let history = try await AuditEntry.query(on: req.db).filter(\.$recordType == "period_report").filter(\.$recordID == key.recordID)
            .sort(\.$at).all().map { entry in
                ([AuditPresentation.time(entry.at), entry.actor, AuditPresentation.action(entry.action, in: req.language)]
                 + AuditPresentation.changes(before: entry.before, after: entry.after, in: req.language)).joined(separator: " · ")
            }
        let page = ReportPage(
            title: "Báo cáo \(key.period.vietnameseName(year: key.year)) – \(key.unit.name)",
            layout: PageLayout(req), csrf: CSRF.token(for: req), steps: SiteRoute.links([.submit, .approve, .return, .unlock]) { .periodReportStep(unitID: "\(key.unit.id)", year: key.year, key.period, $0) },
            heading: "\(key.unit.name): báo cáo \(key.period.vietnameseName(year: key.year))",
            status: dto.status == .missing ? "Chưa nộp" : dto.status.vietnameseName, locked: dto.locked,
            facts: [
                .init(label: "Hạn nộp", value: date(dto.dueOn)),
                .init(label: "Ngày nộp", value: date(dto.submittedOn) + (dto.daysLate.map { " (muộn \($0) ngày)" } ?? "")),
                .init(label: "Phê duyệt", value: dto.approvedBy.map { "\($0), ngày \(date(dto.approvedOn))" } ?? "–"),
                .init(label: "Lý do trả lại", value: dto.returnReason ?? "–"),
                .init(label: "Lý do mở khóa", value: dto.unlockReason ?? "–"),
                .init(label: "Thuyết minh", value: dto.coverNote.flatMap { $0.isEmpty ? nil : $0 } ?? "–"),
            ],
            figures: [figure("Kế hoạch năm", { $0.plan.amountVnd }), figure("Thực hiện trong kỳ", { $0.realised.amountVnd }),
                      figure("Cùng kỳ năm trước", { $0.realised.samePeriodPreviousYearVnd })]
                + dto.live.targets.map { target in
                    .init(label: "Kết quả: \(target.name)", live: VietnameseFormat.count(target.realised),
                          submitted: dto.submitted?.targets.first { $0.indicator == target.indicator }.map { VietnameseFormat.count($0.realised) } ?? "–",
                          approved: dto.approved?.targets.first { $0.indicator == target.indicator }.map { VietnameseFormat.count($0.realised) } ?? "–")
                },
            differences: dto.differences.map { "\($0.figure): đã duyệt \(VietnameseFormat.count($0.approved)), hiện nay \(VietnameseFormat.count($0.now))" },
            history: history,
            canSubmit: AccessPolicy.decide(user.principal, .editRecord, scope) == .allow && (dto.status == .missing || dto.status.status?.isOpenForSubmission == true),
            canReview: AccessPolicy.decide(user.principal, .ministryStep, scope) == .allow && dto.status == .submitted,
            canUnlock: AccessPolicy.decide(user.principal, .ministryStep, scope) == .allow && dto.status == .approved,
            quality: try await QualitySection.load(unit: key.unit, year: key.year, period: key.period, cache: req.application.reportCache, on: req.db),
            error: error)
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
