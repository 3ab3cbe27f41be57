import Fluent
import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// The rules of the law as dated data (issue 14), through the database: caps per kind of support at the registration
/// date, the province's own caps for local projects, first advances per kind at the payment date, and an
/// administrator's new dated row that rules from its date on, audited.
@Suite("Support rules: caps, advances, dated rows")
struct SupportRuleTests: BearerAPIRequests {
    /// A draft of Thanh Hóa (38) or Nghệ An (40) with one establishment receiving the whole support.
    func create(_ app: Application, _ token: String, code: String, unit: String = "38", source: String = "national", category: String = "1",
                kind: String?, support: Int64, counterpart: Int64, year: Int = 2026) async throws -> TestingHTTPResponse {
        let kindField = kind.map { #""supportKind":"\#($0)","# } ?? ""
        return try await post(app, "/api/v1/projects", """
            {"code":"\(code)","title":"Đề án kiểm thử quy định","unitCode":"\(unit)","year":\(year),"source":"\(source)",
             "category":"\(category)",\(kindField)"implementingUnit":"Trung tâm Khuyến công","beneficiaryTaxCode":"0100109106",
             "beneficiaryName":"Hợp tác xã chè Bát Mọt","supportVnd":\(support),"counterpartVnd":\(counterpart),
             "confirmExisting":true}
            """, token)
    }

    /// The refusal's message as a reader sees it (the JSON escapes the slashes).
    func detail(_ response: TestingHTTPResponse) -> String {
        struct Problem: Decodable { let detail: String }
        return (try? JSONDecoder().decode(Problem.self, from: Data(response.body.readableBytesView)).detail) ?? response.body.string
    }

    func project(_ app: Application, _ code: String) async throws -> Project {
        try #require(try await Project.query(on: app.db).filter(\.$code == code).first())
    }

    /// The cap check of a submission or approval on the project's registration date.
    func capRefusal(_ app: Application, _ code: String) async throws -> DomainError? {
        let project = try await project(app, code)
        do {
            try await ProjectRules.checkCaps(project, support: project.supportRequestedVnd, on: app.db)
            return nil
        } catch let error as DomainError { return error }
    }

    @Test func machineryOverThreeHundredMillionPerEstablishmentAndADemonstrationModelOverOneBillionAreRefused() async throws {
        try await TestApp.run(users: true) { app in
            let officer = try await TestUsers.token(app, "thanhhoa")
            let machinery = try await create(app, officer, code: "KC-RULE-M1", kind: "machinery", support: 300_000_001, counterpart: 400_000_000)
            #expect(machinery.status == .unprocessableEntity)
            #expect(detail(machinery).contains("300,0 triệu đồng/cơ sở"))
            #expect(detail(machinery).contains("Thông tư 28/2018/TT-BTC"))
            #expect(try await create(app, officer, code: "KC-RULE-M2", kind: "machinery", support: 300_000_000, counterpart: 400_000_000).status == .created)
            // A whole production line may have 1,5 times the machinery cap.
            #expect(try await create(app, officer, code: "KC-RULE-L1", kind: "production_line", support: 450_000_000, counterpart: 500_000_000).status == .created)

            let demo = try await create(app, officer, code: "KC-RULE-D1", kind: "demo_model", support: 1_000_000_001, counterpart: 3_000_000_000)
            #expect(demo.status == .unprocessableEntity)
            #expect(detail(demo).contains("/mô hình") && detail(demo).contains("Thông tư 28/2018/TT-BTC"))
            #expect(try await create(app, officer, code: "KC-RULE-D2", kind: "demo_model", support: 1_000_000_000, counterpart: 3_000_000_000).status == .created)
            // A demonstration model is held to 30 % of the investment.
            let share = try await create(app, officer, code: "KC-RULE-D3", kind: "demo_model", support: 400_000_000, counterpart: 600_000_000)
            #expect(share.status == .unprocessableEntity && detail(share).contains("30%"))

            // A kind of another category is refused naming the field.
            let wrongKind = try await create(app, officer, code: "KC-RULE-W1", category: "6", kind: "machinery", support: 1, counterpart: 0)
            #expect(wrongKind.status == .unprocessableEntity && detail(wrongKind).contains("supportKind"))
            // Without a kind the category's default applies (category 1: machinery).
            let defaulted = try await create(app, officer, code: "KC-RULE-N1", kind: nil, support: 300_000_001, counterpart: 400_000_000)
            #expect(defaulted.status == .unprocessableEntity)
            // The edit form changes the kind; the caps of the new kind apply on saving.
            var browser = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let form = ["version": "1", "title": "Đề án kiểm thử quy định", "implementingUnit": "Trung tâm Khuyến công",
                        "supportRequestedVnd": "300000000", "counterpartVnd": "400000000", "supportKind": "demo_model"]
            let overDemo = try await browser.post("/projects/KC-RULE-L1/edit", form.merging(["supportRequestedVnd": "450000000", "counterpartVnd": "500000000"]) { $1 })
            #expect(overDemo.status == .unprocessableEntity && overDemo.body.string.contains("30%"))
            #expect(try await browser.post("/projects/KC-RULE-L1/edit", form.merging(["supportRequestedVnd": "300000000", "counterpartVnd": "700000000"]) { $1 }).status == .seeOther)
            #expect(try await project(app, "KC-RULE-L1").supportKind == "demo_model")
            let shown = try await app.testing().sendRequest(.GET, "/api/v1/projects/KC-RULE-M2", headers: TestData.bearer(officer))
            #expect(try JSONDecoder().decode(ProjectDTO.self, from: Data(shown.body.readableBytesView)).supportKind == "machinery")
        }
    }

    @Test func aProjectRegisteredIn2016IsCheckedAgainstThe2014Caps() async throws {
        try await TestApp.run(users: true) { app in
            let officer = try await TestUsers.token(app, "thanhhoa")
            #expect(try await create(app, officer, code: "KC-RULE-2016M", kind: "machinery", support: 250_000_000, counterpart: 300_000_000).status == .created)
            #expect(try await create(app, officer, code: "KC-RULE-2016D", kind: "demo_model", support: 600_000_000, counterpart: 2_000_000_000).status == .created)
            #expect(try await capRefusal(app, "KC-RULE-2016M") == nil)
            for code in ["KC-RULE-2016M", "KC-RULE-2016D"] {
                let project = try await project(app, code)
                project.year = 2016
                project.submittedOn = "2015-05-15"
                try await project.save(on: app.db)
            }
            let machinery = try #require(try await capRefusal(app, "KC-RULE-2016M"))
            #expect(machinery.vietnamese.contains("200,0 triệu đồng/cơ sở") && machinery.vietnamese.contains("26/2014/TTLT-BTC-BCT"))
            let demo = try #require(try await capRefusal(app, "KC-RULE-2016D"))
            #expect(demo.vietnamese.contains("500,0 triệu đồng/mô hình") && demo.vietnamese.contains("26/2014/TTLT-BTC-BCT"))
        }
    }

    @Test func aLocalProjectFollowsItsProvincesCapAndNoneWhereTheProvinceSetNone() async throws {
        try await TestApp.run(users: true) { app in
            let admin = try #require(try await User.find(username: "admin", on: app.db))
            try await RuleAdmin.addCap(.init(kind: "machinery", source: "local", unitCode: "38", maxSharePercent: "40",
                                             maxAmountVnd: "150.000.000", per: "establishment", validFrom: "2020-01-01",
                                             validUntil: nil, legalBasis: "Nghị quyết HĐND tỉnh Thanh Hóa (kiểm thử)"), by: admin, on: app.db)
            let thanhhoa = try await TestUsers.token(app, "thanhhoa")
            let refused = try await create(app, thanhhoa, code: "KC-RULE-L38", source: "local", kind: "machinery",
                                           support: 200_000_000, counterpart: 400_000_000)
            #expect(refused.status == .unprocessableEntity)
            #expect(detail(refused).contains("150,0 triệu đồng/cơ sở") && detail(refused).contains("Nghị quyết HĐND tỉnh Thanh Hóa"))
            #expect(try await create(app, thanhhoa, code: "KC-RULE-L38B", source: "local", kind: "machinery",
                                     support: 150_000_000, counterpart: 300_000_000).status == .created)
            // Nghệ An set no cap of its own: the national one does not bind its local support.
            let nghean = try await TestUsers.token(app, "nghean")
            #expect(try await create(app, nghean, code: "KC-RULE-L40", unit: "40", source: "local", kind: "machinery",
                                     support: 400_000_000, counterpart: 400_000_000).status == .created)
        }
    }

    /// A project under way with `approved` đồng, allocated in January 2026.
    func underWay(_ app: Application, _ token: String, code: String, category: String, kind: String, approved: Int64) async throws {
        #expect(try await create(app, token, code: code, category: category, kind: kind, support: approved, counterpart: approved).status == .created)
        let project = try await project(app, code)
        project.status = .inProgress
        project.submittedOn = "2025-05-10"
        project.approvedOn = "2026-01-10"
        project.allocatedOn = "2026-01-15"
        project.supportApprovedVnd = Money(dong: approved)
        try await project.save(on: app.db)
    }

    func advance(_ app: Application, _ code: String, _ amount: Int64, _ token: String) async throws -> TestingHTTPResponse {
        try await post(app, "/api/v1/projects/\(code)/disbursements", #"{"date":"2026-03-02","amountVnd":\#(amount),"kind":"advance"}"#, token)
    }

    @Test func firstAdvancesFollowTheKindOnThePaymentDate() async throws {
        try await TestApp.run(users: true) { app in
            let officer = try await TestUsers.token(app, "thanhhoa")
            try await underWay(app, officer, code: "KC-RULE-A1", category: "1", kind: "machinery", approved: 200_000_000)
            let over = try await advance(app, "KC-RULE-A1", 142_000_000, officer)   // 71 %
            #expect(over.status == .unprocessableEntity)
            #expect(detail(over).contains("70%") && detail(over).contains("Thông tư 36/2013/TT-BCT"))
            #expect(try await advance(app, "KC-RULE-A1", 140_000_000, officer).status == .created)   // 70 %

            try await underWay(app, officer, code: "KC-RULE-A2", category: "4", kind: "cluster_infrastructure", approved: 1_000_000_000)
            #expect(try await advance(app, "KC-RULE-A2", 300_000_000, officer).status == .created)   // 30 %
            let more = try await advance(app, "KC-RULE-A2", 1, officer)
            #expect(more.status == .unprocessableEntity && detail(more).contains("30%"))
        }
    }

    @Test func anAdministratorsNewCapRulesFromItsDateOnAndIsAudited() async throws {
        try await TestApp.run(users: true) { app in
            let officer = try await TestUsers.token(app, "thanhhoa")
            // Two projects of 280 triệu for one establishment, registered before and after 1 June 2026.
            for code in ["KC-RULE-BEFORE", "KC-RULE-AFTER"] {
                #expect(try await create(app, officer, code: code, kind: "machinery", support: 280_000_000, counterpart: 300_000_000).status == .created)
            }
            let before = try await project(app, "KC-RULE-BEFORE"), after = try await project(app, "KC-RULE-AFTER")
            before.submittedOn = "2026-05-31"
            after.submittedOn = "2026-06-01"
            try await before.save(on: app.db)
            try await after.save(on: app.db)
            #expect(try await capRefusal(app, "KC-RULE-AFTER") == nil)

            // Only the administrator adds a rule; the ministry reads the page; a province does not see it.
            var ministry = try await TestBrowser.signedIn(app, as: "bo.congthuong")
            #expect(try await ministry.get("/admin/rules").status == .ok)
            let fields = ["kind": "machinery", "source": "national", "unitCode": "", "maxSharePercent": "50", "maxAmountVnd": "250.000.000",
                          "per": "establishment", "validFrom": "2026-06-01", "validUntil": "", "legalBasis": "Thông tư sửa đổi mức hỗ trợ (kiểm thử)"]
            #expect(try await ministry.post("/admin/rules/caps", fields).status == .forbidden)
            var province = try await TestBrowser.signedIn(app, as: "thanhhoa")
            #expect(try await province.get("/admin/rules").status == .forbidden)

            var admin = try await TestBrowser.signedIn(app, as: "admin")
            var bad = fields
            bad["maxSharePercent"] = "150"
            let refused = try await admin.post("/admin/rules/caps", bad)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("maxSharePercent") && refused.body.string.contains("Thông tư sửa đổi mức hỗ trợ (kiểm thử)"))
            let added = try await admin.post("/admin/rules/caps", fields)
            #expect(added.status == .seeOther)
            let page = try await admin.get("/admin/rules")
            #expect(page.body.string.contains("250,0 triệu đồng") && page.body.string.contains("01/06/2026"))
            // The old row is still there for the time before.
            #expect(try await CapRecord.query(on: app.db).filter(\.$kind == "machinery").filter(\.$source == .national).count() == 3)

            #expect(try await capRefusal(app, "KC-RULE-BEFORE") == nil)
            let refusal = try #require(try await capRefusal(app, "KC-RULE-AFTER"))
            #expect(refusal.vietnamese.contains("250,0 triệu đồng/cơ sở") && refusal.vietnamese.contains("Thông tư sửa đổi mức hỗ trợ (kiểm thử)"))

            // A deadline is added the same way: the latest row of a year and step is the one the API gives.
            let deadline = ["year": "2026", "step": "settlement_close", "date": "2027-01-20", "daysAfter": "",
                            "legalBasis": "Quyết định điều chỉnh thời hạn (kiểm thử)"]
            #expect(try await admin.post("/admin/rules/deadlines", deadline).status == .seeOther)
            #expect(try await admin.post("/admin/rules/deadlines", deadline.merging(["step": "settlement_file"]) { $1 }).status == .unprocessableEntity)
            let token = try await TestUsers.token(app, "xem")
            let rules = try JSONDecoder().decode(RulesDTO.self, from: Data(try await app.testing().sendRequest(.GET, "/api/v1/rules",
                headers: TestData.bearer(token)).body.readableBytesView))
            #expect(rules.deadlines.filter { $0.year == 2026 && $0.step == "settlement_close" }.map(\.date) == ["2027-01-20"])
            #expect(try await AuditEntry.query(on: app.db).filter(\.$recordType == "rule_deadline").count() == 1)

            let audit = try await AuditEntry.query(on: app.db).filter(\.$recordType == "rule_cap").all()
            #expect(audit.count == 1 && audit.first?.actor == "admin" && audit.first?.after?.contains("250000000") == true)
        }
    }

    @Test func aNewCapIsPreviewedOnThePendingProjectsItChangesBeforeItIsSaved() async throws {
        try await TestApp.run(users: true) { app in
            let officer = try await TestUsers.token(app, "thanhhoa")
            // Pending (submitted) projects of 280 triệu for one establishment, registered before and after 1 June 2026,
            // and an approved one after it, which the preview leaves out.
            for code in ["KC-PRE-BEFORE", "KC-PRE-AFTER", "KC-PRE-APPROVED"] {
                #expect(try await create(app, officer, code: code, kind: "machinery", support: 280_000_000, counterpart: 300_000_000).status == .created)
                let project = try await project(app, code)
                project.status = code == "KC-PRE-APPROVED" ? .approved : .submitted
                project.submittedOn = code == "KC-PRE-BEFORE" ? "2026-05-31" : "2026-06-02"
                try await project.save(on: app.db)
            }
            var admin = try await TestBrowser.signedIn(app, as: "admin")
            let form = try await admin.get("/admin/rules")
            #expect(form.body.string.contains("Xem trước ảnh hưởng"))
            let fields = ["kind": "machinery", "source": "national", "unitCode": "", "maxSharePercent": "50", "maxAmountVnd": "250.000.000",
                          "per": "establishment", "validFrom": "2026-06-01", "validUntil": "", "legalBasis": "Thông tư sửa đổi mức hỗ trợ (xem trước)"]
            let preview = try await admin.post("/admin/rules/caps", fields.merging(["preview": "1"]) { $1 })
            #expect(preview.status == .ok)
            let html = preview.body.string
            #expect(html.contains("KC-PRE-AFTER") && !html.contains("KC-PRE-BEFORE") && !html.contains("KC-PRE-APPROVED"))
            #expect(html.contains("1 đề án đang chờ duyệt") && html.contains("1 đề án sẽ vượt mức mới"))
            #expect(html.contains("300,0 triệu đồng/cơ sở") && html.contains("250,0 triệu đồng/cơ sở"))   // the cap now, the new one
            #expect(html.contains("Lưu mức hỗ trợ mới") && html.contains("Thông tư sửa đổi mức hỗ trợ (xem trước)"))
            // Nothing saved by the preview.
            #expect(try await CapRecord.query(on: app.db).filter(\.$legalBasis == "Thông tư sửa đổi mức hỗ trợ (xem trước)").count() == 0)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$recordType == "rule_cap").count() == 0)
            // The ministry may not preview either.
            var ministry = try await TestBrowser.signedIn(app, as: "bo.congthuong")
            #expect(try await ministry.post("/admin/rules/caps", fields.merging(["preview": "1"]) { $1 }).status == .forbidden)

            #expect(try await admin.post("/admin/rules/caps", fields).status == .seeOther)
            let audit = try #require(try await AuditEntry.query(on: app.db).filter(\.$recordType == "rule_cap").first())
            #expect(audit.after?.contains("KC-PRE-AFTER (vượt mức mới)") == true && audit.after?.contains("KC-PRE-BEFORE") == false)
            #expect(try await capRefusal(app, "KC-PRE-BEFORE") == nil)
            #expect(try await capRefusal(app, "KC-PRE-AFTER") != nil)
        }
    }

    @Test func theRulesAreReadableByAnySignedInUserAsTheContractSays() async throws {
        try await TestApp.run(users: true) { app in
            #expect(try await app.testing().sendRequest(.GET, "/api/v1/rules").status == .unauthorized)
            let viewer = try await TestUsers.token(app, "xem")
            let response = try await app.testing().sendRequest(.GET, "/api/v1/rules", headers: TestData.bearer(viewer))
            #expect(response.status == .ok)
            let rules = try JSONDecoder().decode(RulesDTO.self, from: Data(response.body.readableBytesView))
            #expect(rules.supportKinds.contains { $0.code == "demo_model" && $0.category == "1" })
            #expect(rules.supportKinds.contains { $0.code == "enterprise_founding" })
            #expect(rules.caps.contains { $0.kind == "machinery" && $0.unitCode == nil && $0.maxSharePercent == 50
                && $0.maxAmountVnd == 300_000_000 && $0.per == .establishment && $0.validFrom == "2018-05-12" && $0.legalBasis.contains("28/2018") })
            #expect(rules.advances.contains { $0.kind == "cluster_infrastructure" && $0.firstAdvancePercent == 30 })
            #expect(rules.advances.contains { $0.kind == "enterprise_founding" && $0.firstAdvancePercent == 100 })
            #expect(rules.deadlines.contains { $0.year == 2026 && $0.step == "settlement_close" && $0.date == "2027-01-22" })
            #expect(rules.deadlines.contains { $0.year == 2026 && $0.step == "report_q1" })
            #expect(rules.relativeDeadlines.contains { $0.year == 2026 && $0.step == "settlement_file" && $0.daysAfter == 15 })
            #expect(rules.priorityUplifts.first?.factorPerMille == 1_500)
            let raw = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
            #expect(Set(raw.keys).isSuperset(of: ["supportKinds", "caps", "advances", "deadlines"]))
        }
    }
    @Test func theInterchangeFileMayNameTheKindAndOldFilesStillImport() async throws {
        try await TestApp.run { app in
            let header = "code,title,unit_code,year,source,category,implementing_unit,support_vnd,counterpart_vnd,status"
            let old = try ImportTests.folder(["projects.csv": header + "\nKC-RULE-OLD,Đề án cũ,38,2026,national,1,Trung tâm,100000000,100000000,draft\n"])
            _ = try await ImportTests.run(app, old)
            #expect(try await project(app, "KC-RULE-OLD").supportKindCode == "machinery")
            let named = try ImportTests.folder(["projects.csv": header + ",support_kind\n"
                + "KC-RULE-OLD,Đề án cũ,38,2026,national,1,Trung tâm,100000000,100000000,draft,demo_model\n"
                + "KC-RULE-NEW,Đề án mới,38,2026,national,4,Trung tâm,100000000,0,draft,cluster_infrastructure\n"])
            let report = try await ImportTests.run(app, named)
            #expect(report.tables.first { $0.table == "projects" }.map { [$0.created, $0.updated] } == [1, 1])
            #expect(try await project(app, "KC-RULE-OLD").supportKind == "demo_model")
            #expect(try await project(app, "KC-RULE-NEW").supportKind == "cluster_infrastructure")
            let wrong = try ImportTests.folder(["projects.csv": header + ",support_kind\n"
                + "KC-RULE-BAD,Đề án sai,38,2026,national,6,Trung tâm,100000000,0,draft,machinery\n"])
            do {
                _ = try await ImportTests.run(app, wrong)
                Issue.record("a kind of another category was imported")
            } catch let refused as ImportRefused {
                #expect(refused.issues.map(\.column) == ["support_kind"])
            }
        }
    }
}
