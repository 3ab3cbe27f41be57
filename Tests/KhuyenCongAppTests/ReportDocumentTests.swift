import Foundation
import KhuyenCongCore
import Testing
import VaporTesting
import ZIPFoundation
@testable import KhuyenCongApp

/// The period report as an administrative document: the DOCX downloaded from `/reports/document` holds the
/// national name and motto, the title, the agency, number and symbol, recipients, and the very figures of
/// `report summary`, written the Vietnamese way. One seeded database for all the checks.
@Suite("Report document (DOCX, PDF) and the dashboard's print header")
struct ReportDocumentTests {
    /// The visible text of a DOCX: one line per paragraph.
    static func text(ofDocx data: Data) throws -> String {
        let archive = try Archive(data: data, accessMode: .read)
        guard let entry = archive["word/document.xml"] else { throw DomainError.invalid(vi: "thiếu word/document.xml", en: "no word/document.xml") }
        var xml = Data()
        _ = try archive.extract(entry) { xml.append($0) }
        return String(decoding: xml, as: UTF8.self)
            .replacingOccurrences(of: "</w:p>", with: "\n").replacingOccurrences(of: "<w:br/>", with: "\n")
            .replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
            .replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&quot;", with: "\"")
    }

    @Test func theDocumentHoldsTheDecreeFormAndTheFiguresOfTheSummary() async throws {
        try await TestApp.run(seeded: true) { app in
            // The region of the reference report (north, 2024, H1).
            let asOf = try CalendarDate(parsing: "2026-11-29")
            let response = try await app.testing().sendRequest(.GET, "/reports/document?region=north&year=2024&period=H1&asOf=2026-11-29&format=docx")
            #expect(response.status == .ok)
            #expect(response.headers.first(name: .contentType) == DocxWriter.mimeType)
            #expect(response.headers.first(name: .contentDisposition)?.contains("bao-cao-khuyen-cong-north-2024-H1.docx") == true)
            let text = try Self.text(ofDocx: Data(response.body.readableBytesView))

            let summary = try await ReportSummary.compute(ReportScope(area: .region(.north), year: 2024, period: .h1, asOf: asOf), on: app.db)
            for expected in ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "BỘ CÔNG THƯƠNG", "/BC-ĐMST",
                             "Hà Nội, ngày 29 tháng 11 năm 2026", "BÁO CÁO",
                             "Tình hình thực hiện công tác khuyến công 6 tháng đầu năm 2024", "khu vực phía Bắc",
                             "I. TÌNH HÌNH THỰC HIỆN", "II. SỐ LIỆU TỔNG HỢP", "III. THEO DÕI, GIÁM SÁT", "Nơi nhận:", "CỤC TRƯỞNG",
                             // The reference report's sentences and figures, as `report summary` gives them.
                             "170,8 tỷ đồng", "20,3%", "+10,25%",
                             VietnameseFormat.count(summary.plan.amountVnd.dong), VietnameseFormat.count(summary.plan.previousYearVnd.dong),
                             VietnameseFormat.count(summary.realised.amountVnd.dong), VietnameseFormat.count(summary.realised.samePeriodPreviousYearVnd.dong)] {
                #expect(text.contains(expected), "the document lacks \(expected)")
            }
            #expect(summary.byUnit.count > 5)
            for unit in summary.byUnit {
                #expect(text.contains("\(unit.name)\n\(VietnameseFormat.count(unit.planVnd.dong))\n\(VietnameseFormat.count(unit.realisedVnd.dong))\n"
                                      + VietnameseFormat.percent(Ratio(unit.realisedVnd, over: unit.planVnd))),
                        "the unit table lacks the row of \(unit.name)")
            }
            for row in summary.byCategory {
                #expect(text.contains("\(row.name)\n\(VietnameseFormat.count(row.planVnd.dong))\n"), "the category table lacks \(row.name)")
            }
            // No figure in English notation, no raw code.
            #expect(!text.contains(String(summary.plan.amountVnd.dong)))
            #expect(!text.contains("establishments_supported"))

            // A province's report is the Department's, under the People's Committee, dated in the province.
            let unit = try await app.testing().sendRequest(.GET, "/reports/document?unit=38&year=2024&period=FY&asOf=2026-02-05")
            #expect(unit.status == .ok)
            let unitText = try Self.text(ofDocx: Data(unit.body.readableBytesView))
            let unitSummary = try await ReportSummary.compute(ReportScope(area: .unit(code: "38"), year: 2024, period: .fullYear,
                                                                          asOf: try CalendarDate(parsing: "2026-02-05")), on: app.db)
            for expected in ["ỦY BAN NHÂN DÂN TỈNH THANH HÓA", "SỞ CÔNG THƯƠNG", "/BC-SCT", "Thanh Hóa, ngày 05 tháng 02 năm 2026",
                             "cả năm 2024\ntỉnh Thanh Hóa", "GIÁM ĐỐC", VietnameseFormat.count(unitSummary.plan.amountVnd.dong),
                             VietnameseFormat.count(unitSummary.realised.amountVnd.dong)] {
                #expect(unitText.contains(expected), "the province's document lacks \(expected)")
            }
            #expect(!unitText.contains("Xếp hạng đơn vị"))

            // "Cả nước" of the dashboard's region list.
            let country = try await app.testing().sendRequest(.GET, "/reports/document?region=country&year=2024&period=FY&asOf=2026-11-29")
            #expect(country.status == .ok)
            let countryText = try Self.text(ofDocx: Data(country.body.readableBytesView))
            #expect(countryText.contains("cả năm 2024\ntrên phạm vi cả nước"))
            #expect(try await app.testing().sendRequest(.GET, "/dashboard?region=country&year=2024&period=FY").status == .ok)

            // Refusals in Vietnamese, never a 500.
            let badFormat = try await app.testing().sendRequest(.GET, "/reports/document?region=north&year=2024&period=H1&format=odt")
            #expect(badFormat.status == .unprocessableEntity)
            let badRegion = try await app.testing().sendRequest(.GET, "/reports/document?region=west&year=2024&period=H1")
            #expect(badRegion.status == .unprocessableEntity)

            // The PDF is LibreOffice's conversion of the same DOCX; without LibreOffice, 503 and what is missing.
            let pdf = try await app.testing().sendRequest(.GET, "/reports/document?unit=38&year=2024&period=H1&format=pdf")
            if DocumentPDF.executable() != nil {
                #expect(pdf.status == .ok)
                #expect(Data(pdf.body.readableBytesView).starts(with: Data("%PDF".utf8)))
            } else {
                #expect(pdf.status == .serviceUnavailable)
                #expect(pdf.body.string.contains("LibreOffice"))
            }

            // The dashboard links to both, and prints with a running header of its scope and date.
            let dashboard = try await app.testing().sendRequest(.GET, "/dashboard?region=north&year=2024&period=H1&asOf=2026-11-29")
            #expect(dashboard.body.string.contains("Tải báo cáo (DOCX)"))
            #expect(dashboard.body.string.contains("/reports/document?region=north&amp;year=2024&amp;period=H1&amp;asOf=2026-11-29&amp;format=pdf"))
            let print = try await app.testing().sendRequest(.GET, "/dashboard.print.css?region=north&year=2024&period=H1&asOf=2026-11-29")
            #expect(print.status == .ok)
            #expect(print.body.string.contains("@top-left { content: \"Báo cáo khuyến công – Khu vực phía Bắc – 6 tháng đầu năm 2024\";"))
            #expect(print.body.string.contains("Số liệu đến ngày 29/11/2026") && print.body.string.contains("\"Trang \" counter(page)"))
            // An English page prints an English header and page numbers.
            let english = try await app.testing().sendRequest(.GET, "/dashboard.print.css?region=north&year=2024&period=H1&asOf=2026-11-29",
                                                              headers: ["Accept-Language": "en"])
            #expect(english.body.string.contains("Figures as of 29/11/2026") && english.body.string.contains("\"Page \" counter(page)"), "\(english.body.string)")
            #expect(!english.body.string.contains("Báo cáo") && !english.body.string.contains("Số liệu"), "\(english.body.string)")
        }
    }

    @Test func cssStringsCannotBreakOutOfTheRule() {
        #expect(ReportDocumentController.cssString(#"a"b\c}</style>"#) == #""a\"b\\c} /style ""#)
    }
}
