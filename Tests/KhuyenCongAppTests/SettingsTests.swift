import Fluent
import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// The settings page and API (issue 14): a plan year's deadlines as new dated rows through the rules' one path, the
/// agency's dated name in the report document and the page footer, the programmes' decision numbers; the administrator
/// changes, the ministry reads, every change audited.
@Suite("Settings: deadlines, agency name, programme decisions")
struct SettingsTests {
    func send(_ app: Application, _ method: HTTPMethod, _ path: String, _ json: String? = nil, _ token: String) async throws -> TestingHTTPResponse {
        try await app.testing().sendRequest(method, path, headers: TestData.bearer(token), body: json.map(TestData.json))
    }

    func settings(_ response: TestingHTTPResponse) throws -> SettingsDTO {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(SettingsDTO.self, from: Data(response.body.readableBytesView))
    }

    @Test func onlyTheAdministratorChangesTheSettingsTheMinistryReadsThem() async throws {
        try await TestApp.run(users: true) { app in
            let change = #"{"deadlines":{"year":2027,"legalBasis":"Công văn của Bộ Công Thương","dates":{"registration_ministry":"2026-06-30"}}}"#
            for username in ["bo.congthuong", "khuvuc.bac", "thanhhoa", "xem"] {
                let token = try await TestUsers.token(app, username)
                #expect(try await send(app, .PUT, "/api/v1/settings", change, token).status == .forbidden, "\(username) changed the settings")
                #expect(try await send(app, .POST, "/api/v1/settings", change, token).status == .forbidden)
                // Everyone signed in reads them.
                #expect(try await send(app, .GET, "/api/v1/settings?year=2027", nil, token).status == .ok)
            }
            // The workflow itself refuses a non-administrator (the right is checked again under the lock).
            let ministry = try #require(try await User.find(username: "bo.congthuong", on: app.db))
            await #expect(throws: DomainError.self) {
                try await SettingsWorkflow.setDeadlines(.init(year: 2027, values: ["registration_ministry": "2026-06-30"], legalBasis: "Công văn"),
                                                        by: ministry, on: app.db)
            }
            // The ministry reads the page without the forms; a province officer does not see it; nobody but the admin posts.
            var reader = try await TestBrowser.signedIn(app, as: "bo.congthuong")
            let page = try await reader.get("/admin/settings?year=2027")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("Sở Công Thương gửi Bộ Công Thương") && page.body.string.contains("15/06/2026"))
            #expect(!page.body.string.contains("save-deadlines"))
            #expect(try await reader.post("/admin/settings/deadlines", ["year": "2027", "registration_ministry": "2026-06-30", "legalBasis": "Công văn"]).status == .forbidden)
            #expect(try await reader.post("/admin/settings/agency", ["name": "Cục Mới", "shortName": "CM", "validFrom": "2026-01-01", "legalBasis": "Nghị định"]).status == .forbidden)
            var province = try await TestBrowser.signedIn(app, as: "thanhhoa")
            #expect(try await province.get("/admin/settings").status == .forbidden)
            // Nothing was written.
            #expect(try await DeadlineRecord.query(on: app.db).filter(\.$recordedBy != "migrate").count() == 0)
            #expect(try await AgencyNameRecord.query(on: app.db).count() == AgencyName.seeded.count)
        }
    }

    @Test func aYearsDeadlinesChangeByNewRowsAndTheHistoryStays() async throws {
        try await TestApp.run(users: true) { app in
            var admin = try await TestBrowser.signedIn(app, as: "admin")
            let page = try await admin.get("/admin/settings?year=2027")
            #expect(page.status == .ok && page.body.string.contains("save-deadlines"))
            // Every step of the year in one table, from the law: 20/5 and 15/6 of the year before, 22/1 of the year after.
            for expected in ["20/05/2026", "15/06/2026", "15/04/2027", "15/07/2027", "15/10/2027", "15/01/2028", "22/01/2028", "15 ngày sau nghiệm thu"] {
                #expect(page.body.string.contains(expected), "the deadlines table lacks \(expected)")
            }

            let first = try await admin.post("/admin/settings/deadlines", ["year": "2027", "registration_ministry": "2026-06-30",
                                                                           "legalBasis": "Công văn 123/BCT-ĐMST gia hạn"])
            #expect(first.status == .seeOther)
            let second = try await admin.post("/admin/settings/deadlines", ["year": "2027", "registration_ministry": "2026-07-05", "report_q1": "2027-04-20",
                                                                            "legalBasis": "Công văn 130/BCT-ĐMST gia hạn lần hai"])
            #expect(second.status == .seeOther)

            // Three new rows; the first value stays in the history; the latest rules, also in plan_years and the rules API.
            let rows = try await DeadlineRecord.query(on: app.db).filter(\.$year == 2027).filter(\.$step == "registration_ministry").sort(\.$createdAt).all()
            #expect(rows.map(\.dueOn) == ["2026-06-30", "2026-07-05"])
            #expect(try await DeadlineBook.load(on: app.db).date(2027, "registration_ministry") == CalendarDate(2026, 7, 5))
            #expect(try await PlanYearSetting.find(2027, on: app.db)?.ministryDeadline == "2026-07-05")
            #expect(try await PlanDeadlines.load(on: app.db).ministry(2027) == CalendarDate(2026, 7, 5))
            let rules = try await RulesDTO.load(on: app.db)
            #expect(rules.deadlines.filter { $0.year == 2027 && $0.step == "registration_ministry" }.map(\.date) == ["2026-07-05"])
            #expect(rules.deadlines.first { $0.year == 2027 && $0.step == "report_q1" }?.date == "2027-04-20")
            #expect(try await AuditEntry.query(on: app.db).filter(\.$recordType == "rule_deadline").filter(\.$actor == "admin").count() == 3)
            let after = try await admin.get("/admin/settings?year=2027")
            #expect(after.body.string.contains("Công văn 123/BCT-ĐMST gia hạn") && after.body.string.contains("30/06/2026"))
            #expect(after.body.string.contains("05/07/2026"))

            // Refusals name the step and come back with what was typed; nothing is written.
            let bad = try await admin.post("/admin/settings/deadlines", ["year": "2027", "registration_department": "31/02/2026",
                                                                         "legalBasis": "Công văn thử"])
            #expect(bad.status == .unprocessableEntity)
            #expect(bad.body.string.contains("registration_department") && bad.body.string.contains("31/02/2026"))
            let backwards = try await admin.post("/admin/settings/deadlines", ["year": "2027", "registration_department": "2026-07-10",
                                                                               "legalBasis": "Công văn thử"])
            #expect(backwards.status == .unprocessableEntity && backwards.body.string.contains("registration_ministry"))
            let unchanged = try await admin.post("/admin/settings/deadlines", ["year": "2027", "registration_ministry": "2026-07-05", "legalBasis": "Công văn thử"])
            #expect(unchanged.status == .unprocessableEntity)
            let noBasis = try await admin.post("/admin/settings/deadlines", ["year": "2027", "report_q2": "2027-07-20", "legalBasis": ""])
            #expect(noBasis.status == .unprocessableEntity && noBasis.body.string.contains("legalBasis"))
            #expect(try await DeadlineRecord.query(on: app.db).filter(\.$recordedBy == "admin").count() == 3)

            // The API: the settlement file's days, and the answer is the year's settings.
            let token = try await TestUsers.token(app, "admin")
            let put = try await send(app, .PUT, "/api/v1/settings", #"{"deadlines":{"year":2027,"legalBasis":"Thông tư mới (thử)","settlementFileDays":20}}"#, token)
            #expect(put.status == .ok)
            let body = try settings(put)
            #expect(body.deadlines.first { $0.step == "settlement_file" }?.daysAfter == 20)
            #expect(body.deadlines.first { $0.step == "registration_ministry" }?.date == "2026-07-05")
            #expect(body.deadlineHistory.filter { $0.recordedBy == "admin" }.count == 4)
            let wrong = try await send(app, .PUT, "/api/v1/settings", #"{"deadlines":{"year":2027,"legalBasis":"Thử","dates":{"payday":"2027-01-01"}}}"#, token)
            #expect(wrong.status == .unprocessableEntity)
            #expect(try await send(app, .PUT, "/api/v1/settings", "{}", token).status == .unprocessableEntity)
            #expect(try await send(app, .PUT, "/api/v1/settings", #"{"deadlines":{"year":99999,"legalBasis":"Thử"}}"#, token).status == .unprocessableEntity)
        }
    }

    @Test func theReportDocumentAndTheFooterUseTheAgencyNameInForce() async throws {
        try await TestApp.run(users: true) { app in
            func document(_ asOf: String) async throws -> String {
                let response = try await app.testing().sendRequest(.GET, "/reports/document?region=north&year=2024&period=H1&asOf=\(asOf)&format=docx")
                #expect(response.status == .ok)
                return try ReportDocumentTests.text(ofDocx: Data(response.body.readableBytesView))
            }
            // Before the 2025 reorganisation the Cục Công Thương địa phương, after it the Cục Đổi mới sáng tạo.
            let old = try await document("2024-07-20")
            #expect(old.contains("CỤC CÔNG THƯƠNG ĐỊA PHƯƠNG") && old.contains("/BC-CTĐP") && !old.contains("ĐỔI MỚI SÁNG TẠO"))
            let now = try await document("2025-07-20")
            #expect(now.contains("CỤC ĐỔI MỚI SÁNG TẠO,\nCHUYỂN ĐỔI XANH VÀ KHUYẾN CÔNG") && now.contains("/BC-ĐMST"))

            // The administrator records a new name from 1 July 2026; the earlier rows stay and still name the earlier reports.
            let token = try await TestUsers.token(app, "admin")
            let change = try await send(app, .POST, "/api/v1/settings", #"""
                {"agencyName":{"name":"Cục Khuyến công và Phát triển công nghiệp","shortName":"KCPTCN","validFrom":"2026-07-01","legalBasis":"Quyết định thử nghiệm số 1/QĐ-BCT"}}
                """#, token)
            #expect(change.status == .ok)
            #expect(try settings(change).agencyNames.count == AgencyName.seeded.count + 1)
            let later = try await document("2026-08-01")
            #expect(later.contains("CỤC KHUYẾN CÔNG VÀ PHÁT TRIỂN CÔNG NGHIỆP") && later.contains("/BC-KCPTCN") && later.contains("Lưu: VT, KCPTCN."))
            #expect(try await document("2025-07-20").contains("/BC-ĐMST"))
            #expect(try await document("2024-07-20").contains("/BC-CTĐP"))
            // A province's document names the agency in force among its recipients.
            let unit = try await app.testing().sendRequest(.GET, "/reports/document?unit=38&year=2026&period=H1&asOf=2026-08-01&format=docx")
            #expect(try ReportDocumentTests.text(ofDocx: Data(unit.body.readableBytesView)).contains("Bộ Công Thương (Cục Khuyến công và Phát triển công nghiệp)"))
            // The pages' footer: the name in force today (the new one, from 1 July 2026 on).
            let today = CalendarDate.today()
            let login = try await app.testing().sendRequest(.GET, "/login")
            #expect(login.body.string.contains(today >= CalendarDate(2026, 7, 1) ? "Cục Khuyến công và Phát triển công nghiệp" : "Cục Đổi mới sáng tạo"))
            // Audited, and the page lists every row.
            #expect(try await AuditEntry.query(on: app.db).filter(\.$recordType == "agency_name").filter(\.$actor == "admin").count() == 1)
            var admin = try await TestBrowser.signedIn(app, as: "admin")
            let page = try await admin.get("/admin/settings")
            #expect(page.body.string.contains("Cục Công Thương địa phương") && page.body.string.contains("01/07/2026"))
            // A refusal re-renders with what was typed.
            let bad = try await admin.post("/admin/settings/agency", ["name": "Cục Thử Nghiệm Sai Ngày", "shortName": "TN", "validFrom": "mai", "legalBasis": "Nghị định thử"])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("validFrom") && bad.body.string.contains("Cục Thử Nghiệm Sai Ngày"))
            #expect(try await AgencyNameRecord.query(on: app.db).count() == AgencyName.seeded.count + 1)
        }
    }

    @Test func theProgrammeDecisionIsCorrectedByTheAdministratorAndAudited() async throws {
        try await TestApp.run(users: true) { app in
            let token = try await TestUsers.token(app, "admin")
            // No programme recorded yet: nothing to correct.
            let none = try await send(app, .PUT, "/api/v1/settings", #"{"programmes":[{"scope":"country","decisionNo":"2646/QĐ-BCT","decidedOn":"2025-09-23"}]}"#, token)
            #expect(none.status == .unprocessableEntity)
            let ministry = try #require(try await User.find(username: "bo.congthuong", on: app.db))
            try await ProgrammeWorkflow.save(.country, term: .current,
                                             .init(decisionNo: "2646/QĐ-BTC", decidedOn: CalendarDate(2025, 9, 23), signer: "Bộ Công Thương",
                                                   money: [:], targets: ["demo_models": 100], version: nil), by: ministry, on: app.db)
            let read = try settings(try await send(app, .GET, "/api/v1/settings", nil, token))
            let national = try #require(read.programmes.first { $0.scope == "country" })
            #expect(national.decisionNo == "2646/QĐ-BTC" && national.version == 1)

            let ministryToken = try await TestUsers.token(app, "bo.congthuong")
            let fix = #"{"programmes":[{"scope":"country","decisionNo":"2646/QĐ-BCT","decidedOn":"2025-09-23","version":1}]}"#
            #expect(try await send(app, .PUT, "/api/v1/settings", fix, ministryToken).status == .forbidden)
            let fixed = try await send(app, .PUT, "/api/v1/settings", fix, token)
            #expect(fixed.status == .ok)
            #expect(try settings(fixed).programmes.first { $0.scope == "country" }?.decisionNo == "2646/QĐ-BCT")
            let record = try #require(try await ProgrammeRecord.query(on: app.db).filter(\.$scopeKey == "country").first())
            #expect(record.decisionNo == "2646/QĐ-BCT" && record.version == 2)
            #expect(try await ProgrammeTargetRecord.query(on: app.db).filter(\.$programmeID == record.requireID()).count() == 1)
            // A stale version is refused; the audit row keeps the number before and after.
            #expect(try await send(app, .PUT, "/api/v1/settings", fix, token).status == .conflict)
            let audit = try #require(try await AuditEntry.query(on: app.db).filter(\.$action == "revise_programme_decision").first())
            #expect(audit.before?.contains("2646\\/QĐ-BTC") == true || audit.before?.contains("2646/QĐ-BTC") == true)
            // The page's form: a bad date comes back with what was typed.
            var admin = try await TestBrowser.signedIn(app, as: "admin")
            let bad = try await admin.post("/admin/settings/programme", ["scope": "country", "decisionNo": "9999/QĐ-BCT", "decidedOn": "2019-01-01", "version": "2"])
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("decidedOn") && bad.body.string.contains("9999/QĐ-BCT"))
        }
    }
}
