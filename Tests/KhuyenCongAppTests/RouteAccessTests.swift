import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// Walks the route table itself: every route declares an access rule, and for every route and every role the
/// answer matches what `AccessPolicy` decides for a Thanh Hóa draft project. A new route cannot ship unchecked.
@Suite("Route table × roles")
struct RouteAccessTests {
    static let fixtureCode = "KC-ROUTE-38"
    static let fixtureScope = RecordScope(unitCode: "38", region: .north)
    static let principals: [String?] = [nil] + DemoUsers.specs.map(\.username)

    @Test func everyRouteAnswersEveryRoleAsThePolicySays() async throws {
        try await TestApp.run(users: true) { app in
            let fixture = try await TestData.draftProject(code: Self.fixtureCode, unitCode: "38", on: app.db)
            let attachment = Attachment(projectID: try fixture.requireID(), filename: "to-trinh.pdf", data: Data("%PDF".utf8), uploadedBy: "test")
            try await attachment.create(on: app.db)
            // A plan decision's file under the same id, so that `/plans/38/2026/files/{id}` finds one too.
            let key = try PlanKey.resolve(unitCode: "38", year: "2026")
            let decision = PlanDecisionFile(key: key, source: .local, decisionNo: "45/QĐ-UBND", filename: "qd.pdf", data: Data("%PDF".utf8), uploadedBy: "test")
            decision.id = attachment.id
            try await decision.create(on: app.db)
            // A beneficiary link, a payment and an output under the same id, for the correction routes
            // (`/projects/{code}/beneficiaries/{id}/edit`, `/api/v1/projects/{code}/disbursements/{id}` …).
            let establishment = Beneficiary(taxCode: "0100109106", name: "HTX chè Bát Mọt", legalForm: "", commune: "", sector: "",
                                            womenOwned: false, ethnicMinorityEmployer: false, disadvantagedArea: false)
            try await establishment.create(on: app.db)
            let link = ProjectBeneficiary(projectID: try fixture.requireID(), beneficiaryID: try establishment.requireID(), supportVnd: 1_000_000)
            link.id = attachment.id
            try await link.create(on: app.db)
            let payment = Disbursement(projectID: try fixture.requireID(), onDate: "2026-03-02", amountVnd: 1_000_000, basis: "actual", kind: "payment")
            payment.id = attachment.id
            try await payment.create(on: app.db)
            let output = OutputRecord(projectID: try fixture.requireID(), onDate: "2026-03-02", indicatorCode: "establishments_supported", quantity: 1, basis: "actual")
            output.id = attachment.id
            try await output.create(on: app.db)
            // A user for `/admin/users/{username}` and `/api/v1/users/{username}`, whom the administrator's forms may change.
            _ = try await UserAdmin.create(username: "route.fixture", displayName: nil, role: .viewer, unitCode: nil, region: nil,
                                           password: "mat-khau-route-fixture", actor: "test", app: app)
            var checked = 0
            for route in app.routes.all {
                let rule = try #require(route.access, "\(route.method) \(route.path.string) declares no access rule")
                let path = "/" + route.path.map { component -> String in
                    switch component {
                    case .parameter("code"): Self.fixtureCode
                    case .parameter("unitID"): "38@2025-07-01"
                    case .parameter("id"): attachment.id!.uuidString
                    case .parameter("unitCode"): "38"
                    case .parameter("year"): "2026"
                    case .parameter("period"): "H1"
                    case .parameter("username"): "route.fixture"
                    case .parameter(let name): name
                    default: component.description
                    }
                }.joined(separator: "/")
                for username in Self.principals {
                    let principal = try await username.asyncMap { try await User.find(username: $0, on: app.db)!.principal }
                    let expected = Self.decision(rule, principal)
                    let (status, location) = try await Self.send(route.method, path, as: username, app: app)
                    let toLogin = status == .seeOther && location?.hasPrefix("/login") == true
                    let label = "\(route.method) \(path) as \(username ?? "anonymous"): \(status.code) vs \(expected.rawValue)"
                    switch expected {
                    case .allow: #expect(![401, 403, 404].contains(status.code) && status.code < 500 && !toLogin, "\(label)")
                    case .unauthenticated: #expect(RouteAccess.answersMachines(path) ? status == .unauthorized : toLogin, "\(label)")
                    case .notFound: #expect(status == .notFound, "\(label)")
                    case .forbidden: #expect(status == .forbidden, "\(label)")
                    }
                    checked += 1
                }
            }
            // The closing note reports this count.
            print("route access: \(checked) (route, role) pairs checked over \(app.routes.all.count) routes")
            #expect(checked == app.routes.all.count * Self.principals.count)
        }
    }

    static func decision(_ rule: RouteAccess, _ principal: Principal?) -> AccessDecision {
        switch rule {
        case .public: .allow
        case .signedIn: principal == nil ? .unauthenticated : .allow
        case .action(let action): AccessPolicy.decide(principal, action, nil)
        case .record(let action): AccessPolicy.decide(principal, action, fixtureScope)
        }
    }

    /// One request as that user: a fresh token for the API, a fresh session (with its CSRF token) for pages,
    /// so that routes such as sign-out or token revocation do not affect the next check.
    static func send(_ method: HTTPMethod, _ path: String, as username: String?, app: Application) async throws -> (HTTPStatus, String?) {
        if path.hasPrefix("/api/") {
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

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
