import Fluent
import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
import ZIPFoundation
@testable import KhuyenCongApp

/// The files officials fill in and pass back (issue 17): a blank template per table that explains its columns and
/// imports once filled, and exports that come back through the importer unchanged and export again byte for byte.
@Suite("Interchange templates and identical round trips")
struct InterchangeFilesTests {
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kc-interchange-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Every row of every sheet of a workbook, as the importer reads them.
    static func read(_ data: Data) throws -> [String: [[String]]] {
        let file = try temporaryFolder().appendingPathComponent("book.xlsx")
        try data.write(to: file)
        let reader = try XLSXReader(url: file)
        var sheets: [String: [[String]]] = [:]
        for name in reader.sheetNames {
            var rows: [[String]] = []
            try reader.readSheet(name) { _, cells in rows.append(cells) }
            sheets[name] = rows
        }
        return sheets
    }

    /// The XML parts of an XLSX, by path (what "the same workbook" means, whatever the ZIP's framing).
    static func parts(_ data: Data) throws -> [String: Data] {
        let archive = try Archive(data: data, accessMode: .read)
        var parts: [String: Data] = [:]
        for entry in archive {
            var bytes = Data()
            _ = try archive.extract(entry) { bytes.append($0) }
            parts[entry.path] = bytes
        }
        return parts
    }

    @Test func eachTemplateDescribesItsColumnsInVietnameseAndImportsOnceFilledWithTheExamples() async throws {
        try await TestApp.run(users: true) { app in
            for table in InterchangeTable.allCases {
                let sheets = try Self.read(try InterchangeTemplate.xlsx(table))
                // The sheet the importer reads, with the header row only.
                #expect(sheets[table.rawValue] == [table.columns], "\(table)")
                // One line per column: meaning, required or not, format, allowed values with their names, an example.
                let guide = try #require(sheets[InterchangeTemplate.guideSheet])
                #expect(guide[0] == ["Cột", "Ý nghĩa", "Bắt buộc", "Định dạng", "Giá trị được phép", "Ví dụ"])
                let described = guide.dropFirst().prefix(table.columns.count)
                #expect(described.map { $0[0] } == table.columns)
                for row in described {
                    #expect(!row[1].isEmpty && ["Có", "Không"].contains(row[2]) && !row[3].isEmpty && !row[5].isEmpty, "\(table) \(row[0])")
                }
                if table.columns.contains("source") {
                    #expect(described.first { $0[0] == "source" }?[4].contains("national: Khuyến công quốc gia") == true)
                    #expect(sheets[InterchangeTemplate.unitSheet]?.contains { $0.starts(with: ["38", "Thanh Hóa"]) } == true)
                }
                if table == .disbursements { #expect(described.first { $0[0] == "basis" }?[4] == "actual: Số thực hiện\nestimate: Số ước thực hiện") }

                // Filled with the examples of its own description, in the tables' order, it imports.
                let examples = described.map { $0[5] }
                let file = try Self.temporaryFolder().appendingPathComponent("mau-\(table.rawValue).xlsx")
                try XLSXWriter.write(InterchangeTemplate.sheets(table, rows: [examples])).write(to: file)
                let report = try await Importer(actor: "cli:test", principal: nil, on: app.db).run(try ImportSource(path: file.path), commit: true)
                #expect(report.tables.map(\.table) == [table.rawValue] && report.tables[0].created == 1, "\(table): \(report.summary)")

                // The CSV template is the header row; with the same example it is the same record, unchanged.
                let csv = String(decoding: InterchangeTemplate.csv(table), as: UTF8.self)
                #expect(csv == "\u{FEFF}" + table.columns.joined(separator: ",") + "\r\n")
                let folder = try ImportTests.folder([InterchangeTemplate.fileName(table, format: "csv"):
                    String(csv.dropFirst()) + examples.map(Spreadsheet.quote).joined(separator: ",") + "\r\n"], bom: false)
                let again = try await ImportTests.run(app, folder, commit: false)
                #expect(again.tables[0].unchanged == 1, "\(table): \(again.summary)")
            }

            // Downloaded from the imports page.
            var officer = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let page = try await officer.get("/imports")
            #expect(page.body.string.contains(Links.importTemplate(.projects, format: "xlsx").replacingOccurrences(of: "&", with: "&amp;"))
                    || page.body.string.contains(Links.importTemplate(.projects, format: "xlsx")))
            let xlsx = try await officer.get(Links.importTemplate(.projects, format: "xlsx"))
            #expect(xlsx.status == .ok && xlsx.headers.first(name: .contentDisposition)?.contains("mau-projects.xlsx") == true)
            #expect(try Self.read(Data(xlsx.body.readableBytesView))["projects"] == [InterchangeTable.projects.columns])
            let csv = try await officer.get(Links.importTemplate(.outputs, format: "csv"))
            #expect(csv.status == .ok && csv.body.string == "\u{FEFF}project_code,date,indicator,quantity,basis\r\n")
            #expect(try await officer.get("/imports/template?table=beneficiaries&format=xlsx").status == .unprocessableEntity)
            #expect(try await officer.get("/imports/template?table=outputs&format=pdf").status == .unprocessableEntity)
            var visitor = TestBrowser(app)
            #expect(try await visitor.get(Links.importTemplate(.outputs, format: "csv")).status != .ok)
        }
    }

    /// What `khuyencong export` writes for a table (or every table) in a format: the files by name.
    static func export(_ tables: [InterchangeTable], format: String, _ filter: Exporter.Filter, on db: any Database) async throws -> [String: Data] {
        var sheets: [Spreadsheet] = []
        for table in tables { sheets.append(try await Exporter.sheet(table, filter, labels: format == "xlsx", on: db)) }
        if format == "xlsx" { return ["export.xlsx": try XLSXWriter.write(sheets)] }
        return Dictionary(uniqueKeysWithValues: sheets.map { ($0.name + ".csv", $0.csv()) })
    }

    /// Export → import (nothing changes, every row unchanged) → export again: the same bytes.
    static func roundTrip(_ tables: [InterchangeTable], format: String, _ filter: Exporter.Filter, principal: Principal?,
                          on db: any Database) async throws -> (rows: Int, files: [String: Data]) {
        let first = try await export(tables, format: format, filter, on: db)
        let folder = try temporaryFolder()
        for (name, data) in first { try data.write(to: folder.appendingPathComponent(name)) }
        let path = format == "xlsx" ? folder.appendingPathComponent("export.xlsx").path : folder.path
        let report = try await Importer(actor: principal?.username ?? "cli:test", principal: principal, on: db).run(try ImportSource(path: path), commit: true)
        #expect(report.tables.map(\.table) == tables.map(\.rawValue))
        for count in report.tables {
            #expect(count.created == 0 && count.updated == 0 && count.unchanged == count.read, "\(format) \(count.table): \(report.summary)")
        }
        let second = try await export(tables, format: format, filter, on: db)
        #expect(Set(second.keys) == Set(first.keys))
        for (name, data) in first {
            #expect(second[name] == data, "\(format) \(name) differs after its own import")
            if format == "xlsx", second[name] != data, let again = second[name] {
                let (a, b) = (try parts(data), try parts(again))
                #expect(a == b, "parts differing: \(a.keys.filter { a[$0] != b[$0] })")
            }
        }
        try? FileManager.default.removeItem(at: folder)
        return (report.tables.map(\.read).reduce(0, +), first)
    }

    @Test func exportImportExportGivesTheSameFilesForEveryTableAndFormatOnLockedAndOpenPeriods() async throws {
        try await TestApp.run(seeded: true) { app in
            // A unit with an approved (locked) period and records both inside and outside it.
            let locked = try await PeriodReport.query(on: app.db).filter(\.$locked == true).filter(\.$period == .h1).all()
            var chosen: (code: UnitCode, report: PeriodReport)?
            for report in locked {
                guard let unit = AdminUnitCatalog.standard.unit(id: report.unitID), unit.validUntil == nil else { continue }
                chosen = (unit.code, report)
                break
            }
            let (unitCode, report) = try #require(chosen, "the demo data has an approved half-year report of a unit of today")
            let officer = Principal(username: "officer.\(unitCode)", role: .provinceOfficer, unitCode: unitCode, region: nil)
            let unitFilter = Exporter.Filter(unitCode: unitCode, year: report.year)
            let disbursements = try await Self.export([.disbursements], format: "csv", unitFilter, on: app.db)["disbursements.csv"]!
            let dates = String(decoding: disbursements, as: UTF8.self).split(separator: "\r\n").dropFirst().map { $0.split(separator: ",")[1] }
            let half = Period.h1.dates(in: report.year)
            #expect(dates.contains { half.contains(try! CalendarDate(parsing: String($0))) }, "rows in the locked half")
            #expect(dates.contains { !half.contains(try! CalendarDate(parsing: String($0))) }, "rows outside it")

            for format in ["xlsx", "csv"] {
                // The whole demo data set from the command line, every table at once and each on its own.
                let all = try await Self.roundTrip(InterchangeTable.allCases, format: format, Exporter.Filter(), principal: nil, on: app.db)
                #expect(all.rows > 1_000)
                for table in InterchangeTable.allCases {
                    _ = try await Self.roundTrip([table], format: format, Exporter.Filter(), principal: nil, on: app.db)
                }
                // A province officer's own year, half of it locked, from the page's importer (the user's rights).
                _ = try await Self.roundTrip(InterchangeTable.allCases, format: format, unitFilter, principal: officer, on: app.db)
            }
        }
    }

    @Test func theExportedWorkbookPrintsAndLabelsItsCodes() async throws {
        try await TestApp.run(seeded: true) { app in
            let data = try XLSXWriter.write([
                try await Exporter.sheet(.planLines, Exporter.Filter(region: .north, year: 2024), labels: true, on: app.db),
                try await Exporter.sheet(.outputs, Exporter.Filter(region: .north, year: 2024), labels: true, on: app.db),
            ])
            let sheets = try Self.read(data)
            let lines = try #require(sheets["plan_lines"])
            #expect(lines[0] == ["unit_code", "Tên đơn vị", "year", "source", "Tên nguồn", "category", "Tên nội dung", "amount_vnd", "approved_on", "decision_no"])
            let national = try #require(lines.first { $0[3] == "national" })
            #expect(national[2] == "2024" && national[4] == "Khuyến công quốc gia" && !national[1].isEmpty)
            #expect(sheets["outputs"]?[0] == ["project_code", "Tên đề án", "date", "indicator", "Tên chỉ tiêu", "quantity", "basis", "Tên cơ sở số liệu"])
            #expect(sheets["outputs"]?.dropFirst().allSatisfy { ["Số thực hiện", "Số ước thực hiện"].contains($0[7]) } == true)

            let parts = try Self.parts(data)
            let workbook = String(decoding: parts["xl/workbook.xml"]!, as: UTF8.self)
            #expect(workbook.contains(#"<definedName name="_xlnm.Print_Titles" localSheetId="0">'plan_lines'!$1:$1</definedName>"#))
            let sheet = String(decoding: parts["xl/worksheets/sheet1.xml"]!, as: UTF8.self)
            #expect(sheet.contains(#"<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>"#))
            #expect(sheet.contains(#"orientation="landscape" fitToWidth="1" fitToHeight="0""#))
            // The year is a plain number (style 5, format "0"), not 2.024; the dates real dates (style 4).
            #expect(sheet.contains(#"<c r="C2" s="5"><v>2024</v></c>"#))
            #expect(sheet.contains(#"<c r="I2" s="4"><v>"#))

            // The report workbook: Vietnamese sheet names, the narrative and the monitoring on sheets of their own.
            let scope = try ReportScope.parse(region: "north", unit: nil, country: false, year: 2024, period: "H1", source: nil, restate: false, asOf: nil)
            let report = try Self.read(try XLSXWriter.write(SummaryExport.workbook(try await ReportNarrative.figures(scope, on: app.db), scope: scope)))
            #expect(Set(report.keys) == ["Tổng hợp", "Nội dung", "Nguồn kinh phí", "Chỉ tiêu", "Đơn vị", "Tình hình thực hiện", "Theo dõi, giám sát"])
            #expect(report["Tổng hợp"]?.contains(["Năm kế hoạch", "2024"]) == true)
            #expect(report["Tổng hợp"]?.contains(["Kỳ", "6 tháng đầu năm 2024"]) == true)
            #expect(report["Nguồn kinh phí"]?.dropFirst().map { $0[1] }.sorted() == ["Khuyến công quốc gia", "Khuyến công địa phương"])
            #expect(report["Tình hình thực hiện"]?.joined().joined().contains("170,8 tỷ đồng") == true)
            #expect(report["Theo dõi, giám sát"]?.dropFirst().compactMap(\.first).filter { !$0.isEmpty }.count == 8)
        }
    }
}
