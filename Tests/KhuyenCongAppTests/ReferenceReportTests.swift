import Foundation
import KhuyenCongCore
import Testing
import VaporTesting
@testable import KhuyenCongApp

/// The demo data set reproduces every figure of the reference report (north, 2024, H1), computed both from the
/// raw rows by plain SQL and by the report code.
@Suite("Demo data set and the reference report")
struct ReferenceReportTests {
    @Test func rawRowsGiveTheReferenceFigures() async throws {
        try await TestApp.run(seeded: true) { app in
            let raw = RawFigures(sql: TestApp.sql(app))
            let plan2024 = try await raw.plan(region: "north", year: 2024)
            let plan2023 = try await raw.plan(region: "north", year: 2023)
            let h1_2024 = try await raw.realised(region: "north", year: 2024, from: "2024-01-01", to: "2024-06-30")
            let h1_2023 = try await raw.realised(region: "north", year: 2023, from: "2023-01-01", to: "2023-06-30")
            #expect(VietnameseFormat.billions(plan2024) == "170,8 tỷ đồng")
            #expect(VietnameseFormat.billions(plan2023) == "186,5 tỷ đồng")
            #expect(VietnameseFormat.percent(Ratio(try plan2023 - plan2024, over: plan2023)) == "8,5%")
            #expect(VietnameseFormat.billions(h1_2024) == "34,7 tỷ đồng")
            #expect(VietnameseFormat.percent(Ratio(h1_2024, over: plan2024)) == "20,3%")
            #expect(VietnameseFormat.change(Ratio.change(from: h1_2023, to: h1_2024), decimals: 2) == "+10,25%")

            let key = try await raw.plan(region: "north", year: 2024, categories: ["1", "2"])
            #expect(VietnameseFormat.billions(key) == "98,1 tỷ đồng")
            #expect(VietnameseFormat.percent(Ratio(key, over: plan2024)) == "57,4%")
            #expect(try await raw.targets(region: "north", year: 2024, indicator: "demo_models") == 13)
            #expect(try await raw.targets(region: "north", year: 2024, indicator: "establishments_supported") == 324)
            #expect(try await raw.targets(region: "north", year: 2024, indicator: "cp_assessments") == 35)

            let localKeyPlan = try await raw.plan(region: "north", year: 2024, source: "local", categories: ["1", "2"])
            let localKeyH1 = try await raw.realised(region: "north", year: 2024, from: "2024-01-01", to: "2024-06-30",
                                                    source: "local", categories: ["1", "2"])
            #expect(VietnameseFormat.billions(localKeyH1) == "14,1 tỷ đồng")
            #expect(VietnameseFormat.percent(Ratio(localKeyH1, over: localKeyPlan)) == "26,3%")
            #expect(try await raw.outputs(region: "north", year: 2024, indicator: "establishments_supported",
                                          from: "2024-01-01", to: "2024-06-30", source: "local") == 57)
            #expect(try await raw.outputs(region: "north", year: 2024, indicator: "cp_assessments",
                                          from: "2024-01-01", to: "2024-06-30", source: "local") == 11)
        }
    }

    @Test func theSummaryReportAgreesWithTheRawRows() async throws {
        try await TestApp.run(seeded: true) { app in
            let raw = RawFigures(sql: TestApp.sql(app))
            let summary = try await ReportSummary.compute(
                ReportScope(area: .region(.north), year: 2024, period: .h1), on: app.db)
            #expect(summary.plan.amountVnd == (try await raw.plan(region: "north", year: 2024)))
            #expect(summary.plan.previousYearVnd == (try await raw.plan(region: "north", year: 2023)))
            #expect(summary.realised.amountVnd == (try await raw.realised(region: "north", year: 2024, from: "2024-01-01", to: "2024-06-30")))
            #expect(summary.realised.samePeriodPreviousYearVnd
                    == (try await raw.realised(region: "north", year: 2023, from: "2023-01-01", to: "2023-06-30")))
            #expect(summary.byUnit.count == 28)
            #expect(summary.targets.first { $0.indicator == "establishments_supported" }?.planned == 324)

            let local = try await ReportSummary.compute(
                ReportScope(area: .region(.north), year: 2024, period: .h1, source: .local), on: app.db)
            let keyRealised = local.byCategory.filter { ["1", "2"].contains($0.category) }.map(\.realisedVnd)
            #expect(VietnameseFormat.billions(try Money.sum(keyRealised)) == "14,1 tỷ đồng")
            #expect(local.targets.first { $0.indicator == "establishments_supported" }?.realised == 57)
            #expect(local.targets.first { $0.indicator == "cp_assessments" }?.realised == 11)
        }
    }

    @Test func bacGiangAndOldBacNinhPlansRestateIntoTheNewBacNinh() async throws {
        try await TestApp.run(seeded: true) { app in
            let asItWas = try await ReportSummary.compute(ReportScope(area: .region(.north), year: 2024, period: .fullYear), on: app.db)
            let restated = try await ReportSummary.compute(
                ReportScope(area: .region(.north), year: 2024, period: .fullYear, restate: true), on: app.db)
            let bacGiang = try #require(asItWas.byUnit.first { $0.unitID == "24@2008-08-01" })
            let oldBacNinh = try #require(asItWas.byUnit.first { $0.unitID == "27@2008-08-01" })
            let newBacNinh = try #require(restated.byUnit.first { $0.unitID == "24@2025-07-01" })
            #expect(bacGiang.name == "Bắc Giang")
            #expect(newBacNinh.name == "Bắc Ninh")
            #expect(bacGiang.planVnd > 0 && oldBacNinh.planVnd > 0)
            #expect(try newBacNinh.planVnd == bacGiang.planVnd + oldBacNinh.planVnd)
            #expect(restated.byUnit.count == 18)
            #expect(restated.plan.amountVnd == asItWas.plan.amountVnd)
        }
    }

    @Test func thePlanUsesTheLatestRevisionApprovedByTheAsOfDate() async throws {
        try await TestApp.run(seeded: true) { app in
            let raw = RawFigures(sql: TestApp.sql(app))
            let early = try await ReportSummary.compute(
                ReportScope(area: .region(.north), year: 2024, period: .h1, asOf: CalendarDate(2024, 6, 30)), on: app.db)
            let expected = try await raw.plan(region: "north", year: 2024, asOf: "2024-06-30")
            #expect(early.plan.amountVnd == expected)
            // Some lines were revised in July 2024, so the plan as of 30 June differs from today's.
            #expect(expected != (try await raw.plan(region: "north", year: 2024)))
        }
    }
}
