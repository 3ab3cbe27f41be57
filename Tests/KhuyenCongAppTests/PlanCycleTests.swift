import Fluent
import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// The plan's cycle on the API and the page: drafts count nowhere; an approval makes them revisions that the reports
/// count from the decision's date on; a later revision changes the plan from its own date on.
@Suite("Plan cycle: draft, submit, return, approve, revise")
struct PlanCycleTests: BearerAPIRequests {
    static let base = "/api/v1/plans/38/2027"
    static let unitID: UnitID = "38@2025-07-01"

    func plan(_ response: TestingHTTPResponse) throws -> PlanDTO {
        try JSONDecoder().decode(PlanDTO.self, from: Data(response.body.readableBytesView))
    }

    /// Thanh Hóa's 2027 plan as the FY report sees it on a date.
    func reportPlan(_ app: Application, asOf: String, source: FundingSource? = nil) async throws -> Money {
        try await ReportSummary.compute(ReportScope(area: .unit(code: "38"), year: 2027, period: .fullYear, source: source,
                                                    asOf: try CalendarDate(parsing: asOf)), on: app.db).plan.amountVnd
    }

    func line(_ source: String, _ category: String, _ amount: Int64, reason: String = "Đăng ký kế hoạch 2027") -> String {
        #"{"source":"\#(source)","category":"\#(category)","amountVnd":\#(amount),"reason":"\#(reason)"}"#
    }

    @Test func draftedLinesCountOnlyFromTheApprovalDateAndRevisionsFromTheirOwn() async throws {
        try await TestApp.run(users: true) { app in
            let officer = try await TestUsers.token(app, "thanhhoa")
            let ministry = try await TestUsers.token(app, "bo.congthuong")

            #expect(try await post(app, Self.base + "/lines", line("national", "1", 2_000_000_000), officer).status == .created)
            #expect(try await post(app, Self.base + "/lines", line("national", "2", 1_500_000_000), officer).status == .created)
            #expect(try await post(app, Self.base + "/lines", line("local", "3", 800_000_000), officer).status == .created)
            let target = try await post(app, Self.base + "/targets", #"{"source":"national","category":"1","indicator":"demo_models","quantity":3}"#, officer)
            #expect(target.status == .created)
            // Drafts count nowhere.
            #expect(try await reportPlan(app, asOf: "2027-12-31") == 0)

            #expect(try await post(app, Self.base + "/national/submit", nil, officer).status == .ok)
            let returned = try await post(app, Self.base + "/national/return", #"{"reason":"Nội dung 1 vượt khả năng cân đối"}"#, ministry)
            #expect(returned.status == .ok)
            let afterReturn = try plan(returned).sources.first { $0.source == .national }
            #expect(afterReturn?.status == .returned && afterReturn?.returnReason == "Nội dung 1 vượt khả năng cân đối")

            #expect(try await post(app, Self.base + "/lines", line("national", "1", 1_700_000_000, reason: "Giảm theo ý kiến của Bộ"), officer).status == .created)
            #expect(try await post(app, Self.base + "/national/submit", nil, officer).status == .ok)
            let approved = try await post(app, Self.base + "/national/approve", #"{"decisionNo":"2150/QĐ-BCT","approvedOn":"2026-12-15"}"#, ministry)
            #expect(approved.status == .ok)
            let national = try #require(try plan(approved).sources.first { $0.source == .national })
            #expect(national.status == .approved && national.decisionNo == "2150/QĐ-BCT")
            #expect(national.lines.map(\.amountVnd) == [1_700_000_000, 1_500_000_000])
            #expect(national.lines.allSatisfy { $0.draftAmountVnd == nil && $0.revisions.count == 1 && $0.revisions[0].approvedOn == "2026-12-15" })

            // 1,7 + 1,5 tỷ from 15/12/2026, nothing the day before.
            #expect(try await reportPlan(app, asOf: "2026-12-14") == 0)
            #expect(try await reportPlan(app, asOf: "2026-12-15") == 3_200_000_000)
            let summary = try await ReportSummary.compute(ReportScope(area: .unit(code: "38"), year: 2027, period: .fullYear,
                                                                      asOf: CalendarDate(2027, 1, 1)), on: app.db)
            #expect(summary.targets.first { $0.indicator == "demo_models" }?.planned == 3)

            // The local plan: the province officer records the People's Committee's decision.
            #expect(try await post(app, Self.base + "/local/submit", nil, officer).status == .ok)
            #expect(try await post(app, Self.base + "/local/approve", #"{"decisionNo":"3456/QĐ-UBND","approvedOn":"2026-12-25"}"#, ministry).status == .forbidden)
            #expect(try await post(app, Self.base + "/local/approve", #"{"decisionNo":"3456/QĐ-UBND","approvedOn":"2026-12-25"}"#, officer).status == .ok)
            #expect(try await reportPlan(app, asOf: "2026-12-24") == 3_200_000_000)
            #expect(try await reportPlan(app, asOf: "2026-12-25") == 4_000_000_000)
            #expect(try await reportPlan(app, asOf: "2026-12-25", source: .local) == 800_000_000)

            // A revision in June: it needs its decision, and changes the plan from its date on only.
            let undecided = try await post(app, Self.base + "/lines", line("national", "2", 1_000_000_000, reason: "Điều chỉnh giữa năm"), officer)
            #expect(undecided.status == .unprocessableEntity && undecided.body.string.contains("decisionNo"))
            let revised = try await post(app, Self.base + "/lines",
                #"{"source":"national","category":"2","amountVnd":1000000000,"reason":"Điều chỉnh giữa năm","decisionNo":"512/QĐ-BCT","approvedOn":"2027-06-10"}"#, officer)
            #expect(revised.status == .created)
            #expect(try await reportPlan(app, asOf: "2027-06-09") == 4_000_000_000)
            #expect(try await reportPlan(app, asOf: "2027-06-10") == 3_500_000_000)
            let history = try #require(try plan(revised).sources.first { $0.source == .national }?.lines.first { $0.category == "2" })
            #expect(history.amountVnd == 1_000_000_000)
            #expect(history.revisions.map(\.amountVnd) == [1_500_000_000, 1_000_000_000])
            #expect(history.revisions.last?.decisionNo == "512/QĐ-BCT" && history.revisions.last?.reason == "Điều chỉnh giữa năm")

            let audit = try await AuditEntry.query(on: app.db).filter(\.$recordType == "plan").filter(\.$recordID == "\(Self.unitID)/2027/national")
                .sort(\.$at).all().map(\.action)
            #expect(audit == ["draft_line", "draft_line", "draft_target", "submit", "return", "draft_line", "submit", "approve", "revise_line"])
        }
    }

    @Test func wrongRoleIsForbiddenAndAnotherProvinceSeesNothing() async throws {
        try await TestApp.run(users: true) { app in
            let officer = try await TestUsers.token(app, "thanhhoa")
            let ministry = try await TestUsers.token(app, "bo.congthuong")
            let nghean = try await TestUsers.token(app, "nghean")
            let viewer = try await TestUsers.token(app, "xem")
            let reviewer = try await TestUsers.token(app, "khuvuc.bac")
            #expect(try await post(app, Self.base + "/lines", line("national", "1", 1_000_000_000), ministry).status == .forbidden)
            #expect(try await post(app, Self.base + "/lines", line("national", "1", 1_000_000_000), nghean).status == .notFound)
            #expect(try await get(app, Self.base, nghean).status == .notFound)
            #expect(try await get(app, Self.base, viewer).status == .notFound)
            #expect(try await get(app, Self.base, ministry).status == .ok)
            #expect(try await post(app, Self.base + "/lines", line("national", "1", 1_000_000_000), officer).status == .created)
            #expect(try await post(app, Self.base + "/national/submit", nil, officer).status == .ok)
            #expect(try await post(app, Self.base + "/national/approve", #"{"decisionNo":"1/QĐ","approvedOn":"2026-12-01"}"#, officer).status == .forbidden)
            // Since Decree 235/2025 the ministry itself decides the national plan: the region's reviewer follows it only.
            #expect(try await get(app, Self.base, reviewer).status == .ok)
            #expect(try await post(app, Self.base + "/national/approve", #"{"decisionNo":"1/QĐ","approvedOn":"2026-12-01"}"#, reviewer).status == .forbidden)
            #expect(try await post(app, Self.base + "/national/return", #"{"reason":"x"}"#, reviewer).status == .forbidden)
            #expect(try await post(app, Self.base + "/national/return", #"{"reason":"x"}"#, nghean).status == .notFound)
            #expect(try await post(app, "/api/v1/plans/38/2027/other/submit", nil, officer).status == .notFound)
        }
    }

    @Test func badInputIsRefusedNamingTheField() async throws {
        try await TestApp.run(users: true) { app in
            let officer = try await TestUsers.token(app, "thanhhoa")
            let cases: [(String, String, String)] = [
                ("/lines", line("national", "1", -5), "amountVnd"),
                ("/lines", line("national", "1", 1_000_000_000_001), "amountVnd"),
                ("/lines", line("national", "99", 5), "category"),
                ("/lines", line("both", "1", 5), "source"),
                ("/lines", #"{"source":"national","category":"1","amountVnd":5,"decisionNo":"1/QĐ"}"#, "approvedOn"),
                ("/targets", #"{"source":"national","category":"1","indicator":"demo_models","quantity":-1}"#, "quantity"),
                ("/targets", #"{"source":"national","category":"1","indicator":"smiles","quantity":1}"#, "indicator"),
            ]
            for (path, body, field) in cases {
                let response = try await post(app, Self.base + path, body, officer)
                #expect(response.status == .unprocessableEntity && response.body.string.contains(field), "\(body): \(response.status)")
            }
            let missing = try await post(app, Self.base + "/lines", #"{"source":"national","category":"1"}"#, officer)
            #expect(missing.status == .badRequest && missing.body.string.contains("amountVnd"))
            #expect(try await post(app, Self.base + "/lines", line("national", "1", 5), officer).status == .created)
            #expect(try await post(app, Self.base + "/national/submit", nil, officer).status == .ok)
            let ministry = try await TestUsers.token(app, "bo.congthuong")
            let wrongYear = try await post(app, Self.base + "/national/approve", #"{"decisionNo":"1/QĐ","approvedOn":"2020-01-01"}"#, ministry)
            #expect(wrongYear.status == .unprocessableEntity && wrongYear.body.string.contains("approvedOn"))
            let noNumber = try await post(app, Self.base + "/national/approve", #"{"decisionNo":"  ","approvedOn":"2026-12-01"}"#, ministry)
            #expect(noNumber.status == .unprocessableEntity && noNumber.body.string.contains("decisionNo"))
            let noReason = try await post(app, Self.base + "/national/return", #"{"reason":""}"#, ministry)
            #expect(noReason.status == .unprocessableEntity && noReason.body.string.contains("reason"))
        }
    }

    @Test func illegalMovesAreConflicts() async throws {
        try await TestApp.run(users: true) { app in
            let officer = try await TestUsers.token(app, "thanhhoa")
            let ministry = try await TestUsers.token(app, "bo.congthuong")
            let decision = #"{"decisionNo":"1/QĐ-BCT","approvedOn":"2026-12-01"}"#
            #expect(try await post(app, Self.base + "/national/submit", nil, officer).status == .conflict)      // nothing to submit
            #expect(try await post(app, Self.base + "/lines", line("national", "1", 5), officer).status == .created)
            #expect(try await post(app, Self.base + "/national/approve", decision, ministry).status == .conflict)  // a draft
            #expect(try await post(app, Self.base + "/national/return", #"{"reason":"x"}"#, ministry).status == .conflict)
            #expect(try await post(app, Self.base + "/national/submit", nil, officer).status == .ok)
            #expect(try await post(app, Self.base + "/national/submit", nil, officer).status == .conflict)
            #expect(try await post(app, Self.base + "/lines", line("national", "2", 5), officer).status == .conflict)  // under review
            #expect(try await post(app, Self.base + "/national/approve", decision, ministry).status == .ok)
            #expect(try await post(app, Self.base + "/national/approve", decision, ministry).status == .conflict)
            #expect(try await post(app, Self.base + "/national/return", #"{"reason":"x"}"#, ministry).status == .conflict)
        }
    }

    @Test func anEditOnAStaleVersionIsRefused() async throws {
        try await TestApp.run(users: true) { app in
            let officer = try await TestUsers.token(app, "thanhhoa")
            let read = try plan(try await get(app, Self.base, officer)).sources.first { $0.source == .national }
            #expect(read?.version == 0)
            #expect(try await post(app, Self.base + "/lines", #"{"source":"national","category":"1","amountVnd":5,"version":0}"#, officer).status == .created)
            // A second editor still holding version 0.
            let stale = try await post(app, Self.base + "/lines", #"{"source":"national","category":"1","amountVnd":7,"version":0}"#, officer)
            #expect(stale.status == .conflict)
            #expect(try await post(app, Self.base + "/national/submit", #"{"version":0}"#, officer).status == .conflict)
            let fresh = try await post(app, Self.base + "/lines", #"{"source":"national","category":"1","amountVnd":7,"version":1}"#, officer)
            #expect(fresh.status == .created)
            #expect(try plan(fresh).sources.first { $0.source == .national }?.lines.first?.draftAmountVnd == 7)
        }
    }

    @Test func anApprovedAnnualReportLocksThePlan() async throws {
        try await TestApp.run(users: true) { app in
            let officer = try await TestUsers.token(app, "thanhhoa")
            let report = PeriodReport(unitID: Self.unitID, year: 2027, period: .fullYear, status: .approved, coverNote: "",
                                      submittedOn: "2028-01-10", approvedOn: "2028-01-12", approvedBy: "khuvuc.bac")
            report.locked = true
            try await report.create(on: app.db)
            #expect(try await post(app, Self.base + "/lines", line("national", "1", 5), officer).status == .locked)
        }
    }

    @Test func thePageTakesTypedAmountsAndKeepsWhatWasTypedOnAnError() async throws {
        try await TestApp.run(users: true) { app in
            var browser = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let page = try await browser.get("/plans/38/2027")
            #expect(page.status == .ok && page.body.string.contains("kế hoạch khuyến công năm 2027"))
            let saved = try await browser.post("/plans/38/2027/lines", ["source": "national", "category": "1", "amountVnd": "1.500.000.000",
                                                                        "reason": "Đăng ký", "versionNational": "0", "versionLocal": "0"])
            #expect(saved.status == .seeOther)
            let refused = try await browser.post("/plans/38/2027/lines", ["source": "local", "category": "2", "amountVnd": "1,5 tỷ",
                                                                          "reason": "Lý do đã gõ", "versionNational": "1", "versionLocal": "0"])
            #expect(refused.status == .unprocessableEntity)
            let html = refused.body.string
            #expect(html.contains("amountVnd") && html.contains(#"value="1,5 tỷ""#) && html.contains(#"value="Lý do đã gõ""#))
            #expect(html.contains(#"<option value="local" selected>"#) && html.contains("1.500.000.000 đ"))
            #expect(try await browser.post("/plans/38/2027/national/submit", ["version": "1"]).status == .seeOther)

            var ministry = try await TestBrowser.signedIn(app, as: "bo.congthuong")
            let review = try await ministry.get("/plans/38/2027")
            #expect(review.body.string.contains(#"id="approve-national""#))
            let missingDate = try await ministry.post("/plans/38/2027/national/approve", ["decisionNo": "2150/QĐ-BCT", "version": "2"])
            #expect(missingDate.status == .unprocessableEntity && missingDate.body.string.contains(#"value="2150/QĐ-BCT""#))
            #expect(try await ministry.post("/plans/38/2027/national/approve",
                                            ["decisionNo": "2150/QĐ-BCT", "approvedOn": "2026-12-15", "version": "2"]).status == .seeOther)
            let approved = try await ministry.get("/plans/38/2027").body.string
            #expect(approved.contains("Đã phê duyệt") && approved.contains("2150/QĐ-BCT") && approved.contains("15/12/2026"))
        }
    }

    @Test func theUnitPageLinksToNextYearsPlanForThoseWhoReadTheUnit() async throws {
        try await TestApp.run(users: true) { app in
            let next = CalendarDate.today().year + 1
            var officer = try await TestBrowser.signedIn(app, as: "thanhhoa")
            #expect(try await officer.get("/units/\(Self.unitID)").body.string.contains("href=\"/plans/38/\(next)\""))
            var stranger = TestBrowser(app)
            #expect(!(try await stranger.get("/units/\(Self.unitID)").body.string.contains("/plans/")))
        }
    }

    @Test func demoPlansOf2027ShowEveryStateAndLeaveEarlierYearsAlone() async throws {
        try await TestApp.run(seeded: true) { app in
            func north(_ year: Int) async throws -> Money {
                try await ReportSummary.compute(ReportScope(area: .region(.north), year: year, period: .fullYear,
                                                            asOf: CalendarDate(2027, 12, 31)), on: app.db).plan.amountVnd
            }
            // The demo seed writes the 2027 plans last; the reference report's plan is untouched by them.
            #expect(try await north(2024) == 170_750_000_000)

            func plan(_ code: UnitCode) async throws -> PlanContents {
                try await PlanContents.load(try PlanKey.resolve(unitCode: code, year: "2027"), on: app.db)
            }
            let nghean = try await plan("40"), thanhhoa = try await plan("38"), hanoi = try await plan("01")
            #expect(nghean.source(.national).status == .approved && nghean.source(.local).status == .returned)
            #expect(thanhhoa.source(.national).status == .submitted && thanhhoa.source(.local).status == .draft)
            #expect(hanoi.source(.national).status == .draft && hanoi.source(.local).status == .approved)
            // Only the approved plans count: Nghệ An national 3,2 + 1,8 (2,1 from 20/3/2027) + 0,6 tỷ; Hà Nội local 6,5 tỷ.
            func unit(_ code: UnitCode, _ asOf: CalendarDate) async throws -> Money {
                try await ReportSummary.compute(ReportScope(area: .unit(code: code), year: 2027, period: .fullYear, asOf: asOf), on: app.db).plan.amountVnd
            }
            #expect(try await unit("40", CalendarDate(2027, 3, 19)) == 5_600_000_000)
            #expect(try await unit("40", CalendarDate(2027, 3, 20)) == 5_900_000_000)
            #expect(try await unit("38", CalendarDate(2027, 12, 31)) == 0)
            #expect(try await unit("01", CalendarDate(2027, 12, 31)) == 6_500_000_000)
            #expect(try await north(2027) == 12_400_000_000)
        }
    }

    @Test func thePlanPagesTotalsAgreeWithTheReportForEveryDemoUnitAndYear() async throws {
        try await TestApp.run(seeded: true) { app in
            var compared = 0
            for year in 2023...2026 {
                // Once every revision of the year is in force, the page's approved amounts are the report's plan.
                let report = try await ReportSummary.compute(ReportScope(area: .region(.north), year: year, period: .fullYear,
                                                                         asOf: CalendarDate(year + 1, 12, 31)), on: app.db)
                for row in report.byUnit {
                    let plan = try await PlanContents.load(PlanKey(unit: try #require(AdminUnitCatalog.standard.unit(id: row.unitID)), year: year), on: app.db)
                    let page = try Money.sum(plan.sources.flatMap(\.lines).compactMap(\.approvedAmount))
                    #expect(page == row.planVnd, "\(row.unitCode) \(year)")
                    compared += 1
                }
            }
            #expect(compared > 60)
        }
    }

    @Test func parallelEditsOnTheSameVersionLandOnce() async throws {
        try await TestApp.run(users: true) { app in
            let officer = try await TestUsers.token(app, "thanhhoa")
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for amount in 1...8 {
                    group.addTask {
                        try await post(app, Self.base + "/lines", #"{"source":"national","category":"1","amountVnd":\#(amount),"version":0}"#, officer).status
                    }
                }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .created }.count == 1)
            #expect(statuses.filter { $0 == .conflict }.count == 7)
            let national = try plan(try await get(app, Self.base, officer)).sources.first { $0.source == .national }
            #expect(national?.version == 1 && national?.lines.count == 1)
        }
    }

    @Test func aRevisionOfAnApprovedPlanNeedsItsDecisionDatedAfterTheApproval() async throws {
        try await TestApp.run(users: true) { app in
            let officer = try await TestUsers.token(app, "thanhhoa")
            #expect(try await post(app, Self.base + "/lines", line("local", "1", 5), officer).status == .created)
            #expect(try await post(app, Self.base + "/local/submit", nil, officer).status == .ok)
            #expect(try await post(app, Self.base + "/local/approve", #"{"decisionNo":"12/QĐ-UBND","approvedOn":"2026-12-20"}"#, officer).status == .ok)
            let target = try await post(app, Self.base + "/targets", #"{"source":"local","category":"1","indicator":"trainees","quantity":40}"#, officer)
            #expect(target.status == .unprocessableEntity && target.body.string.contains("decisionNo"))
            let early = try await post(app, Self.base + "/lines",
                #"{"source":"local","category":"1","amountVnd":9,"reason":"Điều chỉnh","decisionNo":"13/QĐ-UBND","approvedOn":"2026-12-19"}"#, officer)
            #expect(early.status == .unprocessableEntity && early.body.string.contains("approvedOn"))
            let noReason = try await post(app, Self.base + "/lines",
                #"{"source":"local","category":"1","amountVnd":9,"decisionNo":"13/QĐ-UBND","approvedOn":"2027-02-01"}"#, officer)
            #expect(noReason.status == .unprocessableEntity && noReason.body.string.contains("reason"))
            let decided = try await post(app, Self.base + "/targets",
                #"{"source":"local","category":"1","indicator":"trainees","quantity":40,"decisionNo":"13/QĐ-UBND","approvedOn":"2027-02-01"}"#, officer)
            #expect(decided.status == .created)
            #expect(try plan(decided).sources.first { $0.source == .local }?.targets.first?.quantity == 40)
        }
    }
}
