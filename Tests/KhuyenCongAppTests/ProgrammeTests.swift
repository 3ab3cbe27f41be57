import Fluent
import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// The five-year programme 2026–2030: its pages and API, its guarded write, and achievement to date taken from the
/// same report figures as the report JSON (summed over the programme's years, on today's units).
@Suite("Five-year programme 2026–2030")
struct ProgrammeTests: BearerAPIRequests {
    static let base = "/api/v1/programmes/2026-2030"

    func decode(_ response: TestingHTTPResponse) throws -> ProgrammeDTO {
        try JSONDecoder().decode(ProgrammeDTO.self, from: Data(response.body.readableBytesView))
    }

    /// The realised outputs per indicator (and money) of one year's report, as the report API answers it.
    func reportFigures(_ app: Application, _ token: String, _ scope: String, year: Int, period: String, asOf: String,
                       source: String? = nil) async throws -> (outputs: [String: Int64], money: Money) {
        let path = "/api/v1/reports/summary?\(scope)&year=\(year)&period=\(period)&asOf=\(asOf)" + (source.map { "&source=\($0)" } ?? "")
        let response = try await get(app, path, token)
        #expect(response.status == .ok, "\(path)")
        let summary = try JSONDecoder().decode(ReportSummary.self, from: Data(response.body.readableBytesView))
        return (Dictionary(summary.targets.map { ($0.indicator, $0.realised) }, uniquingKeysWith: +), summary.realised.amountVnd)
    }

    /// Σ over the years of the reports' figures.
    func expected(_ app: Application, _ token: String, _ scopes: [String], years: [(Int, String)], asOf: String,
                  source: String? = nil) async throws -> (outputs: [String: Int64], money: Money) {
        var outputs: [String: Int64] = [:], money: Money = .zero
        for scope in scopes {
            for (year, period) in years {
                let figures = try await reportFigures(app, token, scope, year: year, period: period, asOf: asOf, source: source)
                outputs.merge(figures.outputs, uniquingKeysWith: +)
                try money += figures.money
            }
        }
        return (outputs.filter { $0.value != 0 }, money)
    }

    func achieved(_ dto: ProgrammeDTO) -> [String: Int64] {
        Dictionary(dto.targets.map { ($0.indicator, $0.achieved) }, uniquingKeysWith: +).filter { $0.value != 0 }
    }

    @Test func achievementIsTheSumOfEachYearsReportFiguresForTheCountryARegionAndAMergedProvince() async throws {
        try await TestApp.run(seeded: true) { app in
            let ministry = try await TestUsers.token(app, "bo.congthuong")
            let asOf = "2027-12-31"
            let years = [(2026, "FY"), (2027, "FY")]
            // A second programme year with results: a 2027 local project of Bắc Ninh with two models and a payment.
            let project = try await TestData.draftProject(code: "KC2027-24-DP-901", unitCode: "24", on: app.db)
            project.year = 2027
            project.source = .local
            project.status = .inProgress
            try await project.save(on: app.db)
            try await OutputRecord(projectID: try project.requireID(), onDate: "2027-05-10", indicatorCode: "demo_models", quantity: 2, basis: .actual).create(on: app.db)
            try await Disbursement(projectID: try project.requireID(), onDate: "2027-05-12", amountVnd: 300_000_000, basis: .actual, kind: .advance).create(on: app.db)
            try await ReportTotals.rebuild(on: app.db)

            // The country: the national programme against the national projects.
            let national = try decode(try await get(app, Self.base + "?year=2027&asOf=\(asOf)", ministry))
            let country = try await expected(app, ministry, ["country=true"], years: years, asOf: asOf, source: "national")
            #expect(!country.outputs.isEmpty && country.money > 0)
            #expect(achieved(national) == country.outputs)
            #expect(national.realisedVnd == country.money)
            #expect(national.decision?.number == "2646/QĐ-BCT" && national.decision?.date == "2025-09-23")
            #expect(national.basis == "national" && national.countedSource == "national")
            let models = try #require(national.targets.first { $0.indicator == "demo_models" })
            #expect(models.quantity == 400)
            // ‰ exactly, rounded half away from zero.
            #expect(models.perMille == Int((models.achieved * 1_000 + 200) / 400))

            // Bắc Ninh (24): a province of today that merged Bắc Giang and the old Bắc Ninh; its programme against all of
            // its projects, as the unit report states them.
            let bacNinh = try decode(try await get(app, Self.base + "/24?year=2027&asOf=\(asOf)", ministry))
            let unit = try await expected(app, ministry, ["unit=24"], years: years, asOf: asOf)
            #expect(!unit.outputs.isEmpty)
            #expect(achieved(bacNinh) == unit.outputs && bacNinh.realisedVnd == unit.money)
            #expect(bacNinh.name == "Bắc Ninh" && bacNinh.basis == "province" && bacNinh.decision?.signer == "UBND tỉnh Bắc Ninh")
            #expect(bacNinh.years.map(\.year) == [2026, 2027])
            #expect(bacNinh.years.last?.outputs["demo_models"] == 2 && bacNinh.years.last?.realisedVnd == 300_000_000)
            let only2026 = try decode(try await get(app, Self.base + "/24?year=2026&asOf=\(asOf)", ministry))
            #expect(bacNinh.targets.first { $0.indicator == "demo_models" }?.achieved
                    == (only2026.targets.first { $0.indicator == "demo_models" }?.achieved ?? 0) + 2)

            // The national answer lists the provinces' programmes with the same figures.
            let listed = try #require(national.provinces?.first { $0.unitCode == "24" })
            #expect(Dictionary(listed.targets.map { ($0.indicator, $0.achieved) }, uniquingKeysWith: +).filter { $0.value != 0 } == unit.outputs)
            #expect(Set(national.provinces?.map(\.unitCode) ?? []) == ["24", "25", "38"])
        }
    }

    @Test func theDashboardComparesARegionWithItsProvincesProgrammesThroughItsPeriod() async throws {
        try await TestApp.run(seeded: true) { app in
            let ministry = try await TestUsers.token(app, "bo.congthuong")
            // The region's standing: the three northern provinces' programmes, against those provinces' reports.
            let through = ProgrammeProgress.Through(year: 2026, period: .q2, asOf: CalendarDate(2026, 9, 30))
            let standing = try await ProgrammeStanding.compute(.region(.north), term: .current, through: through, on: app.db)
            #expect(standing.basis == .provinces && standing.provincesWithProgramme == 3 && standing.provincesInArea == 18)
            // Q2 counts from the year's start: the H1 reports.
            let sum = try await expected(app, ministry, ["unit=24", "unit=25", "unit=38"], years: [(2026, "H1")], asOf: "2026-09-30")
            #expect(!sum.outputs.isEmpty)
            #expect(standing.rows.reduce(into: [String: Int64]()) { $0[$1.indicator] = $1.achieved }.filter { $0.value != 0 } == sum.outputs)
            #expect(standing.rows.first { $0.indicator == "demo_models" }?.target == Optional(Int64(25 + 20 + 18)))

            let page = try await app.testing().sendRequest(.GET, "/dashboard?region=north&year=2026&period=Q2&asOf=2026-09-30")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains("Thực hiện Chương trình khuyến công 2026–2030"))
            #expect(html.contains("3/18 tỉnh, thành phố"))
            #expect(html.contains("Mô hình trình diễn kỹ thuật") && !html.contains(">demo_models<"))
            // A unit of before the merger leads to the province of today that covers it: Vĩnh Phúc (26) → Phú Thọ.
            let vinhPhuc = try await app.testing().sendRequest(.GET, "/dashboard?unit=26&year=2025&period=FY")
            #expect(vinhPhuc.status == .ok)
            #expect(vinhPhuc.body.string.contains("Chương trình khuyến công Phú Thọ 2026–2030"))
            #expect(vinhPhuc.body.string.contains(Links.programme(unitCode: "25")))
        }
    }

    static let thanhHoaProgramme = #"{"decisionNo":"4127/QĐ-UBND","decidedOn":"2025-12-18","signer":"UBND tỉnh Thanh Hóa","localVnd":75000000000,"targets":[{"indicator":"demo_models","quantity":25},{"indicator":"trainees","quantity":1500}]}"#

    @Test func onlyTheMinistryDecidesTheNationalProgrammeAndAProvinceOnlyItsOwn() async throws {
        try await TestApp.run(users: true) { app in
            let ministry = try await TestUsers.token(app, "bo.congthuong")
            let thanhHoa = try await TestUsers.token(app, "thanhhoa")
            let reviewer = try await TestUsers.token(app, "khuvuc.bac")
            let viewer = try await TestUsers.token(app, "xem")
            let national = #"{"decisionNo":"2646/QĐ-BCT","decidedOn":"2025-09-23","signer":"Bộ Công Thương","nationalVnd":1500000000000,"targets":[{"indicator":"demo_models","quantity":400}]}"#

            #expect(try await post(app, Self.base, national, thanhHoa).status == .forbidden)
            #expect(try await post(app, Self.base, national, reviewer).status == .forbidden)
            let created = try await post(app, Self.base, national, ministry)
            #expect(created.status == .created)
            #expect(try decode(created).money.first?.plannedVnd == 1_500_000_000_000)
            #expect(try await post(app, Self.base, national, ministry).status == .ok)    // a replacement

            // A province's: its officer records it; another province's officer does not see it; the ministry may not.
            #expect(try await post(app, Self.base + "/38", Self.thanhHoaProgramme, ministry).status == .forbidden)
            #expect(try await post(app, Self.base + "/40", Self.thanhHoaProgramme, thanhHoa).status == .notFound)
            let own = try await post(app, Self.base + "/38", Self.thanhHoaProgramme, thanhHoa)
            #expect(own.status == .created)
            #expect(try decode(own).version == 1)
            #expect(try await get(app, Self.base + "/40", thanhHoa).status == .notFound)
            #expect(try await get(app, Self.base + "/38", viewer).status == .notFound)
            #expect(try await get(app, Self.base + "/38", reviewer).status == .ok)
            #expect(try await get(app, Self.base, viewer).status == .ok)
            #expect(try await get(app, Self.base + "/99", ministry).status == .notFound)

            // A stale version is refused; every write left its audit row.
            let stale = try await post(app, Self.base + "/38", Self.thanhHoaProgramme.replacingOccurrences(of: #""targets""#, with: #""version":0,"targets""#), thanhHoa)
            #expect(stale.status == .conflict)
            let audit = try await AuditEntry.query(on: app.db).filter(\.$recordType == "programme").all()
            #expect(audit.count == 3)
            #expect(Set(audit.map(\.action)) == ["record_programme", "revise_programme"])
        }
    }

    @Test func badInputIsRefusedNamingTheFieldAndWritesNothing() async throws {
        try await TestApp.run(users: true) { app in
            let thanhHoa = try await TestUsers.token(app, "thanhhoa")
            let cases: [(String, String)] = [
                (Self.thanhHoaProgramme.replacingOccurrences(of: "2025-12-18", with: "2019-12-18"), "decidedOn"),
                (Self.thanhHoaProgramme.replacingOccurrences(of: "2025-12-18", with: "2025-02-30"), "decidedOn"),
                (Self.thanhHoaProgramme.replacingOccurrences(of: #""decisionNo":"4127/QĐ-UBND""#, with: #""decisionNo":"  ""#), "decisionNo"),
                (Self.thanhHoaProgramme.replacingOccurrences(of: #""indicator":"trainees""#, with: #""indicator":"tractors""#), "targets[1].indicator"),
                (Self.thanhHoaProgramme.replacingOccurrences(of: #""quantity":25"#, with: #""quantity":-25"#), "targets[0].quantity"),
                (Self.thanhHoaProgramme.replacingOccurrences(of: #""indicator":"trainees""#, with: #""indicator":"demo_models""#), "targets[1].indicator"),
                (Self.thanhHoaProgramme.replacingOccurrences(of: "75000000000", with: "-1"), "localVnd"),
                (Self.thanhHoaProgramme.replacingOccurrences(of: "75000000000", with: "9000000000000000000"), "localVnd"),
                (#"{"decisionNo":"1/QĐ-UBND","decidedOn":"2026-01-01","signer":"UBND","targets":[]}"#, "targets"),
            ]
            for (body, field) in cases {
                let response = try await post(app, Self.base + "/38", body, thanhHoa)
                #expect(response.status == .unprocessableEntity, "\(field): \(response.status)")
                #expect(response.body.string.contains(field), "\(response.body.string)")
            }
            #expect(try await ProgrammeRecord.query(on: app.db).count() == 0)
            // The reading's options too.
            for (query, field) in [("period=ZZ", "period"), ("asOf=2026-13-01", "asOf"), ("year=1999", "year")] {
                let response = try await get(app, Self.base + "?" + query, thanhHoa)
                #expect(response.status == .unprocessableEntity && response.body.string.contains(field), "\(query): \(response.status)")
            }

            // The form: the refusal names the field and keeps what was typed.
            var browser = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let refused = try await browser.post("/programmes/2026-2030/38", [
                "decisionNo": "4127/QĐ-UBND", "decidedOn": "2025-12-18", "signer": "UBND tỉnh Thanh Hóa",
                "localVnd": "75.000.000.000", "target_demo_models": "25", "target_trainees": "một nghìn", "version": "0",
            ])
            #expect(refused.status == .unprocessableEntity)
            let html = refused.body.string
            #expect(html.contains("target_trainees:"))
            #expect(html.contains(#"value="một nghìn""#) && html.contains(#"value="75.000.000.000""#) && html.contains(#"value="4127/QĐ-UBND""#))
            #expect(try await ProgrammeRecord.query(on: app.db).count() == 0)

            // Typed as officers type it, it is saved.
            let saved = try await browser.post("/programmes/2026-2030/38", [
                "decisionNo": "4127/QĐ-UBND", "decidedOn": "2025-12-18", "signer": "UBND tỉnh Thanh Hóa",
                "localVnd": "75.000.000.000", "target_demo_models": "25", "target_trainees": "1.500", "version": "0",
            ])
            #expect(saved.status == .seeOther)
            let programme = try #require(try await ProgrammeContents.load(try .province(code: "38", term: .current), term: .current, on: app.db))
            #expect(programme.money[.local] == 75_000_000_000 && programme.target("trainees") == 1_500 && programme.target("events") == nil)
        }
    }

    @Test func thePagesShowNamesNotCodes() async throws {
        try await TestApp.run(seeded: true) { app in
            var viewer = try await TestBrowser.signedIn(app, as: "xem")
            // The home page leads everyone signed in to the programme.
            #expect(try await viewer.get("/").body.string.contains(#"id="programme-link"><a href="/programmes/2026-2030""#))
            var visitor = TestBrowser(app)
            #expect(!(try await visitor.get("/").body.string.contains("programme-link")))
            let national = try await viewer.get("/programmes/2026-2030")
            #expect(national.status == .ok)
            let html = national.body.string
            #expect(html.contains("Chương trình khuyến công quốc gia giai đoạn 2026–2030"))
            #expect(html.contains("2646/QĐ-BCT") && html.contains("23/09/2025"))
            #expect(html.contains("Thanh Hóa") && html.contains("Bắc Ninh") && html.contains("Phú Thọ"))
            #expect(html.contains("Mô hình trình diễn kỹ thuật") && html.contains("1.500,0 tỷ đồng"))
            for code in ReferenceData.indicators.map(\.code) { #expect(!html.contains(code), "\(code)") }
            #expect(!html.contains("programme-form"))   // a viewer has no form
            #expect(try await viewer.get("/programmes/2026-2030/24").status == .notFound)

            var officer = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let own = try await officer.get("/programmes/2026-2030/38")
            #expect(own.status == .ok)
            #expect(own.body.string.contains("Chương trình khuyến công Thanh Hóa giai đoạn 2026–2030"))
            #expect(own.body.string.contains("4127/QĐ-UBND") && own.body.string.contains("programme-form"))
            // Codes only in the form's field names, never as text.
            #expect(own.body.string.contains(#"name="target_establishments_supported""#) && !own.body.string.contains(">establishments_supported"))

            var ministry = try await TestBrowser.signedIn(app, as: "bo.congthuong")
            let merged = try await ministry.get("/programmes/2026-2030/25")
            #expect(merged.status == .ok && merged.body.string.contains("Phú Thọ"))
            #expect(!merged.body.string.contains("programme-form"))   // the province records its own
            #expect(try await ministry.get("/programmes/2026-2030").body.string.contains("programme-form"))
        }
    }
}
