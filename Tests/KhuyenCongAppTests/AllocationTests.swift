import Fluent
import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// The ministry's consolidation of the national plans, its allocations of budget estimates, and the monitoring they
/// feed: approved but not allocated, and national plans sent late to the ministry.
@Suite("Consolidation, allocation and the registration deadlines")
struct AllocationTests: BearerAPIRequests {
    static let base = "/api/v1/plans/38/2027"
    static let unitID: UnitID = "38@2025-07-01"

    func allocation(_ amount: Int64, _ date: String, _ decision: String = "101/QĐ-BCT") -> String {
        #"{"amountVnd":\#(amount),"allocatedOn":"\#(date)","decisionNo":"\#(decision)"}"#
    }

    /// Thanh Hóa's 2027 national plan of 2,5 + 1,5 tỷ, submitted; approved by the ministry on 15/12/2026 when `approve`.
    func nationalPlan(_ app: Application, approve: Bool) async throws {
        let officer = try await TestUsers.token(app, "thanhhoa")
        for (category, amount) in [("1", 2_500_000_000), ("2", 1_500_000_000)] {
            #expect(try await post(app, Self.base + "/lines", #"{"source":"national","category":"\#(category)","amountVnd":\#(amount),"reason":"Đăng ký"}"#, officer).status == .created)
        }
        #expect(try await post(app, Self.base + "/national/submit", nil, officer).status == .ok)
        if approve {
            let ministry = try await TestUsers.token(app, "bo.congthuong")
            #expect(try await post(app, Self.base + "/national/approve", #"{"decisionNo":"2150/QĐ-BCT","approvedOn":"2026-12-15"}"#, ministry).status == .ok)
        }
    }

    @Test func onlyTheMinistryAllocatesAnApprovedPlanAndNeverBeyondIt() async throws {
        try await TestApp.run(users: true) { app in
            let ministry = try await TestUsers.token(app, "bo.congthuong")
            let officer = try await TestUsers.token(app, "thanhhoa")
            let reviewer = try await TestUsers.token(app, "khuvuc.bac")
            try await nationalPlan(app, approve: false)
            // Submitted, not approved: nothing to allocate yet.
            #expect(try await post(app, Self.base + "/allocations", allocation(1_000_000_000, "2027-01-10"), ministry).status == .conflict)

            let approve = try await post(app, Self.base + "/national/approve", #"{"decisionNo":"2150/QĐ-BCT","approvedOn":"2026-12-15"}"#, ministry)
            #expect(approve.status == .ok)
            #expect(try await post(app, Self.base + "/allocations", allocation(1_000_000_000, "2027-01-10"), officer).status == .forbidden)
            #expect(try await post(app, Self.base + "/allocations", allocation(1_000_000_000, "2027-01-10"), reviewer).status == .forbidden)
            // Out of the officer's scope: not found.
            #expect(try await post(app, "/api/v1/plans/40/2027/allocations", allocation(1_000_000_000, "2027-01-10"), officer).status == .notFound)

            let created = try await post(app, Self.base + "/allocations", allocation(2_500_000_000, "2027-01-10", "52/QĐ-BCT"), ministry)
            #expect(created.status == .created)
            let plan = try JSONDecoder().decode(PlanDTO.self, from: Data(created.body.readableBytesView))
            #expect(plan.allocations.map(\.amountVnd) == [2_500_000_000] && plan.allocations.first?.decisionNo == "52/QĐ-BCT"
                    && plan.allocations.first?.allocatedOn == "2027-01-10")

            // 2,5 + 1,6 tỷ would exceed the approved 4 tỷ: 422 naming amountVnd with both figures.
            let over = try await post(app, Self.base + "/allocations", allocation(1_600_000_000, "2027-02-10"), ministry)
            #expect(over.status == .unprocessableEntity)
            #expect(over.body.string.contains("amountVnd") && over.body.string.contains("4100000000") && over.body.string.contains("4000000000"))
            // Bad input is refused at the door, naming the field.
            let early = try await post(app, Self.base + "/allocations", allocation(100_000_000, "2026-12-01"), ministry)
            #expect(early.status == .unprocessableEntity && early.body.string.contains("allocatedOn"))
            let zero = try await post(app, Self.base + "/allocations", allocation(0, "2027-02-10"), ministry)
            #expect(zero.status == .unprocessableEntity && zero.body.string.contains("amountVnd"))
            #expect(try await post(app, Self.base + "/allocations", allocation(1_500_000_000, "2027-02-10"), ministry).status == .created)

            let read = try JSONDecoder().decode(PlanDTO.self, from: Data(try await get(app, Self.base, officer).body.readableBytesView))
            #expect(read.allocations.map(\.amountVnd) == [2_500_000_000, 1_500_000_000])
            #expect(try await PlanAllocation.list(unitID: Self.unitID, year: 2027, on: CalendarDate(2027, 1, 31), db: app.db).count == 1)
            let audit = try await AuditEntry.query(on: app.db).filter(\.$action == "allocate").filter(\.$recordID == "\(Self.unitID)/2027/national").all()
            #expect(audit.count == 2 && audit.allSatisfy { $0.actor == "bo.congthuong" })

            // The page's form: amounts as typed; a refusal comes back with what was typed, on the row.
            var browser = try await TestBrowser.signedIn(app, as: "bo.congthuong")
            let refused = try await browser.post("/plans/38/2027/allocations", ["amountVnd": "1.000", "allocatedOn": "2027-03-01", "decisionNo": "77/QĐ-BCT"])
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains("77/QĐ-BCT") && refused.body.string.contains("amountVnd"))
            var province = try await TestBrowser.signedIn(app, as: "thanhhoa")
            #expect(try await province.post("/plans/38/2027/allocations", ["amountVnd": "1", "allocatedOn": "2027-03-01", "decisionNo": "x"]).status == .forbidden)
        }
    }

    @Test func theWaitingListShrinksAsAllocationsCoverProjectsInOrderOfApproval() async throws {
        try await TestApp.run(users: true) { app in
            try await nationalPlan(app, approve: true)
            let ministry = try await TestUsers.token(app, "bo.congthuong")
            for (code, approvedOn, support) in [("KC27-A", "2027-01-10", Money(dong: 1_000_000_000)), ("KC27-B", "2027-02-01", 1_500_000_000),
                                                ("KC27-C", "2027-03-01", 500_000_000)] {
                try await Project(code: code, title: "Đề án \(code)", unitID: Self.unitID, year: 2027, source: .national, categoryCode: "1",
                                  implementingUnit: "Trung tâm Khuyến công", supportRequestedVnd: support, supportApprovedVnd: support,
                                  counterpartVnd: 0, status: .approved, submittedOn: "2026-05-10", approvedOn: approvedOn, allocatedOn: nil).create(on: app.db)
            }
            func waiting(_ asOf: CalendarDate) async throws -> [String: Int] {
                let monitoring = try await Monitoring.compute(ReportScope(area: .unit(code: "38"), year: 2027, period: .fullYear, asOf: asOf), on: app.db)
                return Dictionary(uniqueKeysWithValues: monitoring.waitingAllocation.map { ($0.projectCode, $0.daysWaiting) })
            }
            let endOfMarch = CalendarDate(2027, 3, 31)
            #expect(try await waiting(endOfMarch) == ["KC27-A": 80, "KC27-B": 58, "KC27-C": 30])

            // 1 tỷ on 15/2 covers the first project from that day on.
            #expect(try await post(app, Self.base + "/allocations", allocation(1_000_000_000, "2027-02-15"), ministry).status == .created)
            #expect(try await waiting(CalendarDate(2027, 2, 14)) == ["KC27-A": 35, "KC27-B": 13])
            #expect(try await waiting(endOfMarch) == ["KC27-B": 58, "KC27-C": 30])
            // 1,6 tỷ more covers the second (cumulative 2,5 of 2,6 tỷ), not the third (3 tỷ).
            #expect(try await post(app, Self.base + "/allocations", allocation(1_600_000_000, "2027-03-10"), ministry).status == .created)
            #expect(try await waiting(endOfMarch) == ["KC27-C": 30])
            // A project with its own allocation date is allocated whatever the unit's allocations.
            let last = try #require(try await Project.query(on: app.db).filter(\.$code == "KC27-C").first())
            last.allocatedOn = "2027-03-20"
            try await last.save(on: app.db)
            #expect(try await waiting(endOfMarch).isEmpty)
            #expect(try await waiting(CalendarDate(2027, 3, 19)) == ["KC27-C": 18])
        }
    }

    @Test func plansSentToTheMinistryAfterItsDeadlineAreLateByTheirDays() async throws {
        try await TestApp.run(users: true) { app in
            // The deadline is data: this year's ministry deadline is 30 June instead of 15 June.
            try await PlanYearSetting(year: 2027, registrationDeadline: "2026-05-20", ministryDeadline: "2026-06-30").create(on: app.db)
            let officer = try #require(try await User.find(username: "thanhhoa", on: app.db))
            let key = try PlanKey.resolve(unitCode: "38", year: "2027")
            try await PlanWorkflow.saveLine(key, .init(source: .national, category: "1", amount: Money(dong: 900_000_000), reason: nil, decision: nil,
                                                       version: nil), by: officer, on: app.db)
            try await PlanWorkflow.submit(key, .national, version: nil, by: officer, today: CalendarDate(2026, 7, 10), on: app.db)

            let asOf = CalendarDate(2026, 7, 20)
            let monitoring = try await Monitoring.compute(ReportScope(area: .region(.north), year: 2026, period: .fullYear, asOf: asOf), on: app.db)
            let of2027 = monitoring.latePlanRegistrations.filter { $0.year == 2027 }
            let thanhhoa = try #require(of2027.first { $0.unitCode == "38" })
            #expect(thanhhoa.state == .late && thanhhoa.daysLate == 10 && thanhhoa.submittedOn == "2026-07-10" && thanhhoa.deadline == "2026-06-30")
            // Nghệ An has sent nothing: missing, late by the days from the deadline to the as-of date.
            let nghean = try #require(of2027.first { $0.unitCode == "40" })
            #expect(nghean.state == .missing && nghean.daysLate == 20 && nghean.submittedOn == nil)
            // Before the deadline nobody is late for 2027.
            let early = try await Monitoring.compute(ReportScope(area: .region(.north), year: 2026, period: .fullYear, asOf: CalendarDate(2026, 6, 30)), on: app.db)
            #expect(early.latePlanRegistrations.filter { $0.year == 2027 }.isEmpty)
            // A submission after the as-of date was not there yet: missing as of that day.
            let before = try await Monitoring.compute(ReportScope(area: .unit(code: "38"), year: 2027, period: .fullYear, asOf: CalendarDate(2026, 7, 5)), on: app.db)
            #expect(before.latePlanRegistrations.first { $0.year == 2027 }.map { ($0.state, $0.daysLate) } ?? (.late, 0) == (.missing, 5))
        }
    }

    @Test func theConsolidationAddsUpThePlanPagesByProvinceRegionAndCountry() async throws {
        try await TestApp.run(seeded: true) { app in
            let ministry = try await TestUsers.token(app, "bo.congthuong")
            let response = try await get(app, "/api/v1/plans/2027/consolidation", ministry)
            #expect(response.status == .ok)
            let data = try JSONDecoder().decode(Consolidation.self, from: Data(response.body.readableBytesView))
            #expect(data.rows.count == AdminUnitCatalog.standard.units(in: nil, planYear: 2027).count)
            var country = Consolidation.Totals()
            for group in data.regions {
                var region = Consolidation.Totals()
                for row in group.rows {
                    // Each row is what the plan page, the registration report and the plan's allocations say.
                    let plan = try await PlanContents.load(try PlanKey.resolve(unitCode: row.unitCode, year: "2027"), on: app.db)
                    let national = plan.source(.national)
                    #expect(try row.approvedVnd == national.lines.compactMap(\.approvedAmount).reduce(0) { try $0 + $1 }, "\(row.unitCode)")
                    #expect(try row.askedVnd == national.lines.compactMap(\.draftAmount).reduce(0) { try $0 + $1 }, "\(row.unitCode)")
                    #expect(row.status == national.status, "\(row.unitCode)")
                    let registration = try await RegistrationReport.load(plan.key, on: app.db)
                    #expect(try row.registeredProjects == registration.rows.count && row.supportRequestedVnd == registration.rows.map(\.supportRequested).reduce(0) { try $0 + $1 })
                    let allocated = try Money.sum(try await PlanAllocation.list(unitID: row.unitID, year: 2027, db: app.db).map(\.amountVnd))
                    #expect(try row.allocatedVnd == allocated && row.notAllocatedVnd == row.approvedVnd - allocated, "\(row.unitCode)")
                    try region.add(row)
                }
                #expect(region.approvedVnd == group.subtotal.approvedVnd && region.allocatedVnd == group.subtotal.allocatedVnd
                        && region.askedVnd == group.subtotal.askedVnd && region.registeredProjects == group.subtotal.registeredProjects)
                try country.add(region)
            }
            #expect(country.approvedVnd == data.total.approvedVnd && country.notAllocatedVnd == data.total.notAllocatedVnd
                    && country.supportRequestedVnd == data.total.supportRequestedVnd && country.units == data.total.units)
            // The demo: Nghệ An fully allocated, Đà Nẵng in part, Cần Thơ not at all; Đà Nẵng sent its plan 10 days late.
            let row = { (code: UnitCode) in data.rows.first { $0.unitCode == code }! }
            #expect(row("40").approvedVnd == 5_900_000_000 && row("40").allocatedVnd == 5_900_000_000 && row("40").notAllocatedVnd == 0)
            #expect(row("48").approvedVnd == 2_800_000_000 && row("48").allocatedVnd == 1_500_000_000 && row("48").notAllocatedVnd == 1_300_000_000)
            #expect(row("92").approvedVnd == 1_800_000_000 && row("92").allocatedVnd == 0)
            #expect(row("48").daysLate == 10 && row("92").daysLate == nil && row("40").daysLate == nil)
            #expect(row("38").askedVnd == 3_400_000_000 && row("38").status == .submitted)
            #expect(data.total.allocatedVnd == 7_400_000_000)

            // The region reviewer sees the north only; a province officer not at all.
            let reviewer = try JSONDecoder().decode(Consolidation.self, from: Data(try await get(app, "/api/v1/plans/2027/consolidation",
                                                                                                try await TestUsers.token(app, "khuvuc.bac")).body.readableBytesView))
            #expect(reviewer.regions.map(\.region) == [.north] && reviewer.rows.contains { $0.unitCode == "40" })
            #expect(try await get(app, "/api/v1/plans/2027/consolidation", try await TestUsers.token(app, "thanhhoa")).status == .forbidden)
            #expect(try await get(app, "/api/v1/plans/1999/consolidation", ministry).status == .unprocessableEntity)

            // The page: links to each plan and registration, the allocation form only where something is left to allocate.
            var browser = try await TestBrowser.signedIn(app, as: "bo.congthuong")
            let page = try await browser.get("/plans/2027/consolidation")
            let html = page.body.string
            #expect(page.status == .ok && html.contains("Thành phố Đà Nẵng") && html.contains("href=\"/plans/48/2027\"")
                    && html.contains("href=\"/plans/48/2027/registration\""))
            #expect(html.contains("id=\"allocate-48\"") && html.contains("id=\"allocate-92\"") && !html.contains("id=\"allocate-40\""))
            #expect(html.contains("Muộn 10 ngày"))
            let sheet = try await browser.get("/plans/2027/consolidation.xlsx")
            #expect(sheet.status == .ok && sheet.headers.contentType?.subType.contains("spreadsheetml") == true)
            // The home page links the ministry (and the reviewers) to next year's consolidation; not a province officer.
            let next = "href=\"/plans/\(CalendarDate.today().year + 1)/consolidation\""
            let home = try await browser.get("/").body.string
            #expect(home.contains(next))
            var officerHome = try await TestBrowser.signedIn(app, as: "thanhhoa")
            #expect(!(try await officerHome.get("/").body.string.contains("/consolidation")))
            var reviewerPage = try await TestBrowser.signedIn(app, as: "khuvuc.bac")
            let reviewerHTML = try await reviewerPage.get("/plans/2027/consolidation").body.string
            #expect(!reviewerHTML.contains("Thành phố Đà Nẵng") && !reviewerHTML.contains("id=\"allocate-"))

            // The dashboard's monitoring lists the late plan: the country's list is longer than the dashboard shows, so
            // its line is in the whole list behind the dashboard's link.
            let dashboard = try await browser.get("/dashboard?country=true&year=2026&asOf=2026-11-30").body.string
            #expect(dashboard.contains("href=\"/dashboard/lists/late-plan-registrations?country=true&amp;year=2026&amp;asOf=2026-11-30\""))
            let latePlans = try await browser.get("/dashboard/lists/late-plan-registrations?country=true&year=2026&asOf=2026-11-30").body.string
            #expect(latePlans.contains("Thành phố Đà Nẵng: kế hoạch năm 2027 trình Bộ ngày 25/06/2026, muộn 10 ngày"))
        }
    }
}
