import Fluent
import Foundation
import KhuyenCongCore
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// The project register (`/projects`, `GET /api/v1/projects`): search without diacritics, every filter, the caller's
/// scope, keyset pages, the downloads, and a search text that follows edits.
@Suite("Project register: search, filters, scope, pages, downloads")
struct ProjectRegisterTests {
    struct List: Decodable {
        struct Item: Decodable { let code: String; let unitCode: String; let unitName: String; let statusName: String; let supportVnd: Int64 }
        let items: [Item]
        let next: String?
        let nextCursor: String?
        var codes: [String] { items.map(\.code) }
    }

    /// Thanh Hóa's A, B, C (through the API, as an officer creates them), Nghệ An's D, and Bắc Ninh's projects across
    /// the merger: E under old Bắc Giang (24), F under old Bắc Ninh (27), G under today's Bắc Ninh (24).
    static let thanhHoa: Set = ["REG-A-001", "REG-B-002", "REG-C-003"]
    static let everyone: Set = thanhHoa.union(["REG-D-004", "REG-E-005", "REG-F-006", "REG-G-007"])

    func withRegister(_ body: (Application) async throws -> Void) async throws {
        try await TestApp.run(users: true) { app in
            let officer = try await TestUsers.token(app, "thanhhoa")
            let nghean = try await TestUsers.token(app, "nghean")
            func create(_ json: String, _ token: String) async throws {
                let response = try await app.testing().sendRequest(.POST, "/api/v1/projects", headers: TestData.bearer(token), body: TestData.json(json))
                #expect(response.status == .created, "\(response.body.string)")
            }
            try await create(#"{"code":"REG-A-001","title":"Mô hình trình diễn dệt thổ cẩm","unitCode":"38","year":2026,"source":"national","category":"1","implementingUnit":"Trung tâm Khuyến công tỉnh Thanh Hóa","supportVnd":300000000,"counterpartVnd":400000000}"#, officer)
            try await create(#"{"code":"REG-B-002","title":"Máy sấy nông sản THANH HÓA","unitCode":"38","year":2027,"source":"local","category":"2","implementingUnit":"Công ty TNHH Nông sản Sao Vàng","supportVnd":150000000,"counterpartVnd":200000000}"#, officer)
            try await create(#"{"code":"REG-C-003","title":"Lò sấy tiết kiệm năng lượng","unitCode":"38","year":2026,"source":"national","category":"3","implementingUnit":"Công ty Cổ phần Cơ khí Đông Sơn","beneficiaryTaxCode":"001085012345","beneficiaryName":"Hợp tác xã Mây tre đan Đức Phổ","supportVnd":250000000,"counterpartVnd":300000000}"#, officer)
            try await create(#"{"code":"REG-D-004","title":"Chế biến nước mắm Cửa Lò","unitCode":"40","year":2026,"source":"national","category":"1","implementingUnit":"Trung tâm Khuyến công Nghệ An","supportVnd":200000000,"counterpartVnd":300000000}"#, nghean)
            // Older records, as an import or the seeds write them (bulk, then the search text of those projects).
            var ids: [UUID] = []
            for (code, unitID, year) in [("REG-E-005", "24@2008-08-01", 2024), ("REG-F-006", "27@2008-08-01", 2023), ("REG-G-007", "24@2025-07-01", 2026)] as [(String, UnitID, Int)] {
                let project = Project(code: code, title: "Đề án cơ khí \(code)", unitID: unitID, year: year, source: .national, categoryCode: "1",
                                      implementingUnit: "Sở Công Thương", supportRequestedVnd: 100_000_000, supportApprovedVnd: 100_000_000,
                                      counterpartVnd: 200_000_000, status: .closed, submittedOn: "\(year - 1)-05-01", approvedOn: nil, allocatedOn: nil)
                try await project.create(on: app.db)
                ids.append(try project.requireID())
            }
            try await ProjectSearchText.update(projectIDs: ids, on: app.db)
            // A: approved, not allocated, and submitted after the 2026 registration deadline (20/05/2025); C submitted in time.
            let sql = TestApp.sql(app)
            try await sql.raw("UPDATE projects SET status = 'approved', submitted_on = '2025-06-01', support_approved_vnd = 280000000 WHERE code = 'REG-A-001'").run()
            try await sql.raw("UPDATE projects SET submitted_on = '2025-05-02' WHERE code = 'REG-C-003'").run()
            try await body(app)
        }
    }

    func list(_ app: Application, _ user: String, _ query: String) async throws -> List {
        let response = try await get(app, user, query)
        #expect(response.status == .ok, "\(query): \(response.body.string)")
        return try JSONDecoder().decode(List.self, from: Data(response.body.readableBytesView))
    }

    func get(_ app: Application, _ user: String?, _ query: String) async throws -> TestingHTTPResponse {
        let headers: HTTPHeaders = user == nil ? [:] : TestData.bearer(try await TestUsers.token(app, user!))
        return try await app.testing().sendRequest(.GET, "/api/v1/projects" + (query.isEmpty ? "" : "?" + query), headers: headers)
    }

    @Test func theThreeSpellingsOfThanhHoaFindTheSameProjects() async throws {
        try await withRegister { (app: Application) async throws in
            for spelling in ["thanh+hoa", "THANH%20H%C3%93A", "Thanh%20H%C3%B3a", "Thanh%20Ho%CC%81a"] {   // the last one decomposed (NFD)
                #expect(Set(try await list(app, "bo.congthuong", "q=\(spelling)").codes) == ["REG-A-001", "REG-B-002"], "\(spelling)")
            }
            // The page, signed in as the officer who typed it without diacritics.
            var browser = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let page = try await browser.get("/projects?q=thanh+hoa")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("REG-A-001") && page.body.string.contains("REG-B-002"))
            #expect(!page.body.string.contains("REG-C-003"))
            #expect(page.body.string.contains("Đã phê duyệt"))   // the status by its Vietnamese name
            #expect(page.body.string.contains(VietnameseFormat.money(Money(dong: 280_000_000))))
            #expect(page.body.string.contains("Thanh Hóa"))   // the unit by name
        }
    }

    @Test func aBeneficiaryIsFoundByItsNameAndTaxCode() async throws {
        try await withRegister { (app: Application) async throws in
            #expect(try await list(app, "thanhhoa", "q=duc+pho").codes == ["REG-C-003"])
            #expect(try await list(app, "thanhhoa", "q=%C4%90%E1%BB%A9c%20Ph%E1%BB%95").codes == ["REG-C-003"])   // "Đức Phổ"
            #expect(try await list(app, "thanhhoa", "q=may+tre+dan").codes == ["REG-C-003"])
            #expect(try await list(app, "thanhhoa", "taxCode=001085012345").codes == ["REG-C-003"])
            #expect(try await list(app, "thanhhoa", "q=REG-C-003").codes == ["REG-C-003"])   // by code
            #expect(try await list(app, "thanhhoa", "q=dong+son").codes == ["REG-C-003"])     // by implementing unit
            #expect(try await list(app, "thanhhoa", "q=khong+co+dau+nao").codes.isEmpty)
        }
    }

    @Test func everyFilterNarrowsTheList() async throws {
        try await withRegister { (app: Application) async throws in
            let ministry = "bo.congthuong"
            #expect(Set(try await list(app, ministry, "").codes) == Self.everyone)
            #expect(Set(try await list(app, ministry, "unit=38").codes) == Self.thanhHoa)
            #expect(try await list(app, ministry, "unit=40").codes == ["REG-D-004"])
            // Today's Bắc Ninh (24) joins its predecessors across the merger; the old code 27 alone is old Bắc Ninh.
            #expect(Set(try await list(app, ministry, "unit=24").codes) == ["REG-E-005", "REG-F-006", "REG-G-007"])
            #expect(try await list(app, ministry, "unit=27").codes == ["REG-F-006"])
            #expect(try await list(app, ministry, "year=2027").codes == ["REG-B-002"])
            #expect(try await list(app, ministry, "source=local").codes == ["REG-B-002"])
            #expect(try await list(app, ministry, "category=3").codes == ["REG-C-003"])
            #expect(try await list(app, ministry, "status=approved").codes == ["REG-A-001"])
            #expect(try await list(app, ministry, "waiting=true").codes == ["REG-A-001"])
            #expect(try await list(app, ministry, "late=true").codes == ["REG-A-001"])
            #expect(try await list(app, ministry, "taxCode=0010-8501-2345").codes.isEmpty == false)
            #expect(try await list(app, ministry, "year=2026&unit=38&q=thanh+hoa").codes == ["REG-A-001"])
            let byName = try await list(app, ministry, "unit=24&sort=-year")
            #expect(byName.codes == ["REG-G-007", "REG-E-005", "REG-F-006"])
            #expect(byName.items.first?.unitName == "Bắc Ninh" && byName.items.last?.unitName == "Bắc Ninh")
            let bySupport = try await list(app, ministry, "unit=38&sort=-support")
            #expect(bySupport.codes == ["REG-A-001", "REG-C-003", "REG-B-002"])
            #expect(bySupport.items[0].supportVnd == 280_000_000 && bySupport.items[0].statusName == "Đã phê duyệt")

            // Odd values are refused with the parameter's name, never a 500.
            for (query, name) in [("year=abc", "year"), ("year=1999", "year"), ("unit=999", "unit"), ("source=x", "source"), ("category=42", "category"),
                                  ("status=done", "status"), ("taxCode=123", "taxCode"), ("late=maybe", "late"), ("waiting=2", "waiting"),
                                  ("sort=colour", "sort"), ("limit=0", "limit"), ("limit=100000", "limit"), ("after=%%%", "after"),
                                  ("after=bm90LWEtY3Vyc29y", "after"), ("cursor=AAAA", "cursor"), ("q=" + String(repeating: "a", count: 201), "q")] {
                let response = try await get(app, ministry, query)
                #expect([.badRequest, .unprocessableEntity].contains(response.status), "\(query): \(response.status)")
                #expect(response.body.string.contains(name), "\(query): \(response.body.string)")
            }
            // A cursor of another sort order is refused too.
            let first = try await list(app, ministry, "limit=1&sort=year")
            let response = try await get(app, ministry, "limit=1&sort=title&after=\(try #require(first.next))")
            #expect(response.status == .unprocessableEntity)
        }
    }

    @Test func onlyTheCallersScopeIsListed() async throws {
        try await withRegister { (app: Application) async throws in
            #expect(Set(try await list(app, "thanhhoa", "").codes) == Self.thanhHoa)
            #expect(try await list(app, "nghean", "q=thanh+hoa").codes.isEmpty)
            #expect(try await list(app, "nghean", "unit=38").codes.isEmpty)
            #expect(try await list(app, "nghean", "").codes == ["REG-D-004"])
            #expect(Set(try await list(app, "khuvuc.bac", "").codes) == Self.everyone)   // all of them are in the north
            #expect(try await list(app, "xem", "").codes.isEmpty)
            #expect(try await get(app, nil, "q=thanh+hoa").status == .unauthorized)

            // The page: anonymous callers are sent to sign in; another province's officer sees none of Thanh Hóa's.
            let anonymous = try await app.testing().sendRequest(.GET, "/projects?q=thanh+hoa")
            #expect(anonymous.status != .ok && !anonymous.body.string.contains("REG-A-001"))
            var browser = try await TestBrowser.signedIn(app, as: "nghean")
            let page = try await browser.get("/projects?q=thanh+hoa")
            #expect(page.status == .ok && !page.body.string.contains("REG-A-001") && page.body.string.contains("Không có đề án nào phù hợp"))
            let csv = try await browser.get("/projects?format=csv")
            #expect(csv.body.string.contains("REG-D-004") && !csv.body.string.contains("REG-A-001"))
        }
    }

    @Test func keysetPagesReturnEveryProjectExactlyOnce() async throws {
        try await withRegister { (app: Application) async throws in
            for sort in ["code", "-code", "year", "-year", "title", "support", "-support", "status", "submitted", "-submitted"] {
                let whole = try await list(app, "bo.congthuong", "sort=\(sort)&limit=200")
                #expect(whole.next == nil)
                #expect(try await get(app, "bo.congthuong", "sort=\(sort)&limit=200").body.string.contains(#""next":null"#))
                var seen: [String] = []
                var cursor: String?
                var pages = 0
                repeat {
                    let page = try await list(app, "bo.congthuong", "sort=\(sort)&limit=2" + (cursor.map { "&after=\($0)" } ?? ""))
                    #expect(page.items.count <= 2)
                    #expect(page.next == page.nextCursor)
                    seen += page.codes
                    cursor = page.next
                    pages += 1
                } while cursor != nil && pages < 20
                #expect(seen == whole.codes, "\(sort)")
                #expect(Set(seen) == Self.everyone && seen.count == Self.everyone.count, "\(sort)")
            }
            // The `cursor` name works as `after` does.
            let first = try await list(app, "bo.congthuong", "limit=3")
            let second = try await list(app, "bo.congthuong", "limit=3&cursor=\(try #require(first.nextCursor))")
            #expect(Set(first.codes).isDisjoint(with: second.codes) && second.codes.count == 3)

            // The page links to the next one ("Trang sau") with the same filters.
            var browser = try await TestBrowser.signedIn(app, as: "bo.congthuong")
            let page = try await browser.get("/projects?limit=4&sort=code")
            #expect(page.body.string.contains("Trang sau"))
            let next = try #require(page.body.string.range(of: #"href="(/projects\?[^"]*after=[^"]*)" rel="next""#, options: .regularExpression))
            let link = String(page.body.string[next]).dropFirst(6).prefix { $0 != "\"" }.replacingOccurrences(of: "&amp;", with: "&")
            let secondPage = try await browser.get(link)
            #expect(secondPage.status == .ok && !secondPage.body.string.contains("Trang sau"))
            let codes = Self.everyone.sorted()
            #expect(codes.prefix(4).allSatisfy { page.body.string.contains($0) } && codes.dropFirst(4).allSatisfy { secondPage.body.string.contains($0) })
            #expect(!codes.prefix(4).contains { secondPage.body.string.contains(">\($0)<") })
            // What was typed travels in the next page's link, percent-encoded.
            let typed = try await browser.get("/projects?q=Thanh+H%C3%B3a&limit=1")
            #expect(typed.body.string.contains("q=Thanh%20H%C3%B3a&amp;limit=1&amp;after="))
        }
    }

    @Test func theDownloadsHoldTheRowsOfThePage() async throws {
        try await withRegister { (app: Application) async throws in
            var browser = try await TestBrowser.signedIn(app, as: "khuvuc.bac")
            let query = "q=thanh+hoa&sort=-support"
            let api = try await list(app, "khuvuc.bac", query)
            #expect(api.codes == ["REG-A-001", "REG-B-002"])
            let page = try await browser.get("/projects?" + query)
            #expect(page.body.string.contains("format=csv") && page.body.string.contains("format=xlsx"))

            let csv = try await browser.get("/projects?\(query)&format=csv")
            #expect(csv.status == .ok && csv.headers.contentType?.description.hasPrefix("text/csv") == true)
            let lines = csv.body.string.split(separator: "\r\n").dropFirst()
            #expect(lines.map { String($0.prefix { $0 != "," }) } == api.codes)
            #expect(csv.body.string.contains("Thanh Hóa") && csv.body.string.contains("Đã phê duyệt") && csv.body.string.contains("280000000"))

            let xlsx = try await browser.get("/projects?\(query)&format=xlsx")
            #expect(xlsx.status == .ok)
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("register-\(UUID()).xlsx")
            try Data(xlsx.body.readableBytesView).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let reader = try XLSXReader(url: file)
            var codes: [String] = []
            try reader.readSheet(try #require(reader.sheetNames.first)) { number, cells in
                if let code = cells.first, code != "Mã đề án" { codes.append(code) }
            }
            #expect(codes == api.codes)

            #expect(try await browser.get("/projects?format=pdf").status == .unprocessableEntity)
        }
    }

    /// A common word is checked on the rows read in the page's order, a rare one looked up in the index first: both
    /// find the same projects in the same order.
    @Test func commonAndRareWordsFindTheSameProjects() async throws {
        try await withRegister { (app: Application) async throws in
            let ministry = Principal(username: "bo.congthuong", role: .ministryOfficer, unitCode: nil, region: nil)
            for parameters in [["q": "thanh hoa"], ["q": "Đức Phổ"], ["q": "co khi", "sort": "-year"], ["q": "reg", "limit": "2"],
                               ["q": "sở công thương đề án"], ["q": "ha"], ["q": "an", "unit": "38"]] {
                let query = try ProjectRegister.Query(parameters: parameters)
                let viaIndex = try await ProjectRegister.page(query, for: ministry, on: app.db)
                let viaCheck = try await ProjectRegister.page(query, for: ministry, strategy: .check, on: app.db)
                #expect(viaIndex.rows.map(\.code) == viaCheck.rows.map(\.code), "\(parameters)")
                #expect(viaIndex.next == viaCheck.next)
            }
            let common = try await ProjectRegister.page(try ProjectRegister.Query(parameters: ["q": "reg"]), for: ministry, strategy: .check, on: app.db)
            #expect(Set(common.rows.map(\.code)) == Self.everyone)
        }
    }

    @Test func theSearchTextFollowsAnEditAndANewBeneficiary() async throws {
        try await withRegister { (app: Application) async throws in
            let officer = try await TestUsers.token(app, "thanhhoa")
            let current = try await app.testing().sendRequest(.GET, "/api/v1/projects/REG-C-003", headers: TestData.bearer(officer))
            let version = try JSONDecoder().decode(ProjectDTO.self, from: Data(current.body.readableBytesView)).version
            let edit = try await app.testing().sendRequest(.PATCH, "/api/v1/projects/REG-C-003", headers: TestData.bearer(officer),
                                                           body: TestData.json(#"{"version":\#(version),"title":"Xưởng chế biến chè Bá Thước"}"#))
            #expect(edit.status == .ok, "\(edit.body.string)")
            #expect(try await list(app, "thanhhoa", "q=ba+thuoc").codes == ["REG-C-003"])
            #expect(try await list(app, "thanhhoa", "q=lo+say+tiet+kiem").codes.isEmpty)

            let added = try await app.testing().sendRequest(.POST, "/api/v1/projects/REG-B-002/beneficiaries", headers: TestData.bearer(officer),
                                                            body: TestData.json(#"{"taxCode":"001085012346","name":"Cơ sở Gốm Lò Chum","supportVnd":50000000}"#))
            #expect(added.status == .created, "\(added.body.string)")
            #expect(try await list(app, "thanhhoa", "q=gom+lo+chum").codes == ["REG-B-002"])
            #expect(try await list(app, "thanhhoa", "taxCode=001085012346").codes == ["REG-B-002"])
        }
    }
}
