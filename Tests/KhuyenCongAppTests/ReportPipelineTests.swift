import Fluent
import Foundation
import KhuyenCongCore
import SQLKit
import Testing
import VaporTesting
@testable import KhuyenCongApp

/// One report pipeline (issue 16): the summary, the dashboard's figures, the approved figures and the period-report
/// snapshot are one computation, for every demo scope; the summary tables' SQL keeps the core's rule that actuals
/// supersede estimates.
@Suite("One report pipeline")
struct ReportPipelineTests {
    static func json(_ summary: ReportSummary) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(summary), as: UTF8.self)
    }

    /// Each unit, each region and the country; plan years 2023–2026; H1 and FY: the summary (API, command, document)
    /// equals the dashboard's; a unit's snapshot is its summary; the approved figures add up the approved snapshots.
    @Test func everyDemoScopeGivesTheSameFiguresEveryWay() async throws {
        try await TestApp.run(seeded: true) { app in
            let db = app.db
            let catalog = try await AdminUnitCatalog.load(on: db)
            let asOf = CalendarDate.today()
            var scopes = 0, approvedUnits = 0
            for year in 2023...2026 {
                for period in [Period.h1, .fullYear] {
                    let filed = try await PeriodReport.query(on: db).filter(\.$year == year).filter(\.$period == period).all()
                    var snapshots: [UnitID: ReportSummary] = [:]
                    for report in filed { if let summary = try PeriodReportWorkflow.decode(report.approvedSnapshot) { snapshots[report.unitID] = summary } }
                    let approvedStatus = Set(filed.filter { $0.status == .approved }.map(\.unitID))
                    // The country and the regions also restated onto today's units.
                    let wide = [ReportScope.Area.country] + Region.allCases.map { .region($0) }
                    let areas = wide.map { ($0, false) } + wide.map { ($0, true) }
                        + catalog.units(in: nil, planYear: year).map { (ReportScope.Area.unit(code: $0.code), false) }
                    for (area, restate) in areas {
                        let scope = ReportScope(area: area, year: year, period: period, restate: restate, asOf: asOf)
                        let summary = try await ReportSummary.compute(scope, catalog: catalog, on: db)
                        let dashboard = try await DashboardPage.summaries(scope, catalog: catalog, cache: app.reportCache, on: db)
                        #expect(try Self.json(dashboard.summary) == Self.json(summary), "\(area) \(restate) \(year) \(period)")
                        // With a source and categories too: the summary's outputs are summed by the database over the
                        // scope's units (`.outputsSummed`), the dashboard's added up here from every unit's rows.
                        var localKey = scope
                        (localKey.categories, localKey.source) = (ReportNarrative.keyCategories, .local)
                        #expect(try Self.json(dashboard.localKey) == Self.json(try await ReportSummary.compute(localKey, catalog: catalog, on: db)),
                                "\(area) \(restate) \(year) \(period), local key categories")
                        #expect(dashboard.thisYear.last == (period == .fullYear ? summary.realised.amountVnd : dashboard.thisYear.last))

                        // The approved figures: the approved snapshots of the scope's units, added up.
                        var approvedScope = scope
                        approvedScope.approvedOnly = true
                        let approved = try await ReportSummary.compute(approvedScope, catalog: catalog, on: db)
                        let units = Set(try scope.scopeUnits(catalog: catalog).map(\.id))
                        let mine = snapshots.filter { units.contains($0.key) }
                        #expect(try approved.plan.amountVnd == mine.values.map(\.plan.amountVnd).reduce(0) { try $0 + $1 }, "\(area) \(year) \(period)")
                        #expect(try approved.realised.amountVnd == mine.values.map(\.realised.amountVnd).reduce(0) { try $0 + $1 })
                        #expect(try approved.realised.samePeriodPreviousYearVnd == mine.values.map(\.realised.samePeriodPreviousYearVnd).reduce(0) { try $0 + $1 })
                        #expect(try approved.byCategory.map(\.planVnd).reduce(0) { try $0 + $1 } == approved.plan.amountVnd)
                        #expect(try approved.byUnit.map(\.planVnd).reduce(0) { try $0 + $1 } == approved.plan.amountVnd)
                        for row in approved.byUnit where !restate {
                            #expect(row.planVnd == (mine[row.unitID]?.plan.amountVnd ?? 0) && row.realisedVnd == (mine[row.unitID]?.realised.amountVnd ?? 0))
                        }
                        #expect(summary.approval?.approvedUnits == approvedStatus.intersection(units).count && summary.approval?.units == units.count)
                        #expect(approved.approval?.figures == .approved && summary.approval?.figures == .latest)

                        // A unit: its snapshot (as submitting stores it and reading gives it back) is its summary; where
                        // its report is approved and nothing has changed since, the approved figures are the latest.
                        if case .unit = area, let unit = units.first {
                            let stored = try #require(try PeriodReportWorkflow.decode(try PeriodReportWorkflow.encode(summary)))
                            #expect(try Self.json(stored) == Self.json(summary))
                            if let snapshot = mine[unit] {
                                approvedUnits += 1
                                #expect(snapshot.plan.amountVnd == summary.plan.amountVnd && snapshot.realised.amountVnd == summary.realised.amountVnd)
                                #expect(snapshot.byCategory.map(\.realisedVnd) == summary.byCategory.map(\.realisedVnd))
                                #expect(snapshot.targets.map(\.realised) == summary.targets.map(\.realised))
                                #expect(try Self.json(approved).replacingOccurrences(of: #""figures":"approved""#, with: "")
                                        == Self.json(summary).replacingOccurrences(of: #""figures":"latest""#, with: ""))
                            }
                        }
                        scopes += 1
                    }
                }
            }
            #expect(scopes > 400)
            #expect(approvedUnits > 20)
        }
    }

    /// Monitoring's H1 list and the report's page read one due date: the one configured on the settings page.
    @Test func monitoringAndTheReportPageReadTheConfiguredDueDate() async throws {
        try await TestApp.run(seeded: true) { app in
            let scope = ReportScope(area: .country, year: 2026, period: .h1, asOf: CalendarDate(2026, 7, 20))
            #expect(try await PeriodReportWorkflow.dueDate(year: 2026, period: .h1, on: app.db) == CalendarDate(2026, 7, 15))
            let before = try await Monitoring.compute(scope, on: app.db)
            let missing = before.periodReports.filter { $0.state == .missing }
            #expect(!missing.isEmpty && missing.allSatisfy { $0.daysLate == 5 })

            let admin = try #require(try await User.find(username: "admin", on: app.db))
            try await SettingsWorkflow.setDeadlines(.init(year: 2026, values: ["report_h1": "2026-07-31"], legalBasis: "Công văn gia hạn (thử)"),
                                                    by: admin, on: app.db)
            #expect(try await PeriodReportWorkflow.dueDate(year: 2026, period: .h1, on: app.db) == CalendarDate(2026, 7, 31))
            let after = try await Monitoring.compute(scope, on: app.db)
            #expect(after.periodReports.filter { $0.state == .missing }.isEmpty)
            #expect(after.periodReports.allSatisfy { before.periodReports.map(\.unitCode).contains($0.unitCode) && ($0.daysLate ?? 0) > 0 })
        }
    }

    /// The summary tables' SQL (kept row by row, and rebuilt from the raw rows) against the core's rule
    /// (`PeriodSums`, `ReportMath.realisedByKey`): varied actual and estimate rows of several projects, in every period.
    @Test func theSummaryTablesKeepTheCoresRuleThatActualsSupersedeEstimates() async throws {
        try await TestApp.run(users: true) { app in
            let db = app.db
            var seed: UInt64 = 20261130
            func next(_ n: Int) -> Int { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Int((seed >> 33) % UInt64(n)) }
            struct Key: Hashable { let project: UUID; let measure: String }
            var projects: [UUID: Project] = [:]
            var figures: [DatedFigure<Key>] = []
            for index in 0..<10 {
                let year = 2025 + index % 2
                let unit = try AdminUnitCatalog.standard.resolve(code: ["38", "22", "37"][index % 3], planYear: year)
                let project = Project(code: "KC-SUP-\(index)", title: "Đề án \(index)", unitID: unit.id, year: year,
                                      source: index % 4 == 0 ? .local : .national, categoryCode: String(1 + index % 3),
                                      implementingUnit: "Trung tâm Khuyến công", supportRequestedVnd: 900_000_000, supportApprovedVnd: 900_000_000,
                                      counterpartVnd: 0, status: .inProgress, submittedOn: "\(year - 1)-05-10",
                                      approvedOn: nil, allocatedOn: nil)
                try await project.create(on: db)
                projects[try project.requireID()] = project
                for _ in 0..<(4 + next(14)) {
                    // Mostly in the plan year, a few in the next (never counted); actual or estimate.
                    let date = CalendarDate(year + (next(8) == 0 ? 1 : 0), 1 + next(12), 1 + next(28))
                    let basis: Basis = next(5) < 2 ? .estimate : .actual
                    let id = try project.requireID()
                    if next(3) == 0 {
                        let quantity = Int64(1 + next(9))
                        try await DatedRecords.insert(OutputRecord(projectID: id, onDate: date.description, indicatorCode: "establishments_supported",
                                                                   quantity: quantity, basis: basis), of: project, on: db)
                        figures.append(DatedFigure(key: Key(project: id, measure: "establishments_supported"), date: date, value: quantity, basis: basis))
                    } else {
                        let amount = Int64(1 + next(500)) * 1_000_000
                        try await DatedRecords.insert(Disbursement(projectID: id, onDate: date.description, amountVnd: Money(dong: amount), basis: basis,
                                                                   kind: .payment), of: project, on: db)
                        figures.append(DatedFigure(key: Key(project: id, measure: ReportTotals.money), date: date, value: amount, basis: basis))
                    }
                }
            }
            // One estimate of each project becomes an actual, one row is taken away: the running sums follow.
            for (id, project) in projects {
                let rows = try await Disbursement.query(on: db).filter(\.$project.$id == id).sort(\.$onDate).all()
                if let estimate = rows.first(where: { $0.basis == .estimate }) {
                    let stored = Disbursement(projectID: id, onDate: estimate.onDate, amountVnd: estimate.amountVnd, basis: .estimate, kind: estimate.kind)
                    estimate.basis = .actual
                    try await DatedRecords.update(estimate, was: stored, of: project, on: db)
                    let index = try #require(figures.firstIndex { $0.key == Key(project: id, measure: ReportTotals.money) && $0.date.description == stored.onDate
                        && $0.value == stored.amountVnd.dong && $0.basis == .estimate })
                    figures[index] = DatedFigure(key: figures[index].key, date: figures[index].date, value: stored.amountVnd.dong, basis: .actual)
                }
                if let last = try await Disbursement.query(on: db).filter(\.$project.$id == id).sort(\.$onDate, .descending).first() {
                    try await DatedRecords.delete(last, of: project, on: db)
                    let index = try #require(figures.lastIndex { $0.key == Key(project: id, measure: ReportTotals.money) && $0.date.description == last.onDate
                        && $0.value == last.amountVnd.dong && $0.basis == last.basis })
                    figures.remove(at: index)
                }
            }

            // Expected: the core's rule per project and period, added up per year, period, unit, source, category, measure.
            var expected: [String: Int64] = [:]
            for period in Period.allCases {
                for year in 2025...2026 {
                    let ofYear = figures.filter { projects[$0.key.project]!.year == year }
                    for (key, value) in try ReportMath.realisedByKey(ofYear, in: period.dates(in: year)) where value != 0 {
                        let p = projects[key.project]!
                        expected["\(year) \(period.rawValue) \(p.unitID) \(p.source) \(p.categoryCode) \(key.measure)", default: 0] += value
                    }
                }
            }
            #expect(expected.count > 40)
            func stored() async throws -> [String: Int64] {
                var totals: [String: Int64] = [:]
                for row in try await TestApp.sql(app).raw("SELECT year, period, unit_id, source, category_code, measure, value FROM period_totals WHERE value <> 0").all() {
                    let key = "\(try row.decode(column: "year", as: Int.self)) \(try row.decode(column: "period", as: String.self)) "
                        + "\(try row.decode(column: "unit_id", as: String.self)) \(try row.decode(column: "source", as: String.self)) "
                        + "\(try row.decode(column: "category_code", as: String.self)) \(try row.decode(column: "measure", as: String.self))"
                    totals[key] = try row.decode(column: "value", as: Int64.self)
                }
                return totals
            }
            #expect(try await stored() == expected, "running totals")
            try await ReportTotals.rebuild(on: db)
            #expect(try await stored() == expected, "rebuilt in SQL")
        }
    }
}

/// The period-report snapshot is its own stored type: a text stored before the version was written still reads, a
/// version this build does not know and a broken text are errors (never a unit counted as nothing).
@Suite("Period-report snapshots")
struct PeriodReportSnapshotTests {
    /// A version-1 snapshot as `approved_snapshot` held it before the version field (the summary's JSON, keys sorted).
    static let storedVersion1 = #"{"approval":{"approvedUnits":0,"figures":"latest","sharePct":0,"units":1},"bySource":[{"pctOfPlan":50,"planVnd":1000000000,"realisedVnd":500000000,"source":"national"},{"planVnd":0,"realisedVnd":0,"source":"local"}],"byCategory":[{"category":"1","name":"Xây dựng mô hình trình diễn kỹ thuật","planVnd":1000000000,"realisedVnd":500000000,"sharePct":100}],"byUnit":[{"name":"Thanh Hóa","pctOfPlan":50,"planVnd":1000000000,"rank":1,"realisedVnd":500000000,"unitCode":"38","unitID":"38@2025-07-01"}],"plan":{"amountVnd":1000000000,"previousYearVnd":0},"realised":{"amountVnd":500000000,"pctOfPlan":50,"samePeriodPreviousYearVnd":0},"scope":{"area":"unit","asOf":"2026-07-01","name":"Thanh Hóa","period":"H1","region":"north","restated":false,"unitCode":"38","year":2026},"targets":[{"indicator":"demo_models","name":"Mô hình trình diễn","planned":2,"realised":1}]}"#

    @Test func aStoredVersion1SnapshotReadsAndAddsUp() throws {
        let snapshot = try #require(try PeriodReportSnapshot.read(Self.storedVersion1))
        #expect(snapshot.version == 1 && snapshot.summary.realised.amountVnd == 500_000_000)
        let totals = snapshot.totals
        #expect(totals.byUnit["38@2025-07-01"] == .init(plan: 1_000_000_000, realised: 500_000_000))
        #expect(totals.targets["demo_models"] == .init(plan: 2, realised: 1))
        let twice = try totals + totals
        #expect(twice.plan == 2_000_000_000 && twice.bySource[.national]?.realised == 1_000_000_000)
        // Written again, it carries its version and reads back the same.
        let text = try snapshot.text()
        #expect(text.contains(#""version":1"#))
        #expect(try PeriodReportSnapshot.read(text)?.totals == totals)
    }

    @Test func anUnknownVersionOrABrokenTextIsAnError() throws {
        #expect(throws: PeriodReportSnapshot.Unreadable.self) {
            try PeriodReportSnapshot.read(Self.storedVersion1.replacingOccurrences(of: #"{"approval""#, with: #"{"version":2,"approval""#))
        }
        #expect(throws: PeriodReportSnapshot.Unreadable.self) { try PeriodReportSnapshot.read(#"{"plan":1}"#) }
        #expect(try PeriodReportSnapshot.read(nil) == nil)
    }
}
