import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// `SiteRoute` (Core/SiteRoute.swift) is the one list of paths: the route table is registered from it, and links and
/// redirects are built from it. These tests hold the two together and keep paths out of the other Swift files.
@Suite("Typed routes")
struct SiteRouteTests {
    static func pattern(_ components: [PathComponent]) -> String { "/" + components.map(\.description).joined(separator: "/") }

    @Test func theRouteTableAndTheEnumNameTheSamePathsBothWays() async throws {
        try await TestApp.run { app in
            let registered = Set(app.routes.all.map { Self.pattern($0.path) })
            let cases = SiteRoute.patterns.map { Self.pattern($0.pathComponents) }
            #expect(Set(cases).count == cases.count, "two cases of SiteRoute.patterns give the same path")
            for path in registered.subtracting(cases).sorted() { Issue.record("\(path) is registered but no SiteRoute case gives it") }
            for path in Set(cases).subtracting(registered).sorted() { Issue.record("SiteRoute gives \(path), which is not registered") }
            #expect(registered.count > 100)
        }
    }

    @Test func aLinkIsItsRouteWithTheValuesInPlace() {
        // The placeholder path and the route table's pattern are the same text.
        for route in SiteRoute.patterns { #expect(route.path == Self.pattern(route.pathComponents)) }
        #expect(SiteRoute.home.path == "/")
        #expect(SiteRoute.project(code: "KC-38-2026-001").path == "/projects/KC-38-2026-001")
        #expect(SiteRoute.projectRecord(code: "KC-1", .disbursements, id: "A1", .remove).path == "/projects/KC-1/disbursements/A1/remove")
        #expect(SiteRoute.planStep(unitCode: "38", year: 2026, .local, .approve).path == "/plans/38/2026/local/approve")
        #expect(SiteRoute.periodReport(unitID: "38@2025-07-01", year: 2026, .h1).path == "/period-reports/38@2025-07-01/2026/H1")
        #expect(SiteRoute.programmeProvince(unitCode: "38").path == "/programmes/2026-2030/38")
        #expect(SiteRoute.api(.userAction(username: "thanhhoa", .passwordReset)).path == "/api/v1/users/thanhhoa/password-reset")
        #expect(SiteRoute.dashboard.path(query: "year=2026") == "/dashboard?year=2026")
        #expect(SiteRoute.dashboard.path(query: "") == "/dashboard")
        // A value is one segment: a slash, a question mark, a space or a percent sign in it is escaped.
        #expect(SiteRoute.adminUser(username: "a/b?c d%").path == "/admin/users/a%2Fb%3Fc%20d%25")
        // The links the pages use are these paths.
        #expect(Links.project("KC-1") == SiteRoute.project(code: "KC-1").path)
        #expect(Links.login(next: "/projects?q=a") == "/login?next=%2Fprojects%3Fq%3Da")
    }

    @Test func theAPIIsOneGroupAndTheOnlyPlaceThatAnswersPrograms() {
        for route in SiteRoute.patterns {
            let components = route.pathComponents.map(\.description)
            if case .api = route {
                #expect(Array(components.prefix(2)) == SiteRoute.apiRoot, "\(route.path)")
                #expect(SiteRoute.isAPI(route.path) && SiteRoute.answersMachines(route.path))
            } else if case .openAPI = route {
                #expect(SiteRoute.isAPI(route.path), "the contract is served to programs: \(route.path)")
            } else {
                #expect(components.first != "api", "\(route.path) is under /api outside SiteRoute.api")
                #expect(!SiteRoute.isAPI(route.path), "\(route.path)")
                #expect(SiteRoute.answersMachines(route.path) == (route == .metrics), "\(route.path)")
            }
        }
    }

    /// API answers are problem JSON and pages redirect to the sign-in page, decided by the path alone (also for a path
    /// no route serves).
    @Test func aProgramGetsProblemJSONAndABrowserTheSignInPage() async throws {
        try await TestApp.run { app in
            let api = try await app.testing().sendRequest(.GET, SiteRoute.api(.projects).path)
            #expect(api.status == .unauthorized)
            #expect(api.headers.first(name: .contentType)?.hasPrefix("application/problem+json") == true)
            let unknown = try await app.testing().sendRequest(.GET, SiteRoute.api(.projects).path + "/KC-1/nothing-here")
            #expect(unknown.status == .notFound)
            #expect(unknown.headers.first(name: .contentType)?.hasPrefix("application/problem+json") == true)
            let page = try await app.testing().sendRequest(.GET, SiteRoute.projects.path)
            #expect(page.status == .seeOther)
            #expect(page.headers.first(name: .location) == Links.login(next: SiteRoute.projects.path))
        }
    }

    /// No Swift file but SiteRoute.swift writes a path of this site as a string: links and redirects come from the enum.
    @Test func noSwiftFileOutsideSiteRouteWritesAPath() throws {
        let sources = URL(fileURLWithPath: TestApp.rootDirectory).appendingPathComponent("Sources/KhuyenCongApp")
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" && $0.lastPathComponent != "SiteRoute.swift" }
        #expect(files.count > 100)
        // Text that begins like a path of this site: a string literal starting "/letter", "/?" or "/\(", or text
        // added after an interpolation ("\(base)/edit").
        let pathLiteral = #""/([A-Za-z?]|\\\()|\\\([^()]*\)/[a-z]"#
        // Not links: file-system paths, parts inside an Office package, the static stylesheet folder, a log line.
        let allowed = ["/css/", "/Resources/Views", "/usr/bin", "PartName=\"/", "\"/metrics: ", "\"/xl/", "\"/word/", "\"/docProps/"]
        for file in files where !file.path.contains("/Core/Spreadsheets/") {
            let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            for (number, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") {
                guard line.range(of: pathLiteral, options: .regularExpression) != nil,
                      !allowed.contains(where: line.contains) else { continue }
                Issue.record("\(file.lastPathComponent):\(number + 1) writes a path; use SiteRoute: \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
    }
}
