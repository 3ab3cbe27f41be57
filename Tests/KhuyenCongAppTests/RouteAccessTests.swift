import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// Walks the route table itself against a table written by hand: what every role should get from every route, for a
/// Thanh Hóa draft project (and Thanh Hóa's plan, period report and programme), read from DESIGN.md's "Who uses it".
/// The expectations do not come from `AccessPolicy`: a wrong rule fails here. A route without a row fails, and so does
/// a row without a route.
@Suite("Route table × roles")
struct RouteAccessTests {
    static let fixtureCode = "KC-ROUTE-38"
    static let taxCode = "0100109106"

    /// The columns of `expected`, in order: who asks.
    static let columns: [(label: String, username: String?)] = [
        ("anon", nil),               // not signed in
        ("prov", "thanhhoa"),        // province officer of Thanh Hóa (38): the records' own province
        ("other", "nghean"),         // province officer of Nghệ An (40): out of scope
        ("apprais", "thamdinh"),     // appraiser employed by Nghệ An, northern council
        ("region", "khuvuc.bac"),    // region reviewer, north (Thanh Hóa is northern)
        ("ministry", "bo.congthuong"),
        ("admin", "admin"),
        ("viewer", "xem"),
    ]

    /// What each role gets. `ok`: let through (a page, a redirect elsewhere, or the handler's own 409/422 on the empty
    /// form this test sends); `login`: a redirect to the sign-in page; `401`, `403`, `404`: that status.
    /// The groups follow DESIGN.md: a province officer enters and submits its own province's data only, and anything
    /// of another province is "not found" to it; an appraiser scores; a region reviewer reads its region and takes
    /// the ministry-level steps; a ministry officer also decides national plans and budgets; an administrator manages
    /// users, rules and settings and reads; a viewer reads aggregates only.
    static let expected = """
        route                                                        anon   prov   other  apprais region ministry admin  viewer
        # Public: aggregates, sign-in, the contract.
        GET    /                                                     ok     ok     ok     ok     ok     ok     ok     ok
        GET    /units/:unitID                                        ok     ok     ok     ok     ok     ok     ok     ok
        GET    /dashboard                                            ok     ok     ok     ok     ok     ok     ok     ok
        GET    /dashboard.xlsx                                       ok     ok     ok     ok     ok     ok     ok     ok
        GET    /dashboard.csv                                        ok     ok     ok     ok     ok     ok     ok     ok
        GET    /dashboard.print.css                                  ok     ok     ok     ok     ok     ok     ok     ok
        GET    /dashboard/lists/:list                                ok     ok     ok     ok     ok     ok     ok     ok
        GET    /reports/document                                     ok     ok     ok     ok     ok     ok     ok     ok
        GET    /login                                                ok     ok     ok     ok     ok     ok     ok     ok
        POST   /login                                                ok     ok     ok     ok     ok     ok     ok     ok
        GET    /language                                             ok     ok     ok     ok     ok     ok     ok     ok
        GET    /account/reset/:token                                 ok     ok     ok     ok     ok     ok     ok     ok
        POST   /account/reset/:token                                 ok     ok     ok     ok     ok     ok     ok     ok
        POST   /api/v1/auth/token                                    ok     ok     ok     ok     ok     ok     ok     ok
        GET    /api/openapi.json                                     ok     ok     ok     ok     ok     ok     ok     ok
        GET    /api/openapi.yaml                                     ok     ok     ok     ok     ok     ok     ok     ok
        GET    /health                                               ok     ok     ok     ok     ok     ok     ok     ok
        # One's own account, notifications and work list; lists and aggregates scoped to the caller.
        POST   /logout                                               login  ok     ok     ok     ok     ok     ok     ok
        GET    /account/password                                     login  ok     ok     ok     ok     ok     ok     ok
        POST   /account/password                                     login  ok     ok     ok     ok     ok     ok     ok
        POST   /language                                             login  ok     ok     ok     ok     ok     ok     ok
        DELETE /api/v1/auth/token                                    401    ok     ok     ok     ok     ok     ok     ok
        GET    /api/v1/me                                            401    ok     ok     ok     ok     ok     ok     ok
        GET    /notifications                                        login  ok     ok     ok     ok     ok     ok     ok
        POST   /notifications/read-all                               login  ok     ok     ok     ok     ok     ok     ok
        POST   /notifications/:id/read                               login  ok     ok     ok     ok     ok     ok     ok
        GET    /api/v1/me/notifications                              401    ok     ok     ok     ok     ok     ok     ok
        GET    /me/work                                              login  ok     ok     ok     ok     ok     ok     ok
        GET    /api/v1/me/work                                       401    ok     ok     ok     ok     ok     ok     ok
        GET    /projects                                             login  ok     ok     ok     ok     ok     ok     ok
        GET    /api/v1/projects                                      401    ok     ok     ok     ok     ok     ok     ok
        GET    /api/v1/reports/summary                               401    ok     ok     ok     ok     ok     ok     ok
        GET    /api/v1/reports/monitoring                            401    ok     ok     ok     ok     ok     ok     ok
        GET    /period-reports                                       login  ok     ok     ok     ok     ok     ok     ok
        GET    /quality                                              login  ok     ok     ok     ok     ok     ok     ok
        POST   /quality/comments                                     login  ok     ok     ok     ok     ok     ok     ok
        GET    /api/v1/quality                                       401    ok     ok     ok     ok     ok     ok     ok
        GET    /programmes/2026-2030                                 login  ok     ok     ok     ok     ok     ok     ok
        GET    /api/v1/programmes/2026-2030                          401    ok     ok     ok     ok     ok     ok     ok
        GET    /api/v1/rules                                         401    ok     ok     ok     ok     ok     ok     ok
        GET    /api/v1/settings                                      401    ok     ok     ok     ok     ok     ok     ok
        # A new project: a province officer's data entry (the unit is in the form).
        GET    /projects/new                                         login  ok     ok     403    403    403    403    403
        POST   /projects/new                                         login  ok     ok     403    403    403    403    403
        POST   /api/v1/projects                                      401    ok     ok     403    403    403    403    403
        # Reading Thanh Hóa's records: its province, the northern appraisers and reviewers, the ministry, the administrator.
        GET    /projects/:code                                       login  ok     404    ok     ok     ok     ok     404
        GET    /api/v1/projects/:code                                401    ok     404    ok     ok     ok     ok     404
        GET    /attachments/:id                                      login  ok     404    ok     ok     ok     ok     404
        GET    /api/v1/attachments/:id                               401    ok     404    ok     ok     ok     ok     404
        GET    /establishments/:taxCode                              login  ok     404    ok     ok     ok     ok     404
        GET    /api/v1/establishments/:taxCode                       401    ok     404    ok     ok     ok     ok     404
        GET    /plans/:unitCode/:year                                login  ok     404    ok     ok     ok     ok     404
        GET    /api/v1/plans/:unitCode/:year                         401    ok     404    ok     ok     ok     ok     404
        GET    /plans/:unitCode/:year/files/:id                      login  ok     404    ok     ok     ok     ok     404
        GET    /plans/:unitCode/:year/registration                   login  ok     404    ok     ok     ok     ok     404
        GET    /plans/:unitCode/:year/registration.xlsx              login  ok     404    ok     ok     ok     ok     404
        GET    /period-reports/:unitID/:year/:period                 login  ok     404    ok     ok     ok     ok     404
        GET    /api/v1/period-reports/:unitCode/:year/:period        401    ok     404    ok     ok     ok     ok     404
        GET    /programmes/2026-2030/:unitCode                       login  ok     404    ok     ok     ok     ok     404
        GET    /api/v1/programmes/2026-2030/:unitCode                401    ok     404    ok     ok     ok     ok     404
        # A lifecycle step: every reader reaches the form, the step itself decides who may take it (LifecycleTests).
        POST   /projects/:code/transitions                           login  ok     404    ok     ok     ok     ok     404
        POST   /api/v1/projects/:code/transitions                    401    ok     404    ok     ok     ok     ok     404
        # Scoring: the appraiser only (a draft is not awaiting appraisal: 409, which is "ok" here).
        POST   /projects/:code/appraisals                            login  403    404    ok     403    403    403    404
        POST   /api/v1/projects/:code/appraisals                     401    403    404    ok     403    403    403    404
        # Thanh Hóa's data entry: its own province officer only; readers may not.
        GET    /projects/:code/edit                                  login  ok     404    403    403    403    403    404
        POST   /projects/:code/edit                                  login  ok     404    403    403    403    403    404
        PATCH  /api/v1/projects/:code                                401    ok     404    403    403    403    403    404
        POST   /projects/:code/beneficiaries                         login  ok     404    403    403    403    403    404
        POST   /api/v1/projects/:code/beneficiaries                  401    ok     404    403    403    403    403    404
        POST   /projects/:code/disbursements                         login  ok     404    403    403    403    403    404
        POST   /api/v1/projects/:code/disbursements                  401    ok     404    403    403    403    403    404
        POST   /projects/:code/outputs                               login  ok     404    403    403    403    403    404
        POST   /api/v1/projects/:code/outputs                        401    ok     404    403    403    403    403    404
        POST   /api/v1/projects/:code/attachments                    401    ok     404    403    403    403    403    404
        POST   /projects/:code/beneficiaries/:id/edit                login  ok     404    403    403    403    403    404
        POST   /projects/:code/beneficiaries/:id/remove              login  ok     404    403    403    403    403    404
        POST   /projects/:code/disbursements/:id/edit                login  ok     404    403    403    403    403    404
        POST   /projects/:code/disbursements/:id/remove              login  ok     404    403    403    403    403    404
        POST   /projects/:code/outputs/:id/edit                      login  ok     404    403    403    403    403    404
        POST   /projects/:code/outputs/:id/remove                    login  ok     404    403    403    403    403    404
        PATCH  /api/v1/projects/:code/beneficiaries/:id              401    ok     404    403    403    403    403    404
        DELETE /api/v1/projects/:code/beneficiaries/:id              401    ok     404    403    403    403    403    404
        PATCH  /api/v1/projects/:code/disbursements/:id              401    ok     404    403    403    403    403    404
        DELETE /api/v1/projects/:code/disbursements/:id              401    ok     404    403    403    403    403    404
        PATCH  /api/v1/projects/:code/outputs/:id                    401    ok     404    403    403    403    403    404
        DELETE /api/v1/projects/:code/outputs/:id                    401    ok     404    403    403    403    403    404
        POST   /plans/:unitCode/:year/lines                          login  ok     404    403    403    403    403    404
        POST   /api/v1/plans/:unitCode/:year/lines                   401    ok     404    403    403    403    403    404
        POST   /plans/:unitCode/:year/targets                        login  ok     404    403    403    403    403    404
        POST   /api/v1/plans/:unitCode/:year/targets                 401    ok     404    403    403    403    403    404
        POST   /plans/:unitCode/:year/national/submit                login  ok     404    403    403    403    403    404
        POST   /api/v1/plans/:unitCode/:year/national/submit         401    ok     404    403    403    403    403    404
        POST   /plans/:unitCode/:year/local/submit                   login  ok     404    403    403    403    403    404
        POST   /api/v1/plans/:unitCode/:year/local/submit            401    ok     404    403    403    403    403    404
        # The local plan is approved by the province's People's Committee: its officer records the decision.
        POST   /plans/:unitCode/:year/local/approve                  login  ok     404    403    403    403    403    404
        POST   /api/v1/plans/:unitCode/:year/local/approve           401    ok     404    403    403    403    403    404
        POST   /plans/:unitCode/:year/local/return                   login  ok     404    403    403    403    403    404
        POST   /api/v1/plans/:unitCode/:year/local/return            401    ok     404    403    403    403    403    404
        POST   /period-reports/:unitID/:year/:period/submit          login  ok     404    403    403    403    403    404
        POST   /api/v1/period-reports/:unitCode/:year/:period/submit 401    ok     404    403    403    403    403    404
        POST   /programmes/2026-2030/:unitCode                       login  ok     404    403    403    403    403    404
        POST   /api/v1/programmes/2026-2030/:unitCode                401    ok     404    403    403    403    403    404
        # Review of period reports: the region's reviewer and the ministry.
        POST   /period-reports/:unitID/:year/:period/approve         login  403    404    403    ok     ok     403    404
        POST   /period-reports/:unitID/:year/:period/return          login  403    404    403    ok     ok     403    404
        POST   /period-reports/:unitID/:year/:period/unlock          login  403    404    403    ok     ok     403    404
        POST   /api/v1/period-reports/:unitCode/:year/:period/approve 401   403    404    403    ok     ok     403    404
        POST   /api/v1/period-reports/:unitCode/:year/:period/return 401    403    404    403    ok     ok     403    404
        POST   /api/v1/period-reports/:unitCode/:year/:period/unlock 401    403    404    403    ok     ok     403    404
        GET    /api/v1/period-reports/reminders                      401    403    403    403    ok     ok     403    403
        # Consolidating the provinces' plans: the ministry's side.
        GET    /plans/:unitCode/consolidation                        login  403    403    403    ok     ok     403    403
        GET    /plans/:unitCode/consolidation.xlsx                   login  403    403    403    ok     ok     403    403
        GET    /api/v1/plans/:unitCode/consolidation                 401    403    403    403    ok     ok     403    403
        # Decisions of the ministry itself (Decree 235/2025): the national plan, its budget, the national programme.
        POST   /plans/:unitCode/:year/national/approve               login  403    404    403    403    ok     403    404
        POST   /api/v1/plans/:unitCode/:year/national/approve        401    403    404    403    403    ok     403    404
        POST   /plans/:unitCode/:year/national/return                login  403    404    403    403    ok     403    404
        POST   /api/v1/plans/:unitCode/:year/national/return         401    403    404    403    403    ok     403    404
        POST   /plans/:unitCode/:year/allocations                    login  403    404    403    403    ok     403    404
        POST   /api/v1/plans/:unitCode/:year/allocations             401    403    404    403    403    ok     403    404
        POST   /programmes/2026-2030                                 login  403    403    403    403    ok     403    403
        POST   /api/v1/programmes/2026-2030                          401    403    403    403    403    ok     403    403
        # Interchange files: provinces upload their own data; anyone who reads records downloads.
        GET    /imports                                              login  ok     ok     ok     ok     ok     ok     403
        GET    /imports/template                                     login  ok     ok     ok     ok     ok     ok     403
        GET    /exports/download                                     login  ok     ok     ok     ok     ok     ok     403
        POST   /imports                                              login  ok     ok     403    403    403    403    403
        POST   /imports/:importID/confirm                            login  ok     ok     403    403    403    403    403
        POST   /imports/:importID/cancel                             login  ok     ok     403    403    403    403    403
        # The audit trail and the administration pages: read by the ministry's side and the administrator, changed by the administrator.
        GET    /audit                                                login  403    403    403    ok     ok     ok     403
        GET    /admin/rules                                          login  403    403    403    ok     ok     ok     403
        GET    /admin/settings                                       login  403    403    403    ok     ok     ok     403
        GET    /admin/users                                          login  403    403    403    ok     ok     ok     403
        GET    /admin/users/:username                                login  403    403    403    ok     ok     ok     403
        GET    /api/v1/users                                         401    403    403    403    ok     ok     ok     403
        GET    /api/v1/users/:username                               401    403    403    403    ok     ok     ok     403
        POST   /admin/rules/caps                                     login  403    403    403    403    403    ok     403
        POST   /admin/rules/advances                                 login  403    403    403    403    403    ok     403
        POST   /admin/rules/deadlines                                login  403    403    403    403    403    ok     403
        POST   /admin/rules/criteria                                 login  403    403    403    403    403    ok     403
        POST   /admin/rules/regions                                  login  403    403    403    403    403    ok     403
        POST   /admin/settings/deadlines                             login  403    403    403    403    403    ok     403
        POST   /admin/settings/agency                                login  403    403    403    403    403    ok     403
        POST   /admin/settings/programme                             login  403    403    403    403    403    ok     403
        PUT    /api/v1/settings                                      401    403    403    403    403    403    ok     403
        POST   /api/v1/settings                                      401    403    403    403    403    403    ok     403
        POST   /admin/users                                          login  403    403    403    403    403    ok     403
        POST   /admin/users/:username/disable                        login  403    403    403    403    403    ok     403
        POST   /admin/users/:username/enable                         login  403    403    403    403    403    ok     403
        POST   /admin/users/:username/unlock                         login  403    403    403    403    403    ok     403
        POST   /admin/users/:username/reset                          login  403    403    403    403    403    ok     403
        POST   /admin/users/:username/scope                          login  403    403    403    403    403    ok     403
        POST   /api/v1/users                                         401    403    403    403    403    403    ok     403
        PATCH  /api/v1/users/:username                               401    403    403    403    403    403    ok     403
        POST   /api/v1/users/:username/disable                       401    403    403    403    403    403    ok     403
        POST   /api/v1/users/:username/enable                        401    403    403    403    403    403    ok     403
        POST   /api/v1/users/:username/unlock                        401    403    403    403    403    403    ok     403
        POST   /api/v1/users/:username/password-reset                401    403    403    403    403    403    ok     403
        # For a scraper: an administrator's token.
        GET    /metrics                                              401    403    403    403    403    403    ok     403
        """

    enum Answer: String, CaseIterable {
        case ok, login
        case unauthorized = "401", forbidden = "403", notFound = "404"
    }

    /// `expected` read into rows keyed "METHOD /path"; a malformed line is an error naming it.
    static func rows() throws -> [String: [Answer]] {
        var rows: [String: [Answer]] = [:]
        for line in expected.split(separator: "\n").dropFirst() where !line.trimmingCharacters(in: .whitespaces).hasPrefix("#") {
            let cells = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            let answers = cells.dropFirst(2).compactMap(Answer.init(rawValue:))
            guard cells.count == 2 + columns.count, answers.count == columns.count else {
                throw Abort(.internalServerError, reason: "malformed row: \(line)")
            }
            let key = cells[0] + " " + cells[1]
            guard rows.updateValue(answers, forKey: key) == nil else { throw Abort(.internalServerError, reason: "two rows for \(key)") }
        }
        return rows
    }

    @Test func theTableHasOneRowPerRegisteredRouteAndNoOther() async throws {
        try await TestApp.run(users: true) { app in
            let rows = try Self.rows()
            let registered = Set(app.routes.all.map(Self.key))
            for route in registered.subtracting(rows.keys).sorted() { Issue.record("no row in `expected` for \(route)") }
            for row in Set(rows.keys).subtracting(registered).sorted() { Issue.record("a row for \(row), which is not a route") }
            for route in app.routes.all { #expect(route.access != nil, "\(Self.key(route)) declares no access rule") }
        }
    }

    @Test func everyRouteAnswersEveryRoleAsTheTableSays() async throws {
        try await TestApp.run(users: true) { app in
            let rows = try Self.rows()
            let fixtureID = try await Self.fixtures(app)
            for route in app.routes.all {
                guard let answers = rows[Self.key(route)] else { continue }   // reported by the test above
                let path = "/" + route.path.map { component -> String in
                    switch component {
                    case .parameter("code"): Self.fixtureCode
                    case .parameter("unitID"): "38@2025-07-01"
                    case .parameter("id"): fixtureID.uuidString
                    case .parameter("unitCode"): "38"
                    case .parameter("year"): "2026"
                    case .parameter("period"): "H1"
                    case .parameter("username"): "route.fixture"
                    case .parameter("taxCode"): Self.taxCode
                    case .parameter("list"): SiteRoute.MonitoringList.overdueSettlements.rawValue
                    case .parameter(let name): name
                    default: component.description
                    }
                }.joined(separator: "/")
                for (column, answer) in zip(Self.columns, answers) {
                    let (status, location) = try await Self.send(route.method, path, as: column.username, app: app)
                    let toLogin = status == .seeOther && location?.hasPrefix("/login") == true
                    let label = "\(route.method) \(path) as \(column.label): \(status.code), expected \(answer.rawValue)"
                    switch answer {
                    case .ok: #expect(![401, 403, 404].contains(status.code) && status.code < 500 && !toLogin, "\(label)")
                    case .login: #expect(toLogin, "\(label)")
                    case .unauthorized: #expect(status == .unauthorized, "\(label)")
                    case .forbidden: #expect(status == .forbidden, "\(label)")
                    case .notFound: #expect(status == .notFound, "\(label)")
                    }
                }
            }
        }
    }

    static func key(_ route: Route) -> String {
        "\(route.method.rawValue) /" + route.path.map(\.description).joined(separator: "/")
    }

    /// Thanh Hóa's draft project with a file, a beneficiary link, a payment and an output under one id (and a plan
    /// decision file under the same id), and a user the administrator's forms may change. Returns that id.
    static func fixtures(_ app: Application) async throws -> UUID {
        let fixture = try await TestData.draftProject(code: Self.fixtureCode, unitCode: "38", on: app.db)
        let attachment = Attachment(projectID: try fixture.requireID(), filename: "to-trinh.pdf", data: Data("%PDF".utf8), uploadedBy: "test")
        try await attachment.create(on: app.db)
        let id = try attachment.requireID()
        // A plan decision's file under the same id, so that `/plans/38/2026/files/{id}` finds one too.
        let key = try PlanKey.resolve(unitCode: "38", year: "2026")
        let decision = PlanDecisionFile(key: key, source: .local, decisionNo: "45/QĐ-UBND", filename: "qd.pdf", data: Data("%PDF".utf8), uploadedBy: "test")
        decision.id = id
        try await decision.create(on: app.db)
        // A beneficiary link, a payment and an output under the same id, for the correction routes
        // (`/projects/{code}/beneficiaries/{id}/edit`, `/api/v1/projects/{code}/disbursements/{id}` …).
        let establishment = Beneficiary(taxCode: Self.taxCode, name: "HTX chè Bát Mọt", legalForm: "", commune: "", sector: "",
                                        womenOwned: false, ethnicMinorityEmployer: false, disadvantagedArea: false)
        try await establishment.create(on: app.db)
        let link = ProjectBeneficiary(projectID: try fixture.requireID(), beneficiaryID: try establishment.requireID(), supportVnd: 1_000_000)
        link.id = id
        try await link.create(on: app.db)
        let payment = Disbursement(projectID: try fixture.requireID(), onDate: "2026-03-02", amountVnd: 1_000_000, basis: .actual, kind: .payment)
        payment.id = id
        try await payment.create(on: app.db)
        let output = OutputRecord(projectID: try fixture.requireID(), onDate: "2026-03-02", indicatorCode: "establishments_supported", quantity: 1, basis: .actual)
        output.id = id
        try await output.create(on: app.db)
        // A user for `/admin/users/{username}` and `/api/v1/users/{username}`, whom the administrator's forms may change.
        _ = try await UserAdmin.create(username: "route.fixture", displayName: nil, role: .viewer, unitCode: nil, region: nil,
                                       password: "mat-khau-route-fixture", actor: "test", app: app)
        return id
    }

    /// One request as that user: a fresh token for the API, a fresh session (with its CSRF token) for pages,
    /// so that routes such as sign-out or token revocation do not affect the next check.
    static func send(_ method: HTTPMethod, _ path: String, as username: String?, app: Application) async throws -> (HTTPStatus, String?) {
        if SiteRoute.answersMachines(path) {
            var headers: HTTPHeaders = ["Content-Type": "application/json"]
            if let username { headers.bearerAuthorization = .init(token: try await TestUsers.token(app, username)) }
            let body: ByteBuffer? = [.POST, .PATCH, .PUT].contains(method) ? ByteBuffer(string: "{}") : nil
            let response = try await app.testing().sendRequest(method, path, headers: headers, body: body)
            return (response.status, nil)
        }
        var browser = username == nil ? TestBrowser(app) : try await TestBrowser.signedIn(app, as: username!)
        let response = method == .GET ? try await browser.get(path) : try await browser.post(path, [:])
        return (response.status, response.headers.first(name: .location))
    }
}
