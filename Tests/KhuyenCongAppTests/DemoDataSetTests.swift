import Fluent
import KhuyenCongCore
import SQLKit
import Testing
import VaporTesting
@testable import KhuyenCongApp

@Suite("Demo data set: the situations the ministry monitors")
struct DemoDataSetTests {
    @Test func everyLifecycleStatusAppearsAndEveryHistoryIsLegal() async throws {
        try await TestApp.run(seeded: true) { app in
            let projects = try await Project.query(on: app.db).all()
            #expect(projects.count >= 300)
            #expect(Set(projects.map(\.status)) == Set(ProjectStatus.allCases))
            let events = try await ProjectEvent.query(on: app.db).all()
            let byProject = Dictionary(grouping: events, by: { $0.$project.id })
            for project in projects {
                let history = try #require(byProject[project.id!]).sorted { (a: ProjectEvent, b: ProjectEvent) -> Bool in
                    (a.onDate, a.fromStatus == nil ? 0 : 1) < (b.onDate, b.fromStatus == nil ? 0 : 1)
                }
                #expect(history.last?.toStatus == project.status, "\(project.code)")
                for event in history {
                    guard let from = event.fromStatus else { continue }
                    _ = try Lifecycle.transition(from: from, to: event.toStatus,
                                                 source: project.source)
                }
            }
        }
    }

    @Test func somePlan2025NationalProjectsWereSubmittedAfterTheDeadline() async throws {
        try await TestApp.run(seeded: true) { app in
            let deadline = try #require(try await PlanYearSetting.find(2025, on: app.db)).registrationDeadline
            #expect(deadline == "2024-05-20")
            let late = try await Project.query(on: app.db)
                .filter(\.$year == 2025).filter(\.$source == .national).filter(\.$submittedOn > deadline).all()
            #expect(Set(late.map { String($0.unitID.rawValue.prefix(2)) }) == ["02", "14", "38"])
        }
    }

    @Test func someProvincesRegisteredNoNationalProjectForThreeYears() async throws {
        try await TestApp.run(seeded: true) { app in
            let catalog = AdminUnitCatalog.standard
            let national = try await Project.query(on: app.db).filter(\.$source == .national).filter(\.$year >= 2024).all()
            // Counted on today's units: a merged province is active if any of its predecessors registered.
            let active = Set(national.compactMap { catalog.unit(id: $0.unitID) }.map { catalog.restated($0).code })
            let silent = catalog.units(in: .north, planYear: 2026).map(\.code).filter { !active.contains($0) }
            #expect(silent == ["04", "11", "12"])
        }
    }

    @Test func nationalProjectsOfCategoriesOneAndTwoOf2024WaitForAllocation() async throws {
        try await TestApp.run(seeded: true) { app in
            let projects = try await Project.query(on: app.db)
                .filter(\.$year == 2024).filter(\.$source == .national).filter(\.$categoryCode ~~ ["1", "2"]).all()
            let waiting = projects.filter { $0.status == .approved }
            #expect(waiting.count >= 20)
            #expect(waiting.allSatisfy { $0.approvedOn != nil && $0.allocatedOn == nil })
            // The others never got that far: rejected or cancelled at registration.
            #expect(projects.filter { $0.status != .approved }.allSatisfy { [.rejected, .cancelled].contains($0.status) })
            let paid = try await Disbursement.query(on: app.db).filter(\.$project.$id ~~ waiting.compactMap(\.id)).count()
            #expect(paid == 0)
        }
    }

    @Test func beneficiariesCarryValidTaxCodesAndDisbursementsHaveBothBases() async throws {
        try await TestApp.run(seeded: true) { app in
            let beneficiaries = try await Beneficiary.query(on: app.db).all()
            #expect(beneficiaries.count > 100)
            for beneficiary in beneficiaries { _ = try TaxCode(beneficiary.taxCode) }
            let bases = Set(try await Disbursement.query(on: app.db).all().map(\.basis))
            #expect(bases == [.actual, .estimate])
            let outputBases = Set(try await OutputRecord.query(on: app.db).all().map(\.basis))
            #expect(outputBases == [.actual, .estimate])
        }
    }

    @Test func seedingAgainIsRefusedAndWritesNothing() async throws {
        try await TestApp.run(seeded: true) { app in
            let before = try await Project.query(on: app.db).count()
            await #expect(throws: DomainError.self) { _ = try await DemoSeed.run(on: app.db) }
            #expect(try await Project.query(on: app.db).count() == before)
        }
    }

    @Test func migratingTwiceKeepsOneCopyOfTheReferenceData() async throws {
        try await TestApp.run { app in
            try await migrate(app)
            #expect(try await AdminUnitRecord.query(on: app.db).count() == 63 + 34)
            #expect(try await RegionRecord.query(on: app.db).count() == 3)
            #expect(try await CategoryRecord.query(on: app.db).count() == 9)
            #expect(try await IndicatorRecord.query(on: app.db).count() == 6)
            let bacNinh = try #require(try await AdminUnitRecord.find("24@2025-07-01", on: app.db))
            #expect(bacNinh.name == "Bắc Ninh")
        }
    }

    /// The monitoring lists of the dashboard and the narrative find what the demo data set holds.
    @Test func monitoringListsLateRegistrationsSilentProvincesWaitingProjectsAndThePipeline() async throws {
        try await TestApp.run(seeded: true) { app in
            let asOf = CalendarDate(2026, 11, 29)
            let y2024 = try await Monitoring.compute(ReportScope(area: .region(.north), year: 2024, period: .h1, asOf: asOf), on: app.db)
            let rawWaiting = try await Project.query(on: app.db).filter(\.$year == 2024).filter(\.$source == .national)
                .filter(\.$status == .approved).all()
            #expect(Set(y2024.waitingAllocation.map(\.projectCode)) == Set(rawWaiting.map(\.code)))
            #expect(y2024.waitingAllocation.map(\.daysWaiting) == y2024.waitingAllocation.map(\.daysWaiting).sorted(by: >))
            let y2024Projects = try await Project.query(on: app.db).filter(\.$year == 2024).all()
                .filter { AdminUnitCatalog.standard.unit(id: $0.unitID)?.region == .north }
            for row in y2024.pipeline {
                let group = y2024Projects.filter { $0.status == row.status }
                #expect(row.count == group.count, "\(row.status)")
                #expect(try row.requestedVnd == Money.sum(group.map(\.supportRequestedVnd)), "\(row.status)")
            }
            #expect(y2024.pipeline.map(\.count).reduce(0, +) == y2024Projects.count)

            let y2025 = try await Monitoring.compute(ReportScope(area: .region(.north), year: 2025, period: .h1, asOf: asOf), on: app.db)
            #expect(Set(y2025.lateSubmissions.filter { $0.year == 2025 }.map { String($0.unitCode) }) == ["02", "14", "38"])
            #expect(y2025.lateSubmissions.allSatisfy { $0.daysLate > 0 })

            let y2026 = try await Monitoring.compute(ReportScope(area: .region(.north), year: 2026, period: .h1, asOf: asOf), on: app.db)
            #expect(y2026.silentUnits.map(\.unitCode) == ["04", "11", "12"])
            var local = ReportScope(area: .region(.north), year: 2024, period: .h1, asOf: asOf)
            local.source = .local
            let localOnly = try await Monitoring.compute(local, on: app.db)
            #expect(localOnly.waitingAllocation.isEmpty && localOnly.lateSubmissions.isEmpty)
        }
    }
}

@Suite("Demo data set: money stays within its ceilings")
struct DemoCeilingTests {
    @Test func noProjectIsPaidMoreThanItsApprovedSupportAndNoLineIsOverCommitted() async throws {
        try await TestApp.run(seeded: true) { app in
            let projects = try await Project.query(on: app.db).all()
            let paid = Dictionary(grouping: try await Disbursement.query(on: app.db).filter(\.$basis == .actual).all(), by: { $0.$project.id })
            for project in projects {
                let total = try Money.sum((paid[project.id!] ?? []).map(\.amountVnd))
                #expect(total <= (project.supportApprovedVnd ?? 0), "\(project.code) paid \(total)")
            }
            for line in try await PlanLine.query(on: app.db).with(\.$revisions).all() {
                let committed = try projects.filter {
                    $0.unitID == line.unitID && $0.year == line.year && $0.source == line.source && $0.categoryCode == line.categoryCode
                        && ProjectRules.committedStatuses.contains($0.status)
                }.reduce(Money.zero) { try $0 + ($1.supportApprovedVnd ?? 0) }
                #expect(committed <= line.revision(asOf: "9999-12-31")!.amountVnd)
            }
        }
    }
}

@Suite("Synthetic data set")
struct SyntheticSeedTests {
    @Test func theSmallScaleCoversTheCountryAcrossTheMergerWithEveryStatus() async throws {
        try await TestApp.run { app in
            let result = try await SyntheticSeed.run(years: 3, scale: .small, lastYear: 2026, on: app.db)
            #expect(result.projects == (28 + 28 + 18) * 5)   // five projects per northern unit and year
            let projects = try await Project.query(on: app.db).all()
            #expect(projects.count == result.projects)
            #expect(Set(projects.filter { $0.year == 2024 }.map(\.unitID)).count == 28)     // the north, before the merger
            #expect(Set(projects.filter { $0.year == 2026 }.map(\.unitID)).count == 18)     // and after
            #expect(Set(projects.map(\.status)).count >= 14)
            #expect(try await Disbursement.query(on: app.db).count() == result.disbursements)
            // One establishment per project; settled and closed projects went through their acceptance.
            #expect(try await ProjectBeneficiary.query(on: app.db).count() == result.projects)
            let units = AdminUnitCatalog.standard.units(in: .north, planYear: 2026)
            let findings = try await QualityFindings.evaluate(.init(units: units, year: 2026, period: .fullYear), on: app.db)
            #expect(!findings.contains { $0.rule == "accepted_without_record" })
            let restated = try await ReportSummary.compute(ReportScope(area: .region(.north), year: 2025, period: .fullYear, restate: true), on: app.db)
            #expect(restated.byUnit.count == 18 && restated.plan.amountVnd > 0 && restated.realised.amountVnd > 0)
        }
    }
}
