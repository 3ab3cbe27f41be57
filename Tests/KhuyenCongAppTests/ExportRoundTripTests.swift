import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
import ZIPFoundation
@testable import KhuyenCongApp

/// Files officials pass back and forth (issue 17): the export form works on its own defaults, and what it gives
/// can be imported back as it is — an unchanged file changes nothing and asks for no confirmation, even when half
/// of it lies in an approved (locked) period.
@Suite("Export and import round trips")
struct ExportRoundTripTests: BearerAPIRequests {
    /// Thanh Hóa's 2026 project with an advance in H1, and its H1 report approved (so H1 is locked).
    func lockedFirstHalf(_ app: Application) async throws {
        _ = try await PeriodReportTests.prepare(app)
        let officer = try await TestUsers.token(app, "thanhhoa")
        let reviewer = try await TestUsers.token(app, "khuvuc.bac")
        #expect(try await post(app, "/api/v1/period-reports/38/2026/H1/submit", nil, officer).status == .ok)
        #expect(try await post(app, "/api/v1/period-reports/38/2026/H1/approve", nil, reviewer).status == .ok)
    }

    @Test func theExportFormAnswersAFileOnItsOwnDefaults() async throws {
        try await TestApp.run(users: true) { app in
            try await lockedFirstHalf(app)
            var officer = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let workbook = try await officer.get("/exports/download?table=all&year=&format=xlsx")
            #expect(workbook.status == .ok && workbook.headers.contentType?.subType == "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            let zip = try await officer.get("/exports/download?table=all&year=&format=csv")
            #expect(zip.status == .ok && zip.headers.first(name: .contentType) == "application/zip")
            let archive = try Archive(data: Data(zip.body.readableBytesView), accessMode: .read)
            #expect(Set(archive.map(\.path)) == Set(InterchangeTable.allCases.map { $0.rawValue + ".csv" }))
            let wrongYear = try await officer.get("/exports/download?table=all&year=abc&format=xlsx")
            #expect(wrongYear.status == .unprocessableEntity && wrongYear.body.string.contains("year"))
        }
    }

    @Test func anExportedWorkbookComesBackAsNoChangeDespiteTheLockedHalf() async throws {
        try await TestApp.run(users: true) { app in
            try await lockedFirstHalf(app)
            var officer = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let workbook = Data(try await officer.get("/exports/download?table=all&year=2026&format=xlsx").body.readableBytesView)
            let folder = try ImportTests.folder([:])
            let file = folder.appendingPathComponent("khuyen-cong-du-lieu-2026.xlsx")
            try workbook.write(to: file)
            let user = try #require(try await User.find(username: "thanhhoa", on: app.db))
            let report = try await Importer(actor: "thanhhoa", principal: user.principal, on: app.db).run(try ImportSource(path: file.path), commit: false)
            #expect(report.tables.allSatisfy { $0.created == 0 && $0.updated == 0 })
            #expect(report.tables.first { $0.table == "disbursements" }?.unchanged == 1)

            // On the page: a preview that says nothing changes, and no confirmation to give.
            let csrf = try await officer.csrfToken()
            let boundary = "kc-roundtrip"
            var body = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(csrf)\r\n".utf8)
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"files[]\"; filename=\"khuyen-cong-du-lieu-2026.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
            body += workbook + Data("\r\n--\(boundary)--\r\n".utf8)
            var headers = HTTPHeaders()
            headers.add(name: .cookie, value: "kc_session=\(officer.cookie!)")
            headers.add(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
            let preview = try await app.testing().sendRequest(.POST, "/imports", headers: headers, body: ByteBuffer(data: body))
            #expect(preview.status == .ok)
            #expect(preview.body.string.contains(#"id="nothing-to-import""#) && !preview.body.string.contains(#"id="confirm-import""#))

            // A changed row of the locked half is still refused.
            let changed = try ImportTests.folder(["disbursements.csv": "project_code,date,amount_vnd,basis\nKC-PR-1,2026-03-01,100000001,actual\n"])
            await #expect(throws: ImportRefused.self) {
                _ = try await Importer(actor: "thanhhoa", principal: user.principal, on: app.db).run(try ImportSource(path: changed.path), commit: false)
            }
        }
    }

    @Test func anExportedCSVImportsBackUnderTheNameItWasGiven() async throws {
        try await TestApp.run(users: true) { app in
            try await lockedFirstHalf(app)
            var officer = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let csv = try await officer.get("/exports/download?table=disbursements&year=2026&format=csv")
            #expect(csv.headers.first(name: .contentDisposition)?.contains("khuyen-cong-disbursements-2026.csv") == true)
            let folder = try ImportTests.folder(["khuyen-cong-disbursements-2026.csv": csv.body.string], bom: false)
            let report = try await ImportTests.run(app, folder, commit: false)
            #expect(report.tables.map(\.table) == ["disbursements"] && report.tables[0].unchanged == 1)
            // A CSV file whose name names no table is refused by name, not skipped.
            let unknown = try ImportTests.folder(["bang-tinh.csv": "a,b\n1,2\n", "projects.csv": "code\n"])
            do {
                _ = try await ImportTests.run(app, unknown, commit: false)
                Issue.record("a CSV file of no known table was skipped")
            } catch let refused as ImportRefused {
                #expect(refused.description.contains("bang-tinh.csv"))
            }
        }
    }
}
