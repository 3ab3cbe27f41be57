import Fluent
import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// A project's support per beneficiary and kind of support (issue 14): each establishment is held to the cap of its own
/// kind (per establishment for machinery, per model for a demonstration model), through the API, the page forms and the
/// interchange files; a kind of another category is refused naming the field.
@Suite("Support per beneficiary and kind of support")
struct BeneficiarySupportKindTests {
    let rules = SupportRuleTests()

    func send(_ app: Application, _ method: HTTPMethod, _ path: String, _ json: String, _ token: String) async throws -> TestingHTTPResponse {
        try await app.testing().sendRequest(method, path, headers: TestData.bearer(token), body: TestData.json(json))
    }

    func addBeneficiary(_ app: Application, _ token: String, project: String, taxCode: String, name: String, support: Int64,
                        kind: String?) async throws -> TestingHTTPResponse {
        let kindField = kind.map { #","supportKind":"\#($0)""# } ?? ""
        return try await send(app, .POST, "/api/v1/projects/\(project)/beneficiaries",
                              #"{"taxCode":"\#(taxCode)","name":"\#(name)","supportVnd":\#(support)\#(kindField)}"#, token)
    }

    func dto(_ app: Application, _ code: String, _ token: String) async throws -> ProjectDTO {
        let shown = try await app.testing().sendRequest(.GET, "/api/v1/projects/\(code)", headers: TestData.bearer(token))
        return try JSONDecoder().decode(ProjectDTO.self, from: Data(shown.body.readableBytesView))
    }

    @Test func aMachineryAndADemonstrationModelBeneficiaryAreEachHeldToTheirOwnKindsCap() async throws {
        try await TestApp.run(users: true) { app in
            let officer = try await TestUsers.token(app, "thanhhoa")
            // A machinery project (category 1) of 1,3 billion with 3 billion of counterpart: within 50 % of the investment.
            let created = try await send(app, .POST, "/api/v1/projects", """
                {"code":"KC-BK-1","title":"Máy sấy và mô hình trình diễn","unitCode":"38","year":2026,"source":"national",
                 "category":"1","supportKind":"machinery","implementingUnit":"Trung tâm Khuyến công Thanh Hóa",
                 "supportVnd":1300000000,"counterpartVnd":3000000000}
                """, officer)
            #expect(created.status == .created)
            #expect(try await addBeneficiary(app, officer, project: "KC-BK-1", taxCode: "0100109106", name: "HTX chè Bát Mọt",
                                             support: 300_000_000, kind: nil).status == .created)
            #expect(try await addBeneficiary(app, officer, project: "KC-BK-1", taxCode: "2800111224", name: "Công ty Gốm Lam Sơn",
                                             support: 1_000_000_000, kind: "demo_model").status == .created)
            // The submission's check on the registration date passes: 300 triệu per establishment, 1.000 triệu per model.
            #expect(try await rules.capRefusal(app, "KC-BK-1") == nil)
            let shown = try await dto(app, "KC-BK-1", officer)
            #expect(shown.beneficiaries.map(\.supportKind).sorted { ($0 ?? "") < ($1 ?? "") } == [nil, "demo_model"])

            // One đồng more on the model, or on a machinery establishment, is refused naming the rule and its legal basis.
            let overModel = try await addBeneficiary(app, officer, project: "KC-BK-1", taxCode: "2800333442", name: "Xưởng mây Nga Sơn",
                                                     support: 1_000_000_001, kind: "demo_model")
            #expect(overModel.status == .unprocessableEntity)
            #expect(rules.detail(overModel).contains("1,0 tỷ đồng/mô hình") && rules.detail(overModel).contains("Thông tư 28/2018/TT-BTC"))
            let overMachine = try await addBeneficiary(app, officer, project: "KC-BK-1", taxCode: "2800333442", name: "Xưởng mây Nga Sơn",
                                                       support: 300_000_001, kind: "machinery")
            #expect(overMachine.status == .unprocessableEntity)
            #expect(rules.detail(overMachine).contains("300,0 triệu đồng/cơ sở") && rules.detail(overMachine).contains("Thông tư 28/2018/TT-BTC"))
            #expect(try await dto(app, "KC-BK-1", officer).beneficiaries.count == 2)

            // A correction of the model's support over its cap is refused too; the row stays as it was.
            let model = try #require(shown.beneficiaries.first { $0.supportKind == "demo_model" }?.id)
            let patched = try await send(app, .PATCH, "/api/v1/projects/KC-BK-1/beneficiaries/\(model)", #"{"supportVnd":1000000001}"#, officer)
            #expect(patched.status == .unprocessableEntity && rules.detail(patched).contains("/mô hình"))
            // Turned into a machinery establishment, its 1.000 triệu is over that kind's 300 triệu.
            let asMachinery = try await send(app, .PATCH, "/api/v1/projects/KC-BK-1/beneficiaries/\(model)", #"{"supportKind":"machinery"}"#, officer)
            #expect(asMachinery.status == .unprocessableEntity && rules.detail(asMachinery).contains("300,0 triệu đồng/cơ sở"))
            #expect(try await dto(app, "KC-BK-1", officer).beneficiaries.first { $0.id == model }?.supportKind == "demo_model")

            // A kind of another category is refused naming the field, on adding and on correcting.
            let wrong = try await addBeneficiary(app, officer, project: "KC-BK-1", taxCode: "2800333442", name: "Xưởng mây Nga Sơn",
                                                 support: 100_000_000, kind: "training")
            #expect(wrong.status == .unprocessableEntity && rules.detail(wrong).contains("supportKind"))
            let wrongPatch = try await send(app, .PATCH, "/api/v1/projects/KC-BK-1/beneficiaries/\(model)", #"{"supportKind":"fair"}"#, officer)
            #expect(wrongPatch.status == .unprocessableEntity && rules.detail(wrongPatch).contains("supportKind"))
            let unknown = try await addBeneficiary(app, officer, project: "KC-BK-1", taxCode: "2800333442", name: "Xưởng mây Nga Sơn",
                                                   support: 100_000_000, kind: "no_such_kind")
            #expect(unknown.status == .unprocessableEntity && rules.detail(unknown).contains("supportKind"))
        }
    }

    @Test func thePageFormsTakeTheKindAndShowTheRefusalWithWhatWasTyped() async throws {
        try await TestApp.run(users: true) { app in
            let officer = try await TestUsers.token(app, "thanhhoa")
            #expect(try await send(app, .POST, "/api/v1/projects", """
                {"code":"KC-BK-2","title":"Mô hình trình diễn lò nung","unitCode":"38","year":2026,"source":"national",
                 "category":"1","implementingUnit":"Trung tâm Khuyến công Thanh Hóa","supportVnd":1000000000,"counterpartVnd":3000000000}
                """, officer).status == .created)
            var browser = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let page = try await browser.get("/projects/KC-BK-2")
            #expect(page.body.string.contains("Theo loại hỗ trợ của đề án (Ứng dụng máy móc thiết bị tiên tiến, chuyển giao công nghệ)"))
            #expect(page.body.string.contains(#"<option value="demo_model">Mô hình trình diễn kỹ thuật"#))
            let fields = ["taxCode": "2800555660", "name": "Cơ sở gốm Hoằng Hóa", "supportVnd": "1.000.000.001", "supportKind": "demo_model"]
            let refused = try await browser.post("/projects/KC-BK-2/beneficiaries", fields)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("1,0 tỷ đồng/mô hình") && refused.body.string.contains("Thông tư 28/2018/TT-BTC"))
            #expect(try await browser.post("/projects/KC-BK-2/beneficiaries", fields.merging(["supportVnd": "1.000.000.000"]) { $1 }).status == .seeOther)
            let shown = try await browser.get("/projects/KC-BK-2")
            #expect(shown.body.string.contains("<td>Mô hình trình diễn kỹ thuật (công nghệ mới, sản phẩm mới)</td>"))
            let link = try #require(try await dto(app, "KC-BK-2", officer).beneficiaries.first?.id)
            let wrong = try await browser.post("/projects/KC-BK-2/beneficiaries/\(link)/edit",
                                               ["taxCode": "2800555660", "name": "Cơ sở gốm Hoằng Hóa", "supportVnd": "1000000000",
                                                "supportKind": "communication"])
            #expect(wrong.status == .unprocessableEntity && wrong.body.string.contains("supportKind"))
            // Back to the project's kind (machinery): 1.000 triệu is over its 300 triệu per establishment.
            let machinery = try await browser.post("/projects/KC-BK-2/beneficiaries/\(link)/edit",
                                                   ["taxCode": "2800555660", "name": "Cơ sở gốm Hoằng Hóa", "supportVnd": "1000000000", "supportKind": ""])
            #expect(machinery.status == .unprocessableEntity && machinery.body.string.contains("300,0 triệu đồng/cơ sở"))
            #expect(try await browser.post("/projects/KC-BK-2/beneficiaries/\(link)/edit",
                                           ["taxCode": "2800555660", "name": "Cơ sở gốm Hoằng Hóa", "supportVnd": "250.000.000", "supportKind": ""])
                .status == .seeOther)
            #expect(try await dto(app, "KC-BK-2", officer).beneficiaries.first?.supportKind == nil)
        }
    }

    @Test func theInterchangeFileMayNameTheBeneficiarysKind() async throws {
        try await TestApp.run { app in
            let header = "code,title,unit_code,year,source,category,implementing_unit,beneficiary_tax_code,beneficiary_name,support_vnd,counterpart_vnd,status"
            let named = try ImportTests.folder(["projects.csv": header + ",beneficiary_support_kind\n"
                + "KC-BK-F1,Mô hình trình diễn,38,2026,national,1,Trung tâm,2800777889,Cơ sở dệt Mai Châu,900000000,3000000000,draft,demo_model\n"
                + "KC-BK-F2,Máy móc,38,2026,national,1,Trung tâm,2800999017,Cơ sở cơ khí Hà Trung,200000000,300000000,draft,\n"])
            _ = try await ImportTests.run(app, named)
            let links = try await ProjectBeneficiary.query(on: app.db).with(\.$project).all()
            #expect(Dictionary(uniqueKeysWithValues: links.map { ($0.project.code, $0.supportKind ?? "-") }) == ["KC-BK-F1": "demo_model", "KC-BK-F2": "-"])
            let exported = try await Exporter.sheet(.projects, .init(), on: app.db)
            let column = try #require(exported.columns.firstIndex { $0.header == "beneficiary_support_kind" })
            #expect(exported.rows.map { $0[column] } == [.text("demo_model"), .empty])
            let wrong = try ImportTests.folder(["projects.csv": header + ",beneficiary_support_kind\n"
                + "KC-BK-F3,Sai loại,38,2026,national,1,Trung tâm,2800111009,Cơ sở mộc Quảng Xương,100000000,300000000,draft,training\n"])
            do {
                _ = try await ImportTests.run(app, wrong)
                Issue.record("a beneficiary's kind of another category was imported")
            } catch let refused as ImportRefused {
                #expect(refused.issues.map(\.column) == ["beneficiary_support_kind"])
            }
        }
    }

    /// An import that gives a known beneficiary of an existing project another kind of support updates it and counts the
    /// project as updated (audited); the same file again changes nothing and counts it as unchanged.
    @Test func anImportChangesAKnownBeneficiarysKindAndCountsIt() async throws {
        try await TestApp.run { app in
            let header = "code,title,unit_code,year,source,category,implementing_unit,beneficiary_tax_code,beneficiary_name,support_vnd,counterpart_vnd,status,beneficiary_support_kind\n"
            func file(_ kind: String) throws -> URL {
                try ImportTests.folder(["projects.csv": header
                    + "KC-BK-U1,Máy móc,38,2026,national,1,Trung tâm,2800999017,Cơ sở cơ khí Hà Trung,200000000,300000000,draft,\(kind)\n"])
            }
            func kind() async throws -> String? {
                try await ProjectBeneficiary.query(on: app.db).join(Project.self, on: \ProjectBeneficiary.$project.$id == \Project.$id)
                    .filter(Project.self, \.$code == "KC-BK-U1").first()?.supportKind
            }
            func projects(_ report: ImportReport) -> ImportReport.TableCount? { report.tables.first { $0.table == "projects" } }
            let created = try await ImportTests.run(app, try file("machinery"))
            let createdKind = try await kind()
            #expect(projects(created)?.created == 1 && createdKind == "machinery")

            let changed = try await ImportTests.run(app, try file("production_line"))
            #expect(projects(changed)?.updated == 1 && projects(changed)?.unchanged == 0)
            #expect(try await kind() == "production_line")
            let audit = try await AuditEntry.query(on: app.db).filter(\.$recordID == "KC-BK-U1").filter(\.$action == "import_update").all()
            #expect(audit.contains { ($0.before ?? "").contains("machinery") && ($0.after ?? "").contains("production_line") })

            let again = try await ImportTests.run(app, try file("production_line"))
            #expect(projects(again)?.updated == 0 && projects(again)?.unchanged == 1)
            // A file without the kind leaves it as it is.
            let without = try await ImportTests.run(app, try file(""))
            let kept = try await kind()
            #expect(projects(without)?.unchanged == 1 && kept == "production_line")
        }
    }
}
