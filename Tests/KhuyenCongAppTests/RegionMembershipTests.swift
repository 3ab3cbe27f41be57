import Fluent
import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// Bình Thuận (old 60) was in the ministry's southern region until it merged into Lâm Đồng (68, central) on 1/7/2025:
/// reports as they were count it in the south, restated ones count its history in the central region, and the
/// reviewers of both regions read its records.
@Suite("Region membership as dated data: Bình Thuận's move")
struct RegionMembershipTests {
    /// The catalog before the correction: Bình Thuận in the central region.
    static func catalogBeforeCorrection() throws -> AdminUnitCatalog {
        let path = TestApp.rootDirectory + "/Sources/KhuyenCongCore/Resources/admin-units.csv"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("60,Bình Thuận,68,Lâm Đồng,south\n"))
        return try AdminUnitCatalog.parse(csv: text.replacingOccurrences(of: "60,Bình Thuận,68,Lâm Đồng,south", with: "60,Bình Thuận,68,Lâm Đồng,central"))
    }

    /// Projects with plan lines and payments in 2024 (Bình Thuận, old Lâm Đồng, Đà Nẵng, Hồ Chí Minh City, Hà Nội)
    /// and 2026 (Lâm Đồng, Đà Nẵng, Hồ Chí Minh City), imported from interchange files.
    static let files: [String: String] = {
        let units2024 = [("60", 3_000_000_000, 1_200_000_000), ("68", 2_000_000_000, 700_000_000), ("48", 2_500_000_000, 900_000_000),
                         ("79", 4_000_000_000, 1_500_000_000), ("01", 5_000_000_000, 2_000_000_000)]
        let units2026 = [("68", 3_500_000_000, 1_100_000_000), ("48", 2_600_000_000, 800_000_000), ("79", 4_100_000_000, 1_300_000_000)]
        var lines = "unit_code,year,source,category,amount_vnd,approved_on,decision_no\n"
        var projects = "code,title,unit_code,year,source,category,implementing_unit,beneficiary_tax_code,beneficiary_name,support_vnd,counterpart_vnd,status,submitted_on,approved_on,allocated_on\n"
        var payments = "project_code,date,amount_vnd,basis\n"
        for (year, units) in [(2024, units2024), (2026, units2026)] {
            for (code, plan, paid) in units {
                let project = "KC-VUNG-\(code)-\(year)"
                lines += "\(code),\(year),local,3,\(plan),\(year - 1)-12-15,\(code)/QĐ-UBND\n"
                projects += "\(project),Phát triển sản phẩm công nghiệp nông thôn,\(code),\(year),local,3,Trung tâm Khuyến công,0100109106,HTX Nông sản Sạch,\(paid),\(paid),in_progress,\(year)-01-10,\(year)-02-01,\n"
                payments += "\(project),\(year)-06-15,\(paid),actual\n"
            }
        }
        return ["plan_lines.csv": lines, "projects.csv": projects, "disbursements.csv": payments]
    }()

    static func withData(_ body: (Application) async throws -> Void) async throws {
        try await TestApp.run(users: true) { app in
            let report = try await ImportTests.run(app, try ImportTests.folder(files))
            #expect(report.committed)
            try await body(app)
        }
    }

    /// `catalog` nil: the region memberships of the database (`region_memberships`), as the pages and the API read them.
    static func figures(_ app: Application, _ area: ReportScope.Area, year: Int, restate: Bool = false,
                        catalog: AdminUnitCatalog? = nil) async throws -> (plan: Money, realised: Money, units: [UnitID]) {
        let summary = try await ReportSummary.compute(ReportScope(area: area, year: year, period: .fullYear, restate: restate), catalog: catalog, on: app.db)
        return (summary.plan.amountVnd, summary.realised.amountVnd, summary.byUnit.map(\.unitID).sorted())
    }

    @Test func asItWasBinhThuanCountsInTheSouthAndOnlyItMoves() async throws {
        try await Self.withData { app in
            let before = try Self.catalogBeforeCorrection()
            let binhThuan = try await Self.figures(app, .unit(code: "60"), year: 2024)
            #expect(binhThuan.plan == 3_000_000_000 && binhThuan.realised == 1_200_000_000)

            let south = try await Self.figures(app, .region(.south), year: 2024)
            let southBefore = try await Self.figures(app, .region(.south), year: 2024, catalog: before)
            let central = try await Self.figures(app, .region(.central), year: 2024)
            let centralBefore = try await Self.figures(app, .region(.central), year: 2024, catalog: before)
            // The south as it was is the sum of its members, Bình Thuận among them.
            #expect(south.units.contains("60@2008-08-01") && !central.units.contains("60@2008-08-01"))
            #expect(south.units.count == 20 && central.units.count == 15)
            var members: Money = 0
            for unit in AdminUnitCatalog.standard.units(in: .south, planYear: 2024) {
                try members += try await Self.figures(app, .unit(code: unit.code), year: 2024).plan
            }
            #expect(south.plan == members && south.plan == 7_000_000_000)
            // Only Bình Thuận moves: what the south gains is its figures, and what the central region loses.
            #expect(try south.plan - southBefore.plan == binhThuan.plan && centralBefore.plan - central.plan == binhThuan.plan)
            #expect(try south.realised - southBefore.realised == binhThuan.realised && centralBefore.realised - central.realised == binhThuan.realised)
            // The north is not touched.
            let north = try await Self.figures(app, .region(.north), year: 2024)
            let northBefore = try await Self.figures(app, .region(.north), year: 2024, catalog: before)
            #expect(north.plan == northBefore.plan && north.plan == 5_000_000_000 && north.realised == northBefore.realised)
        }
    }

    @Test func restatedFiguresDoNotChange() async throws {
        try await Self.withData { app in
            let before = try Self.catalogBeforeCorrection()
            for year in [2024, 2026] {
                for region in Region.allCases {
                    let now = try await Self.figures(app, .region(region), year: year, restate: true)
                    let then = try await Self.figures(app, .region(region), year: year, restate: true, catalog: before)
                    #expect(now.plan == then.plan && now.realised == then.realised && now.units == then.units, "\(region) \(year)")
                }
            }
            // Restated, Bình Thuận's 2024 history is Lâm Đồng's, in the central region.
            let central = try await Self.figures(app, .region(.central), year: 2024, restate: true)
            #expect(central.plan == Money(dong: 3_000_000_000 + 2_000_000_000 + 2_500_000_000))
            #expect(central.units.contains("68@2025-07-01") && !central.units.contains("60@2008-08-01"))
            let south = try await Self.figures(app, .region(.south), year: 2024, restate: true)
            #expect(south.plan == 4_000_000_000 && !south.units.contains("68@2025-07-01"))
            // 2026 as it was: Lâm Đồng is central; its 2025 comparison (across the merger) counts Bình Thuận with it.
            let central2026 = try await Self.figures(app, .region(.central), year: 2026)
            #expect(central2026.plan == Money(dong: 3_500_000_000 + 2_600_000_000))
            // Monitoring lists today's units of the region: Lâm Đồng (no national project, so silent) is central, as it was or restated.
            for restate in [false, true] {
                let south = try await Monitoring.compute(ReportScope(area: .region(.south), year: 2024, period: .fullYear, restate: restate), on: app.db)
                let central = try await Monitoring.compute(ReportScope(area: .region(.central), year: 2024, period: .fullYear, restate: restate), on: app.db)
                #expect(!south.silentUnits.contains { $0.unitCode == "68" } && south.silentUnits.contains { $0.unitCode == "79" })
                #expect(central.silentUnits.contains { $0.unitCode == "68" } && !central.silentUnits.contains { $0.unitCode == "79" })
            }
        }
    }

    @Test func bothRegionsReviewersReadBinhThuanAndTheCentralOneActsAfterTheMerger() async throws {
        try await Self.withData { app in
            for (name, region) in [("khuvuc.nam", "south"), ("khuvuc.trung", "central")] {
                _ = try await UserAdmin.create(username: name, displayName: name, role: .regionReviewer, unitCode: nil, region: region,
                                               password: TestUsers.password(name), actor: "test", app: app)
            }
            let scope = RecordScope(unitID: "60@2008-08-01")
            #expect(scope.region == .central && scope.regions == [.south, .central])
            let south = Principal(username: "khuvuc.nam", role: .regionReviewer, unitCode: nil, region: .south)
            let central = Principal(username: "khuvuc.trung", role: .regionReviewer, unitCode: nil, region: .central)
            let north = Principal(username: "khuvuc.bac", role: .regionReviewer, unitCode: nil, region: .north)
            #expect(AccessPolicy.decide(south, .readRecord, scope) == .allow)
            #expect(AccessPolicy.decide(central, .readRecord, scope) == .allow)
            #expect(AccessPolicy.decide(north, .readRecord, scope) == .notFound)
            #expect(AccessPolicy.decide(central, .ministryStep, scope) == .allow)
            #expect(AccessPolicy.decide(south, .ministryStep, scope) == .forbidden)
            // Old Lâm Đồng's records were never southern.
            #expect(AccessPolicy.decide(south, .readRecord, RecordScope(unitID: "68@2008-08-01")) == .notFound)

            for (user, status) in [("khuvuc.nam", HTTPStatus.ok), ("khuvuc.trung", .ok), ("khuvuc.bac", .notFound)] {
                var browser = try await TestBrowser.signedIn(app, as: user)
                #expect(try await browser.get(Links.project("KC-VUNG-60-2024")).status == status, "\(user)")
            }
            // The southern reviewer's export of 2024 holds Bình Thuận's project; the central one's holds it too (Lâm Đồng's history).
            for region in [Region.south, .central] {
                let sheet = try await Exporter.sheet(.projects, .init(region: region, year: 2024), on: app.db)
                #expect(sheet.rows.contains { $0.first == .text("KC-VUNG-60-2024") }, "\(region)")
            }
            let northSheet = try await Exporter.sheet(.projects, .init(region: .north, year: 2024), on: app.db)
            #expect(!northSheet.rows.contains { $0.first == .text("KC-VUNG-60-2024") })

            // The ministry's consolidation of 2024 lists Bình Thuận among the southern provinces.
            let ministry = Principal(username: "bo", role: .ministryOfficer, unitCode: nil, region: nil)
            let consolidation = try await Consolidation.load(year: 2024, asOf: CalendarDate(2024, 12, 31), for: ministry, on: app.db)
            #expect(consolidation.regions.first { $0.region == .south }?.rows.contains { $0.unitCode == "60" } == true)
            #expect(consolidation.regions.first { $0.region == .central }?.rows.contains { $0.unitCode == "60" } == false)
        }
    }

    /// The memberships are rows of `region_memberships`, seeded by `migrate` from the values the catalog held in code,
    /// and `GET /api/v1/rules` gives them.
    @Test func theTableHoldsTheSeededMembershipsAndTheAPIGivesThem() async throws {
        try await TestApp.run(users: true) { app in
            let rows = try await RegionMembershipRecord.query(on: app.db).all()
            #expect(Set(try rows.map { try $0.membership() }) == Set(AdminUnitCatalog.standard.memberships))
            let binhThuan = try #require(rows.first { $0.unitID == "60@2008-08-01" })
            #expect(binhThuan.unitCode == "60" && binhThuan.region == .south && binhThuan.validFrom == "2008-08-01"
                    && binhThuan.validUntil == "2025-07-01" && binhThuan.legalBasis == AdminUnitCatalog.oldMembershipBasis)
            let catalog = try await AdminUnitCatalog.load(on: app.db)
            #expect(catalog.units(in: .south, planYear: 2024).count == 20 && catalog.units(in: .central, planYear: 2024).count == 15)

            let token = try await TestUsers.token(app, "thanhhoa")
            let response = try await app.testing().sendRequest(.GET, "/api/v1/rules", headers: TestData.bearer(token))
            #expect(response.status == .ok)
            let rules = try JSONDecoder().decode(RulesDTO.self, from: Data(response.body.readableBytesView))
            #expect(rules.regions.count == rows.count)
            #expect(rules.regions.contains { $0.unitCode == "60" && $0.region == .south && $0.validFrom == "2008-08-01" && $0.validUntil == "2025-07-01" })
            #expect(rules.regions.contains { $0.unitCode == "68" && $0.region == .central && $0.validFrom == "2025-07-01" && $0.validUntil == nil })
        }
    }

    /// An administrator moves Bình Thuận to the central region from 2024 with a new dated row: the row in force is
    /// closed (not rewritten), the reports of 2024 as they were follow at once (through the report cache too), those of
    /// 2023 and the restated ones do not move; audited. A row from the same first day supersedes it, kept as history.
    @Test func anAdministratorAddsADatedMembershipAndTheReportsFollow() async throws {
        try await Self.withData { app in
            let scope = ReportScope(area: .region(.south), year: 2024, period: .fullYear)
            #expect(try await ReportSummary.compute(scope, cache: app.reportCache, on: app.db).plan.amountVnd == 7_000_000_000)
            let central2023 = try await Self.figures(app, .region(.central), year: 2023)
            let rowsBefore = try await RegionMembershipRecord.query(on: app.db).count()

            // Only the administrator adds a row; the ministry reads the page without the form; a province does not see it.
            let fields = ["unitID": "60@2008-08-01", "region": "central", "validFrom": "2024-01-01", "validUntil": "",
                          "legalBasis": "Quyết định điều chỉnh khu vực khuyến công (kiểm thử)"]
            var ministry = try await TestBrowser.signedIn(app, as: "bo.congthuong")
            let read = try await ministry.get(Links.adminRules)
            #expect(read.status == .ok && read.body.string.contains("region-memberships") && !read.body.string.contains("add-region"))
            #expect(try await ministry.post(Links.adminRuleRegions, fields).status == .forbidden)
            var province = try await TestBrowser.signedIn(app, as: "thanhhoa")
            #expect(try await province.post(Links.adminRuleRegions, fields).status == .forbidden)

            var admin = try await TestBrowser.signedIn(app, as: "admin")
            let form = try await admin.get(Links.adminRules)
            #expect(form.body.string.contains("add-region") && form.body.string.contains("Bình Thuận (đến 30/06/2025)"))
            // Refusals name the field and keep what was typed.
            let late = try await admin.post(Links.adminRuleRegions, fields.merging(["validFrom": "2026-01-01"]) { $1 })
            #expect(late.status == .unprocessableEntity && late.body.string.contains("validFrom")
                    && late.body.string.contains("Quyết định điều chỉnh khu vực khuyến công (kiểm thử)"))
            let noRegion = try await admin.post(Links.adminRuleRegions, fields.merging(["region": "east"]) { $1 })
            #expect(noRegion.status == .unprocessableEntity && noRegion.body.string.contains("region"))
            #expect(try await RegionMembershipRecord.query(on: app.db).count() == rowsBefore)

            #expect(try await admin.post(Links.adminRuleRegions, fields).status == .seeOther)
            let rows = try await RegionMembershipRecord.query(on: app.db).filter(\.$unitID == "60@2008-08-01").sort(\.$validFrom).all()
            #expect(rows.map { "\($0.region) \($0.validFrom) \($0.validUntil ?? "-")" } == ["south 2008-08-01 2024-01-01", "central 2024-01-01 2025-07-01"])
            #expect(rows.first?.legalBasis == AdminUnitCatalog.oldMembershipBasis)
            let page = try await admin.get(Links.adminRules)
            #expect(page.body.string.contains("Quyết định điều chỉnh khu vực khuyến công (kiểm thử)") && page.body.string.contains("31/12/2023"))

            // 2024 as it was: Bình Thuận's 3 tỷ leave the south for the central region (the cached figures too).
            #expect(try await ReportSummary.compute(scope, cache: app.reportCache, on: app.db).plan.amountVnd == 4_000_000_000)
            let central = try await Self.figures(app, .region(.central), year: 2024)
            #expect(central.plan == Money(dong: 3_000_000_000 + 2_000_000_000 + 2_500_000_000) && central.units.contains("60@2008-08-01"))
            #expect(try await Self.figures(app, .region(.central), year: 2023).units == central2023.units)
            for region in Region.allCases {
                let now = try await Self.figures(app, .region(region), year: 2024, restate: true)
                let then = try await Self.figures(app, .region(region), year: 2024, restate: true, catalog: .standard)
                #expect(now.plan == then.plan && now.units == then.units, "\(region)")
            }
            let consolidation = try await Consolidation.load(year: 2024, asOf: CalendarDate(2024, 12, 31),
                                                             for: Principal(username: "bo", role: .ministryOfficer, unitCode: nil, region: nil), on: app.db)
            #expect(consolidation.regions.first { $0.region == .central }?.rows.contains { $0.unitCode == "60" } == true)

            let audit = try #require(try await AuditEntry.query(on: app.db).filter(\.$recordType == "rule_region").first())
            #expect(audit.actor == "admin" && (audit.before ?? "").contains("south") && (audit.after ?? "").contains("central"))

            // A row from the same first day supersedes the central one from its start; both stay.
            #expect(try await admin.post(Links.adminRuleRegions, fields.merging(["region": "south", "legalBasis": "Hủy điều chỉnh (kiểm thử)"]) { $1 }).status == .seeOther)
            #expect(try await RegionMembershipRecord.query(on: app.db).count() == rowsBefore + 2)
            #expect(try await ReportSummary.compute(scope, cache: app.reportCache, on: app.db).plan.amountVnd == 7_000_000_000)
        }
    }

    /// Access follows the rows too: once an administrator moves Đà Nẵng (48) to the southern region from 2026, the
    /// southern reviewer reads its 2026 project and takes the ministry's steps on it, the central one still reads it
    /// (its history) but no longer acts; another instance's requests see the move at once (a guarded write).
    @Test func aReviewersAccessFollowsTheRegionRows() async throws {
        try await Self.withData { app in
            for (name, region) in [("khuvuc.nam", "south"), ("khuvuc.trung", "central")] {
                _ = try await UserAdmin.create(username: name, displayName: name, role: .regionReviewer, unitCode: nil, region: region,
                                               password: TestUsers.password(name), actor: "test", app: app)
            }
            var south = try await TestBrowser.signedIn(app, as: "khuvuc.nam")
            var central = try await TestBrowser.signedIn(app, as: "khuvuc.trung")
            let project = Links.project("KC-VUNG-48-2026")
            #expect(try await south.get(project).status == .notFound)
            #expect(try await central.get(project).status == .ok)

            let admin = try #require(try await User.find(username: "admin", on: app.db))
            try await RegionAdmin.add(RegionAdmin.Input(unitCode: "48", unitID: nil, region: "south", validFrom: "2026-01-01", validUntil: "",
                                                        legalBasis: "Quyết định điều chỉnh khu vực khuyến công (kiểm thử)"), by: admin, on: app.db)
            #expect(try await south.get(project).status == .ok)
            #expect(try await central.get(project).status == .ok)
            let unitID = try #require(try await Project.query(on: app.db).filter(\.$code == "KC-VUNG-48-2026").first()).unitID
            let scope = try await AdminUnitCatalog.$inForce.withValue(AdminUnitCatalog.load(on: app.db)) { RecordScope(unitID: unitID) }
            let southern = Principal(username: "khuvuc.nam", role: .regionReviewer, unitCode: nil, region: .south)
            let centralOne = Principal(username: "khuvuc.trung", role: .regionReviewer, unitCode: nil, region: .central)
            #expect(scope.region == .south)
            #expect(AccessPolicy.decide(southern, .ministryStep, scope) == .allow)
            #expect(AccessPolicy.decide(centralOne, .ministryStep, scope) == .forbidden)
            // Outside a request the file's regions hold (the CLI and the tests that pass no catalog).
            #expect(RecordScope(unitID: unitID).region == .central)
            // A region's export and quality scope in a signed-in request follow the rows as well.
            let inForce = try await AdminUnitCatalog.load(on: app.db)
            let sheet = try await AdminUnitCatalog.$inForce.withValue(inForce) { try await Exporter.sheet(.projects, .init(region: .south, year: 2026), on: app.db) }
            #expect(sheet.rows.contains { $0.first == .text("KC-VUNG-48-2026") })
            let quality = try AdminUnitCatalog.$inForce.withValue(inForce) { try QualityFindings.parse(region: "south", unit: nil, country: false, year: 2026, period: "FY") }
            #expect(quality.units.contains { $0.id == unitID })
        }
    }

    /// A row given an earlier end: the closed row's region resumes after it, so that no day is without a region.
    @Test func aRowWithAnEndLetsTheFormerRegionResume() async throws {
        try await TestApp.run(users: true) { app in
            let admin = try #require(try await User.find(username: "admin", on: app.db))
            let input = RegionAdmin.Input(unitCode: "60", unitID: nil, region: "central", validFrom: "2024-01-01", validUntil: "2025-01-01",
                                          legalBasis: "Quyết định tạm thời (kiểm thử)")
            try await RegionAdmin.add(input, by: admin, on: app.db)
            let rows = try await RegionMembershipRecord.query(on: app.db).filter(\.$unitID == "60@2008-08-01").sort(\.$validFrom).all()
            #expect(rows.map { "\($0.region) \($0.validFrom) \($0.validUntil ?? "-")" }
                    == ["south 2008-08-01 2024-01-01", "central 2024-01-01 2025-01-01", "south 2025-01-01 2025-07-01"])
            let catalog = try await AdminUnitCatalog.load(on: app.db)
            let binhThuan = try catalog.resolve(code: "60", planYear: 2024)
            #expect(catalog.region(of: binhThuan, on: CalendarDate(2024, 6, 1)) == .central)
            #expect(catalog.region(of: binhThuan, on: CalendarDate(2025, 3, 1)) == .south)
            #expect(catalog.region(of: binhThuan, on: CalendarDate(2025, 7, 1)) == .central)
            // A province officer may not.
            let officer = try #require(try await User.find(username: "thanhhoa", on: app.db))
            await #expect(throws: DomainError.self) { try await RegionAdmin.add(input, by: officer, on: app.db) }
        }
    }
}
