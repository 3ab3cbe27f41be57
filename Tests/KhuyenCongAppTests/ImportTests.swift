import Fluent
import Foundation
import KhuyenCongCore
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

@Suite("Import and export of the interchange files")
struct ImportTests {
    static func folder(_ files: [String: String], bom: Bool = true) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kc-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files {
            try ((bom ? Data([0xEF, 0xBB, 0xBF]) : Data()) + Data(text.utf8)).write(to: url.appendingPathComponent(name))
        }
        return url
    }

    static let valid: [String: String] = [
        "plan_lines.csv": "unit_code,year,source,category,amount_vnd,approved_on,decision_no\r\n38,2026,national,1,2000000000,2025-12-15,12/QĐ-UBND\r\n38,2026,national,1,2500000000,20/06/2026,88/QĐ-UBND\r\n",
        "plan_targets.csv": "unit_code,year,source,category,indicator,quantity\n38,2026,national,1,establishments_supported,12\n",
        "projects.csv": """
            code,title,unit_code,year,source,category,implementing_unit,beneficiary_tax_code,beneficiary_name,support_vnd,counterpart_vnd,status,submitted_on,approved_on,allocated_on
            KC-IMP-1,"Hỗ trợ máy sấy chè, chế biến sâu",38,2026,national,1,Trung tâm Khuyến công Thanh Hóa,0100109106,HTX chè Bát Mọt,300000000,400000000,in_progress,2025-05-10,2026-01-10,2026-01-20

            """,
        "disbursements.csv": "project_code,date,amount_vnd,basis\nKC-IMP-1,2026-03-01,100000000,estimate\nKC-IMP-1,2026-04-01,90000000,actual\n",
        "outputs.csv": "project_code,date,indicator,quantity,basis\nKC-IMP-1,2026-05-01,establishments_supported,1,actual\n",
    ]

    static func run(_ app: Application, _ url: URL, principal: Principal? = nil, commit: Bool = true) async throws -> ImportReport {
        try await Importer(actor: "test", principal: principal, on: app.db).run(try ImportSource(path: url.path), commit: commit)
    }

    static func counts(_ app: Application) async throws -> [Int] {
        [try await PlanLineRevision.query(on: app.db).count(), try await PlanTarget.query(on: app.db).count(),
         try await Project.query(on: app.db).count(), try await Disbursement.query(on: app.db).count(), try await OutputRecord.query(on: app.db).count()]
    }

    @Test func aFolderOfCSVFilesIsImportedAndReImportingChangesNothing() async throws {
        try await TestApp.run { app in
            let url = try Self.folder(Self.valid)
            let first = try await Self.run(app, url)
            #expect(first.tables.map(\.created) == [2, 1, 1, 2, 1])
            #expect(try await Self.counts(app) == [2, 1, 1, 2, 1])
            let project = try await Project.find(code: "KC-IMP-1", on: app.db)
            #expect(project.title == "Hỗ trợ máy sấy chè, chế biến sâu")
            #expect(try await project.beneficiaries(on: app.db).first?.0.taxCode == "0100109106")
            let again = try await Self.run(app, url)
            #expect(again.tables.map(\.created) == [0, 0, 0, 0, 0])
            #expect(again.tables.map(\.unchanged) == [2, 1, 1, 2, 1])
            #expect(try await Self.counts(app) == [2, 1, 1, 2, 1])
            let summary = try await ReportSummary.compute(ReportScope(area: .unit(code: "38"), year: 2026, period: .h1), on: app.db)
            #expect(summary.plan.amountVnd == 2_500_000_000)   // the later revision
            #expect(summary.realised.amountVnd == 90_000_000)  // the actual supersedes the estimate
        }
    }

    /// The bulk write of payments and outputs raises the unit's data version (what the quality page's cache follows) once,
    /// keeps the per-row triggers of M0052 for every other write, and a re-import raises nothing.
    @Test func importedPaymentsRaiseTheUnitsDataVersionAndKeepTheTriggers() async throws {
        try await TestApp.run { app in
            let sql = app.db as! any SQLDatabase
            func version() async throws -> Int64 {
                // Every unit's counter added up (the imported project's unit is the only one written to).
                try await sql.raw("SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) AS total FROM unit_data_versions").first()?.decode(column: "total", as: Int64.self) ?? 0
            }
            let url = try Self.folder(Self.valid)
            let before = try await version()
            _ = try await Self.run(app, url)
            let imported = try await version()
            #expect(imported > before)
            _ = try await Self.run(app, url)
            #expect(try await version() == imported)
            if sql.dialect.name == "sqlite" {
                let triggers = try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'unit_data_version_%_insert'").all()
                    .map { try $0.decode(column: "name", as: String.self) }
                #expect(triggers.contains("unit_data_version_disbursements_insert"))
                #expect(triggers.contains("unit_data_version_outputs_insert"))
            }
            // A payment written afterwards one at a time still raises it (the trigger is back).
            let project = try await Project.find(code: "KC-IMP-1", on: app.db)
            try await Disbursement(projectID: try project.requireID(), onDate: "2026-05-02", amountVnd: 1, basis: .actual, kind: .payment).create(on: app.db)
            #expect(try await version() > imported)
        }
    }

    @Test func anXLSXWorkbookWithTheSameSheetsImportsTheSameRows() async throws {
        try await TestApp.run { app in
            let csv = try Self.folder(Self.valid)
            _ = try await Self.run(app, csv)
            var sheets: [Spreadsheet] = []
            for table in InterchangeTable.allCases { sheets.append(try await Exporter.sheet(table, .init(), on: app.db)) }
            let workbook = FileManager.default.temporaryDirectory.appendingPathComponent("kc-\(UUID().uuidString).xlsx")
            try XLSXWriter.write(sheets).write(to: workbook)
            try await TestApp.run { fresh in
                let report = try await Self.run(fresh, workbook)
                #expect(report.tables.map(\.created) == [2, 1, 1, 2, 1])
                #expect(try await Project.find(code: "KC-IMP-1", on: fresh.db).allocatedOn == "2026-01-20")
            }
        }
    }

    /// Each bad file: refused with its location, and nothing written.
    @Test(arguments: [
        ("projects.csv", "code,title\nX,Y\n", "projects:1:unit_code: Thiếu cột"),
        ("plan_lines.csv", "unit_code,year,source,category,amount_vnd,approved_on,decision_no,extra\n", "plan_lines:1:extra"),
        ("plan_lines.csv", "unit_code,year,source,category,amount_vnd,approved_on,decision_no\n27,2026,national,1,5,2025-12-01,QĐ\n", "plan_lines:2:unit_code"),
        ("plan_lines.csv", "unit_code,year,source,category,amount_vnd,approved_on,decision_no\n38,2024,national,8,5,2023-12-01,QĐ\n", "plan_lines:2:category"),
        ("plan_lines.csv", "unit_code,year,source,category,amount_vnd,approved_on,decision_no\n38,2026,national,1,-5,2025-12-01,QĐ\n", "plan_lines:2:amount_vnd"),
        ("plan_lines.csv", "unit_code,year,source,category,amount_vnd,approved_on,decision_no\n38,2026,national,1,12.5,2025-12-01,QĐ\n", "plan_lines:2:amount_vnd"),
        ("plan_lines.csv", "unit_code,year,source,category,amount_vnd,approved_on,decision_no\n38,2026,national,1,99999999999999999999,2025-12-01,QĐ\n", "plan_lines:2:amount_vnd"),
        ("plan_lines.csv", "unit_code,year,source,category,amount_vnd,approved_on,decision_no\n38,2026,national,1,hai tỷ,2025-12-01,QĐ\n", "plan_lines:2:amount_vnd"),
        ("plan_lines.csv", "unit_code,year,source,category,amount_vnd,approved_on,decision_no\n38,2026,national,1,5,2025-02-30,QĐ\n", "plan_lines:2:approved_on"),
        ("plan_lines.csv", "unit_code,year,source,category,amount_vnd,approved_on,decision_no\n38,2026,national,1,5,2025-12-01,A\n38,2026,national,1,6,2025-12-01,B\n", "plan_lines:3:approved_on"),
        ("plan_targets.csv", "unit_code,year,source,category,indicator,quantity\n38,2026,national,1,so_cay_xanh,3\n", "plan_targets:2:indicator"),
        ("disbursements.csv", "project_code,date,amount_vnd,basis\nKHONG-CO,2026-01-01,5,actual\n", "disbursements:2:project_code"),
        ("disbursements.csv", "project_code,date,amount_vnd,basis\nKHONG-CO,2026-01-01,5,du_kien\n", "disbursements:2:basis"),
        ("plan_lines.csv", "", "plan_lines:1:-: Tệp rỗng"),
    ])
    func aBadFileIsRefusedWithItsLocationAndNothingIsWritten(file: String, content: String, location: String) async throws {
        try await TestApp.run { app in
            let url = try Self.folder(Self.valid.merging([file: content]) { $1 })
            do {
                _ = try await Self.run(app, url)
                Issue.record("accepted a bad \(file)")
            } catch let refused as ImportRefused {
                #expect(refused.description.contains(location), "\(refused.description)")
            }
            #expect(try await Self.counts(app) == [0, 0, 0, 0, 0])
        }
    }

    @Test func aFileThatIsNotUTF8IsRefused() async throws {
        try await TestApp.run { app in
            let url = try Self.folder([:])
            let latin1 = "unit_code,year,source,category,amount_vnd,approved_on,decision_no\n38,2026,national,1,5,2025-12-01,Quy\u{E9}t\n"
            try latin1.data(using: .isoLatin1)!.write(to: url.appendingPathComponent("plan_lines.csv"))
            await #expect(throws: ImportRefused.self) { _ = try await Self.run(app, url) }
            #expect(try await Self.counts(app) == [0, 0, 0, 0, 0])
        }
    }

    @Test func aProvinceOfficerCannotImportAnotherProvincesRows() async throws {
        try await TestApp.run { app in
            let url = try Self.folder(["plan_lines.csv": "unit_code,year,source,category,amount_vnd,approved_on,decision_no\n40,2026,national,1,5,2025-12-01,QĐ\n"])
            let officer = Principal(username: "thanhhoa", role: .provinceOfficer, unitCode: "38", region: .north)
            do {
                _ = try await Self.run(app, url, principal: officer)
                Issue.record("accepted another province's row")
            } catch let refused as ImportRefused {
                #expect(refused.description.contains("plan_lines:2:unit_code: Ngoài phạm vi"))
            }
            #expect(try await Self.counts(app) == [0, 0, 0, 0, 0])
        }
    }

    @Test(arguments: ["not a zip at all", "truncated", "doctype", "formula"])
    func aBrokenOrHostileWorkbookIsRefused(kind: String) async throws {
        try await TestApp.run { app in
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("kc-\(UUID().uuidString).xlsx")
            let good = try XLSXWriter.write([Spreadsheet(name: "plan_lines", columns: InterchangeTable.planLines.columns.map { ($0, 10) },
                                                         rows: [[.text("38"), .integer(2026), .text("national"), .text("1"), .integer(5), .date(CalendarDate(2025, 12, 1)), .text("QĐ")]])])
            switch kind {
            case "not a zip at all": try Data("hello".utf8).write(to: url)
            case "truncated": try good.prefix(good.count / 2).write(to: url)
            case "doctype":
                let bomb = #"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>"#
                try Self.replacing(sheet: bomb, in: good, to: url)
            default:
                let formula = #"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>unit_code</t></is></c></row><row r="2"><c r="E2"><f>1+1</f><v>2</v></c></row></sheetData></worksheet>"#
                try Self.replacing(sheet: formula, in: good, to: url)
            }
            await #expect(throws: ImportRefused.self) { _ = try await Self.run(app, url) }
            #expect(try await Self.counts(app) == [0, 0, 0, 0, 0])
        }
    }

    /// Rewrites the first sheet of a workbook.
    static func replacing(sheet xml: String, in workbook: Data, to url: URL) throws {
        try workbook.write(to: url)
        let archive = try ZIPArchive(url: url)
        try archive.replace("xl/worksheets/sheet1.xml", with: Data(xml.utf8))
    }

    @Test func mutatedFilesNeverCrashTheReadersNorWriteHalfAnImport() async throws {
        try await TestApp.run { app in
            var random = SeededRandom(seed: 42)
            let csvText = Self.valid["disbursements.csv"]!
            _ = try await Self.run(app, try Self.folder(Self.valid.filter { $0.key != "disbursements.csv" && $0.key != "outputs.csv" }))
            let baseline = try await Self.counts(app)
            let workbook = try XLSXWriter.write([try await Exporter.sheet(.disbursements, .init(), on: app.db),
                                                 Spreadsheet(name: "disbursements", columns: InterchangeTable.disbursements.columns.map { ($0, 10) },
                                                             rows: [[.text("KC-IMP-1"), .date(CalendarDate(2026, 3, 2)), .integer(5), .text("actual")]])])
            var accepted = 0, refused = 0
            for round in 0..<150 {
                var bytes = round % 2 == 0 ? Array(csvText.utf8) : Array(workbook)
                for _ in 0..<Int.random(in: 1...6, using: &random) {
                    let index = Int.random(in: 0..<bytes.count, using: &random)
                    switch Int.random(in: 0..<3, using: &random) {
                    case 0: bytes[index] = UInt8.random(in: 0...255, using: &random)
                    case 1: bytes.remove(at: index)
                    default: bytes.insert(UInt8.random(in: 0...255, using: &random), at: index)
                    }
                }
                let folder = try Self.folder([:])
                let file = folder.appendingPathComponent(round % 2 == 0 ? "disbursements.csv" : "book.xlsx")
                try Data(bytes).write(to: file)
                let before = try await Self.counts(app)
                do {
                    _ = try await Self.run(app, round % 2 == 0 ? folder : file)
                    accepted += 1
                } catch is ImportRefused {
                    refused += 1
                    #expect(try await Self.counts(app) == before, "round \(round) wrote part of a refused import")
                }
            }
            #expect(accepted + refused == 150)
            #expect(refused > 50)
            #expect(try await Self.counts(app)[0...2] == baseline[0...2])
        }
    }

    @Test func exportingEverythingAndImportingIntoAnEmptyDatabaseGivesTheSameReports() async throws {
        try await TestApp.run(seeded: true) { app in
            let folder = try Self.folder([:])
            for table in InterchangeTable.allCases {
                try (try await Exporter.sheet(table, .init(), on: app.db)).csv().write(to: folder.appendingPathComponent(table.rawValue + ".csv"))
            }
            let scopes = [ReportScope(area: .region(.north), year: 2024, period: .h1), ReportScope(area: .region(.north), year: 2026, period: .fullYear, restate: true),
                          ReportScope(area: .unit(code: "24"), year: 2026, period: .h1), ReportScope(area: .region(.north), year: 2025, period: .nineMonths, source: .local)]
            var expected: [Data] = []
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            // Period reports are not interchange tables: the share of approved units is left out of the comparison.
            func figures(_ scope: ReportScope, _ db: any Database) async throws -> Data {
                var summary = try await ReportSummary.compute(scope, on: db)
                summary.approval = nil
                return try encoder.encode(summary)
            }
            for scope in scopes { expected.append(try await figures(scope, app.db)) }
            try await TestApp.run { empty in
                _ = try await Self.run(empty, folder)
                for (index, scope) in scopes.enumerated() {
                    let actual = try await figures(scope, empty.db)
                    #expect(actual == expected[index], "scope \(index) differs after the round trip")
                }
            }
        }
    }

    @Test func anOfficerUploadsPreviewsAndConfirmsOnThePage() async throws {
        try await TestApp.run(users: true) { app in
            var browser = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let csrf = try await browser.csrfToken()
            let boundary = "----kc\(UUID().uuidString)"
            var body = ""
            // The local plan: its approval is the People's Committee's decision, which the province records.
            for (name, file) in [("plan_lines.csv", Self.valid["plan_lines.csv"]!.replacingOccurrences(of: ",national,", with: ",local,"))] {
                body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"files[]\"; filename=\"\(name)\"\r\nContent-Type: text/csv\r\n\r\n\(file)\r\n"
            }
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(csrf)\r\n--\(boundary)--\r\n"
            var headers = HTTPHeaders()
            headers.add(name: .cookie, value: "kc_session=\(browser.cookie!)")
            headers.add(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
            let preview = try await app.testing().sendRequest(.POST, "/imports", headers: headers, body: ByteBuffer(string: body))
            #expect(preview.status == .ok)
            #expect(preview.body.string.contains("Xem trước"))
            #expect(try await Self.counts(app)[0] == 0, "a preview writes nothing")
            let html = preview.body.string
            let action = try #require(html.range(of: #"action="/imports/"#).map { html[$0.upperBound...].prefix { $0 != "\"" } })
            let confirmed = try await browser.post("/imports/" + action, [:])
            #expect(confirmed.status == .ok)
            #expect(confirmed.body.string.contains("Đã nhập"))
            #expect(try await Self.counts(app)[0] == 2)
            #expect(try await browser.post("/imports/" + action, [:]).status == .gone)
        }
    }

    /// Bulk-written rows get ids that grow (so SQLite appends to the primary-key index) and are valid version 7 UUIDs.
    @Test func bulkIdsGrowAndAreVersionSevenUUIDs() {
        var ids = SequentialUUIDs()
        let made = (0..<1_000).map { _ in ids.next() }
        #expect(Set(made).count == 1_000)
        #expect(made.map(\.uuidString) == made.map(\.uuidString).sorted())
        #expect(made.allSatisfy { $0.uuidString.dropFirst(14).first == "7" && "89AB".contains($0.uuidString.dropFirst(19).first!) })
        #expect(made.allSatisfy { $0.upperText == $0.uuidString })
    }
}
