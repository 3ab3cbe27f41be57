import Fluent
import Foundation
import KhuyenCongCore
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// Correcting what was typed (issue 13): a tax code that exists is never linked silently; beneficiaries, payments and
/// outputs are edited or removed where the lifecycle and the period locks allow, with the audit trail, the project's
/// history and the summary tables following at once.
@Suite("Correcting records")
struct CorrectionTests {
    static let existingTaxCode = "2801234564"
    static let existingName = "HTX mây tre Minh Châu"

    static func send(_ app: Application, _ method: HTTPMethod, _ path: String, _ json: String?, _ token: String) async throws -> TestingHTTPResponse {
        try await app.testing().sendRequest(method, path, headers: TestData.bearer(token), body: json.map { TestData.json($0) })
    }

    static func newProject(_ code: String, taxCode: String, name: String, confirm: Bool? = nil) -> String {
        #"{"code":"\#(code)","title":"Hỗ trợ máy chẻ nan","unitCode":"38","year":2026,"source":"national","category":"1","#
            + #""implementingUnit":"Trung tâm Khuyến công Thanh Hóa","beneficiaryTaxCode":"\#(taxCode)","beneficiaryName":"\#(name)","#
            + #""supportVnd":100000000,"counterpartVnd":900000000"# + (confirm.map { #","confirmExisting":\#($0)"# } ?? "") + "}"
    }

    /// A draft of Thanh Hóa with the existing establishment as its beneficiary.
    static func existingEstablishment(_ app: Application, _ officer: String) async throws {
        _ = try await TestData.draftProject(code: "KC-FIX-0", unitCode: "38", on: app.db)
        let added = try await send(app, .POST, "/api/v1/projects/KC-FIX-0/beneficiaries",
                                   #"{"taxCode":"\#(existingTaxCode)","name":"\#(existingName)","supportVnd":100000000}"#, officer)
        #expect(added.status == .created, "\(added.body.string)")
    }

    // MARK: - The beneficiary trap

    @Test func anExistingTaxCodeIsNeverLinkedWithoutConfirmationAndAnotherNameIsRefused() async throws {
        try await TestApp.run(users: true) { app in
            let officer = try await TestUsers.token(app, "thanhhoa")
            try await Self.existingEstablishment(app, officer)

            // The same tax code on a new project: the existing establishment is named and a confirmation is asked for.
            let asked = try await Self.send(app, .POST, "/api/v1/projects", Self.newProject("KC-FIX-1", taxCode: Self.existingTaxCode,
                                                                                            name: Self.existingName), officer)
            #expect(asked.status == .conflict, "\(asked.body.string)")
            #expect(asked.body.string.contains(Self.existingName) && asked.body.string.contains("confirmExisting"))
            #expect(try await Project.query(on: app.db).filter(\.$code == "KC-FIX-1").count() == 0)

            // Another name with that tax code: an error naming both, confirmed or not.
            for confirm in [nil, true] as [Bool?] {
                let other = try await Self.send(app, .POST, "/api/v1/projects", Self.newProject("KC-FIX-1", taxCode: Self.existingTaxCode,
                                                                                                name: "Cơ sở gỗ Đồng Tâm", confirm: confirm), officer)
                #expect(other.status == .unprocessableEntity, "\(other.body.string)")
                #expect(other.body.string.contains(Self.existingName) && other.body.string.contains("Cơ sở gỗ Đồng Tâm"))
            }
            #expect(try await Project.query(on: app.db).filter(\.$code == "KC-FIX-1").count() == 0)

            // Confirmed (the name typed without diacritics is the same establishment): linked, no second establishment.
            let confirmed = try await Self.send(app, .POST, "/api/v1/projects", Self.newProject("KC-FIX-1", taxCode: Self.existingTaxCode,
                                                                                                name: "htx may tre minh chau", confirm: true), officer)
            #expect(confirmed.status == .created, "\(confirmed.body.string)")
            #expect(try await Beneficiary.query(on: app.db).count() == 1)
            #expect(try await Project.find(code: "KC-FIX-1", on: app.db).beneficiaries(on: app.db).map(\.0.name) == [Self.existingName])

            // Adding a beneficiary to a draft follows the same rule.
            _ = try await TestData.draftProject(code: "KC-FIX-2", unitCode: "38", on: app.db)
            let path = "/api/v1/projects/KC-FIX-2/beneficiaries"
            let add = #"{"taxCode":"\#(Self.existingTaxCode)","name":"\#(Self.existingName)","supportVnd":50000000"#
            #expect(try await Self.send(app, .POST, path, add + "}", officer).status == .conflict)
            let wrongName = try await Self.send(app, .POST, path, #"{"taxCode":"\#(Self.existingTaxCode)","name":"Cơ sở gỗ Đồng Tâm","supportVnd":50000000}"#, officer)
            #expect(wrongName.status == .unprocessableEntity && wrongName.body.string.contains(Self.existingName))
            #expect(try await Project.find(code: "KC-FIX-2", on: app.db).beneficiaries(on: app.db).isEmpty)
            #expect(try await Self.send(app, .POST, path, add + #","confirmExisting":true}"#, officer).status == .created)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "add_beneficiary").count() == 3)
        }
    }

    @Test func theNewProjectPageShowsTheExistingEstablishmentAndAsksToConfirm() async throws {
        try await TestApp.run(users: true) { app in
            try await Self.existingEstablishment(app, try await TestUsers.token(app, "thanhhoa"))
            var browser = try await TestBrowser.signedIn(app, as: "thanhhoa")
            var form = ["code": "KC-FIX-3", "title": "Hỗ trợ máy chẻ nan", "unitCode": "38", "year": "2026", "source": "national",
                        "category": "1", "implementingUnit": "Trung tâm Khuyến công Thanh Hóa", "beneficiaryTaxCode": Self.existingTaxCode,
                        "beneficiaryName": Self.existingName, "supportVnd": "100000000", "counterpartVnd": "900000000"]
            let asked = try await browser.post("/projects/new", form)
            #expect(asked.status == .conflict)
            #expect(asked.body.string.contains(Self.existingName))
            #expect(asked.body.string.contains(#"name="confirmExisting""#))
            #expect(asked.body.string.contains(#"value="KC-FIX-3""#), "what was typed is kept")
            #expect(try await Project.query(on: app.db).filter(\.$code == "KC-FIX-3").count() == 0)
            form["confirmExisting"] = "on"
            let created = try await browser.post("/projects/new", form)
            #expect(created.status == .seeOther, "\(created.body.string)")
            #expect(try await Beneficiary.query(on: app.db).count() == 1)
        }
    }

    @Test func anImportRefusesAnExistingTaxCodeUnderAnotherName() async throws {
        try await TestApp.run(users: true) { app in
            try await Self.existingEstablishment(app, try await TestUsers.token(app, "thanhhoa"))
            let header = "code,title,unit_code,year,source,category,implementing_unit,beneficiary_tax_code,beneficiary_name,support_vnd,counterpart_vnd,status\n"
            let row = "KC-FIX-4,Máy chẻ nan,38,2026,national,1,Trung tâm Khuyến công Thanh Hóa,\(Self.existingTaxCode),NAME,100000000,900000000,draft\n"
            do {
                _ = try await ImportTests.run(app, try ImportTests.folder(["projects.csv": header + row.replacingOccurrences(of: "NAME", with: "Cơ sở gỗ Đồng Tâm")]),
                                              principal: WriteIntegrityTests.officer)
                Issue.record("the import linked the establishment under another name")
            } catch let refused as ImportRefused {
                #expect(refused.issues.map { "\($0.table):\($0.row):\($0.column)" } == ["projects:2:beneficiary_name"])
                #expect(refused.issues.first?.message.vietnamese.contains(Self.existingName) == true)
            }
            #expect(try await Project.query(on: app.db).filter(\.$code == "KC-FIX-4").count() == 0)
            // Under its own name the file says which establishment it means: linked, not created again.
            _ = try await ImportTests.run(app, try ImportTests.folder(["projects.csv": header + row.replacingOccurrences(of: "NAME", with: Self.existingName)]),
                                          principal: WriteIntegrityTests.officer)
            #expect(try await Beneficiary.query(on: app.db).count() == 1)
            #expect(try await Project.find(code: "KC-FIX-4", on: app.db).beneficiaries(on: app.db).count == 1)
        }
    }

    // MARK: - Correcting payments, outputs and beneficiaries

    struct Summary: Decodable { struct Realised: Decodable { let amountVnd: Money }; let realised: Realised }

    /// Thanh Hóa's 2026 realised money as the report API shows it, and the same from the raw rows.
    static func realised(_ app: Application, _ token: String, period: String = "FY") async throws -> (report: Money, raw: Money) {
        let response = try await app.testing().sendRequest(.GET, "/api/v1/reports/summary?unit=38&year=2026&period=\(period)", headers: TestData.bearer(token))
        let report = try JSONDecoder().decode(Summary.self, from: Data(response.body.readableBytesView)).realised.amountVnd
        let range = try Period(parsing: period).dates(in: 2026)
        let raw = try await RawFigures(sql: TestApp.sql(app)).realised(region: "north", year: 2026, from: range.lowerBound.description,
                                                                         to: range.upperBound.description)
        return (report, raw)
    }

    static func dto(_ response: TestingHTTPResponse) throws -> ProjectDTO {
        try JSONDecoder().decode(ProjectDTO.self, from: Data(response.body.readableBytesView))
    }

    /// The summary tables are what a rebuild from the raw rows gives.
    static func expectTotalsExact(_ app: Application) async throws {
        let kept = try await ReportTotalsTests.snapshot(app)
        try await ReportTotals.rebuild(on: app.db)
        #expect(try await ReportTotalsTests.snapshot(app) == kept)
    }

    @Test func aWrongPaymentAndAWrongOutputAreCorrectedAndTheReportFollowsAtOnce() async throws {
        try await TestApp.run(users: true) { app in
            _ = try await WriteIntegrityTests.approvedProject(app)
            let officer = try await TestUsers.token(app, "thanhhoa")
            let base = "/api/v1/projects/KC-PAY-1"
            // 500 triệu typed instead of 50 triệu.
            let paid = try Self.dto(try await Self.send(app, .POST, base + "/disbursements", WriteIntegrityTests.payment(500_000_000), officer))
            let payment = try #require(paid.disbursements.first)
            #expect(try await Self.realised(app, officer) == (500_000_000, 500_000_000))

            let fixed = try await Self.send(app, .PATCH, base + "/disbursements/\(payment.id)", #"{"amountVnd":50000000}"#, officer)
            #expect(fixed.status == .ok, "\(fixed.body.string)")
            #expect(try Self.dto(fixed).disbursements.map(\.amountVnd) == [50_000_000])
            #expect(try await Self.realised(app, officer) == (50_000_000, 50_000_000))
            // Moved to another date, still in the year; over the approval is refused.
            #expect(try await Self.send(app, .PATCH, base + "/disbursements/\(payment.id)", #"{"date":"2026-07-15"}"#, officer).status == .ok)
            #expect(try await Self.realised(app, officer, period: "H1") == (0, 0))
            let over = try await Self.send(app, .PATCH, base + "/disbursements/\(payment.id)", #"{"amountVnd":2000000000}"#, officer)
            #expect(over.status == .unprocessableEntity && over.body.string.contains("amountVnd"))
            #expect(try await Self.realised(app, officer) == (50_000_000, 50_000_000))

            // A removal needs its reason; then the payment counts nowhere, and the history keeps it.
            #expect(try await Self.send(app, .DELETE, base + "/disbursements/\(payment.id)", nil, officer).status == .unprocessableEntity)
            let removed = try await Self.send(app, .DELETE, base + "/disbursements/\(payment.id)?reason=Nh%E1%BA%ADp%20tr%C3%B9ng", nil, officer)
            #expect(removed.status == .ok, "\(removed.body.string)")
            #expect(try Self.dto(removed).disbursements.isEmpty)
            #expect(try await Self.realised(app, officer) == (0, 0))
            let audit = try #require(try await AuditEntry.query(on: app.db).filter(\.$action == "remove_disbursement").first())
            #expect(audit.recordID == payment.id.uuidString && audit.actor == "thanhhoa")
            #expect(audit.before?.contains("50000000") == true && audit.after?.contains("Nhập trùng") == true)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "update_disbursement").count() == 2)

            // An output typed wrong: edited, then removed.
            let output = try #require(try Self.dto(try await Self.send(app, .POST, base + "/outputs",
                #"{"date":"2026-03-05","indicator":"establishments_supported","quantity":12,"basis":"actual"}"#, officer)).outputs.first)
            #expect(try await Self.send(app, .PATCH, base + "/outputs/\(output.id)", #"{"quantity":2}"#, officer).status == .ok)
            #expect(try await OutputRecord.find(output.id, on: app.db)?.quantity == 2)
            #expect(try await Self.send(app, .DELETE, base + "/outputs/\(output.id)?reason=Sai%20ch%E1%BB%89%20ti%C3%AAu", nil, officer).status == .ok)
            #expect(try await OutputRecord.query(on: app.db).count() == 0)
            try await Self.expectTotalsExact(app)

            // The project page shows the corrections, the removals struck through with their reasons.
            var browser = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let page = try await browser.get("/projects/KC-PAY-1").body.string
            #expect(page.contains("<del>Thanh toán 50.000.000 đ ngày 15/07/2026"), "\(page)")
            #expect(page.contains("Lý do: Nhập trùng") && page.contains("Lý do: Sai chỉ tiêu"))

            // Another province's officer gets 404; a reviewer may not correct (403 or 404), nothing written.
            let other = try await TestUsers.token(app, "khuvuc.bac")
            let refused = try await Self.send(app, .PATCH, base + "/outputs/\(output.id)", #"{"quantity":3}"#, other)
            #expect([.forbidden, .notFound].contains(refused.status))
        }
    }

    @Test func theProjectPageCorrectsAPaymentWithItsForms() async throws {
        try await TestApp.run(users: true) { app in
            let project = try await WriteIntegrityTests.approvedProject(app)
            let officer = try await TestUsers.token(app, "thanhhoa")
            let payment = try #require(try Self.dto(try await Self.send(app, .POST, "/api/v1/projects/KC-PAY-1/disbursements",
                                                                        WriteIntegrityTests.payment(500_000_000), officer)).disbursements.first)
            var browser = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let page = try await browser.get("/projects/KC-PAY-1").body.string
            #expect(page.contains("/projects/KC-PAY-1/disbursements/\(payment.id)/edit"))
            let edited = try await browser.post("/projects/KC-PAY-1/disbursements/\(payment.id)/edit",
                                                ["kind": "payment", "date": "2026-03-02", "amountVnd": "50000000", "basis": "actual"])
            #expect(edited.status == .seeOther)
            #expect(try await Self.realised(app, officer) == (50_000_000, 50_000_000))
            let noReason = try await browser.post("/projects/KC-PAY-1/disbursements/\(payment.id)/remove", ["reason": ""])
            #expect(noReason.status == .unprocessableEntity && noReason.body.string.contains("lý do"))
            let removed = try await browser.post("/projects/KC-PAY-1/disbursements/\(payment.id)/remove", ["reason": "Nhập trùng chứng từ"])
            #expect(removed.status == .seeOther)
            #expect(try await WriteIntegrityTests.paid(app, project) == 0)
        }
    }

    @Test func aLockedPeriodRefusesACorrectionWithNothingWritten() async throws {
        try await TestApp.run(users: true) { app in
            _ = try await WriteIntegrityTests.approvedProject(app)
            let line = PlanLine(id: UUID(), unitID: "38@2025-07-01", year: 2026, source: .national, categoryCode: "1")
            try await line.create(on: app.db)
            try await PlanLineRevision(planLineID: line.id!, amountVnd: 2_000_000_000, approvedOn: "2025-12-20", decisionNo: "1/QĐ").create(on: app.db)
            let officer = try await TestUsers.token(app, "thanhhoa"), reviewer = try await TestUsers.token(app, "khuvuc.bac")
            let base = "/api/v1/projects/KC-PAY-1"
            let h1 = try #require(try Self.dto(try await Self.send(app, .POST, base + "/disbursements", WriteIntegrityTests.payment(300_000_000), officer)).disbursements.first)
            let h2 = try #require(try Self.dto(try await Self.send(app, .POST, base + "/disbursements",
                WriteIntegrityTests.payment(100_000_000, on: "2026-08-03"), officer)).disbursements.first { $0.date == "2026-08-03" })
            #expect(try await Self.send(app, .POST, "/api/v1/period-reports/38/2026/H1/submit", "{}", officer).status == .ok)
            #expect(try await Self.send(app, .POST, "/api/v1/period-reports/38/2026/H1/approve", "{}", reviewer).status == .ok)

            let audit = try await AuditEntry.query(on: app.db).count()
            let totals = try await ReportTotalsTests.snapshot(app)
            for (method, path, body) in [(HTTPMethod.PATCH, "/disbursements/\(h1.id)", #"{"amountVnd":30000000}"#),
                                         (.DELETE, "/disbursements/\(h1.id)?reason=Nh%E1%BA%ADp%20sai", nil),
                                         (.PATCH, "/disbursements/\(h2.id)", #"{"date":"2026-05-04"}"#)] as [(HTTPMethod, String, String?)] {
                let refused = try await Self.send(app, method, base + path, body, officer)
                #expect(refused.status == .locked, "\(method) \(path): \(refused.body.string)")
                #expect(refused.body.string.contains("khóa"))
            }
            #expect(try await Disbursement.query(on: app.db).all().map(\.amountVnd).sorted() == [100_000_000, 300_000_000])
            #expect(try await AuditEntry.query(on: app.db).count() == audit)
            #expect(try await ReportTotalsTests.snapshot(app) == totals)
            // The open period is still corrected.
            #expect(try await Self.send(app, .PATCH, base + "/disbursements/\(h2.id)", #"{"amountVnd":10000000}"#, officer).status == .ok)
            #expect(try await Self.realised(app, officer) == (310_000_000, 310_000_000))
        }
    }

    @Test func aWrongBeneficiaryIsCorrectedOrRemovedAndTheCapIsCheckedWhenTheDraftIsSaved() async throws {
        try await TestApp.run(users: true) { app in
            let officer = try await TestUsers.token(app, "thanhhoa")
            try await Self.existingEstablishment(app, officer)
            _ = try await TestData.draftProject(code: "KC-FIX-5", unitCode: "38", on: app.db)
            let base = "/api/v1/projects/KC-FIX-5"
            // A tax code typed wrong creates another establishment; corrected to the right one (known: confirmed).
            let added = try Self.dto(try await Self.send(app, .POST, base + "/beneficiaries",
                #"{"taxCode":"2807654325","name":"HTX mây tre Minh Châu","supportVnd":100000000}"#, officer))
            let link = try #require(added.beneficiaries.first?.id)
            let asked = try await Self.send(app, .PATCH, base + "/beneficiaries/\(link)",
                                            #"{"taxCode":"\#(Self.existingTaxCode)","name":"\#(Self.existingName)"}"#, officer)
            #expect(asked.status == .conflict && asked.body.string.contains(Self.existingName))
            let wrong = try await Self.send(app, .PATCH, base + "/beneficiaries/\(link)",
                                            #"{"taxCode":"\#(Self.existingTaxCode)","name":"Cơ sở gỗ Đồng Tâm","confirmExisting":true}"#, officer)
            #expect(wrong.status == .unprocessableEntity)
            let fixed = try await Self.send(app, .PATCH, base + "/beneficiaries/\(link)",
                #"{"taxCode":"\#(Self.existingTaxCode)","name":"\#(Self.existingName)","supportVnd":120000000,"confirmExisting":true}"#, officer)
            #expect(fixed.status == .ok, "\(fixed.body.string)")
            #expect(try Self.dto(fixed).beneficiaries.map { "\($0.taxCode) \($0.supportVnd.dong)" } == ["\(Self.existingTaxCode) 120000000"])
            // The establishment's projects follow: the right tax code has both projects, the wrong one none.
            let links = try await ProjectBeneficiary.query(on: app.db).with(\.$beneficiary).all()
            #expect(links.filter { $0.beneficiary.taxCode == Self.existingTaxCode }.count == 2)
            #expect(links.filter { $0.beneficiary.taxCode == "2807654325" }.isEmpty)

            // Over the 300 triệu per establishment of machinery: refused when saved, not first at submission.
            let capped = try await Self.send(app, .PATCH, base + "/beneficiaries/\(link)", #"{"supportVnd":400000000}"#, officer)
            #expect(capped.status == .unprocessableEntity && capped.body.string.contains("300,0 triệu đồng"), "\(capped.body.string)")
            #expect(try await ProjectBeneficiary.find(link, on: app.db)?.supportVnd == 120_000_000)

            // Removed with its reason; the history keeps it.
            #expect(try await Self.send(app, .DELETE, base + "/beneficiaries/\(link)", nil, officer).status == .unprocessableEntity)
            let removed = try await Self.send(app, .DELETE, base + "/beneficiaries/\(link)?reason=Kh%C3%B4ng%20thu%E1%BB%99c%20%C4%91%E1%BB%81%20%C3%A1n", nil, officer)
            #expect(removed.status == .ok)
            #expect(try Self.dto(removed).beneficiaries.isEmpty)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "remove_beneficiary").count() == 1)
            var browser = try await TestBrowser.signedIn(app, as: "thanhhoa")
            #expect(try await browser.get("/projects/KC-FIX-5").body.string.contains("<del>\(Self.existingName)"))

            // Once submitted, the beneficiaries are no longer corrected.
            let again = try #require(try Self.dto(try await Self.send(app, .POST, base + "/beneficiaries",
                #"{"taxCode":"3801112222","name":"Cơ sở chè Bát Mọt","supportVnd":100000000}"#, officer)).beneficiaries.first?.id)
            #expect(try await LifecycleTests.send(app, "KC-FIX-5", to: .submitted, token: officer).status == .ok)
            #expect(try await Self.send(app, .PATCH, base + "/beneficiaries/\(again)", #"{"supportVnd":1000}"#, officer).status == .conflict)
        }
    }
}
