import Foundation
import KhuyenCongCore
import Testing
import VaporTesting
import ZIPFoundation
@testable import KhuyenCongApp

/// The same report gives the same DOCX bytes: the writer stamps the report's as-of date (not the clock) into the
/// document's properties and the archive's file times.
@Suite("DOCX is deterministic")
struct DocxDeterminismTests {
    @Test func theSameDocumentGivesTheSameBytes() async throws {
        var document = WordDocument()
        document.asOf = CalendarDate(2026, 11, 29)
        document.add(WordDocument.Paragraph("Báo cáo khuyến công", bold: true))
        let first = try DocxWriter.write(document)
        try await Task.sleep(for: .milliseconds(2_100))   // DOS file times have a resolution of two seconds
        let second = try DocxWriter.write(document)
        #expect(first == second)

        let archive = try Archive(data: first, accessMode: .read)
        var core = Data()
        _ = try archive.extract(try #require(archive["docProps/core.xml"])) { core.append($0) }
        let properties = String(decoding: core, as: UTF8.self)
        #expect(properties.contains("<dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-11-29T12:00:00Z</dcterms:created>"))
        #expect(properties.contains("<dcterms:modified xsi:type=\"dcterms:W3CDTF\">2026-11-29T12:00:00Z</dcterms:modified>"))
        for entry in archive {
            #expect(entry.fileAttributes[.modificationDate] as? Date == DocxWriter.moment(CalendarDate(2026, 11, 29)), "\(entry.path)")
        }
        // Another as-of date, other properties.
        document.asOf = CalendarDate(2026, 12, 31)
        #expect(try DocxWriter.write(document) != first)
    }

    @Test func theSameReportDownloadsTheSameBytes() async throws {
        try await TestApp.run(seeded: true) { app in
            let path = "/reports/document?region=north&year=2024&period=H1&asOf=2026-11-29&format=docx"
            let first = try await app.testing().sendRequest(.GET, path)
            #expect(first.status == .ok)
            try await Task.sleep(for: .milliseconds(2_100))
            let second = try await app.testing().sendRequest(.GET, path)
            #expect(Data(first.body.readableBytesView) == Data(second.body.readableBytesView))
        }
    }
}
