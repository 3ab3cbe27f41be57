import Fluent
import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// The administrator's new dated set of appraisal criteria on /admin/rules (issue 14): the weights must add up to 100,
/// nothing is overwritten, the change is audited, and an appraisal is scored on the set in force on its date.
@Suite("Appraisal criteria edited on the rules page")
struct AppraisalCriteriaAdminTests {
    let appraisals = AppraisalTests()

    /// The form's fields of a set: code, name, maximum and weight per row.
    func fields(_ rows: [(String, String, String, String)], from: String, basis: String = "Quyết định 123/QĐ-BCT về tiêu chí thẩm định") -> [String: String] {
        var fields = ["validFrom": from, "legalBasis": basis]
        for (index, row) in rows.enumerated() {
            fields["code\(index)"] = row.0; fields["name\(index)"] = row.1; fields["maxScore\(index)"] = row.2; fields["weight\(index)"] = row.3
        }
        return fields
    }

    @Test func anAdministratorAddsADatedSetWhoseWeightsAddUpToAHundredAndAppraisalsUseTheSetInForce() async throws {
        try await TestApp.run(users: true) { app in
            var admin = try await TestBrowser.signedIn(app, as: "admin")
            let page = try await admin.get("/admin/rules")
            #expect(page.body.string.contains(#"id="add-criteria""#))
            #expect(page.body.string.contains(#"name="code0" value="necessity""#))
            let seeded = try await AppraisalCriterionRecord.query(on: app.db).count()
            let today = CalendarDate.today()

            // Weights of 30 + 30 + 30: refused naming the weights, with what was typed, nothing written.
            let three = [("necessity", "Sự cần thiết", "10", "30"), ("feasibility", "Tính khả thi", "10", "30"),
                         ("effect", "Hiệu quả lan tỏa", "20", "30")]
            let refused = try await admin.post("/admin/rules/criteria", fields(three, from: today.description))
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("weight: tổng trọng số các tiêu chí phải bằng 100 (đang là 90)"))
            #expect(refused.body.string.contains(#"value="Hiệu quả lan tỏa""#))
            let badRow = try await admin.post("/admin/rules/criteria", fields([("necessity", "", "0", "100")], from: today.description))
            #expect(badRow.status == .unprocessableEntity)
            #expect(badRow.body.string.contains("criteria[1].name") && badRow.body.string.contains("criteria[1].maxScore"))
            #expect(try await AppraisalCriterionRecord.query(on: app.db).count() == seeded)

            // Not the ministry's officer: only the administrator adds rules.
            var ministry = try await TestBrowser.signedIn(app, as: "bo.congthuong")
            #expect(try await ministry.post("/admin/rules/criteria", fields(three, from: today.description)).status == .forbidden)

            // From today: three criteria, 30 + 30 + 40; "budget" and "impact" end today.
            var set = three
            set[2].3 = "40"
            let saved = try await admin.post("/admin/rules/criteria", fields(set, from: today.description))
            #expect(saved.status == .seeOther)
            #expect(try await AppraisalCriterionRecord.query(on: app.db).count() == seeded + 5)   // 3 new rows, 2 closing rows
            #expect(try await AppraisalScoring.criteria(on: today, db: app.db).map(\.code) == ["necessity", "feasibility", "effect"])
            // History stays: an appraisal dated yesterday was scored on the four criteria of 25.
            #expect(try await AppraisalScoring.criteria(on: today.adding(days: -1), db: app.db).map(\.maxScore) == [25, 25, 25, 25])
            let shown = try await admin.get("/admin/rules")
            #expect(shown.body.string.contains("Hiệu quả lan tỏa") && shown.body.string.contains("(bỏ tiêu chí từ ngày này)"))
            let audit = try #require(try await AuditEntry.query(on: app.db).filter(\.$recordType == "rule_appraisal_criteria").first())
            #expect(audit.actor == "admin" && audit.action == "add_rule" && audit.recordID == today.description)

            // The appraisal form shows today's set, and the total is computed on it: 5/10×30 + 10/10×30 + 10/20×40 = 65.
            try await appraisals.submitted(app, "KC-TC-1")
            var appraiser = try await TestBrowser.signedIn(app, as: "thamdinh")
            let form = try await appraiser.get("/projects/KC-TC-1")
            #expect(form.body.string.contains("Hiệu quả lan tỏa (0–20 điểm, trọng số 40/100)"))
            let token = try await TestUsers.token(app, "thamdinh")
            let scored = try await appraisals.post(app, "/api/v1/projects/KC-TC-1/appraisals",
                                                   #"{"opinion":"Khá","criteria":{"necessity":5,"feasibility":10,"effect":10}}"#, token)
            #expect(scored.status == .created, "\(scored.body.string)")
            #expect(try await appraisals.scores(app, "KC-TC-1") == [65])
            let old = try await appraisals.post(app, "/api/v1/projects/KC-TC-1/appraisals",
                                                #"{"opinion":"x","criteria":{"necessity":5,"feasibility":10,"budget":10,"impact":10}}"#, token)
            #expect(old.status == .unprocessableEntity)

            // A set from a later date does not change today's appraisals.
            let later = [("necessity", "Sự cần thiết", "100", "100")]
            #expect(try await admin.post("/admin/rules/criteria", fields(later, from: today.adding(days: 30).description)).status == .seeOther)
            #expect(try await AppraisalScoring.criteria(on: today, db: app.db).count == 3)
            #expect(try await AppraisalScoring.criteria(on: today.adding(days: 30), db: app.db).map(\.code) == ["necessity"])
        }
    }
}
