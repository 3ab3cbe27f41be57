import Fluent
import Foundation
import KhuyenCongCore
import Testing
import Vapor
@testable import KhuyenCongApp

/// The quality findings the pages and the API keep per unit (`QualityCache`, under the unit data versions of M0052):
/// a write shows its finding at the next request and a correction clears it, in every running instance (each has its
/// own cache, the versions are in the shared database), and what is kept is exactly what a fresh reckoning finds.
@Suite("Data quality: findings kept per unit follow every write")
struct QualityCacheTests {
    static let million: Int64 = 1_000_000

    @Test func aFindingAppearsAndIsClearedAtOnceInTwoInstancesSharingTheDatabase() async throws {
        try await TestApp.run(users: true) { app in
            let instances = [ReportCache(), ReportCache()]   // two running instances, one database
            let catalog = AdminUnitCatalog.standard
            let thanhHoa = try catalog.resolve(code: "38", planYear: 2026), country = catalog.units(in: nil, planYear: 2026)
            func rules(_ units: [AdminUnit]) async throws -> [[String]] {
                var seen: [[String]] = []
                for cache in instances {
                    let kept = try await QualityFindings.list(.init(units: units, year: 2026, period: .h1), cache: cache, on: app.db)
                    #expect(kept == (try await QualityFindings.list(.init(units: units, year: 2026, period: .h1), on: app.db)))
                    seen.append(kept.map(\.rule))
                }
                return seen
            }

            // A unit's own rule: an over-payment written, seen, corrected.
            let project = try await QualityTests.project(app)
            try await QualityTests.pay(app, project, 400 * Self.million)
            #expect(try await rules([thanhHoa]) == [[], []])
            #expect(try await rules(country) == [[], []])
            project.supportApprovedVnd = Money(dong: 300 * Self.million)
            try await project.save(on: app.db)
            #expect(try await rules([thanhHoa]) == [["overpaid"], ["overpaid"]])
            #expect(try await rules(country) == [["overpaid"], ["overpaid"]])
            project.supportApprovedVnd = Money(dong: 400 * Self.million)
            try await project.save(on: app.db)
            #expect(try await rules([thanhHoa]) == [[], []])
            #expect(try await rules(country) == [[], []])

            // A country-wide rule: a write in Nghệ An gives Thanh Hóa's project a finding, its deletion clears it.
            let other = try await QualityTests.project(app, code: "KC-Q-B", unitCode: "40")
            for item in [project, other] { try await QualityTests.deliver(app, item, 1) }
            try await QualityTests.pay(app, other, 100 * Self.million)
            let shared = Beneficiary(taxCode: "0109999999", name: "HTX chè", legalForm: "Hợp tác xã", commune: "Xã A", sector: "Chè",
                                     womenOwned: false, ethnicMinorityEmployer: false, disadvantagedArea: false)
            try await shared.create(on: app.db)
            try await ProjectBeneficiary(projectID: project.id!, beneficiaryID: shared.id!, supportVnd: Money(dong: 100 * Self.million)).create(on: app.db)
            #expect(try await rules([thanhHoa]) == [[], []])
            let link = ProjectBeneficiary(projectID: other.id!, beneficiaryID: shared.id!, supportVnd: Money(dong: 100 * Self.million))
            try await link.create(on: app.db)
            #expect(try await rules([thanhHoa]) == [["double_funding"], ["double_funding"]])
            // A row of no unit: the establishment's tax code corrected, and the finding names the new one.
            shared.taxCode = "0107777777"
            try await shared.save(on: app.db)
            for cache in instances {
                let found = try await QualityFindings.list(.init(units: [thanhHoa], year: 2026, period: .h1), cache: cache, on: app.db)
                #expect(found.count == 1 && found[0].message.contains("0107777777"))
            }
            try await link.delete(on: app.db)
            #expect(try await rules([thanhHoa]) == [[], []])
        }
    }

    @Test func aWriteReckonsOnlyItsUnitAgainAndACorrectionClearsItsFindingAtOnce() async throws {
        try await TestApp.run(users: true) { app in
            let cache = ReportCache(), quality = QualityCache.of(cache)
            let catalog = AdminUnitCatalog.standard
            let thanhHoa = try catalog.resolve(code: "38", planYear: 2026), ngheAn = try catalog.resolve(code: "40", planYear: 2026)
            let scope = QualityFindings.Scope(units: [thanhHoa, ngheAn], year: 2026, period: .h1)
            func findings() async throws -> [UnitCode: [String]] {
                let kept = try await QualityFindings.list(scope, cache: cache, on: app.db)
                #expect(kept == (try await QualityFindings.list(scope, on: app.db)))
                return Dictionary(grouping: kept, by: \.unitCode).mapValues { $0.map { "\($0.rule) \($0.projectCode ?? "")" } }
            }
            let paid = try await QualityTests.project(app, code: "KC-Q-TH")
            try await QualityTests.pay(app, paid, 400 * Self.million)
            let over = try await QualityTests.project(app, code: "KC-Q-NA", unitCode: "40", approved: 100 * Self.million)
            try await QualityTests.pay(app, over, 150 * Self.million)
            #expect(try await findings() == ["40": ["overpaid KC-Q-NA"]])
            let start = quality.unitsReckoned
            #expect(try await findings() == ["40": ["overpaid KC-Q-NA"]])
            #expect(quality.unitsReckoned == start, "data unchanged: both units' findings reused")

            // A write in Thanh Hóa: its finding shows at once; only Thanh Hóa is reckoned again, Nghệ An's kept.
            paid.supportApprovedVnd = Money(dong: 300 * Self.million)
            try await paid.save(on: app.db)
            #expect(try await findings() == ["38": ["overpaid KC-Q-TH"], "40": ["overpaid KC-Q-NA"]])
            #expect(quality.unitsReckoned == start + 1)
            // The correction clears it at once, again reckoning Thanh Hóa alone.
            paid.supportApprovedVnd = Money(dong: 400 * Self.million)
            try await paid.save(on: app.db)
            #expect(try await findings() == ["40": ["overpaid KC-Q-NA"]])
            #expect(quality.unitsReckoned == start + 2)
            // And Nghệ An's correction clears its own, reckoning Nghệ An alone.
            over.supportApprovedVnd = Money(dong: 150 * Self.million)
            try await over.save(on: app.db)
            #expect(try await findings() == [:])
            #expect(quality.unitsReckoned == start + 3)
        }
    }

    @Test func whatIsKeptIsWhatAFreshReckoningFindsOnTheDemoData() async throws {
        try await TestApp.run(seeded: true) { app in
            let cache = ReportCache()
            let catalog = AdminUnitCatalog.standard
            func compare() async throws {
                for year in [2024, 2026] {
                    for period in [Period.h1, .fullYear] {
                        var scopes = Region.allCases.map { catalog.units(in: $0, planYear: year) }
                        scopes.append(catalog.units(in: nil, planYear: year))
                        for units in scopes {
                            let scope = QualityFindings.Scope(units: units, year: year, period: period)
                            #expect(try await QualityFindings.list(scope, cache: cache, on: app.db) == (try await QualityFindings.list(scope, on: app.db)),
                                    "\(year) \(period)")
                        }
                    }
                }
            }
            try await compare()
            // The planted over-payment in Tuyên Quang, corrected: gone from the region's page at once.
            let north = QualityFindings.Scope(units: catalog.units(in: .north, planYear: 2026), year: 2026, period: .h1)
            #expect(try await QualityFindings.list(north, cache: cache, on: app.db).contains { $0.projectCode == "KC2026-08-DP-901" && $0.rule == "overpaid" })
            let project = try #require(try await Project.query(on: app.db).filter(\.$code == "KC2026-08-DP-901").first())
            project.supportApprovedVnd = try (project.supportApprovedVnd ?? 0).times(10)   // settled: the settled sum is what counts
            project.settledVnd = try project.settledVnd.map { try $0.times(10) }
            try await project.save(on: app.db)
            #expect(!(try await QualityFindings.list(north, cache: cache, on: app.db).contains { $0.projectCode == "KC2026-08-DP-901" && $0.rule == "overpaid" }))
            try await compare()
        }
    }
}
