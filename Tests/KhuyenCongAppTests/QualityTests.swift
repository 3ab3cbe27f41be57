import Fluent
import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// Data quality (issue 19): each rule on a record that breaks it and one that does not (and a correction clears the
/// finding at once, since nothing is stored); the demo's planted problems; the submission gate; the API's scope.
@Suite("Data quality: rules, findings, submission gate")
struct QualityTests {
    static let unitID: UnitID = "38@2025-07-01"
    static let million: Int64 = 1_000_000

    /// Thanh Hóa's 2026 plan line (national, category 1, 1 tỷ) and an in-progress project approved at 500 million.
    static func project(_ app: Application, code: String = "KC-Q-1", unitCode: UnitCode = "38", approved: Int64 = 500_000_000,
                        status: ProjectStatus = .inProgress, line: Bool = true) async throws -> Project {
        let unit = try AdminUnitCatalog.standard.resolve(code: unitCode, planYear: 2026)
        if line, try await PlanLine.query(on: app.db).filter(\.$unitID == unit.id).filter(\.$year == 2026).count() == 0 {
            let planLine = PlanLine(id: UUID(), unitID: unit.id, year: 2026, source: .national, categoryCode: "1")
            try await planLine.create(on: app.db)
            try await PlanLineRevision(planLineID: planLine.id!, amountVnd: 1_000_000_000, approvedOn: "2025-12-20", decisionNo: "1/QĐ").create(on: app.db)
        }
        let project = try await TestData.draftProject(code: code, unitCode: unitCode, on: app.db)
        project.status = status
        project.supportApprovedVnd = Money(dong: approved)
        project.allocatedOn = "2026-01-10"
        try await project.save(on: app.db)
        return project
    }

    static func pay(_ app: Application, _ project: Project, _ amount: Int64, on date: String = "2026-03-01", kind: String = "payment",
                    basis: String = "actual") async throws {
        try await DatedRecords.insert(Disbursement(projectID: project.id!, onDate: date, amountVnd: Money(dong: amount), basis: try Basis(parsing: basis), kind: try DisbursementKind(parsing: kind)), of: project, on: app.db)
    }

    static func deliver(_ app: Application, _ project: Project, _ quantity: Int64, on date: String = "2026-05-01", basis: String = "actual") async throws {
        try await DatedRecords.insert(OutputRecord(projectID: project.id!, onDate: date, indicatorCode: "establishments_supported", quantity: quantity, basis: try Basis(parsing: basis)),
                                      of: project, on: app.db)
    }

    static func findings(_ app: Application, unit: UnitCode = "38", period: Period = .h1, year: Int = 2026) async throws -> [QualityFindings.Finding] {
        let scope = QualityFindings.Scope(units: [try AdminUnitCatalog.standard.resolve(code: unit, planYear: year)], year: year, period: period)
        let fresh = try await QualityFindings.list(scope, on: app.db)
        // The pages' path: kept per unit under the unit data versions (M0052), so every write and correction shows at once.
        #expect(try await QualityFindings.list(scope, cache: app.reportCache, on: app.db) == fresh)
        return fresh
    }

    static func rules(_ app: Application, unit: UnitCode = "38", period: Period = .h1) async throws -> [String] {
        try await findings(app, unit: unit, period: period).map(\.rule)
    }

    // MARK: - Robust statistics

    @Test func medianMadAndModifiedZScoreAreExactOnWholeDong() {
        #expect(RobustStatistics.median([5, 1, 3]) == 3)
        #expect(RobustStatistics.median([1, 2, 3, 4]) == 2)   // (2 + 3) / 2 rounded down
        #expect(RobustStatistics.median([Int64.max, Int64.max - 1]) == Int64.max - 1)   // no overflow
        #expect(RobustStatistics.medianAbsoluteDeviation([1, 1, 2, 2, 4, 6, 9]) == 1)
        let costs: [Int64] = [100, 110, 95, 105, 98, 102, 97, 103, 101]
        #expect(RobustStatistics.outliers(costs).isEmpty)
        #expect(RobustStatistics.outliers(costs + [400]).map(\.index) == [9])
        #expect(RobustStatistics.logOutliers(costs + [1]).map(\.index) == [9])
        #expect(RobustStatistics.outliers(Array(costs.prefix(5)) + [400]).isEmpty)   // too few to judge
    }

    // MARK: - One test per rule: broken, not broken, corrected

    @Test func overpaid() async throws {
        try await TestApp.run(users: true) { app in
            let project = try await Self.project(app)
            try await Self.pay(app, project, 400 * Self.million)
            #expect(try await Self.rules(app).isEmpty)
            project.supportApprovedVnd = Money(dong: 300 * Self.million)   // support cut after the payment
            try await project.save(on: app.db)
            let found = try await Self.findings(app)
            #expect(found.map(\.rule) == ["overpaid"])
            #expect(found.first?.severity == "error" && found.first?.projectCode == "KC-Q-1" && found.first?.unitCode == "38")
            project.supportApprovedVnd = Money(dong: 400 * Self.million)   // corrected: the finding is gone at once
            try await project.save(on: app.db)
            #expect(try await Self.rules(app).isEmpty)
        }
    }

    @Test func advanceOverShare() async throws {
        try await TestApp.run(users: true) { app in
            let project = try await Self.project(app)
            let share = SupportRules.advanceShare(category: project.categoryCode, planYear: project.year)
            let allowed = 500 * Self.million * share / 100
            try await Self.pay(app, project, allowed, kind: "advance")
            try await Self.deliver(app, project, 2)
            #expect(try await Self.rules(app).isEmpty)
            try await Self.pay(app, project, 1 * Self.million, on: "2026-03-05", kind: "advance")
            #expect(try await Self.rules(app) == ["advance_over_share"])
        }
    }

    @Test func outputWithoutMoney() async throws {
        try await TestApp.run(users: true) { app in
            let project = try await Self.project(app)
            try await Self.deliver(app, project, 3)
            #expect(try await Self.rules(app) == ["output_without_money"])
            try await Self.pay(app, project, 100 * Self.million, on: "2026-06-01", basis: "estimate")
            #expect(try await Self.rules(app).isEmpty)
        }
    }

    @Test func moneyWithoutOutputByAcceptance() async throws {
        try await TestApp.run(users: true) { app in
            let project = try await Self.project(app, status: .accepted)
            try await ProjectEvent(projectID: project.id!, fromStatus: .inProgress, toStatus: .accepted, onDate: "2026-05-01", actor: "t",
                                   decisionNo: nil, note: "Nghiệm thu").create(on: app.db)
            try await Self.pay(app, project, 100 * Self.million)
            #expect(try await Self.rules(app) == ["money_without_output"])
            try await Self.deliver(app, project, 2)
            #expect(try await Self.rules(app).isEmpty)
        }
    }

    @Test func acceptedWithoutRecord() async throws {
        try await TestApp.run(users: true) { app in
            let project = try await Self.project(app, status: .accepted)
            try await Self.pay(app, project, 100 * Self.million)
            try await Self.deliver(app, project, 2)
            #expect(try await Self.rules(app) == ["accepted_without_record"])
            try await ProjectEvent(projectID: project.id!, fromStatus: .inProgress, toStatus: .accepted, onDate: "2026-05-01", actor: "t",
                                   decisionNo: nil, note: "Nghiệm thu").create(on: app.db)
            #expect(try await Self.rules(app).isEmpty)
        }
    }

    @Test func settledWithEstimates() async throws {
        try await TestApp.run(users: true) { app in
            let project = try await Self.project(app, status: .settled)
            try await ProjectEvent(projectID: project.id!, fromStatus: .inProgress, toStatus: .accepted, onDate: "2026-05-01", actor: "t",
                                   decisionNo: nil, note: "Nghiệm thu").create(on: app.db)
            try await Self.pay(app, project, 100 * Self.million, on: "2026-06-20", basis: "estimate")
            try await Self.deliver(app, project, 2)
            #expect(try await Self.rules(app) == ["settled_with_estimates"])
            try await Self.pay(app, project, 95 * Self.million, on: "2026-06-28")
            #expect(try await Self.rules(app).isEmpty)
        }
    }

    @Test func realisedOverPlan() async throws {
        try await TestApp.run(users: true) { app in
            let project = try await Self.project(app, approved: 1_200 * Self.million)
            try await Self.pay(app, project, 900 * Self.million)
            try await Self.deliver(app, project, 4)
            #expect(try await Self.rules(app).isEmpty)
            try await Self.pay(app, project, 200 * Self.million, on: "2026-04-01")   // 1,1 tỷ on a plan of 1 tỷ
            let found = try await Self.findings(app)
            #expect(found.map(\.rule) == ["realised_over_plan"])
            #expect(found.first?.projectCode == nil && found.first?.severity == "warning")
        }
    }

    @Test func doubleFundingAcrossProvinces() async throws {
        try await TestApp.run(users: true) { app in
            let a = try await Self.project(app, code: "KC-Q-A"), b = try await Self.project(app, code: "KC-Q-B", unitCode: "40")
            for project in [a, b] {
                try await Self.pay(app, project, 100 * Self.million)
                try await Self.deliver(app, project, 1)
            }
            let shared = Beneficiary(taxCode: DemoQuality.doubleFundedTaxCode, name: "HTX chè", legalForm: "Hợp tác xã", commune: "Xã A", sector: "Chè",
                                     womenOwned: false, ethnicMinorityEmployer: false, disadvantagedArea: false)
            try await shared.create(on: app.db)
            try await ProjectBeneficiary(projectID: a.id!, beneficiaryID: shared.id!, supportVnd: Money(dong: 100 * Self.million)).create(on: app.db)
            #expect(try await Self.rules(app).isEmpty)   // one project: fine
            try await ProjectBeneficiary(projectID: b.id!, beneficiaryID: shared.id!, supportVnd: Money(dong: 100 * Self.million)).create(on: app.db)
            #expect(try await Self.rules(app) == ["double_funding"])
            #expect(try await Self.rules(app, unit: "40") == ["double_funding"])
            b.categoryCode = "2"   // another kind of support: no double funding
            try await b.save(on: app.db)
            #expect(try await Self.rules(app).isEmpty)
        }
    }

    @Test func staleEstimateAfterTheH1ReportIsApproved() async throws {
        try await TestApp.run(users: true) { app in
            let project = try await Self.project(app)
            try await Self.pay(app, project, 100 * Self.million, on: "2026-06-25", basis: "estimate")
            try await Self.pay(app, project, 50 * Self.million, on: "2026-09-10")
            try await Self.deliver(app, project, 2, on: "2026-06-26")
            #expect(try await Self.rules(app, period: .fullYear).isEmpty)   // the H1 report is not approved yet
            try await PeriodReport(unitID: Self.unitID, year: 2026, period: .h1, status: .approved, coverNote: "", submittedOn: "2026-07-10",
                                   approvedOn: "2026-07-20", approvedBy: "khuvuc.bac").create(on: app.db)
            #expect(try await Self.rules(app, period: .fullYear) == ["stale_estimate"])
            #expect(try await Self.rules(app, period: .h1).isEmpty)
            try await Self.pay(app, project, 100 * Self.million, on: "2026-06-28")   // the actual account replaces it
            #expect(try await Self.rules(app, period: .fullYear).isEmpty)
        }
    }

    @Test func unitCostOutlierAgainstTheCountry() async throws {
        try await TestApp.run(users: true) { app in
            let units: [UnitCode] = ["38", "40", "42", "01", "24", "25", "31", "33", "37", "22"]
            for (index, unit) in units.enumerated() {
                let project = try await Self.project(app, code: "KC-Q-\(index)", unitCode: unit, approved: 300 * Self.million)
                try await Self.pay(app, project, Int64(90 + index * 4) * Self.million)
                try await Self.deliver(app, project, index % 2 == 0 ? 1 : 2)
            }
            #expect(try await QualityFindings.list(.init(units: AdminUnitCatalog.standard.units(in: nil, planYear: 2026), year: 2026, period: .h1), on: app.db)
                .filter { $0.rule == "unit_cost_outlier" }.isEmpty)
            let typo = try await Self.project(app, code: "KC-Q-TYPO", unitCode: "38", approved: 300 * Self.million)
            try await Self.pay(app, typo, 100 * Self.million)
            try await Self.deliver(app, typo, 120)   // 120 establishments typed for 1
            let found = try await Self.findings(app)
            #expect(found.map(\.rule) == ["unit_cost_outlier"] && found.first?.projectCode == "KC-Q-TYPO")
        }
    }

    @Test func yearOnYearJumpOfThePlan() async throws {
        try await TestApp.run(users: true) { app in
            let previous = try AdminUnitCatalog.standard.resolve(code: "38", planYear: 2025)
            let line = PlanLine(id: UUID(), unitID: previous.id, year: 2025, source: .national, categoryCode: "1")
            try await line.create(on: app.db)
            try await PlanLineRevision(planLineID: line.id!, amountVnd: Money(dong: 300 * Self.million), approvedOn: "2024-12-20", decisionNo: "2/QĐ").create(on: app.db)
            _ = try await Self.project(app)   // 2026: 1 tỷ against 300 million: within 5 times
            #expect(try await Self.rules(app).isEmpty)
            let revision = try #require(try await PlanLineRevision.query(on: app.db).filter(\.$planLine.$id == line.id!).first())
            revision.amountVnd = Money(dong: 150 * Self.million)   // 1 tỷ against 150 million: beyond 5 times
            try await revision.save(on: app.db)
            #expect(try await Self.rules(app) == ["year_on_year_jump"])
        }
    }

    @Test func theRulesAreDatedRowsWithSeverityAndAVietnameseExplanation() async throws {
        try await TestApp.run { app in
            let rules = try await QualityFindings.rules(year: 2026, period: .h1, on: app.db)
            #expect(Set(rules.keys) == ["overpaid", "advance_over_share", "output_without_money", "money_without_output", "accepted_without_record",
                                        "settled_with_estimates", "realised_over_plan", "double_funding", "stale_estimate", "unit_cost_outlier", "year_on_year_jump"])
            #expect(rules.values.allSatisfy { ["error", "warning"].contains($0.severity) && !$0.explanation.isEmpty && !$0.name.isEmpty })
            // A later dated row changes a rule from its date on (here: overpaid becomes a warning from 2027).
            try await QualityRuleRecord(code: "overpaid", name: "Giải ngân vượt", severity: "warning", explanation: "x", scope: "project",
                                        limitValue: nil, validFrom: "2027-01-01").create(on: app.db)
            #expect(try await QualityFindings.rules(year: 2026, period: .fullYear, on: app.db)["overpaid"]?.severity == "error")
            #expect(try await QualityFindings.rules(year: 2027, period: .h1, on: app.db)["overpaid"]?.severity == "warning")
        }
    }

    // MARK: - Submission, comments, the reviewer

    @Test func anErrorBlocksSubmissionAWarningNeedsACommentAndTheReviewerSeesBoth() async throws {
        try await TestApp.run(users: true) { app in
            let project = try await Self.project(app)
            try await Self.pay(app, project, 400 * Self.million)
            try await Self.deliver(app, project, 3)
            project.supportApprovedVnd = Money(dong: 300 * Self.million)
            try await project.save(on: app.db)
            let other = try await Self.project(app, code: "KC-Q-2", approved: 100 * Self.million)
            try await Self.deliver(app, other, 1)   // output, no money: a warning
            var officer = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let base = "/period-reports/\(Self.unitID)/2026/H1"
            let blocked = try await officer.post(base + "/submit", ["coverNote": "Báo cáo 6 tháng"])
            #expect(blocked.status == .unprocessableEntity)
            #expect(blocked.body.string.contains("lỗi dữ liệu"))
            #expect(try await PeriodReport.query(on: app.db).count() == 0)   // nothing written

            project.supportApprovedVnd = Money(dong: 500 * Self.million)   // the officer corrects the error
            try await project.save(on: app.db)
            let stillBlocked = try await officer.post(base + "/submit", [:])
            #expect(stillBlocked.status == .unprocessableEntity && stillBlocked.body.string.contains("giải trình"))
            let page = try await officer.get("/quality?unit=38&year=2026&period=H1")
            #expect(page.status == .ok && page.body.string.contains("Có kết quả nhưng chưa chi tiền") && page.body.string.contains("KC-Q-2"))
            let commented = try await officer.post("/quality/comments", ["unitID": Self.unitID.rawValue, "year": "2026", "period": "H1",
                                                                         "rule": "output_without_money", "subject": "KC-Q-2",
                                                                         "comment": "Hội thảo do đơn vị khác chi, thanh toán vào tháng 7"])
            #expect(commented.status == .seeOther)
            #expect(try await officer.post(base + "/submit", [:]).status == .seeOther)
            #expect(try await PeriodReport.query(on: app.db).first()?.status == .submitted)

            var reviewer = try await TestBrowser.signedIn(app, as: "khuvuc.bac")
            let review = try await reviewer.get(base)
            #expect(review.body.string.contains("Có kết quả nhưng chưa chi tiền"))
            #expect(review.body.string.contains("Hội thảo do đơn vị khác chi, thanh toán vào tháng 7"))
            #expect(review.body.string.contains("0 lỗi, 1 cảnh báo"))
            // The API gives the same finding with its comment, as the contract says.
            let token = try await TestUsers.token(app, "khuvuc.bac")
            let json = try await app.testing().sendRequest(.GET, "/api/v1/quality?unit=38&year=2026&period=H1", headers: TestData.bearer(token))
            let object = try JSONSerialization.jsonObject(with: Data(json.body.readableBytesView)) as? [String: Any]
            let rows = try #require(object?["findings"] as? [[String: Any]])
            #expect(rows.count == 1)
            #expect(rows.first?["rule"] as? String == "output_without_money" && rows.first?["projectCode"] as? String == "KC-Q-2")
            #expect(rows.first?["comment"] as? String == "Hội thảo do đơn vị khác chi, thanh toán vào tháng 7")
            #expect(Set(rows.first?.keys.map { $0 } ?? []) == ["rule", "severity", "projectCode", "unitCode", "message", "comment"])
        }
    }

    @Test func theAPIAnswersWithinTheCallersScope() async throws {
        try await TestApp.run(users: true) { app in
            let project = try await Self.project(app)
            try await Self.deliver(app, project, 1)
            let officer = try await TestUsers.token(app, "thanhhoa")
            func get(_ query: String, _ token: String?) async throws -> TestingHTTPResponse {
                try await app.testing().sendRequest(.GET, "/api/v1/quality?" + query, headers: token.map(TestData.bearer) ?? [:])
            }
            let own = try await get("unit=38&year=2026&period=H1", officer)
            #expect(own.status == .ok && own.body.string.contains("output_without_money") && own.body.string.contains("\"comment\":null"))
            // The API reuses findings while the data is unchanged; the payment that answers the finding clears it at once.
            #expect(try await get("unit=38&year=2026&period=H1", officer).body.string.contains("output_without_money"))
            try await Self.pay(app, project, 10 * Self.million)
            #expect(try await get("unit=38&year=2026&period=H1", officer).body.string == "{\"findings\":[]}")
            #expect(try await get("unit=40&year=2026&period=H1", officer).status == .notFound)
            #expect(try await get("region=north&year=2026&period=H1", officer).status == .notFound)
            #expect(try await get("unit=38&year=2026&period=H1", nil).status == .unauthorized)
            #expect(try await get("unit=38&year=2026&period=Q7", officer).status == .unprocessableEntity)
            #expect(try await get("unit=38&region=north&year=2026", officer).status == .unprocessableEntity)
            let reviewer = try await TestUsers.token(app, "khuvuc.bac")
            #expect(try await get("region=north&year=2026&period=H1", reviewer).status == .ok)
            #expect(try await get("region=south&year=2026&period=H1", reviewer).status == .notFound)
            #expect(try await get("country=true&year=2026&period=H1", try await TestUsers.token(app, "bo.congthuong")).status == .ok)
        }
    }

    // MARK: - The demo data

    @Test func theDemosPlantedProblemsAreFoundAndNothingElse() async throws {
        try await TestApp.run(seeded: true) { app in
            let planted: Set<String> = ["overpaid KC2026-08-DP-901", "double_funding KC2026-08-DP-902", "double_funding KC2026-22-QG-901",
                                        "unit_cost_outlier KC2026-22-QG-902"]
            let country = AdminUnitCatalog.standard
            for period in [Period.h1, .fullYear] {
                let found = try await QualityFindings.list(.init(units: country.units(in: nil, planYear: 2026), year: 2026, period: period), on: app.db)
                #expect(Set(found.filter { $0.rule != "stale_estimate" }.map { "\($0.rule) \($0.projectCode ?? $0.unitCode.rawValue)" }) == planted, "\(period)")
                // An FY check also names the H1 estimates left unreplaced after an approved H1 report: each one is true.
                for finding in found where finding.rule == "stale_estimate" {
                    let project = try #require(try await Project.query(on: app.db).filter(\.$code == finding.projectCode!).first())
                    let h1 = Period.h1.dates(in: 2026)
                    let rows = try await Disbursement.query(on: app.db).filter(\.$project.$id == project.id!).all().map { ($0.onDate, $0.basis) }
                        + (try await OutputRecord.query(on: app.db).filter(\.$project.$id == project.id!).all().map { ($0.onDate, $0.basis) })
                    let inH1 = rows.filter { h1.contains(try! CalendarDate(parsing: $0.0)) }
                    #expect(inH1.contains { $0.1 == .estimate }, "\(finding.message)")
                    #expect(try await PeriodReport.query(on: app.db).filter(\.$unitID == project.unitID).filter(\.$year == 2026)
                        .filter(\.$period == .h1).first()?.status == .approved)
                }
            }
            for year in [2023, 2025, 2027] {
                #expect(try await QualityFindings.list(.init(units: country.units(in: nil, planYear: year), year: year, period: .h1), on: app.db).isEmpty, "\(year)")
            }
            // Tuyên Quang's returned H1 report cannot be submitted until the over-payment and the double funding are put right.
            let officer = try #require(try await User.query(on: app.db).filter(\.$role == .ministryOfficer).first())
            let key = try PeriodReportWorkflow.key(unitCode: "08", year: 2026, period: "H1")
            await #expect(throws: DomainError.self) { _ = try await PeriodReportWorkflow.submit(key, coverNote: nil, by: officer, on: app.db) }
            // The page of the region lists them, each linking to its project.
            var reviewer = try await TestBrowser.signedIn(app, as: "khuvuc.bac")
            let page = try await reviewer.get("/quality?region=north&year=2026&period=H1")
            #expect(page.status == .ok)
            for code in ["KC2026-08-DP-901", "KC2026-08-DP-902", "KC2026-22-QG-901", "KC2026-22-QG-902"] {
                #expect(page.body.string.contains(Links.project(code)))
            }
        }
    }
}
