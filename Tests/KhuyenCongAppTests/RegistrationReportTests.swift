import Fluent
import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// The province's national registration report (Circular 36/2013 Art. 10): the page, its XLSX and who may read it.
@Suite("Registration report: the national projects a province registers for a year")
struct RegistrationReportTests {
    static let listed = ["registered", "appraised_ministry", "approved", "allocated", "contracted", "in_progress",
                         "accepted", "settled", "closed"]

    /// Thanh Hóa's listed national projects of the latest demo year that has some, read straight from the database.
    static func expected(_ app: Application) async throws -> (year: Int, projects: [Project]) {
        for year in (2023...2026).reversed() {
            let unitID = try AdminUnitCatalog.standard.resolve(code: "38", planYear: year).id
            let projects = try await Project.query(on: app.db).filter(\.$unitID == unitID).filter(\.$year == year)
                .filter(\.$source == .national).all().filter { listed.contains($0.status.rawValue) }
            if !projects.isEmpty { return (year, projects) }
        }
        Issue.record("the demo data has no registered national project of Thanh Hóa")
        return (0, [])
    }

    @Test func thePageListsTheRegisteredNationalProjectsWithTheirTotals() async throws {
        try await TestApp.run(seeded: true) { app in
            let (year, projects) = try await Self.expected(app)
            var browser = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let response = try await browser.get("/plans/38/\(year)/registration")
            #expect(response.status == .ok)
            let html = response.body.string
            #expect(html.components(separatedBy: #"<tr class="project">"#).count - 1 == projects.count)
            for project in projects { #expect(html.contains(">\(project.code)<"), "\(project.code) is listed") }
            let support = try Money.sum(projects.map(\.supportRequestedVnd))
            let counterpart = try Money.sum(projects.map(\.counterpartVnd))
            #expect(html.contains(#"id="total-support">\#(VietnameseFormat.money(support))<"#))
            #expect(html.contains(#"id="total-counterpart">\#(VietnameseFormat.money(counterpart))<"#))
            #expect(html.contains(#"id="total-cost">\#(VietnameseFormat.money(try support + counterpart))<"#))
            // Another year's or source's projects are not listed.
            let others = try await Project.query(on: app.db).filter(\.$source == .local).all()
            for project in others { #expect(!html.contains(">\(project.code)<"), "\(project.code) is local") }
        }
    }

    @Test func theXLSXHasOneRowPerProjectAndTheSameTotals() async throws {
        try await TestApp.run(seeded: true) { app in
            let (year, projects) = try await Self.expected(app)
            var browser = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let response = try await browser.get("/plans/38/\(year)/registration.xlsx")
            #expect(response.status == .ok)
            #expect(response.headers.first(name: .contentType)?.contains("spreadsheetml") == true)
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("registration-\(UUID().uuidString).xlsx")
            try Data(response.body.readableBytesView).write(to: url)
            defer { try? FileManager.default.removeItem(at: url) }
            let reader = try XLSXReader(url: url)
            var rows: [[String]] = []
            try reader.readSheet(try #require(reader.sheetNames.first)) { number, cells in if number > 1 { rows.append(cells) } }
            let codes = Set(projects.map(\.code))
            #expect(rows.filter { codes.contains($0[0]) }.count == projects.count)
            let total = try #require(rows.last)
            #expect(total[0] == "Tổng cộng")
            let support = try Money.sum(projects.map(\.supportRequestedVnd))
            let counterpart = try Money.sum(projects.map(\.counterpartVnd))
            #expect(total[7] == String(try (support + counterpart).dong))
            #expect(total[8] == String(support.dong))
            #expect(total[9] == String(counterpart.dong))
        }
    }

    @Test func anotherProvincesOfficerGetsNotFound() async throws {
        try await TestApp.run(seeded: true) { app in
            let (year, _) = try await Self.expected(app)
            var browser = try await TestBrowser.signedIn(app, as: "nghean")
            #expect(try await browser.get("/plans/38/\(year)/registration").status == .notFound)
            #expect(try await browser.get("/plans/38/\(year)/registration.xlsx").status == .notFound)
        }
    }

    @Test func thePlanPageLinksToTheReport() async throws {
        try await TestApp.run(seeded: true) { app in
            var browser = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let html = try await browser.get("/plans/38/2026").body.string
            #expect(html.contains(#"href="/plans/38/2026/registration""#))
        }
    }
}
