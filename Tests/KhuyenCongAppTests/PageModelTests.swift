import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// Page models built from fixed values in memory, without a database (as SwiftPackageIndex-Server tests its views):
/// what a user reads on the register page — amounts in words of đồng, names instead of codes, dates dd/mm/yyyy,
/// the scope said in words, what was typed kept. The register, plan and audit pages are also rendered through the
/// real Leaf templates (Resources/Views) and read as a person reads them: the visible text, with no code and no JSON.
@Suite("Page models without a database")
struct PageModelTests {
    static func row(_ code: String, unitID: UnitID, status: ProjectStatus, source: FundingSource, category: String,
                    supportVnd: Money, submittedOn: String?) -> ProjectRegister.Row {
        ProjectRegister.Row(code: code, title: "Hỗ trợ máy sấy chè", unitID: unitID, year: 2026, source: source,
                            category: category, status: status, implementingUnit: "Trung tâm Khuyến công Thanh Hóa",
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
        let officer = User(username: "thanhhoa", displayName: "Trung tâm Khuyến công Thanh Hóa", role: .provinceOfficer,
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
        let viewer = User(username: "xem", displayName: "Lãnh đạo", role: .viewer, unitID: nil, regionCode: nil, passwordHash: "")
        try await Self.withRequest { req in
            let page = ProjectRegisterPage(req, user: viewer, query: nil, typed: [:], page: nil, error: nil)
            #expect(page.scope == "Không có đề án nào trong phạm vi xem")
            #expect(page.rows.isEmpty && page.csvLink == nil && page.nextLink == nil)
            // The filter's choices are named in Vietnamese.
            #expect(page.statuses.map(\.name).contains("Trả lại để chỉnh sửa"))
            #expect(page.sorts.allSatisfy { $0.name.hasSuffix("(tăng dần)") || $0.name.hasSuffix("(giảm dần)") })
        }
    }

    // MARK: Pages rendered through the templates

    /// The HTML a person receives for the page `render` builds, signed in as `user`: an application with no database,
    /// the app's own Leaf set-up (`useLeafWithTemplateCache`, the `#t`/`#tx` tags) over Resources/Views, and the
    /// sessions middleware (the page frame's form token lives in the session); the request goes through it in memory.
    static func html(signedInAs user: User, _ render: @escaping @Sendable (Request) async throws -> View) async throws -> String {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        var html = ""
        do {
            app.directory = DirectoryConfiguration(workingDirectory: TestApp.rootDirectory + "/")
            app.useLeafWithTemplateCache()
            app.setUpLocalization()
            app.middleware.use(app.sessions.middleware)
            app.get("page") { req async throws -> View in
                req.auth.login(user)
                return try await render(req)
            }
            try await app.testing().test(.GET, "page") { response in
                #expect(response.status == .ok)
                html = response.body.string
            }
        } catch {
            try await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
        return html
    }

    /// What a reader sees of `html`: the text between the tags, spaces collapsed, the entities Leaf escapes put back.
    static func visibleText(_ html: String) -> String {
        var text = html.replacingOccurrences(of: "<[^>]*>", with: " ", options: .regularExpression)
        for (entity, character) in [("&quot;", "\""), ("&#39;", "'"), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")] {
            text = text.replacingOccurrences(of: entity, with: character)
        }
        return text.replacingOccurrences(of: "\\s+", with: " ", options: .regularExpression)
    }

    /// Nothing a person reads is a stored code or raw JSON.
    static func expectNoCodes(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for code in ["@2025-07-01", "establishments_supported", "appraised_province", "province_officer", "{\"", "\":", "national", "local"] {
            #expect(!text.contains(code), "the page shows \"\(code)\"", sourceLocation: sourceLocation)
        }
    }

    static let thanhHoaOfficer = User(username: "thanhhoa", displayName: "Trung tâm Khuyến công Thanh Hóa", role: .provinceOfficer,
                                      unitID: "38@2025-07-01", regionCode: nil, passwordHash: "")

    @Test func theRenderedRegisterReadsInVietnameseWithAmountsDatesAndNames() async throws {
        let officer = Self.thanhHoaOfficer
        let rows = [
            Self.row("KC2026-38-QG-001", unitID: "38@2025-07-01", status: .appraisedProvince, source: .national, category: "1",
                     supportVnd: 170_800_000_000, submittedOn: "2026-03-02"),
        ]
        let html = try await Self.html(signedInAs: officer) { req in
            try await req.view.render("projects/index", ProjectRegisterPage(req, user: officer, query: ProjectRegister.Query(), typed: [:],
                                                                            page: ProjectRegister.Page(rows: rows, next: nil), error: nil))
        }
        let text = Self.visibleText(html)
        #expect(html.contains("<html lang=\"vi\">"))
        #expect(text.contains("170,8 tỷ đồng"))
        #expect(text.contains("02/03/2026") && !text.contains("2026-03-02"))
        #expect(text.contains("Đã thẩm định cấp tỉnh") && text.contains("Khuyến công quốc gia"))
        #expect(text.contains("Thanh Hóa") && text.contains("Hỗ trợ máy sấy chè"))
        #expect(text.contains("Trung tâm Khuyến công Thanh Hóa (thanhhoa)"))   // the frame: who is signed in
        #expect(html.contains("href=\"/projects/KC2026-38-QG-001\""))
        Self.expectNoCodes(text)
    }

    @Test func theRenderedPlanShowsDecisionsDatesAndExactAmounts() async throws {
        let officer = Self.thanhHoaOfficer
        let key = try PlanKey.resolve(unitCode: "38", year: "2026")
        let approved = PlanStatusRecord(unitID: key.unit.id, year: 2026, source: .national, status: .approved, updatedBy: "bo.congthuong")
        approved.decisionNo = "1520/QĐ-BCT"
        approved.approvedOn = "2026-01-12"
        approved.signer = "Thứ trưởng Bộ Công Thương"
        let plan = PlanContents(key: key, sources: [
            .init(source: .national, status: .approved, version: 3, record: approved,
                  lines: [.init(category: "1", revisions: [
                      .init(amount: 2_500_000_000, approvedOn: "2026-01-12", decisionNo: "1520/QĐ-BCT", reason: "Giao kế hoạch", recordedAt: nil),
                      .init(amount: 2_620_000_000, approvedOn: "2026-06-30", decisionNo: "812/QĐ-BCT", reason: "Điều chỉnh giữa năm", recordedAt: nil),
                  ], draftAmount: nil, draftReason: nil)],
                  targets: [.init(category: "1", indicator: "establishments_supported", quantity: 12, draftQuantity: nil)], files: []),
            .init(source: .local, status: .draft, version: 1, record: nil,
                  lines: [.init(category: "3", revisions: [], draftAmount: 1_200_000_000, draftReason: "Đăng ký kế hoạch năm 2026")],
                  targets: [], files: []),
        ])
        let html = try await Self.html(signedInAs: officer) { req in
            try await req.view.render("plans/show", PlanPage.build(plan, allocations: [], user: officer, req: req, error: nil, sent: .init()))
        }
        let text = Self.visibleText(html)
        #expect(text.contains("Thanh Hóa: kế hoạch khuyến công năm 2026"))
        #expect(text.contains("Khuyến công quốc gia Đã phê duyệt") && text.contains("Khuyến công địa phương Dự thảo"))
        #expect(text.contains("1520/QĐ-BCT, ngày 12/01/2026") && text.contains("Thứ trưởng Bộ Công Thương"))
        // A plan is read to the đồng: the amount in force is the latest decision's; the earlier one stays in the history.
        #expect(text.contains("2.620.000.000 đ") && text.contains("2.500.000.000 đ") && text.contains("30/06/2026"))
        #expect(text.contains("1.200.000.000 đ") && text.contains("Đăng ký kế hoạch năm 2026"))
        #expect(text.contains(UnitPage.categoryName("1")) && text.contains(UnitPage.categoryName("3")))
        #expect(!text.contains("2026-01-12") && !text.contains("2500000000"))
        // The province submits its local draft; the ministry, not the province, decides the national plan.
        #expect(html.contains("id=\"source-local\""))
        Self.expectNoCodes(text)
    }

    @Test func theRenderedAuditLogShowsChangesAsSentencesNotJSON() async throws {
        let admin = User(username: "quantri", displayName: "Quản trị hệ thống", role: .admin, unitID: nil, regionCode: nil, passwordHash: "")
        // One stored row of each kind the log holds: a step of a project, and a correction of an amount.
        let entries: [(at: Date, actor: String, action: String, type: String, id: String, before: String?, after: String?)] = [
            (Date(timeIntervalSince1970: 1_772_438_400), "thanhhoa", "transition", "project", "KC2026-38-QG-001",
             #"{"status":"submitted"}"#, #"{"status":"appraised_province","decisionNo":"45/QĐ-SCT","onDate":"2026-03-02"}"#),
            (Date(timeIntervalSince1970: 1_772_524_800), "thanhhoa", "update", "project", "KC2026-38-QG-001",
             #"{"supportRequestedVnd":1500000000,"unitID":"38@2025-07-01"}"#, #"{"supportRequestedVnd":1200000000,"unitID":"38@2025-07-01"}"#),
        ]
        let html = try await Self.html(signedInAs: admin) { req in
            try await req.view.render("audit/index", AuditController.AuditPage(
                layout: PageLayout(req), user: "", unit: "38", units: UnitChoices.today(selected: "38"), record: "", from: "", to: "",
                rows: entries.map {
                    .init(at: AuditPresentation.time($0.at), actor: $0.actor, action: AuditPresentation.action($0.action),
                          record: AuditPresentation.record(type: $0.type, id: $0.id), unit: "Thanh Hóa",
                          changes: AuditPresentation.changes(before: $0.before, after: $0.after))
                },
                error: nil))
        }
        let text = Self.visibleText(html)
        #expect(text.contains("Nhật ký thay đổi"))
        #expect(text.contains("Chuyển bước") && text.contains("Sửa"))
        #expect(text.contains("Đã nộp → Đã thẩm định cấp tỉnh"))
        #expect(text.contains("1.500.000.000 đ → 1.200.000.000 đ"))
        #expect(text.contains("02/03/2026") && !text.contains("2026-03-02"))
        #expect(text.contains("02/03/2026 15:00"))   // 08:00 UTC is 15:00 in Vietnam
        // The unit did not change, so it is not listed; no stored key or JSON shows.
        #expect(!text.contains("unitID") && !text.contains("supportRequestedVnd"))
        Self.expectNoCodes(text)
    }
}
