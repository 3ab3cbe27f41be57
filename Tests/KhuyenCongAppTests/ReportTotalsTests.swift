import Fluent
import Foundation
import KhuyenCongCore
import SQLKit
import Testing
import VaporTesting
@testable import KhuyenCongApp

/// The summary tables that reports read are kept by every write; computing them again from the raw rows must
/// give exactly the same totals.
@Suite("Summary tables kept with every write")
struct ReportTotalsTests {
    /// Every non-zero total of both tables, as sorted text lines.
    static func snapshot(_ app: Application) async throws -> [String] {
        let sql = TestApp.sql(app)
        let reports = try await sql.raw("SELECT year, period, unit_id, source, category_code, measure, value FROM period_totals WHERE value <> 0").all().map {
            "\(try $0.decode(column: "year", as: Int.self)) \(try $0.decode(column: "period", as: String.self)) \(try $0.decode(column: "unit_id", as: String.self)) "
                + "\(try $0.decode(column: "source", as: String.self)) \(try $0.decode(column: "category_code", as: String.self)) "
                + "\(try $0.decode(column: "measure", as: String.self)) = \(try $0.decode(column: "value", as: Int64.self))"
        }
        let projects = try await sql.raw("""
            SELECT project_id, period, measure, actual_sum, actual_rows, estimate_sum FROM project_period_totals
            WHERE actual_sum <> 0 OR actual_rows <> 0 OR estimate_sum <> 0
            """).all().map {
            "\(try $0.decode(column: "project_id", as: UUID.self)) \(try $0.decode(column: "period", as: String.self)) \(try $0.decode(column: "measure", as: String.self)) "
                + "\(try $0.decode(column: "actual_sum", as: Int64.self))/\(try $0.decode(column: "actual_rows", as: Int64.self))/\(try $0.decode(column: "estimate_sum", as: Int64.self))"
        }
        return (reports + projects).sorted()
    }

    @Test func writesOfEveryKindLeaveTheSameTotalsAsARebuildFromTheRawRows() async throws {
        try await TestApp.run(seeded: true, users: true) { app in
            _ = try await ImportTests.run(app, try ImportTests.folder([
                "projects.csv": "code,title,unit_code,year,source,category,implementing_unit,support_vnd,status,allocated_on\n"
                    + "KC-TOT-1,Máy sấy,38,2026,national,1,Trung tâm Khuyến công Thanh Hóa,300000000,in_progress,2026-07-20\n",
                "disbursements.csv": "project_code,date,amount_vnd,basis\nKC-TOT-1,2026-08-01,100000000,estimate\nKC-TOT-1,2026-09-01,90000000,actual\n",
                "outputs.csv": "project_code,date,indicator,quantity,basis\nKC-TOT-1,2026-09-02,establishments_supported,1,actual\n",
            ]))
            // A recorded payment, an estimate turned into an actual, and a row taken away again.
            let officer = try await User.query(on: app.db).filter(\.$role == .provinceOfficer).first()!
            let project = try await Project.find(code: "KC-TOT-1", on: app.db)
            try await ProjectExecution.recordDisbursement(.init(date: "2026-10-05", amountVnd: 20_000_000, kind: "payment"),
                                                          on: project, by: officer, on: app.db)
            let estimate = try await Disbursement.query(on: app.db).filter(\.$basis == .estimate).sort(\.$onDate).first()!
            let stored = Disbursement(projectID: estimate.$project.id, onDate: estimate.onDate, amountVnd: estimate.amountVnd,
                                      basis: estimate.basis, kind: estimate.kind)
            estimate.basis = .actual
            try await DatedRecords.update(estimate, was: stored, of: try #require(try await Project.find(estimate.$project.id, on: app.db)), on: app.db)
            try await DatedRecords.delete(try await Disbursement.query(on: app.db).filter(\.$onDate == "2026-09-01").first()!, of: project, on: app.db)

            let kept = try await Self.snapshot(app)
            #expect(kept.count > 1_000)
            try await ReportTotals.rebuild(on: app.db)
            #expect(try await Self.snapshot(app) == kept)

            // And the reports read them: every period of both years matches one SQL statement over the raw rows.
            let raw = RawFigures(sql: TestApp.sql(app))
            for year in 2023...2026 {
                for period in Period.allCases {
                    let range = period.dates(in: year)
                    let summary = try await ReportSummary.compute(ReportScope(area: .region(.north), year: year, period: period), on: app.db)
                    #expect(summary.realised.amountVnd == (try await raw.realised(region: "north", year: year, from: range.lowerBound.description,
                                                                                    to: range.upperBound.description)), "\(year) \(period)")
                }
            }
        }
    }

    /// The pages' and API's cache never serves figures older than the data: every write raises the version.
    @Test func aCachedReportChangesAsSoonAsAWriteLands() async throws {
        try await TestApp.run(seeded: true) { app in
            let scope = ReportScope(area: .unit(code: "38"), year: 2026, period: .fullYear)
            let before = try await ReportSummary.compute(scope, cache: app.reportCache, on: app.db)
            let version = try await ReportCache.version(on: app.db)
            let project = try await Project.query(on: app.db).filter(\.$unitID == "38@2025-07-01").filter(\.$year == 2026)
                .filter(\.$status == .inProgress).first()
            let id = try #require(project?.id)
            try await DatedRecords.insert(Disbursement(projectID: id, onDate: "2026-11-20", amountVnd: 7_000_000, basis: .actual, kind: .payment),
                                          of: try #require(project), on: app.db)
            #expect(try await ReportCache.version(on: app.db) > version)
            let paid = try await ReportSummary.compute(scope, cache: app.reportCache, on: app.db)
            #expect(try paid.realised.amountVnd == before.realised.amountVnd + 7_000_000)

            let line = try #require(try await PlanLine.query(on: app.db).filter(\.$unitID == "38@2025-07-01").filter(\.$year == 2026).first())
            try await PlanLineRevision(planLineID: line.id!, amountVnd: 1, approvedOn: "2026-11-21", decisionNo: "QĐ-test").create(on: app.db)
            let revised = try await ReportSummary.compute(scope, cache: app.reportCache, on: app.db)
            #expect(revised.plan.amountVnd != paid.plan.amountVnd)
            #expect(try await ReportSummary.compute(scope, on: app.db).plan.amountVnd == revised.plan.amountVnd)
        }
    }
}
