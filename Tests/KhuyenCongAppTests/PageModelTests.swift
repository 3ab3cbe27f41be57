import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// Page models built from fixed values in memory, without a database (as SwiftPackageIndex-Server tests its views):
/// what a user reads on the register page — amounts in words of đồng, names instead of codes, dates dd/mm/yyyy,
/// the scope said in words, what was typed kept.
@Suite("Page models without a database")
struct PageModelTests {
    static func row(_ code: String, unitID: UnitID, status: ProjectStatus, source: FundingSource, category: String,
                    supportVnd: Int64, submittedOn: String?) -> ProjectRegister.Row {
        ProjectRegister.Row(code: code, title: "Hỗ trợ máy sấy chè", unitID: unitID, year: 2026, source: source.rawValue,
                            category: category, status: status.rawValue, implementingUnit: "Trung tâm Khuyến công Thanh Hóa",
                            supportVnd: supportVnd, submittedOn: submittedOn, sortKey: code)
    }

    /// A request of an application with no database, routes or middleware: enough for a page model.
    static func withRequest(_ body: (Request) throws -> Void) async throws {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        do {
            try body(Request(application: app, on: app.eventLoopGroup.next()))
        } catch {
            try await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    @Test func theRegisterShowsNamesAmountsAndDatesAsAUserReadsThem() async throws {
        let officer = User(username: "thanhhoa", displayName: "Trung tâm Khuyến công Thanh Hóa", role: "province_officer",
                           unitID: "38@2025-07-01", regionCode: nil, passwordHash: "")
        let rows = [
            Self.row("KC2026-38-QG-001", unitID: "38@2025-07-01", status: .submitted, source: .national, category: "1",
                     supportVnd: 1_500_000_000, submittedOn: "2026-03-02"),
            Self.row("KC2026-38-DP-002", unitID: "38@2025-07-01", status: .draft, source: .local, category: "3",
                     supportVnd: 53_600_000, submittedOn: nil),
        ]
        try await Self.withRequest { req in
            let page = ProjectRegisterPage(req, user: officer, query: ProjectRegister.Query(), typed: ["q": "máy sấy", "unit": "38"],
                                           page: ProjectRegister.Page(rows: rows, next: nil), error: nil)
            #expect(page.scope == "Thanh Hóa")
            #expect(page.q == "máy sấy")
            #expect(page.units.filter(\.selected).map(\.name) == ["Thanh Hóa"])
            let first = try #require(page.rows.first), second = try #require(page.rows.last)
            #expect(first.support == "1,5 tỷ đồng")
            #expect(second.support == "53,6 triệu đồng")
            #expect(first.unit == "Thanh Hóa")
            #expect(first.status == "Đã nộp" && second.status == "Dự thảo")
            #expect(first.source == "Khuyến công quốc gia" && second.source == "Khuyến công địa phương")
            #expect(first.category.hasPrefix("1. ") && !first.category.hasSuffix("1. "))
            #expect(first.submittedOn == "02/03/2026" && second.submittedOn == "–")
            #expect(first.link == "/projects/KC2026-38-QG-001")
            // Nothing a user reads is a code: no unit id, no status or source key.
            for row in page.rows {
                for text in [row.unit, row.status, row.source, row.support, row.submittedOn] {
                    #expect(!text.contains("@") && !text.contains("_") && !["national", "local", "draft", "submitted"].contains(text))
                }
            }
        }
    }

    @Test func aViewersRegisterSaysItHoldsNoProjects() async throws {
        let viewer = User(username: "xem", displayName: "Lãnh đạo", role: "viewer", unitID: nil, regionCode: nil, passwordHash: "")
        try await Self.withRequest { req in
            let page = ProjectRegisterPage(req, user: viewer, query: nil, typed: [:], page: nil, error: nil)
            #expect(page.scope == "Không có đề án nào trong phạm vi xem")
            #expect(page.rows.isEmpty && page.csvLink == nil && page.nextLink == nil)
            // The filter's choices are named in Vietnamese.
            #expect(page.statuses.map(\.name).contains("Trả lại để chỉnh sửa"))
            #expect(page.sorts.allSatisfy { $0.name.hasSuffix("(tăng dần)") || $0.name.hasSuffix("(giảm dần)") })
        }
    }
}
