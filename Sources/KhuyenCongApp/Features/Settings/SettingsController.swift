import Fluent
import Foundation
import KhuyenCongCore
import Vapor

extension Links {
    static let adminSettings = SiteRoute.adminSettings.path
    static let adminSettingsDeadlines = SiteRoute.adminSettingsPart(.deadlines).path
    static let adminSettingsAgency = SiteRoute.adminSettingsPart(.agency).path
    static let adminSettingsProgramme = SiteRoute.adminSettingsPart(.programme).path
    static func adminSettings(year: Int) -> String { SiteRoute.adminSettings.path(query: "year=\(year)") }
}

/// `/admin/settings`: a plan year's deadlines in one table (a change adds a dated row, the earlier stay as history),
/// the agency's dated names, the programmes' decisions. The administrator edits; the ministry and the region
/// reviewers read. Refusals re-render the page with the error and what was typed.
struct SettingsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.adminSettings, use: show).access(.action(.readAudit))
        routes.post(.adminSettingsPart(.deadlines), use: deadlines).access(.action(.manageUsers))
        routes.post(.adminSettingsPart(.agency), use: agency).access(.action(.manageUsers))
        routes.post(.adminSettingsPart(.programme), use: programme).access(.action(.manageUsers))
    }

    static func typed(_ req: Request) -> [String: String] {
        ((try? req.content.decode([String: String].self)) ?? [:]).filter { $0.key != "csrf" }
    }

    @Sendable func show(req: Request) async throws -> Response {
        try await render(req, year: try SettingsAPIController.year(req))
    }

    private func render(_ req: Request, year: Int, error: DomainError? = nil, typed: [String: String] = [:], form: String? = nil) async throws -> Response {
        let notice = req.query[String.self, at: "notice"]
        let page = try await SettingsPage.build(req: req, year: year, error: error?.description, typed: typed, form: form, notice: notice)
        let response = try await req.view.render("admin/settings", page).encodeResponse(for: req)
        response.status = error?.status ?? .ok
        return response
    }

    @Sendable func deadlines(req: Request) async throws -> Response {
        let typed = Self.typed(req)
        let year = Int(typed["year"] ?? "") ?? CalendarDate.today().year + 1
        do {
            var values: [String: String] = [:]
            for step in DeadlineBook.steps { if let value = typed[step] { values[step] = value } }
            try await SettingsWorkflow.setDeadlines(.init(year: year, values: values, legalBasis: typed["legalBasis"] ?? ""),
                                                    by: try req.requireUser(), on: req.db)
            return req.redirect(to: Links.adminSettings(year: year) + "&notice=deadlines", redirectType: .normal)
        } catch let refusal as DomainError where refusal.kind != .unauthenticated && refusal.kind != .notFound {
            return try await render(req, year: (2000...2100).contains(year) ? year : CalendarDate.today().year + 1, error: refusal, typed: typed, form: "deadlines")
        }
    }

    @Sendable func agency(req: Request) async throws -> Response {
        let typed = Self.typed(req)
        do {
            try await SettingsWorkflow.addAgencyName(.init(name: typed["name"] ?? "", shortName: typed["shortName"] ?? "",
                                                           validFrom: typed["validFrom"] ?? "", legalBasis: typed["legalBasis"] ?? ""),
                                                     by: try req.requireUser(), on: req.db)
            return req.redirect(to: Links.adminSettings + "?notice=agency", redirectType: .normal)
        } catch let refusal as DomainError where refusal.kind != .unauthenticated && refusal.kind != .notFound {
            return try await render(req, year: CalendarDate.today().year + 1, error: refusal, typed: typed, form: "agency")
        }
    }

    @Sendable func programme(req: Request) async throws -> Response {
        let typed = Self.typed(req)
        do {
            try await SettingsWorkflow.reviseProgrammeDecision(.init(scope: typed["scope"] ?? "", decisionNo: typed["decisionNo"] ?? "",
                                                                     decidedOn: typed["decidedOn"] ?? "", signer: typed["signer"],
                                                                     version: typed["version"].flatMap { Int($0) }),
                                                               by: try req.requireUser(), on: req.db)
            return req.redirect(to: Links.adminSettings + "?notice=programme", redirectType: .normal)
        } catch let refusal as DomainError where refusal.kind != .unauthenticated && refusal.kind != .notFound {
            return try await render(req, year: CalendarDate.today().year + 1, error: refusal, typed: typed, form: "programme:" + (typed["scope"] ?? ""))
        }
    }
}

/// The settings page's context: names, not codes; dates dd/mm/yyyy; the forms hold what was typed after a refusal.
struct SettingsPage: Encodable {
    struct DeadlineRow: Encodable {
        let step: String; let name: String; let due: String; let basis: String; let recordedBy: String
        let isDays: Bool; let value: String
    }
    struct HistoryRow: Encodable { let name: String; let due: String; let basis: String; let recordedBy: String; let recordedAt: String }
    struct NameRow: Encodable { let name: String; let shortName: String; let from: String; let basis: String; let recordedBy: String; let inForce: Bool }
    struct ProgrammeRow: Encodable {
        let scope: String; let name: String; let decisionNo: String; let decidedOn: String; let decidedOnShown: String; let signer: String
        let version: Int; let link: String; let formID: String
    }
    struct YearLink: Encodable { let year: Int; let link: String; let current: Bool }

    let title = "Cài đặt hệ thống"
    let layout: PageLayout
    let csrf: String
    let error: String?
    let errorForm: String?
    let notice: String?
    let canEdit: Bool
    let year: Int
    let years: [YearLink]
    let deadlineAction = Links.adminSettingsDeadlines
    let agencyAction = Links.adminSettingsAgency
    let programmeAction = Links.adminSettingsProgramme
    let deadlines: [DeadlineRow]
    let history: [HistoryRow]
    let deadlineBasis: String
    let names: [NameRow]
    let nameToday: String
    let agency: [String: String]
    let programmes: [ProgrammeRow]
    let programmeLink: String

    static func build(req: Request, year: Int, error: String?, typed: [String: String], form: String?, notice: String?) async throws -> SettingsPage {
        let user = try req.requireUser()
        let settings = try await SettingsDTO.load(year: year, on: req.db)
        func shown(_ date: String?, days: Int?) -> String {
            if let days { return "\(days) ngày sau nghiệm thu cuối cùng" }
            return VietnameseFormat.date(stored: date)
        }
        func when(_ date: Date?) -> String { date.map(AuditPresentation.time) ?? "–" }
        let deadlineForm = form == "deadlines"
        let thisYear = CalendarDate.today().year
        return SettingsPage(
            layout: PageLayout(req), csrf: CSRF.token(for: req), error: error, errorForm: form,
            notice: ["deadlines": "Đã lưu thời hạn mới (các dòng cũ vẫn được giữ trong lịch sử).", "agency": "Đã thêm tên cơ quan mới.",
                     "programme": "Đã sửa quyết định phê duyệt chương trình."][notice ?? ""],
            canEdit: AccessPolicyHelper.allows(user, .manageUsers), year: year,
            years: (thisYear - 1...thisYear + 2).map { YearLink(year: $0, link: Links.adminSettings(year: $0), current: $0 == year) },
            deadlines: settings.deadlines.map { d in
                let isDays = d.step == "settlement_file"
                let current = isDays ? d.daysAfter.map(String.init) ?? "" : d.date ?? ""
                return DeadlineRow(step: d.step, name: d.name, due: shown(d.date, days: d.daysAfter), basis: d.legalBasis,
                                   recordedBy: d.recordedBy.map { $0 == "migrate" ? "Theo quy định (khởi tạo)" : $0 } ?? "Theo quy định",
                                   isDays: isDays, value: deadlineForm ? typed[d.step] ?? current : current)
            },
            history: settings.deadlineHistory.filter { $0.recordedBy != "migrate" }.map {
                HistoryRow(name: RulesAdminPage.stepNames[$0.step] ?? $0.step, due: shown($0.date, days: $0.daysAfter), basis: $0.legalBasis,
                           recordedBy: $0.recordedBy, recordedAt: when($0.recordedAt))
            },
            deadlineBasis: deadlineForm ? typed["legalBasis"] ?? "" : "",
            names: settings.agencyNames.reversed().map {
                NameRow(name: $0.name, shortName: $0.shortName, from: VietnameseFormat.date(stored: $0.validFrom), basis: $0.legalBasis,
                        recordedBy: $0.recordedBy == "migrate" ? "Khởi tạo" : $0.recordedBy, inForce: $0.name == settings.agencyNameToday)
            },
            nameToday: settings.agencyNameToday,
            agency: form == "agency" ? typed : [:],
            programmes: settings.programmes.map { p in
                let mine = form == "programme:" + p.scope
                return ProgrammeRow(scope: p.scope, name: p.name, decisionNo: mine ? typed["decisionNo"] ?? p.decisionNo : p.decisionNo,
                                    decidedOn: mine ? typed["decidedOn"] ?? p.decidedOn : p.decidedOn,
                                    decidedOnShown: VietnameseFormat.date(stored: p.decidedOn), signer: mine ? typed["signer"] ?? p.signer : p.signer,
                                    version: p.version, link: Links.programme(unitCode: p.scope == "country" ? nil : UnitCode(p.scope)),
                                    formID: "programme-" + p.scope)
            },
            programmeLink: Links.programme(unitCode: nil))
    }
}
