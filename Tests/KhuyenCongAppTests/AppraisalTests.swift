import Fluent
import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// The appraisal council's scores (issue 14): each criterion within its range (dated rule rows with their legal basis),
/// the weighted total computed by the system; a different total sent along is refused. The page and the API alike.
@Suite("Appraisal: criteria ranges and the weighted total")
struct AppraisalTests: BearerAPIRequests {
    func detail(_ response: TestingHTTPResponse) -> String {
        struct Problem: Decodable { let detail: String }
        return (try? JSONDecoder().decode(Problem.self, from: Data(response.body.readableBytesView)).detail) ?? response.body.string
    }

    /// A submitted project of Thanh Hóa (38), which the northern appraiser employed in Nghệ An may score.
    func submitted(_ app: Application, _ code: String) async throws {
        let project = try await TestData.draftProject(code: code, unitCode: "38", on: app.db)
        project.status = .submitted
        try await project.save(on: app.db)
    }

    func scores(_ app: Application, _ code: String) async throws -> [Int] {
        let project = try await Project.find(code: code, on: app.db)
        return try await Appraisal.query(on: app.db).filter(\.$project.$id == project.requireID()).all().map(\.score)
    }

    @Test func fourScoresOfEightOutOfTwentyFiveAreThirtyTwoNotEighty() async throws {
        try await TestApp.run(users: true) { app in
            try await submitted(app, "KC-TD-1")
            let appraiser = try await TestUsers.token(app, "thamdinh")
            let criteria = #""criteria":{"necessity":8,"feasibility":8,"budget":8,"impact":8}"#
            let claimed = try await post(app, "/api/v1/projects/KC-TD-1/appraisals", #"{"score":80,"opinion":"Tốt",\#(criteria)}"#, appraiser)
            #expect(claimed.status == .unprocessableEntity)
            #expect(detail(claimed).contains("score: tổng điểm gửi lên (80) khác tổng điểm tính theo trọng số các tiêu chí (32)"))
            #expect(try await scores(app, "KC-TD-1").isEmpty)

            let computed = try await post(app, "/api/v1/projects/KC-TD-1/appraisals", #"{"opinion":"Tốt",\#(criteria)}"#, appraiser)
            #expect(computed.status == .created, "\(computed.body.string)")
            #expect(computed.body.string.contains(#""meanScore":32"#))
            #expect(try await scores(app, "KC-TD-1") == [32])
            let audit = try #require(try await AuditEntry.query(on: app.db).filter(\.$action == "appraise").first())
            #expect(audit.after?.contains(#""score":32"#) == true && audit.after?.contains(#""necessity":8"#) == true)
        }
    }

    @Test func eachCriterionIsCheckedAgainstItsRange() async throws {
        try await TestApp.run(users: true) { app in
            try await submitted(app, "KC-TD-2")
            let appraiser = try await TestUsers.token(app, "thamdinh")
            let over = try await post(app, "/api/v1/projects/KC-TD-2/appraisals",
                                      #"{"opinion":"x","criteria":{"necessity":26,"feasibility":8,"budget":-1,"impact":8}}"#, appraiser)
            #expect(over.status == .unprocessableEntity)
            #expect(detail(over).contains("criteria.necessity: điểm tiêu chí \"Sự cần thiết, phù hợp với chương trình khuyến công\" phải từ 0 đến 25"))
            #expect(detail(over).contains("criteria.budget"))
            let missing = try await post(app, "/api/v1/projects/KC-TD-2/appraisals", #"{"opinion":"x","criteria":{"necessity":20}}"#, appraiser)
            #expect(missing.status == .unprocessableEntity)
            #expect(detail(missing).contains("criteria.impact: chưa chấm tiêu chí"))
            let unknown = try await post(app, "/api/v1/projects/KC-TD-2/appraisals",
                                         #"{"opinion":"x","criteria":{"necessity":20,"feasibility":20,"budget":20,"impact":20,"luck":5}}"#, appraiser)
            #expect(unknown.status == .unprocessableEntity)
            #expect(detail(unknown).contains("criteria.luck"))
            #expect(try await scores(app, "KC-TD-2").isEmpty)
            // The full marks are 100, and a sent total that agrees is accepted.
            let full = try await post(app, "/api/v1/projects/KC-TD-2/appraisals",
                                      #"{"score":100,"opinion":"Rất tốt","criteria":{"necessity":25,"feasibility":25,"budget":25,"impact":25}}"#, appraiser)
            #expect(full.status == .created)
            #expect(try await scores(app, "KC-TD-2") == [100])
        }
    }

    @Test func aNewDatedCriteriaRowChangesTheWeightsFromItsDate() async throws {
        try await TestApp.run(users: true) { app in
            // From today the necessity is scored out of 10 and weighs 40 of the 100 points; the others keep theirs.
            try await AppraisalCriterionRecord(.init(code: "necessity", name: "Sự cần thiết", maxScore: 10, weight: 40, position: 1),
                                               validFrom: CalendarDate.today(), legalBasis: "Quyết định thử nghiệm", recordedBy: "test").create(on: app.db)
            let yesterday = try await AppraisalScoring.criteria(on: CalendarDate.today().adding(days: -1), db: app.db)
            #expect(yesterday.first { $0.code == "necessity" }?.maxScore == 25)
            let today = try await AppraisalScoring.criteria(on: CalendarDate.today(), db: app.db)
            #expect(today.map(\.code) == ["necessity", "feasibility", "budget", "impact"])
            // 5/10×40 + 10/25×25 ×3 = 20 + 30 = 50; 7/10×40 + 8/25×25×3 = 28 + 24 = 52.
            #expect(try AppraisalScoring.total(["necessity": 5, "feasibility": 10, "budget": 10, "impact": 10], criteria: today) == 50)
            #expect(try AppraisalScoring.total(["necessity": 7, "feasibility": 8, "budget": 8, "impact": 8], criteria: today) == 52)
            #expect(throws: DomainError.self) { try AppraisalScoring.total(["necessity": 11, "feasibility": 8, "budget": 8, "impact": 8], criteria: today) }
            try await submitted(app, "KC-TD-3")
            let appraiser = try await TestUsers.token(app, "thamdinh")
            let response = try await post(app, "/api/v1/projects/KC-TD-3/appraisals",
                                          #"{"opinion":"x","criteria":{"necessity":7,"feasibility":8,"budget":8,"impact":8}}"#, appraiser)
            #expect(response.status == .created)
            #expect(try await scores(app, "KC-TD-3") == [52])
            // The rules' API lists every dated row, the admin page too.
            let rules = try JSONDecoder().decode(RulesDTO.self, from: Data(try await app.testing().sendRequest(.GET, "/api/v1/rules",
                headers: TestData.bearer(appraiser)).body.readableBytesView))
            #expect(rules.appraisalCriteria.filter { $0.code == "necessity" }.map(\.maxScore) == [25, 10])
            var admin = try await TestBrowser.signedIn(app, as: "admin")
            let page = try await admin.get("/admin/rules")
            #expect(page.body.string.contains("Tiêu chí chấm điểm thẩm định") && page.body.string.contains("Quyết định thử nghiệm"))
        }
    }

    @Test func theFormShowsEachCriterionWithItsMaximumAndComputesTheTotal() async throws {
        try await TestApp.run(users: true) { app in
            try await submitted(app, "KC-TD-4")
            var browser = try await TestBrowser.signedIn(app, as: "thamdinh")
            let page = try await browser.get("/projects/KC-TD-4")
            #expect(page.body.string.contains("Sự cần thiết, phù hợp với chương trình khuyến công (0–25 điểm, trọng số 25/100)"))
            #expect(page.body.string.contains(#"max="25""#))
            let fields = ["criteria[necessity]": "8", "criteria[feasibility]": "8", "criteria[budget]": "8", "criteria[impact]": "8",
                          "opinion": "Đề án phù hợp"]
            var claimed = fields
            claimed["score"] = "80"
            let refused = try await browser.post("/projects/KC-TD-4/appraisals", claimed)
            #expect(refused.status == .unprocessableEntity)
            #expect(refused.body.string.contains("(32)"))
            let accepted = try await browser.post("/projects/KC-TD-4/appraisals", fields)
            #expect(accepted.status == .seeOther)
            #expect(try await scores(app, "KC-TD-4") == [32])
            let shown = try await browser.get("/projects/KC-TD-4")
            #expect(shown.body.string.contains("32,0"))
        }
    }
}
