import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
import ZIPFoundation
@testable import KhuyenCongApp

/// The dashboard stays light (issue 18): each monitoring list shows its count and first lines, then "… và N mục
/// khác" with a link to the list whole for the same scope, year and period; nothing is hidden, every line is one
/// click away. On the shared seeded demo data, SQLite and PostgreSQL.
@Suite("Dashboard: monitoring lists capped, each whole on its own page")
struct DashboardListsTests {
    static let query = "country=true&year=2024&period=FY&asOf=2026-11-30"
    static let scope = ReportScope(area: .country, year: 2024, period: .fullYear, asOf: CalendarDate(2026, 11, 30))

    /// The `<li>` texts of the list `id` of a page, in order (the list's own items, not nested ones).
    static func items(_ html: String, list id: String) throws -> [String] {
        let start = try #require(html.range(of: "<ul id=\"\(id)\">")).upperBound
        let end = try #require(html.range(of: "</ul>", range: start..<html.endIndex)).lowerBound
        return html[start..<end].components(separatedBy: "<li>").dropFirst().map { text($0.replacingOccurrences(of: "</li>", with: "")) }
    }

    static func text(_ html: String) -> String { PageModelTests.visibleText(html).trimmingCharacters(in: .whitespaces) }

    @Test func aListLongerThanTheCapShowsItsFirstLinesAndLinksToEveryLine() async throws {
        try await TestApp.run(seeded: true) { app in
            let lists = DashboardPage.monitoringLists(try await Monitoring.compute(Self.scope, on: app.db), query: Self.query)
            let late = try #require(lists.first { $0.list == .latePlanRegistrations })
            try #require(late.all.count > MonitoringSection.lines, "the demo data's late plans of 2024 are the long list here")
            let dashboard = try await app.testing().sendRequest(.GET, "/dashboard?" + Self.query)
            #expect(dashboard.status == .ok)
            let html = dashboard.body.string
            #expect(try Self.items(html, list: "late-plan-registrations") == late.all.prefix(MonitoringSection.lines).map(\.text))
            #expect(html.contains("Kế hoạch quốc gia trình Bộ muộn (\(late.all.count))"))
            let link = "/dashboard/lists/late-plan-registrations?country=true&amp;year=2024&amp;period=FY&amp;asOf=2026-11-30"
            #expect(html.contains("<a href=\"\(link)\">… và \(late.all.count - MonitoringSection.lines) mục khác</a>"))

            // The whole list, for the same scope: every line, and the way back.
            let whole = try await app.testing().sendRequest(.GET, link.replacingOccurrences(of: "&amp;", with: "&"))
            #expect(whole.status == .ok)
            let lines = try Self.items(whole.body.string.replacingOccurrences(of: "<ul class=\"monitoring-list\">", with: "<ul id=\"whole\">"), list: "whole")
            #expect(lines == late.all.map(\.text))
            #expect(whole.body.string.contains("<h1>Kế hoạch quốc gia trình Bộ muộn (\(late.all.count))</h1>"))
            #expect(whole.body.string.contains("href=\"/dashboard?\(Self.query.replacingOccurrences(of: "&", with: "&amp;"))\""))
            #expect(whole.body.string.contains("<p>Cả nước: Cả năm 2024</p>"))

            // A list no longer than the cap has no link.
            for short in lists where short.all.count <= MonitoringSection.lines && short.list != .overdueSettlements {
                #expect(!html.contains("href=\"/dashboard/lists/\(short.list.rawValue)?"), "\(short.list)")
            }
            #expect(try await app.testing().sendRequest(.GET, "/dashboard/lists/khong-co?" + Self.query).status == .notFound)
        }
    }

    @Test func theOverdueSettlementsShowTheFirstUnitsEachWithAFewProjects() async throws {
        try await TestApp.run(seeded: true) { app in
            let monitoring = try await Monitoring.compute(Self.scope, on: app.db)
            let units = Monitoring.settlementsByUnit(monitoring.overdueSettlements)
            try #require(units.count > MonitoringSection.units && units.contains { $0.projects.count > MonitoringSection.projectsPerUnit })
            let html = try await app.testing().sendRequest(.GET, "/dashboard?" + Self.query).body.string
            let start = try #require(html.range(of: "<ul id=\"overdue-settlements\">")).upperBound
            let section = String(html[start..<(try #require(html.range(of: "</section>", range: start..<html.endIndex)).lowerBound)])
            let summaries = section.components(separatedBy: "<summary>").dropFirst().map { Self.text(String($0.prefix { $0 != "<" })) }
            #expect(summaries == units.prefix(MonitoringSection.units).map(\.line))
            #expect(html.contains("Quyết toán quá hạn (\(monitoring.overdueSettlements.count))"))
            for unit in units.prefix(MonitoringSection.units) {
                for (index, project) in unit.projects.enumerated() {
                    #expect(section.contains(project) == (index < MonitoringSection.projectsPerUnit), "\(project)")
                }
                if unit.projects.count > MonitoringSection.projectsPerUnit {
                    #expect(section.contains("… và \(unit.projects.count - MonitoringSection.projectsPerUnit) đề án khác"))
                }
            }
            #expect(section.contains("… và \(units.count - MonitoringSection.units) mục khác"))
            // The whole list: every unit and every project.
            let whole = try await app.testing().sendRequest(.GET, "/dashboard/lists/overdue-settlements?" + Self.query).body.string
            for unit in units {
                #expect(whole.contains(unit.line))
                for project in unit.projects { #expect(whole.contains(project)) }
            }
            #expect(whole.components(separatedBy: "<li>").count - 1 == units.count + monitoring.overdueSettlements.count)
        }
    }

    /// A visitor's page is kept compressed too: sent gzip-encoded to a browser that accepts it, the same page.
    @Test func aVisitorsDashboardComesGzipCompressedWhenTheBrowserAcceptsIt() async throws {
        try await TestApp.run(seeded: true) { app in
            let plain = try await app.testing().sendRequest(.GET, "/dashboard?" + Self.query)
            #expect(plain.headers.first(name: .contentEncoding) == nil)
            #expect(plain.headers.first(name: .vary) == "Accept-Encoding")
            let zipped = try await app.testing().sendRequest(.GET, "/dashboard?" + Self.query, headers: ["Accept-Encoding": "gzip, deflate, br"])
            #expect(zipped.headers.first(name: .contentEncoding) == "gzip")
            let body = Data(zipped.body.readableBytesView)
            #expect(body.count < plain.body.readableBytes / 3)
            #expect(body.prefix(3) == Data([0x1f, 0x8b, 0x08]))
            var inflated = Data()
            let deflated = body.subdata(in: 10..<(body.count - 8))
            let crc = try Data.decompress(size: Int64(deflated.count), bufferSize: 1 << 16, skipCRC32: false, provider: { position, size in
                deflated.subdata(in: Int(position)..<min(deflated.count, Int(position) + size))
            }, consumer: { inflated.append($0) })
            #expect(inflated == Data(plain.body.readableBytesView))
            #expect(body.suffix(8).prefix(4).withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) } == crc.littleEndian)
            // Not accepted: the page as it is.
            let refused = try await app.testing().sendRequest(.GET, "/dashboard?" + Self.query, headers: ["Accept-Encoding": "gzip;q=0, identity"])
            #expect(refused.headers.first(name: .contentEncoding) == nil)
            #expect(refused.body.string == plain.body.string)
        }
    }
}
