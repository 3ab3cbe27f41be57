import Fluent
import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// "Việc của tôi" (`/`, `/me/work`, `GET /api/v1/me/work`), the province page that joins its predecessors across the
/// 2025 merger, and the establishment page (`/establishments/{taxCode}`, `GET /api/v1/establishments/{taxCode}`).
/// One small fixture (no demo seed): Thanh Hóa's draft, returned and submitted projects, Nghệ An's draft and submitted
/// ones, Bắc Ninh's projects under old Bắc Giang, old Bắc Ninh and today's Bắc Ninh, and an establishment supported
/// twice for the same content.
@Suite("My work, my province, establishments")
struct WorkTests {
    struct WorkList: Decodable {
        struct Item: Decodable { let kind: String; let title: String; let href: String; let due: String? }
        let items: [Item]
        func titles(_ kind: String) -> [String] { items.filter { $0.kind == kind }.map(\.title) }
    }

    struct Establishment: Decodable {
        struct Project: Decodable { let code: String; let year: Int; let unitCode: String; let category: String; let supportVnd: Int64; let status: String }
        let taxCode: String
        let name: String
        let projects: [Project]
    }

    static let taxCode = "001085012345"

    func withFixture(_ body: (Application) async throws -> Void) async throws {
        try await TestApp.run(users: true) { app in
            let db = app.db
            _ = try await UserAdmin.create(username: "bacninh", displayName: "Trung tâm Khuyến công Bắc Ninh", role: .provinceOfficer,
                                           unitCode: "24", region: nil, password: TestUsers.password("bacninh"), actor: "test", app: app)
            try await TestData.draftProject(code: "KC-W-38-DRAFT", unitCode: "38", title: "Máy sấy chè Như Thanh", on: db)
            let returned = try await TestData.draftProject(code: "KC-W-38-RET", unitCode: "38", title: "Lò nung gạch Hoằng Hóa", on: db)
            returned.status = .returned
            try await returned.save(on: db)
            try await ProjectEvent(projectID: try returned.requireID(), fromStatus: .submitted, toStatus: .returned, onDate: "2026-06-02",
                                   actor: "thanhhoa", decisionNo: nil, note: "Bổ sung báo giá thiết bị của hai nhà cung cấp").create(on: db)
            let submitted = try await TestData.draftProject(code: "KC-W-38-SUB", unitCode: "38", title: "Dệt chiếu cói Nga Sơn", on: db)
            submitted.status = .submitted
            try await submitted.save(on: db)
            try await TestData.draftProject(code: "KC-W-40-DRAFT", unitCode: "40", title: "Nước mắm Cửa Lò", on: db)
            let ownUnit = try await TestData.draftProject(code: "KC-W-40-SUB", unitCode: "40", title: "Gỗ mỹ nghệ Quỳnh Lưu", on: db)
            ownUnit.status = .submitted
            try await ownUnit.save(on: db)
            // Bắc Ninh across the merger: Bắc Giang (old 24) and old Bắc Ninh (27) in 2024, today's Bắc Ninh (new 24) in 2026.
            for (code, unitID, year) in [("KC2024-BG-01", "24@2008-08-01", 2024), ("KC2024-BN-01", "27@2008-08-01", 2024), ("KC2026-BN-01", "24@2025-07-01", 2026)] as [(String, UnitID, Int)] {
                try await Project(code: code, title: "Đề án cơ khí \(code)", unitID: unitID, year: year, source: .national, categoryCode: "1",
                                  implementingUnit: "Trung tâm Khuyến công", supportRequestedVnd: 100_000_000, supportApprovedVnd: 100_000_000,
                                  counterpartVnd: 200_000_000, status: year == 2024 ? .closed : .draft, submittedOn: nil, approvedOn: nil,
                                  allocatedOn: nil).create(on: db)
            }
            // One establishment: supported by two Thanh Hóa projects of category 1 (double funding) and one of Nghệ An.
            let establishment = Beneficiary(taxCode: Self.taxCode, name: "Hợp tác xã Mây tre đan Đức Phổ", legalForm: "Hợp tác xã",
                                            commune: "Xã Quảng Đức", sector: "Mây tre đan", womenOwned: true, ethnicMinorityEmployer: false,
                                            disadvantagedArea: false)
            try await establishment.create(on: db)
            for (code, support) in [("KC-W-38-DRAFT", 120_000_000 as Money), ("KC-W-38-RET", 80_000_000), ("KC-W-40-DRAFT", 50_000_000)] {
                let project = try #require(try await Project.query(on: db).filter(\.$code == code).first())
                try await ProjectBeneficiary(projectID: try project.requireID(), beneficiaryID: try establishment.requireID(), supportVnd: support).create(on: db)
            }
            try await body(app)
        }
    }

    func work(_ app: Application, _ username: String) async throws -> WorkList {
        let response = try await app.testing().sendRequest(.GET, "/api/v1/me/work", headers: TestData.bearer(try await TestUsers.token(app, username)))
        #expect(response.status == .ok, "\(response.body.string)")
        return try JSONDecoder().decode(WorkList.self, from: Data(response.body.readableBytesView))
    }

    @Test func theOfficerSeesTheirDraftAndReturnedProjectWithItsReasonAndNotAnotherProvinces() async throws {
        try await withFixture { app in
            let list = try await work(app, "thanhhoa")
            let drafts = list.titles("draft")
            #expect(drafts.contains { $0.contains("KC-W-38-DRAFT") && $0.contains("Máy sấy chè Như Thanh") })
            #expect(!list.items.contains { $0.title.contains("KC-W-40") || $0.title.contains("KC2026-BN") })
            let returned = list.titles("returned")
            #expect(returned.count == 1 && returned[0].contains("KC-W-38-RET") && returned[0].contains("Bổ sung báo giá thiết bị của hai nhà cung cấp"))
            // Each item links to the project, and a national draft carries its registration deadline (20/05 of the year before).
            let draft = try #require(list.items.first { $0.title.contains("KC-W-38-DRAFT") })
            #expect(draft.href == "/projects/KC-W-38-DRAFT" && draft.due == "2025-05-20")
            // Next year's plans of Thanh Hóa, not yet made: on the list with the ministry's deadline.
            #expect(list.items.contains { $0.kind == "plan" && $0.title.contains("năm \(CalendarDate.today().year + 1)") && $0.href == "/plans/38/\(CalendarDate.today().year + 1)" })

            // The page: the first page after sign-in, with the count in the navigation.
            var browser = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let home = try await browser.get("/")
            let html = home.body.string
            #expect(home.status == .ok && html.contains("<h1>Việc của tôi</h1>"))
            #expect(html.contains("Bổ sung báo giá thiết bị của hai nhà cung cấp") && html.contains("href=\"/projects/KC-W-38-RET\""))
            #expect(html.contains("id=\"nav-my-work\"") && html.contains("<span class=\"badge\">\(list.items.count)</span>"))
            #expect(html.contains("id=\"nav-my-province\" href=\"/units/38@2025-07-01\""))
            #expect(!html.contains("KC-W-40-DRAFT"))
            // The region overview is still there, by its address.
            #expect(try await browser.get("/?region=north").body.string.contains("Khu vực phía Bắc"))
        }
    }

    @Test func theAppraiserSeesTheProjectWaitingForTheirScoreAndItLeavesOnceScored() async throws {
        try await withFixture { app in
            let list = try await work(app, "thamdinh")   // employed in Nghệ An: never Nghệ An's own project
            #expect(list.titles("appraisal").count == 1)
            let item = try #require(list.items.first { $0.kind == "appraisal" })
            #expect(item.title.contains("KC-W-38-SUB") && item.title.contains("Thanh Hóa") && item.href == "/projects/KC-W-38-SUB#tham-dinh")
            #expect(!list.items.contains { $0.title.contains("KC-W-40-SUB") })

            let token = try await TestUsers.token(app, "thamdinh")
            let scored = try await app.testing().sendRequest(.POST, "/api/v1/projects/KC-W-38-SUB/appraisals", headers: TestData.bearer(token),
                                                             body: TestData.json(#"{"score":82,"opinion":"Đề án khả thi"}"#))
            #expect(scored.status == .created || scored.status == .ok, "\(scored.body.string)")
            #expect(try await work(app, "thamdinh").titles("appraisal").isEmpty)
        }
    }

    @Test func theReviewerAndTheMinistrySeeWhatWaitsForThem() async throws {
        try await withFixture { app in
            let sql = TestApp.sql(app)
            try await sql.raw("UPDATE projects SET status = 'registered' WHERE code = 'KC-W-38-SUB'").run()
            try await sql.raw("UPDATE projects SET status = 'approved', approved_on = '2026-03-02' WHERE code = 'KC2026-BN-01'").run()
            try await PeriodReport(unitID: "38@2025-07-01", year: 2026, period: .h1, status: .submitted, coverNote: "",
                                   submittedOn: "2026-07-10", approvedOn: nil, approvedBy: nil).create(on: app.db)
            let reviewer = try await work(app, "khuvuc.bac")
            #expect(reviewer.items.contains { $0.kind == "period_report_review" && $0.title.contains("Thanh Hóa") && $0.href == "/period-reports/38@2025-07-01/2026/H1" })
            #expect(reviewer.titles("registration").contains { $0.contains("KC-W-38-SUB") })
            let ministry = try await work(app, "bo.congthuong")
            #expect(ministry.titles("registration").contains { $0.contains("KC-W-38-SUB") })
            #expect(ministry.titles("allocation").contains { $0.contains("KC2026-BN-01") })
            // The report of H1 of this year is overdue for every unit but Thanh Hóa (submitted).
            let overdue = ministry.titles("overdue_report")
            #expect(overdue.contains { $0.contains("6 tháng đầu năm \(CalendarDate.today().year)") && $0.contains("Nghệ An") && !$0.contains("Thanh Hóa") })
            // Nothing of that for a province officer; a viewer has no work list at all.
            #expect(try await work(app, "nghean").titles("allocation").isEmpty)
            #expect(try await work(app, "xem").items.isEmpty)
        }
    }

    @Test func theAdminSeesALockedAccountWithTheLinkToUnlockIt() async throws {
        try await withFixture { app in
            #expect(try await work(app, "admin").items.isEmpty)
            let user = try #require(try await User.find(username: "nghean", on: app.db))
            user.lockedUntil = Date().addingTimeInterval(900)
            try await user.save(on: app.db)
            let list = try await work(app, "admin")
            #expect(list.items.count == 1 && list.items[0].kind == "locked_account" && list.items[0].title.contains("nghean")
                    && list.items[0].href == "/admin/users/nghean")
        }
    }

    @Test func theBacNinhOfficersProvincePageShowsBacGiangsAndOldBacNinhsProjectsAsHistory() async throws {
        try await withFixture { app in
            var officer = try await TestBrowser.signedIn(app, as: "bacninh")
            let home = try await officer.get("/").body.string
            #expect(home.contains("id=\"nav-my-province\" href=\"/units/24@2025-07-01\""))
            let page = try await officer.get("/units/24@2025-07-01")
            let html = page.body.string
            #expect(page.status == .ok)
            for code in ["KC2024-BG-01", "KC2024-BN-01", "KC2026-BN-01"] { #expect(html.contains("href=\"/projects/\(code)\""), "\(code)") }
            #expect(html.contains("Bắc Giang (mã cũ 24)"))
            // Its period reports (old units' in their years) and plan pages of the predecessors.
            #expect(html.contains("href=\"/period-reports/24@2008-08-01/2024/H1\"") && html.contains("href=\"/period-reports/27@2008-08-01/2024/FY\""))
            #expect(html.contains("href=\"/period-reports/24@2025-07-01/2026/H1\""))
            #expect(html.contains("href=\"/plans/27/2024\""))
            #expect(html.contains("href=\"/dashboard?unit=24&amp;year=2026&amp;period=FY\"") || html.contains("href=\"/dashboard?unit=24&year=2026&period=FY\""))
            // Thanh Hóa's officer sees Bắc Ninh's plan but not its projects.
            var other = try await TestBrowser.signedIn(app, as: "thanhhoa")
            #expect(!(try await other.get("/units/24@2025-07-01").body.string.contains("KC2024-BG-01")))
        }
    }

    @Test func aProvinceOfficerListsTheirOwnUnitsPeriodReports() async throws {
        try await withFixture { app in
            var officer = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let page = try await officer.get("/period-reports?year=2026&period=H1")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("/period-reports/38@2025-07-01/2026/H1") && !html.contains("/period-reports/40@2025-07-01/2026/H1"))
            var viewer = try await TestBrowser.signedIn(app, as: "xem")
            #expect(!(try await viewer.get("/period-reports").body.string.contains("/period-reports/38@")))
        }
    }

    @Test func theEstablishmentShowsEveryVisibleProjectAndWarnsOfDoubleFunding() async throws {
        try await withFixture { app in
            func establishment(_ user: String, _ taxCode: String = Self.taxCode) async throws -> TestingHTTPResponse {
                try await app.testing().sendRequest(.GET, "/api/v1/establishments/\(taxCode)", headers: TestData.bearer(try await TestUsers.token(app, user)))
            }
            let ministry = try JSONDecoder().decode(Establishment.self, from: Data(try await establishment("bo.congthuong").body.readableBytesView))
            #expect(ministry.name == "Hợp tác xã Mây tre đan Đức Phổ" && ministry.taxCode == Self.taxCode)
            #expect(Set(ministry.projects.map(\.code)) == ["KC-W-38-DRAFT", "KC-W-38-RET", "KC-W-40-DRAFT"])
            #expect(ministry.projects.first { $0.code == "KC-W-38-DRAFT" }.map { $0.supportVnd == 120_000_000 && $0.unitCode == "38" && $0.year == 2026 && $0.category == "1" && $0.status == "draft" } == true)
            // Scoped: Nghệ An's officer sees Nghệ An's project only; Bắc Ninh's, none of them: 404.
            let nghean = try JSONDecoder().decode(Establishment.self, from: Data(try await establishment("nghean").body.readableBytesView))
            #expect(nghean.projects.map(\.code) == ["KC-W-40-DRAFT"])
            #expect(try await establishment("bacninh").status == .notFound)
            #expect(try await establishment("bo.congthuong", "12345").status == .unprocessableEntity)
            #expect(try await establishment("bo.congthuong", "0100109106").status == .notFound)

            // The page: every project with its support, and the warning naming both Thanh Hóa projects and the rule.
            var browser = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let page = try await browser.get("/establishments/\(Self.taxCode)")
            let html = page.body.string
            #expect(page.status == .ok && html.contains("id=\"double-funding\""))
            #expect(html.contains("KC-W-38-DRAFT (2026, Thanh Hóa") && html.contains("KC-W-38-RET (2026") && html.contains("26/2014/TTLT-BTC-BCT"))
            #expect(html.contains(VietnameseFormat.money(Money(dong: 120_000_000))) && !html.contains("KC-W-40-DRAFT"))
            #expect(Links.establishment(taxCode: Self.taxCode) == "/establishments/\(Self.taxCode)")
        }
    }
}
