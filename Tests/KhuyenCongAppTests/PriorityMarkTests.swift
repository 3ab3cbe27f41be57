import Fluent
import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// The priority marks of Decree 235/2025 on beneficiaries and the priority uplift of Circular 26/2014/TTLT-BTC-BCT
/// Art. 6.2: an establishment in a disadvantaged area may receive up to 1,5 × the cap in force.
@Suite("Priority marks and the priority uplift")
struct PriorityMarkTests: BearerAPIRequests {
    func detail(_ response: TestingHTTPResponse) -> String {
        struct Problem: Decodable { let detail: String }
        return (try? JSONDecoder().decode(Problem.self, from: Data(response.body.readableBytesView)).detail) ?? response.body.string
    }

    /// A machinery draft of Thanh Hóa without a beneficiary, then one establishment receiving `support`.
    func machinery(_ app: Application, _ token: String, code: String, taxCode: String, support: Int64, disadvantaged: Bool) async throws -> TestingHTTPResponse {
        let created = try await post(app, "/api/v1/projects", """
            {"code":"\(code)","title":"Hỗ trợ máy chế biến","unitCode":"38","year":2026,"source":"national","category":"1",
             "supportKind":"machinery","implementingUnit":"Trung tâm Khuyến công","supportVnd":\(support),"counterpartVnd":600000000}
            """, token)
        #expect(created.status == .created)
        return try await post(app, "/api/v1/projects/\(code)/beneficiaries", """
            {"taxCode":"\(taxCode)","name":"Cơ sở \(code)","supportVnd":\(support),"disadvantagedArea":\(disadvantaged)}
            """, token)
    }

    @Test func aMachineryBeneficiaryInADisadvantagedAreaMayReceiveUpToOneAndAHalfTimesTheCap() async throws {
        try await TestApp.run(users: true) { app in
            let officer = try await TestUsers.token(app, "thanhhoa")
            #expect(try await machinery(app, officer, code: "KC-UT-1", taxCode: "2800555660", support: 400_000_000, disadvantaged: true).status == .created)
            let over = try await machinery(app, officer, code: "KC-UT-2", taxCode: "2800333442", support: 460_000_000, disadvantaged: true)
            #expect(over.status == .unprocessableEntity)
            #expect(detail(over).contains("450,0 triệu đồng/cơ sở"))
            #expect(detail(over).contains("26/2014/TTLT-BTC-BCT, Điều 6.2"))
            let ordinary = try await machinery(app, officer, code: "KC-UT-3", taxCode: "2807654325", support: 301_000_000, disadvantaged: false)
            #expect(ordinary.status == .unprocessableEntity)
            #expect(detail(ordinary).contains("300,0 triệu đồng/cơ sở") && !detail(ordinary).contains("ưu tiên"))
            // Nothing of a refused beneficiary was written.
            let refused = try #require(try await Project.query(on: app.db).filter(\.$code == "KC-UT-2").first())
            #expect(try await refused.beneficiaries(on: app.db).isEmpty)
        }
    }

    @Test func ethnicMinorityOwnershipIsAMarkOfItsOwnInTheAPIThePageAndTheFiles() async throws {
        try await TestApp.run(users: true) { app in
            let officer = try await TestUsers.token(app, "thanhhoa")
            for code in ["KC-DTTS-1", "KC-DTTS-2"] {
                #expect(try await post(app, "/api/v1/projects", """
                    {"code":"\(code)","title":"Hỗ trợ dệt thổ cẩm","unitCode":"38","year":2026,"source":"national","category":"1",
                     "supportKind":"machinery","implementingUnit":"Trung tâm Khuyến công","supportVnd":200000000,"counterpartVnd":300000000}
                    """, officer).status == .created)
            }
            // The API: owned by ethnic-minority people, beside employing them.
            #expect(try await post(app, "/api/v1/projects/KC-DTTS-1/beneficiaries", """
                {"taxCode":"2800555660","name":"HTX Thổ cẩm Bản Lác","supportVnd":100000000,"ethnicMinorityOwned":true}
                """, officer).status == .created)
            let shown = try await app.testing().sendRequest(.GET, "/api/v1/projects/KC-DTTS-1", headers: TestData.bearer(officer))
            let project = try JSONDecoder().decode(ProjectDTO.self, from: Data(shown.body.readableBytesView))
            let owned = try #require(project.beneficiaries.first)
            #expect(owned.ethnicMinorityOwned && !owned.ethnicMinorityEmployer && !owned.womenOwned)

            // The page's form, and the project page naming the marks.
            var browser = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let added = try await browser.post(Links.project("KC-DTTS-2") + "/beneficiaries", [
                "taxCode": "2800333442", "name": "Cơ sở dệt Pù Luông", "supportVnd": "90.000.000",
                "ethnicMinorityOwned": "1", "ethnicMinorityEmployer": "1"])
            #expect(added.status == .seeOther)
            let page = try await browser.get(Links.project("KC-DTTS-2"))
            #expect(page.body.string.contains("Chủ cơ sở là người dân tộc thiểu số; Sử dụng lao động dân tộc thiểu số"))
            let stored = try #require(try await Beneficiary.query(on: app.db).filter(\.$taxCode == "2800333442").first())
            #expect(stored.ethnicMinorityOwned && stored.ethnicMinorityEmployer && !stored.disadvantagedArea)

            // The interchange files: the export writes the marks; an import into an empty database gives them back; a
            // file without the column imports as before; an unknown mark is refused naming the column.
            let sheet = try await Exporter.sheet(.projects, .init(), on: app.db)
            let column = try #require(InterchangeTable.projects.columns.firstIndex(of: "beneficiary_priority_marks"))
            #expect(sheet.rows.first { $0.first == .text("KC-DTTS-1") }?[column] == .text("ethnic_minority_owned"))
            #expect(sheet.rows.first { $0.first == .text("KC-DTTS-2") }?[column] == .text("ethnic_minority_owned;ethnic_minority_employer"))
            let folder = try ImportTests.folder(["projects.csv": String(decoding: sheet.csv(), as: UTF8.self)], bom: false)
            try await TestApp.run { empty in
                _ = try await ImportTests.run(empty, folder)
                let imported = try #require(try await Beneficiary.query(on: empty.db).filter(\.$taxCode == "2800555660").first())
                #expect(imported.ethnicMinorityOwned && !imported.womenOwned && !imported.disadvantagedArea)
            }
            let header = "code,title,unit_code,year,source,category,implementing_unit,beneficiary_tax_code,beneficiary_name,support_vnd"
            try await TestApp.run { empty in
                _ = try await ImportTests.run(empty, try ImportTests.folder(["projects.csv": header + "\nKC-CU-1,Đề án cũ,38,2026,national,1,TTKC,2807654325,Cơ sở cũ,1000\n"]))
                let old = try #require(try await Beneficiary.query(on: empty.db).filter(\.$taxCode == "2807654325").first())
                #expect(!old.ethnicMinorityOwned && !old.womenOwned)
                let bad = try ImportTests.folder(["projects.csv": header + ",beneficiary_priority_marks\nKC-CU-2,Đề án,38,2026,national,1,TTKC,2801234564,Cơ sở mới,1000,ethnic_minority_owned;giau\n"])
                do {
                    _ = try await ImportTests.run(empty, bad)
                    Issue.record("an unknown mark was accepted")
                } catch let refused as ImportRefused {
                    #expect(refused.description.contains("projects:2:beneficiary_priority_marks"))
                }
            }
        }
    }
}
