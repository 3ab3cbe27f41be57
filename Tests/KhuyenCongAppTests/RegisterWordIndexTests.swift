import Fluent
import Foundation
import KhuyenCongCore
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// The register search's word index (M0053) stays exact on every write: after a creation, a title edit, a
/// beneficiary added, corrected and removed, the index equals one rebuilt from scratch and the search finds the
/// project by its new words at once. And `POST /api/v1/projects` names a plan year whose annual report is approved.
@Suite("Project register: word index and creation warnings")
struct RegisterWordIndexTests {
    struct List: Decodable {
        struct Item: Decodable { let code: String }
        let items: [Item]
        var codes: [String] { items.map(\.code) }
    }

    func codes(_ app: Application, _ token: String, _ query: String) async throws -> [String] {
        let response = try await app.testing().sendRequest(.GET, "/api/v1/projects?\(query)", headers: TestData.bearer(token))
        #expect(response.status == .ok, "\(query): \(response.body.string)")
        return try JSONDecoder().decode(List.self, from: Data(response.body.readableBytesView)).codes
    }

    /// The postings and the vocabulary's counts as stored.
    func index(_ sql: any SQLDatabase) async throws -> (postings: Set<String>, vocabulary: [String: Int]) {
        let postings = Set(try await sql.raw("SELECT word, project_id FROM project_search_words").all().map {
            "\(try $0.decode(column: "word", as: String.self)) \(try $0.decode(column: "project_id", as: UUID.self))"
        })
        var vocabulary: [String: Int] = [:]
        for row in try await sql.raw("SELECT word, projects FROM search_words").all() {
            vocabulary[try row.decode(column: "word", as: String.self)] = try row.decode(column: "projects", as: Int.self)
        }
        return (postings, vocabulary)
    }

    /// The index kept by the writes is the index rebuilt from the stored texts.
    func expectExact(_ app: Application, _ step: String) async throws {
        let sql = TestApp.sql(app)
        let kept = try await index(sql)
        try await ProjectSearchText.rebuildWords(on: app.db)
        let rebuilt = try await index(sql)
        #expect(kept.postings == rebuilt.postings, "\(step): postings")
        #expect(kept.vocabulary == rebuilt.vocabulary, "\(step): vocabulary")
        #expect(!rebuilt.postings.isEmpty)
    }

    @Test func theWordIndexFollowsEveryWriteAndTheSearchFindsTheNewWords() async throws {
        try await TestApp.run(users: true) { app in
            let officer = try await TestUsers.token(app, "thanhhoa")
            let created = try await app.testing().sendRequest(.POST, "/api/v1/projects", headers: TestData.bearer(officer), body: TestData.json(
                #"{"code":"WIX-001","title":"Lò sấy tiết kiệm năng lượng","unitCode":"38","year":2027,"source":"local","category":"3","implementingUnit":"Công ty Cơ khí Đông Sơn","supportVnd":250000000,"counterpartVnd":300000000}"#))
            #expect(created.status == .created, "\(created.body.string)")
            try await expectExact(app, "created")
            #expect(try await codes(app, officer, "q=tiet+kiem+nang") == ["WIX-001"])
            #expect(try await codes(app, officer, "q=xyzzy").isEmpty)

            // A title edit: the new words are found at once, the old ones no longer.
            let version = try JSONDecoder().decode(ProjectDTO.self, from: Data(created.body.readableBytesView)).version
            let edit = try await app.testing().sendRequest(.PATCH, "/api/v1/projects/WIX-001", headers: TestData.bearer(officer),
                                                           body: TestData.json(#"{"version":\#(version),"title":"Xưởng dệt thổ cẩm Bá Thước"}"#))
            #expect(edit.status == .ok, "\(edit.body.string)")
            try await expectExact(app, "title edited")
            #expect(try await codes(app, officer, "q=THỔ+CẨM+ba+thuoc") == ["WIX-001"])
            #expect(try await codes(app, officer, "q=tho+cam") == ["WIX-001"], "a word inside another (thổ cẩm)")
            #expect(try await codes(app, officer, "q=lo+say+tiet+kiem").isEmpty)

            // A beneficiary added, then its name corrected, then removed.
            let added = try await app.testing().sendRequest(.POST, "/api/v1/projects/WIX-001/beneficiaries", headers: TestData.bearer(officer),
                                                            body: TestData.json(#"{"taxCode":"001085099871","name":"Hợp tác xã Dệt Lũng Niêm","supportVnd":50000000}"#))
            #expect(added.status == .created, "\(added.body.string)")
            try await expectExact(app, "beneficiary added")
            #expect(try await codes(app, officer, "q=lung+niem") == ["WIX-001"])
            #expect(try await codes(app, officer, "q=085099") == ["WIX-001"], "part of the tax code")

            let beneficiary = try #require(try JSONDecoder().decode(ProjectDTO.self, from: Data(added.body.readableBytesView)).beneficiaries.first?.id)
            let corrected = try await app.testing().sendRequest(.PATCH, "/api/v1/projects/WIX-001/beneficiaries/\(beneficiary)",
                                                                headers: TestData.bearer(officer),
                                                                body: TestData.json(#"{"taxCode":"001085099872","name":"Hợp tác xã Dệt Cẩm Thủy"}"#))
            #expect(corrected.status == .ok, "\(corrected.body.string)")
            try await expectExact(app, "beneficiary corrected")
            #expect(try await codes(app, officer, "q=det+cam+thuy") == ["WIX-001"])
            #expect(try await codes(app, officer, "q=lung+niem").isEmpty)

            let removed = try await app.testing().sendRequest(.DELETE, "/api/v1/projects/WIX-001/beneficiaries/\(beneficiary)?reason=nh%E1%BA%ADp%20nh%E1%BA%A7m",
                                                              headers: TestData.bearer(officer))
            #expect(removed.status == .ok, "\(removed.body.string)")
            try await expectExact(app, "beneficiary removed")
            #expect(try await codes(app, officer, "q=cam+thuy").isEmpty)
            #expect(try await codes(app, officer, "q=ba+thuoc") == ["WIX-001"])
        }
    }

    /// The word with the fewest candidates drives, a common one is checked row by row in the page's order: the same
    /// projects in the same order, page after page, and a word in no project answers nothing.
    @Test func bothWaysOfAnsweringASearchAgreePageByPage() async throws {
        try await TestApp.run(seeded: true) { app in
            let ministry = Principal(username: "bo.congthuong", role: .ministryOfficer, unitCode: nil, region: nil)
            for parameters in [["q": "thanh hoa"], ["q": "de an", "sort": "-support"], ["q": "a", "sort": "title"], ["q": "01"],
                               ["q": "trung tam", "year": "2025"], ["q": "xyzzy"]] {
                var viaIndex = try ProjectRegister.Query(parameters: parameters.merging(["limit": "3"]) { $1 })
                var viaCheck = viaIndex
                for _ in 0..<3 {
                    let indexed = try await ProjectRegister.page(viaIndex, for: ministry, strategy: .index, on: app.db)
                    let checked = try await ProjectRegister.page(viaCheck, for: ministry, strategy: .check, on: app.db)
                    #expect(indexed.rows.map(\.code) == checked.rows.map(\.code), "\(parameters)")
                    #expect(indexed.next == checked.next, "\(parameters)")
                    guard let next = indexed.next else { break }
                    viaIndex.after = next
                    viaCheck.after = next
                }
            }
            #expect(try await ProjectRegister.page(try ProjectRegister.Query(parameters: ["q": "xyzzy"]), for: ministry, on: app.db).rows.isEmpty)
        }
    }

    /// Each sort key, both ways, with a text query, for the whole country, a province's officer and a year filter:
    /// every way of answering (automatic; the word index; the check on each project; a read in the page's order through
    /// the sort's index that fills the page within its bound, or stops short and falls back to the candidates) gives,
    /// page after page through the cursors, the projects of the plain list (the filters sorted by the database, no
    /// text) that hold every word, in the same order.
    @Test func everySortWithATextQueryPagesAsTheFilteredSortedList() async throws {
        try await TestApp.run(seeded: true) { app in
            let sql = TestApp.sql(app)
            var texts: [String: String] = [:]
            for row in try await sql.raw("SELECT p.code, s.search_text FROM project_search s JOIN projects p ON p.id = s.project_id").all() {
                texts[try row.decode(column: "code", as: String.self)] = try row.decode(column: "search_text", as: String.self)
            }
            let vocabulary = try await sql.raw("SELECT word FROM search_words WHERE LENGTH(word) >= 3 ORDER BY projects DESC, word").all()
                .map { try $0.decode(column: "word", as: String.self) }
            try #require(vocabulary.count >= 8)
            let common = vocabulary[0], middle = vocabulary[vocabulary.count / 4]
            // A common word, a rarer one, both, and the first letters of the rarer one (several vocabulary words).
            let searches = [common, middle, "\(common) \(middle.uppercased())", String(middle.prefix(2))]
            let year = try #require(try await sql.raw("SELECT year FROM projects GROUP BY year ORDER BY COUNT(*) DESC, year").first()?
                .decode(column: "year", as: Int.self))
            let ministry = Principal(username: "bo.congthuong", role: .ministryOfficer, unitCode: nil, region: nil)
            let officer = Principal(username: "thanhhoa", role: .provinceOfficer, unitCode: "38", region: .north)
            let strategies: [ProjectRegister.Strategy] = [.automatic, .index, .check, .walk(rows: 3), .walk(rows: 40)]
            for (principal, filters) in [(ministry, [String: String]()), (officer, [:]), (ministry, ["year": String(year)])] {
                var scope: [SQLQueryString] = []
                if let units = ProjectRegister.readableUnitIDs(principal) { scope.append("p.unit_id IN (\(binds: units.sorted()))") }
                if filters["year"] != nil { scope.append("p.year = \(bind: year)") }
                let whereClause = ProjectRegister.Read.whereClause(scope)
                for sort in ProjectRegister.Sort.allCases {
                    for descending in [false, true] {
                        let direction = descending ? "DESC" : "ASC"
                        let plain = try await sql.raw("""
                            SELECT p.code FROM projects p \(whereClause)
                            ORDER BY \(unsafeRaw: sort.expression) \(unsafeRaw: direction), p.code \(unsafeRaw: direction)
                            """).all().map { try $0.decode(column: "code", as: String.self) }
                        for text in searches {
                            let words = SearchFolding.words(text)
                            let expected = plain.filter { code in words.allSatisfy { texts[code, default: ""].contains($0) } }
                            for strategy in strategies {
                                var query = try ProjectRegister.Query(parameters: filters.merging(
                                    ["q": text, "sort": (descending ? "-" : "") + sort.rawValue, "limit": "5"]) { $1 })
                                var seen: [String] = []
                                for _ in 0..<3 {
                                    let page = try await ProjectRegister.page(query, for: principal, strategy: strategy, on: app.db)
                                    seen += page.rows.map(\.code)
                                    #expect((page.next == nil) == (seen.count == expected.count), "\(text) \(query.sortParameter) \(strategy)")
                                    guard let next = page.next else { break }
                                    query.after = next
                                }
                                #expect(seen == Array(expected.prefix(15)), "\(principal.username) \(filters) \(text) \(query.sortParameter) \(strategy)")
                            }
                        }
                    }
                }
            }
        }
    }

    @Test func creatingAProjectInALockedYearAnswersWithAWarning() async throws {
        try await TestApp.run(users: true) { app in
            _ = try await DailyWorkFormsTests.lockAnnualReport(2026, on: app.db)
            let officer = try await TestUsers.token(app, "thanhhoa")
            func create(_ code: String, year: Int) async throws -> [String] {
                let response = try await app.testing().sendRequest(.POST, "/api/v1/projects", headers: TestData.bearer(officer), body: TestData.json(
                    #"{"code":"\#(code)","title":"Hỗ trợ máy sấy nông sản","unitCode":"38","year":\#(year),"source":"national","category":"1","implementingUnit":"Trung tâm Khuyến công Thanh Hóa","supportVnd":100000000,"counterpartVnd":300000000}"#))
                #expect(response.status == .created, "\(response.body.string)")
                return try JSONDecoder().decode(ProjectDTO.self, from: Data(response.body.readableBytesView)).warnings ?? ["absent"]
            }
            // Created all the same, with the warning naming the year and its approved report.
            #expect(try await create("KC-API-LOCK-1", year: 2026) == [
                "Năm kế hoạch 2026: Báo cáo cả năm 2026 của Thanh Hóa đã được phê duyệt ngày 20/01/2027 và đang khóa số liệu. "
                    + "Kế hoạch năm 2026 không sửa được, giải ngân và kết quả ghi vào các ngày của năm 2026 sẽ bị từ chối cho đến khi báo cáo được mở khóa.",
            ])
            #expect(try await Project.find(code: "KC-API-LOCK-1", on: app.db).year == 2026)
            #expect(try await create("KC-API-LOCK-2", year: 2027) == [])
            // Reading the project back carries no warnings field.
            let shown = try await app.testing().sendRequest(.GET, "/api/v1/projects/KC-API-LOCK-1", headers: TestData.bearer(officer))
            #expect(!shown.body.string.contains("\"warnings\""))
        }
    }
}
