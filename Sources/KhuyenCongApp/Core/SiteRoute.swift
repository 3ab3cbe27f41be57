import Foundation
import KhuyenCongCore
import Vapor

/// Every path the server answers, as one enum: a controller registers its routes with a case (its parameters left
/// out: `.project()` is `projects/:code`), and a link or a redirect is the same case with its values
/// (`.project(code: "KC-38-001").path` is `/projects/KC-38-001`). `SiteRouteTests` checks that the route table and
/// `patterns` are the same both ways, and that no other Swift file writes a path of its own. The API is one case,
/// `.api(…)`, under `/api/v1`; `isAPI` is the one test of "a program's request" the middlewares use.
/// Query strings are the callers' (`Links`); a parameter's value is percent-escaped as one path segment.
enum SiteRoute: Hashable, Sendable {
    // Public: the overview, aggregates, sign-in, the contract, the server's own.
    case home
    case unit(id: String? = nil)
    case dashboard, dashboardXLSX, dashboardCSV, dashboardPrintStyle
    /// One of the dashboard's monitoring lists whole, for the dashboard's query (the dashboard shows its first lines).
    case dashboardList(MonitoringList? = nil)
    case reportDocument
    case login, logout, language, accountPassword
    case passwordReset(token: String? = nil)
    case health, metrics
    case openAPI(OpenAPIFormat)

    // Projects and their establishments.
    case projects, projectNew
    case project(code: String? = nil)
    case projectPart(code: String? = nil, ProjectPart)
    /// A beneficiary link, payment or output of a project, corrected or removed from the project page.
    case projectRecord(code: String? = nil, RecordKind, id: String? = nil, RecordChange)
    case attachment(id: String? = nil)
    case establishment(taxCode: String? = nil)

    // Plans, the ministry's consolidation, the programme.
    case plan(unitCode: UnitCode? = nil, year: Int? = nil)
    case planPart(unitCode: UnitCode? = nil, year: Int? = nil, PlanPart)
    case planStep(unitCode: UnitCode? = nil, year: Int? = nil, FundingSource, Step)
    case planFile(unitCode: UnitCode? = nil, year: Int? = nil, id: String? = nil)
    /// The consolidation of a year. The router allows one parameter name per position, so the year sits in
    /// `:unitCode` (the plan pages' name there).
    case consolidation(year: Int? = nil), consolidationXLSX(year: Int? = nil)
    case programme(term: ProgrammeTerm = .current)
    case programmeProvince(term: ProgrammeTerm = .current, unitCode: UnitCode? = nil)

    // Period reports, quality, imports and exports.
    case periodReports
    case periodReport(unitID: String? = nil, year: Int? = nil, Period? = nil)
    case periodReportStep(unitID: String? = nil, year: Int? = nil, Period? = nil, Step)
    case quality, qualityComments
    case imports, importTemplate, exportDownload
    case importStep(id: String? = nil, Step)

    // One's own: notifications, work list.
    case notifications, notificationsReadAll
    case notificationRead(id: String? = nil)
    case myWork

    // Administration.
    case audit
    case adminRules
    case adminRulePart(AdminRulePart)
    case adminSettings
    case adminSettingsPart(AdminSettingsPart)
    case adminUsers
    case adminUser(username: String? = nil)
    case adminUserAction(username: String? = nil, UserAction)

    /// The API, under `/api/v1`.
    case api(API)

    enum OpenAPIFormat: String, Sendable, CaseIterable { case yaml = "openapi.yaml", json = "openapi.json" }
    /// The dashboard's monitoring lists; each name is also the id of the list on the dashboard.
    enum MonitoringList: String, Sendable, CaseIterable {
        case lateSubmissions = "late-submissions", silentUnits = "silent-units", waitingAllocation = "waiting-allocation"
        case periodReports = "period-reports", latePlanRegistrations = "late-plan-registrations"
        case lateMinistryRegistrations = "late-ministry-registrations", overdueSettlements = "overdue-settlements"
        case quarterlyReports = "quarterly-reports"
    }
    enum ProjectPart: String, Sendable, CaseIterable { case edit, transitions, appraisals, beneficiaries, disbursements, outputs, attachments }
    enum RecordKind: String, Sendable, CaseIterable { case beneficiaries, disbursements, outputs }
    enum RecordChange: String, Sendable, CaseIterable { case edit, remove }
    enum PlanPart: String, Sendable, CaseIterable { case lines, targets, allocations, registration, registrationXLSX = "registration.xlsx" }
    /// A workflow step taken by a POST: a plan's, a period report's, an import's.
    enum Step: String, Sendable, CaseIterable { case submit, approve, `return`, unlock, confirm, cancel }
    enum AdminRulePart: String, Sendable, CaseIterable { case caps, advances, deadlines, criteria, regions }
    enum AdminSettingsPart: String, Sendable, CaseIterable { case deadlines, agency, programme }
    enum UserAction: String, Sendable, CaseIterable { case disable, enable, unlock, reset, scope, passwordReset = "password-reset" }

    /// The API's paths, after `/api/v1`.
    enum API: Hashable, Sendable {
        case authToken, me, meNotifications, meWork
        case projects
        case project(code: String? = nil)
        case projectPart(code: String? = nil, ProjectPart)
        case projectRecord(code: String? = nil, RecordKind, id: String? = nil)
        case attachment(id: String? = nil)
        case establishment(taxCode: String? = nil)
        case plan(unitCode: UnitCode? = nil, year: Int? = nil)
        case planPart(unitCode: UnitCode? = nil, year: Int? = nil, PlanPart)
        case planStep(unitCode: UnitCode? = nil, year: Int? = nil, FundingSource, Step)
        case consolidation(year: Int? = nil)
        case programme(term: ProgrammeTerm = .current)
        case programmeProvince(term: ProgrammeTerm = .current, unitCode: UnitCode? = nil)
        case periodReportReminders
        case periodReport(unitCode: UnitCode? = nil, year: Int? = nil, Period? = nil)
        case periodReportStep(unitCode: UnitCode? = nil, year: Int? = nil, Period? = nil, Step)
        case reportsSummary, reportsMonitoring, rules, settings, quality
        case users
        case user(username: String? = nil)
        case userAction(username: String? = nil, UserAction)

        fileprivate var parts: [Part] {
            switch self {
            case .authToken: ["auth", "token"]
            case .me: ["me"]
            case .meNotifications: ["me", "notifications"]
            case .meWork: ["me", "work"]
            case .projects: ["projects"]
            case .project(let code): ["projects", .value("code", code)]
            case .projectPart(let code, let part): ["projects", .value("code", code), .fixed(part.rawValue)]
            case .projectRecord(let code, let kind, let id): ["projects", .value("code", code), .fixed(kind.rawValue), .value("id", id)]
            case .attachment(let id): ["attachments", .value("id", id)]
            case .establishment(let taxCode): ["establishments", .value("taxCode", taxCode)]
            case .plan(let unit, let year): ["plans", .value("unitCode", unit?.rawValue), .value("year", year.map(String.init))]
            case .planPart(let unit, let year, let part): API.plan(unitCode: unit, year: year).parts + [.fixed(part.rawValue)]
            case .planStep(let unit, let year, let source, let step):
                API.plan(unitCode: unit, year: year).parts + [.fixed(source.rawValue), .fixed(step.rawValue)]
            case .consolidation(let year): ["plans", .value("unitCode", year.map(String.init)), "consolidation"]
            case .programme(let term): ["programmes", .fixed(term.segment)]
            case .programmeProvince(let term, let unit): ["programmes", .fixed(term.segment), .value("unitCode", unit?.rawValue)]
            case .periodReportReminders: ["period-reports", "reminders"]
            case .periodReport(let unit, let year, let period):
                ["period-reports", .value("unitCode", unit?.rawValue), .value("year", year.map(String.init)), .value("period", period?.rawValue)]
            case .periodReportStep(let unit, let year, let period, let step):
                API.periodReport(unitCode: unit, year: year, period).parts + [.fixed(step.rawValue)]
            case .reportsSummary: ["reports", "summary"]
            case .reportsMonitoring: ["reports", "monitoring"]
            case .rules: ["rules"]
            case .settings: ["settings"]
            case .quality: ["quality"]
            case .users: ["users"]
            case .user(let username): ["users", .value("username", username)]
            case .userAction(let username, let action): ["users", .value("username", username), .fixed(action.rawValue)]
            }
        }
    }

    /// A path segment: fixed text, or a named parameter with its value (nil in the route table).
    fileprivate enum Part: ExpressibleByStringLiteral {
        case fixed(String)
        case value(String, String?)
        init(stringLiteral text: String) { self = .fixed(text) }
    }

    /// The API's root segments.
    static let apiRoot = ["api", "v1"]

    fileprivate var parts: [Part] {
        switch self {
        case .home: []
        case .unit(let id): ["units", .value("unitID", id)]
        case .dashboard: ["dashboard"]
        case .dashboardXLSX: ["dashboard.xlsx"]
        case .dashboardCSV: ["dashboard.csv"]
        case .dashboardPrintStyle: ["dashboard.print.css"]
        case .dashboardList(let list): ["dashboard", "lists", .value("list", list?.rawValue)]
        case .reportDocument: ["reports", "document"]
        case .login: ["login"]
        case .logout: ["logout"]
        case .language: ["language"]
        case .accountPassword: ["account", "password"]
        case .passwordReset(let token): ["account", "reset", .value("token", token)]
        case .health: ["health"]
        case .metrics: [.fixed(AppMetrics.path)]
        case .openAPI(let format): ["api", .fixed(format.rawValue)]
        case .projects: ["projects"]
        case .projectNew: ["projects", "new"]
        case .project(let code): ["projects", .value("code", code)]
        case .projectPart(let code, let part): ["projects", .value("code", code), .fixed(part.rawValue)]
        case .projectRecord(let code, let kind, let id, let change):
            ["projects", .value("code", code), .fixed(kind.rawValue), .value("id", id), .fixed(change.rawValue)]
        case .attachment(let id): ["attachments", .value("id", id)]
        case .establishment(let taxCode): ["establishments", .value("taxCode", taxCode)]
        case .plan(let unit, let year): ["plans", .value("unitCode", unit?.rawValue), .value("year", year.map(String.init))]
        case .planPart(let unit, let year, let part): SiteRoute.plan(unitCode: unit, year: year).parts + [.fixed(part.rawValue)]
        case .planStep(let unit, let year, let source, let step):
            SiteRoute.plan(unitCode: unit, year: year).parts + [.fixed(source.rawValue), .fixed(step.rawValue)]
        case .planFile(let unit, let year, let id): SiteRoute.plan(unitCode: unit, year: year).parts + ["files", .value("id", id)]
        case .consolidation(let year): ["plans", .value("unitCode", year.map(String.init)), "consolidation"]
        case .consolidationXLSX(let year): ["plans", .value("unitCode", year.map(String.init)), "consolidation.xlsx"]
        case .programme(let term): ["programmes", .fixed(term.segment)]
        case .programmeProvince(let term, let unit): ["programmes", .fixed(term.segment), .value("unitCode", unit?.rawValue)]
        case .periodReports: ["period-reports"]
        case .periodReport(let unit, let year, let period):
            ["period-reports", .value("unitID", unit), .value("year", year.map(String.init)), .value("period", period?.rawValue)]
        case .periodReportStep(let unit, let year, let period, let step):
            SiteRoute.periodReport(unitID: unit, year: year, period).parts + [.fixed(step.rawValue)]
        case .quality: ["quality"]
        case .qualityComments: ["quality", "comments"]
        case .imports: ["imports"]
        case .importTemplate: ["imports", "template"]
        case .exportDownload: ["exports", "download"]
        case .importStep(let id, let step): ["imports", .value("importID", id), .fixed(step.rawValue)]
        case .notifications: ["notifications"]
        case .notificationsReadAll: ["notifications", "read-all"]
        case .notificationRead(let id): ["notifications", .value("id", id), "read"]
        case .myWork: ["me", "work"]
        case .audit: ["audit"]
        case .adminRules: ["admin", "rules"]
        case .adminRulePart(let part): ["admin", "rules", .fixed(part.rawValue)]
        case .adminSettings: ["admin", "settings"]
        case .adminSettingsPart(let part): ["admin", "settings", .fixed(part.rawValue)]
        case .adminUsers: ["admin", "users"]
        case .adminUser(let username): ["admin", "users", .value("username", username)]
        case .adminUserAction(let username, let action): ["admin", "users", .value("username", username), .fixed(action.rawValue)]
        case .api(let api): Self.apiRoot.map { .fixed($0) } + api.parts
        }
    }

    /// The route table's components: parameters as `:name`.
    var pathComponents: [PathComponent] {
        parts.map {
            switch $0 {
            case .fixed(let text): .constant(text)
            case .value(let name, _): .parameter(name)
            }
        }
    }

    /// The path of a link or a redirect: each value escaped as one segment (a missing one as its `:name`).
    var path: String {
        "/" + parts.map {
            switch $0 {
            case .fixed(let text): text
            case .value(let name, let value): value.map(Self.escape) ?? ":" + name
            }
        }.joined(separator: "/")
    }

    /// `path` with a query (`name=value` pairs already escaped by the caller), or the path alone for an empty one.
    func path(query: String) -> String { query.isEmpty ? path : path + "?" + query }

    private static func escape(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(.init(charactersIn: "/?#%"))) ?? segment
    }

    /// A template's form addresses keyed by their last segment (`#(steps.submit)`), each from `route`.
    static func links<Part: RawRepresentable>(_ parts: [Part], _ route: (Part) -> SiteRoute) -> [String: String] where Part.RawValue == String {
        Dictionary(uniqueKeysWithValues: parts.map { ($0.rawValue, route($0).path) })
    }

    /// The static stylesheet (Public/css, served by the file middleware, not a route).
    static let stylesheet = "/css/app.css"

    /// Whether a request path is a program's: under `/api/` (the API and its contract). Bearer tokens sign in there,
    /// no session or CSRF field is used, and a refusal is problem JSON. The one place this is decided.
    static func isAPI(_ path: String) -> Bool {
        path.hasPrefix("/" + apiRoot[0] + "/")
    }

    /// Paths answered to programs, not browsers: the API, and `/metrics` for a scraper (a bearer token signs in,
    /// a refusal is problem JSON, never a redirect to the sign-in page).
    static func answersMachines(_ path: String) -> Bool { isAPI(path) || path == SiteRoute.metrics.path }

    /// Every case as the route table holds it (parameters unset), for `SiteRouteTests`: each is registered, and each
    /// registered route is one of these.
    static var patterns: [SiteRoute] {
        let pages: [SiteRoute] = [
            .home, .unit(), .dashboard, .dashboardXLSX, .dashboardCSV, .dashboardPrintStyle, .dashboardList(), .reportDocument,
            .login, .logout, .language, .accountPassword, .passwordReset(), .health, .metrics,
            .projects, .projectNew, .project(), .attachment(), .establishment(),
            .plan(), .planFile(), .consolidation(), .consolidationXLSX(), .programme(), .programmeProvince(),
            .periodReports, .periodReport(), .quality, .qualityComments, .imports, .importTemplate, .exportDownload,
            .importStep(id: nil, .confirm), .importStep(id: nil, .cancel),
            .notifications, .notificationsReadAll, .notificationRead(), .myWork,
            .audit, .adminRules, .adminSettings, .adminUsers, .adminUser(),
        ]
        let pageProject = [ProjectPart.edit, .transitions, .appraisals, .beneficiaries, .disbursements, .outputs].map { SiteRoute.projectPart($0) }
        let records = RecordKind.allCases.flatMap { kind in RecordChange.allCases.map { SiteRoute.projectRecord(code: nil, kind, id: nil, $0) } }
        let planParts = [PlanPart.lines, .targets, .allocations, .registration, .registrationXLSX].map { SiteRoute.planPart($0) }
        let planSteps = FundingSource.allCases.flatMap { source in [Step.submit, .approve, .return].map { SiteRoute.planStep(source, $0) } }
        let reportSteps = [Step.submit, .approve, .return, .unlock].map { SiteRoute.periodReportStep(unitID: nil, year: nil, nil, $0) }
        let admin = AdminRulePart.allCases.map(SiteRoute.adminRulePart) + AdminSettingsPart.allCases.map(SiteRoute.adminSettingsPart)
            + [UserAction.disable, .enable, .unlock, .reset, .scope].map { SiteRoute.adminUserAction($0) }
        let api: [API] = [
            .authToken, .me, .meNotifications, .meWork, .projects, .project(), .attachment(), .establishment(), .plan(),
            .consolidation(), .programme(), .programmeProvince(), .periodReportReminders, .periodReport(),
            .reportsSummary, .reportsMonitoring, .rules, .settings, .quality, .users, .user(),
        ] + [ProjectPart.transitions, .appraisals, .beneficiaries, .disbursements, .outputs, .attachments].map { API.projectPart($0) }
            + RecordKind.allCases.map { API.projectRecord($0) }
            + [PlanPart.lines, .targets, .allocations].map { API.planPart($0) }
            + FundingSource.allCases.flatMap { source in [Step.submit, .approve, .return].map { API.planStep(source, $0) } }
            + [Step.submit, .approve, .return, .unlock].map { API.periodReportStep(unitCode: nil, year: nil, nil, $0) }
            + [UserAction.disable, .enable, .unlock, .passwordReset].map { API.userAction($0) }
        return pages + pageProject + records + planParts + planSteps + reportSteps + admin + OpenAPIFormat.allCases.map(SiteRoute.openAPI)
            + api.map(SiteRoute.api)
    }
}

extension Request {
    /// A program's request (`SiteRoute.isAPI`): no session, no CSRF field, no page frame.
    var isAPI: Bool { SiteRoute.isAPI(url.path) }
    /// Answered to a program (`SiteRoute.answersMachines`): bearer tokens, problem JSON.
    var answersMachines: Bool { SiteRoute.answersMachines(url.path) }
}

extension RoutesBuilder {
    /// Registers `route`'s path (its parameters as `:name`) for `method`.
    @discardableResult
    func on<Response: AsyncResponseEncodable>(_ method: HTTPMethod, _ route: SiteRoute, body: HTTPBodyStreamStrategy = .collect,
                                              use closure: @Sendable @escaping (Request) async throws -> Response) -> Route {
        on(method, route.pathComponents, body: body, use: closure)
    }

    @discardableResult
    func get<Response: AsyncResponseEncodable>(_ route: SiteRoute, use closure: @Sendable @escaping (Request) async throws -> Response) -> Route {
        on(.GET, route, use: closure)
    }

    @discardableResult
    func post<Response: AsyncResponseEncodable>(_ route: SiteRoute, use closure: @Sendable @escaping (Request) async throws -> Response) -> Route {
        on(.POST, route, use: closure)
    }

    @discardableResult
    func put<Response: AsyncResponseEncodable>(_ route: SiteRoute, use closure: @Sendable @escaping (Request) async throws -> Response) -> Route {
        on(.PUT, route, use: closure)
    }

    @discardableResult
    func patch<Response: AsyncResponseEncodable>(_ route: SiteRoute, use closure: @Sendable @escaping (Request) async throws -> Response) -> Route {
        on(.PATCH, route, use: closure)
    }

    @discardableResult
    func delete<Response: AsyncResponseEncodable>(_ route: SiteRoute, use closure: @Sendable @escaping (Request) async throws -> Response) -> Route {
        on(.DELETE, route, use: closure)
    }
}
