import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// Hostile files (issue 15): each is refused early, with its place, quoting at most a short excerpt.
@Suite("Spreadsheet readers hold bounded memory")
struct SpreadsheetBoundsTests {
    static let header = "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>unit_code</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>year</t></is></c></row>"

    /// Messages quote at most 40 characters of a cell, plus the text around them.
    static func short(_ error: DomainError) -> Bool { error.description.count < 400 }

    @Test func a900MiBSharedStringTableIsRefusedAfterInflatingLittleMoreThanItsLimit() throws {
        // given: 900 MiB of 1,000-character shared strings, deflated to a small workbook
        let unit = "<si><t>" + String(repeating: "A", count: 1_000) + "</t></si>"
        let strings = RepeatingPart(head: "<sst>", unit: unit, count: 900 * 1024 * 1024 / unit.utf8.count, tail: "</sst>")
        let url = try HostileWorkbook.write(sheet: "<worksheet><sheetData>\(Self.header)</sheetData></worksheet>", sharedStrings: strings)
        #expect(try url.fileSize < 8 * 1024 * 1024)
        // when: it is opened
        let budget = InflateBudget()
        let failure = try #require(throws: XLSXReader.Failure.self) { _ = try XLSXReader(url: url, budget: budget) }
        // then: refused by the 64 MiB of strings, naming the part, having inflated not much more than that
        #expect(failure.message.english.contains("xl/sharedStrings.xml"))
        #expect(failure.message.english.contains("64 MiB"))
        #expect(budget.inflated < 65 * 1024 * 1024 + 1024 * 1024)
        #expect(Self.short(failure.message))
    }

    @Test func oneHugeSharedStringIsRefusedAtItsFirst32KiBWithAShortExcerpt() throws {
        let strings = RepeatingPart(head: "<sst><si><t>", unit: "Bom", count: 300 * 1024 * 1024, tail: "</t></si></sst>")
        let url = try HostileWorkbook.write(sheet: "<worksheet><sheetData>\(Self.header)</sheetData></worksheet>", sharedStrings: strings)
        let budget = InflateBudget()
        let failure = try #require(throws: XLSXReader.Failure.self) { _ = try XLSXReader(url: url, budget: budget) }
        #expect(failure.message.english.contains("string 0 is longer than 32 KiB"))
        #expect(failure.message.english.contains("BomBomBom"))
        #expect(failure.message.english.contains("…"))
        #expect(Self.short(failure.message))
        #expect(budget.inflated < 1024 * 1024)
    }

    @Test func moreThanAMillionSharedStringsAreRefused() throws {
        let strings = RepeatingPart(head: "<sst>", unit: "<si/>", count: 1_000_001, tail: "</sst>")
        let url = try HostileWorkbook.write(sheet: "<worksheet><sheetData>\(Self.header)</sheetData></worksheet>", sharedStrings: strings)
        let failure = try #require(throws: XLSXReader.Failure.self) { _ = try XLSXReader(url: url) }
        #expect(failure.message.english == "xl/sharedStrings.xml: more than 1000000 strings")
    }

    @Test func aHugeInlineCellIsRefusedWithItsSheetRowAndColumn() throws {
        let sheet = RepeatingPart(head: "<worksheet><sheetData>\(Self.header)<row r=\"2\"><c r=\"B2\" t=\"inlineStr\"><is><t>",
                                  unit: "x", count: 100 * 1024 * 1024, tail: "</t></is></c></row></sheetData></worksheet>")
        let url = try HostileWorkbook.write(sheet: sheet)
        let reader = try XLSXReader(url: url)
        var rows = 0
        let failure = try #require(throws: XLSXReader.Failure.self) { try reader.readSheet("plan_lines") { _, _ in rows += 1 } }
        #expect(failure.sheet == "plan_lines" && failure.row == 2 && failure.column == 1)
        #expect(failure.message.english.contains("longer than 32 KiB (\"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…\")"))
        #expect(rows == 1)
        #expect(reader.budget.inflated < 1024 * 1024)
    }

    @Test func aCellBeyondAThousandColumnsIsRefused() throws {
        let url = try HostileWorkbook.write(sheet: "<worksheet><sheetData>\(Self.header)<row r=\"2\"><c r=\"ALM2\"><v>1</v></c></row></sheetData></worksheet>")
        let failure = try #require(throws: XLSXReader.Failure.self) { try XLSXReader(url: url).readSheet("plan_lines") { _, _ in } }
        #expect(failure.row == 2 && failure.column == 1_000)
        #expect(failure.message.english == "the row has a cell beyond 1000 columns")
    }

    @Test func aSheetPastTheInflateBudgetIsRefusedWhileInflating() throws {
        let sheet = RepeatingPart(head: "<worksheet><sheetData>\(Self.header)", unit: "<row/>", count: 10 * 1024 * 1024,
                                  tail: "</sheetData></worksheet>")
        let url = try HostileWorkbook.write(sheet: sheet)
        var limits = SpreadsheetLimits()
        limits.inflatedBytes = 4 * 1024 * 1024
        let reader = try XLSXReader(url: url, limits: limits)
        let failure = try #require(throws: XLSXReader.Failure.self) { try reader.readSheet("plan_lines") { _, _ in } }
        #expect(failure.message.english.contains("unpacks to more than 4 MiB (at xl/worksheets/sheet1.xml)"))
        #expect(reader.budget.inflated < 5 * 1024 * 1024)
    }

    @Test func aCellPastTheHeadersColumnsIsNamedWithItsTableRowAndColumn() throws {
        // XLSX: the header has two columns, row 3 has text in D
        let xlsx = try HostileWorkbook.write(sheet: """
            <worksheet><sheetData>\(Self.header)<row r="2"><c r="A2"><v>38</v></c></row>\
            <row r="3"><c r="A3"><v>38</v></c><c r="D3" t="inlineStr"><is><t>lạc chỗ</t></is></c></row></sheetData></worksheet>
            """)
        let issue = try Self.firstIssue(xlsx)
        #expect(issue.table == "plan_lines" && issue.row == 3 && issue.column == "D")
        #expect(issue.message.english == "a cell beyond the header's 2 columns (\"lạc chỗ\")")
        // CSV: the same, and trailing empty fields are no extra cells
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kc-bounds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("unit_code,year,\n38,2026,,\n38,2026,,x\n".utf8).write(to: folder.appendingPathComponent("plan_lines.csv"))
        let csvIssue = try Self.firstIssue(folder)
        #expect(csvIssue.table == "plan_lines" && csvIssue.row == 3)
        #expect(csvIssue.message.english == "column 4: a field beyond the header's 2 columns (\"x\")")
    }

    @Test func aCSVFieldOrLineWithoutEndIsRefusedAtTheLimit() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kc-bounds-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let field = folder.appendingPathComponent("field.csv"), line = folder.appendingPathComponent("line.csv")
        try Data(("a,b\n1,\"" + String(repeating: "y", count: 8 * 1024 * 1024)).utf8).write(to: field)
        try Data(("a,b\n" + String(repeating: "1,", count: 2 * 1024 * 1024)).utf8).write(to: line)
        var reader = try CSVReader(url: field)
        while reader.next() != nil {}
        let tooLong = try #require(reader.failure)
        #expect(tooLong.row == 2 && tooLong.column == 1)
        #expect(tooLong.message.english == "column 2: the field is longer than 32 KiB (\"yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy…\")")
        reader = try CSVReader(url: line)
        while reader.next() != nil {}
        let tooWide = try #require(reader.failure)
        #expect(tooWide.row == 2 && tooWide.column == 1_000)
        #expect(tooWide.message.english == "the row has more than 1000 fields")
    }

    @Test func theTokenizerReadsEntitiesCDATAAndBytesSplitAnywhere() throws {
        let xml = Array(#"<?xml version="1.0"?><!-- c --><a x="1 &amp; 2"><b>é&lt;&#x1F600;<![CDATA[<]]]></b><c/></a>"#.utf8)
        final class Recorder: XMLStreamHandler {
            var events: [String] = []
            var pending: [UInt8] = []
            func flush() { if !pending.isEmpty { events.append("t:" + String(decoding: pending, as: UTF8.self)); pending = [] } }
            func start(_ name: String, _ attributes: XMLAttributes) { flush(); events.append("<\(name)\(attributes.all.map { " \($0)=\($1)" }.joined())>") }
            func end(_ name: String) { flush(); events.append("</\(name)>") }
            func text(_ bytes: UnsafeRawBufferPointer) { pending += bytes }
        }
        for size in [1, 2, 3, 7, xml.count] {
            let recorder = Recorder()
            var stream = XMLStream()
            for start in stride(from: 0, to: xml.count, by: size) {
                try xml[start..<min(start + size, xml.count)].withUnsafeBytes { try stream.feed($0, to: recorder) }
            }
            try stream.finish()
            #expect(recorder.events == ["<a x=1 & 2>", "<b>", "t:é<😀<]", "</b>", "<c>", "</c>", "</a>"], "chunks of \(size)")
        }
        var stream = XMLStream()
        #expect(throws: XMLStream.Malformed.self) {
            try Array("<a><!DOCTYPE x></a>".utf8).withUnsafeBytes { try stream.feed($0, to: Recorder()) }
        }
    }

    /// The first issue of importing `url` (the readers alone, no database).
    static func firstIssue(_ url: URL) throws -> ImportIssue {
        let refused = try #require(throws: ImportRefused.self) {
            for (_, read) in try ImportSource(path: url.path).tables() { try read { _, _ in } }
        }
        return try #require(refused.issues.first)
    }
}

@Suite("Import uploads are streamed, limited and expire")
struct ImportUploadTests {
    static func multipart(_ parts: [(name: String, filename: String?, body: String)], boundary: String) -> String {
        parts.map { part in
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\"\(part.filename.map { "; filename=\"\($0)\"" } ?? "")\r\n\r\n\(part.body)\r\n"
        }.joined() + "--\(boundary)--\r\n"
    }

    static func send(_ app: Application, _ browser: TestBrowser, _ body: ByteBuffer, boundary: String) async throws -> TestingHTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: .cookie, value: "kc_session=\(browser.cookie!)")
        headers.add(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        return try await app.testing().sendRequest(.POST, "/imports", headers: headers, body: body)
    }

    @Test func aLargeFileBeforeTheTokenOrAWrongTokenIsRefusedAndNothingStored() async throws {
        try await TestApp.run(users: true) { app in
            var browser = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let csrf = try await browser.csrfToken()
            let name = "kc-\(UUID().uuidString.lowercased()).csv"
            let large = "unit_code\n" + String(repeating: "38\n", count: 1024 * 1024)
            let body = Self.multipart([("files[]", name, large), ("csrf", nil, csrf)], boundary: "b0undary")
            let response = try await Self.send(app, browser, ByteBuffer(string: body), boundary: "b0undary")
            #expect(response.status == .forbidden)
            let stored = FileManager.default.enumerator(atPath: ImportStaging.root.path)?.allObjects as? [String] ?? []
            #expect(!stored.contains { $0.hasSuffix(name) })
            let wrong = Self.multipart([("csrf", nil, "bm90LXRoZS10b2tlbg=="), ("files[]", name, "unit_code\n")], boundary: "b0undary")
            #expect(try await Self.send(app, browser, ByteBuffer(string: wrong), boundary: "b0undary").status == .forbidden)
        }
    }

    @Test func anUploadOverTheLimitIsA413Page() async throws {
        try await TestApp.run(users: true) { app in
            var browser = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let csrf = try await browser.csrfToken()
            var body = ByteBuffer(string: "--b0undary\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n\(csrf)\r\n"
                                  + "--b0undary\r\nContent-Disposition: form-data; name=\"files[]\"; filename=\"plan_lines.csv\"\r\n\r\n")
            body.writeRepeatingByte(0x31, count: ImportUpload.maximumBytes)
            let response = try await Self.send(app, browser, body, boundary: "b0undary")
            #expect(response.status == .payloadTooLarge)
            #expect(response.body.string.contains("100 MiB"))
        }
    }

    @Test func aPreviewOlderThanAnHourIsDeleted() throws {
        let (id, folder) = ImportStaging.reserve()
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("x".utf8).write(to: folder.appendingPathComponent("plan_lines.csv"))
        #expect(ImportStaging.folder(id)?.standardizedFileURL.path == folder.standardizedFileURL.path)
        #expect(ImportStaging.folder(id, now: Date().addingTimeInterval(2 * 3600)) == nil)
        #expect(!FileManager.default.fileExists(atPath: folder.path))
        let (_, old) = ImportStaging.reserve()
        try FileManager.default.createDirectory(at: old, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-2 * 3600)], ofItemAtPath: old.path)
        ImportStaging.sweep()
        #expect(!FileManager.default.fileExists(atPath: old.path))
    }
}
