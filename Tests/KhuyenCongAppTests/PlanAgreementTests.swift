import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// One path per figure (issue 12): the plan a reader sees on the dashboard, the plan page's approved totals and the
/// report JSON are the same number to the đồng, for every scope of the demo data and every plan year.
@Suite("The plan agrees on the dashboard, the plan pages and the report JSON")
struct PlanAgreementTests {
    /// "1.500.000.000 đ" → 1500000000.
    static func dong(_ text: Substring) -> Money? {
        let digits = text.filter { $0.isNumber }
        return digits.isEmpty ? nil : Int64(digits).map(Money.init(dong:))
    }

    /// The exact figure the dashboard shows on hover under its first headline, "Kế hoạch YYYY".
    static func dashboardPlan(_ html: String) -> Money? {
        guard let label = html.range(of: "<span class=\"label\">Kế hoạch "),
              let title = html.range(of: "title=\"", range: label.upperBound..<html.endIndex) else { return nil }
        return dong(html[title.upperBound...].prefix { $0 != "\"" })
    }

    /// The approved total of one source on a plan page ("–" when nothing is approved).
    static func pageTotal(_ html: String, _ source: String) -> Money {
        guard let cell = html.range(of: "id=\"total-approved-\(source)\">") else { return 0 }
        return dong(html[cell.upperBound...].prefix { $0 != "<" }) ?? 0
    }

    @Test func everyDemoScopeAndYearShowsOnePlan() async throws {
        try await TestApp.run(seeded: true) { app in
            let token = try await TestUsers.token(app, "bo.congthuong")
            var ministry = try await TestBrowser.signedIn(app, as: "bo.congthuong")
            var compared = 0
            for year in 2023...2027 {
                // Once every decision of the year is in force, all three read the same rows.
                let asOf = "\(year + 1)-12-31"
                func json(_ scope: String) async throws -> ReportSummary {
                    let response = try await app.testing().sendRequest(.GET, "/api/v1/reports/summary?\(scope)&year=\(year)&period=FY&asOf=\(asOf)",
                                                                       headers: TestData.bearer(token))
                    #expect(response.status == .ok, "\(scope) \(year)")
                    return try JSONDecoder().decode(ReportSummary.self, from: Data(response.body.readableBytesView))
                }
                func dashboard(_ scope: String) async throws -> Money? {
                    Self.dashboardPlan(try await ministry.get("/dashboard?\(scope)&year=\(year)&period=FY&asOf=\(asOf)").body.string)
                }
                var regionsTotal: Money = 0
                for name in Region.allCases.map(\.rawValue) {
                    let region = try await json("region=\(name)")
                    var pagesTotal: Money = 0
                    for row in region.byUnit where row.planVnd > 0 || name == "north" {
                        let page = try await ministry.get(Links.plan(unitCode: row.unitCode, year: year))
                        #expect(page.status == .ok, "\(row.unitCode) \(year)")
                        let total = try Self.pageTotal(page.body.string, "national") + Self.pageTotal(page.body.string, "local")
                        let unit = try await json("unit=\(row.unitCode)")
                        #expect(total == unit.plan.amountVnd && total == row.planVnd, "plan page vs report, \(row.unitCode) \(year)")
                        #expect(try await dashboard("unit=\(row.unitCode)") == unit.plan.amountVnd, "dashboard vs report, \(row.unitCode) \(year)")
                        try pagesTotal += total
                        compared += 1
                    }
                    #expect(pagesTotal == region.plan.amountVnd, "\(name) \(year)")
                    #expect(try await dashboard("region=\(name)") == region.plan.amountVnd, "dashboard \(name) \(year)")
                    try regionsTotal += region.plan.amountVnd
                }
                let country = try await json("country=true")
                #expect(try await dashboard("country=true") == country.plan.amountVnd, "dashboard country \(year)")
                #expect(country.plan.amountVnd == regionsTotal && regionsTotal > 0, "country \(year)")
            }
            #expect(compared > 90)
        }
    }
}
