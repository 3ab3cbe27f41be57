import Foundation
import Testing
@testable import KhuyenCongCore

/// The catalog's English of the data-quality findings (each kind's message as the rules write it, with its values) and
/// of the texts whose English depends on where they stand.
@Suite("Message catalog: findings and contexts")
struct MessageCatalogTests {
    static func money(_ dong: Int64) -> String { VietnameseFormat.money(Money(dong: dong)) }

    /// One message of each kind, written as `QualityProjectRules`, `QualityCrossChecks` and `QualityFindings` write
    /// them, with the English a reader gets.
    static let findings: [(vietnamese: String, english: String)] = [
        ("Đề án KC-38-2026-QG-001 đã thực chi \(money(1_250_000_000)), vượt kinh phí được duyệt \(money(1_200_000_000)).",
         "Project KC-38-2026-QG-001 has spent 1.3 billion VND, above the approved support of 1.2 billion VND."),
        ("Đề án KC-38-2026-QG-001 đã thực chi \(money(900_000_000)), vượt số quyết toán \(money(850_500_000)).",
         "Project KC-38-2026-QG-001 has spent 900.0 million VND, above the settled amount of 850.5 million VND."),
        ("Đề án KC-38-2026-ĐP-002 đã tạm ứng \(money(600_000_000)), vượt 50% kinh phí được duyệt \(money(1_000_000_000)).",
         "Project KC-38-2026-ĐP-002 has received advances of 600.0 million VND, above 50% of the approved support of 1.0 billion VND."),
        ("Đề án KC-38-2026-QG-001 ghi nhận kết quả trong kỳ nhưng đến hết kỳ chưa có khoản giải ngân nào.",
         "Project KC-38-2026-QG-001 recorded results in the period but has no disbursement up to the period's end."),
        ("Đề án KC-38-2026-QG-001 đã nghiệm thu, đã chi \(money(5_000_000)) nhưng không có kết quả nào được ghi nhận.",
         "Project KC-38-2026-QG-001 was accepted and has spent 5.0 million VND, but no result has been recorded."),
        ("Đề án KC-38-2026-QG-001 ở trạng thái \"\(ProjectStatus.settled.vietnameseName)\" nhưng không có bước nghiệm thu được ghi nhận.",
         "Project KC-38-2026-QG-001 is \"Settled\", but no acceptance step has been recorded."),
        ("Đề án KC-38-2026-QG-001 đã quyết toán nhưng số chi cả năm vẫn là số ước (\(money(75_000_000))).",
         "Project KC-38-2026-QG-001 is settled, but its spending for the year is still an estimate (75.0 million VND)."),
        ("Đề án KC-38-2026-QG-001: số ước giải ngân \(money(75_000_000)) của 6 tháng đầu năm chưa được thay bằng số thực hiện, dù báo cáo 6 tháng đã được phê duyệt.",
         "Project KC-38-2026-QG-001: the first-half disbursement estimate (75.0 million VND) has not been replaced by actual figures, though the half-year report has been approved."),
        ("Đề án KC-38-2026-QG-001: số ước kết quả \(try! ReferenceData.indicator(code: "trainees").vietnameseName.lowercased()) \(VietnameseFormat.count(1_200)) của 6 tháng đầu năm chưa được thay bằng số thực hiện, dù báo cáo 6 tháng đã được phê duyệt.",
         "Project KC-38-2026-QG-001: the first-half estimate of trainees (1,200) has not been replaced by actual figures, though the half-year report has been approved."),
        ("Cơ sở mã số thuế 2801234567 được đề án KC-38-2026-QG-001 hỗ trợ nội dung 1 năm 2026, đồng thời được hỗ trợ cùng nội dung bởi đề án KC-38-2026-ĐP-004, KC-40-2026-QG-002 (Nghệ An).",
         "The establishment with tax code 2801234567 is supported by project KC-38-2026-QG-001 for content 1 in 2026, and for the same content also by project KC-38-2026-ĐP-004, KC-40-2026-QG-002 (Nghệ An)."),
        ("Đề án KC-38-2026-QG-001: \(money(400_000_000)) cho mỗi người (\(VietnameseFormat.count(3))), trong khi trung vị của nội dung 4 năm 2026 trên cả nước là \(money(2_500_000)) (z = -4,4).",
         "Project KC-38-2026-QG-001: 400.0 million VND per person (3), while the country's median for content 4 in 2026 is 2.5 million VND (z = -4.4)."),
        ("Thanh Hóa: nội dung 1 (\(ReferenceData.categories[0].vietnameseName)) thực hiện \(money(2_000_000_000)), vượt kế hoạch \(money(1_500_000_000)).",
         "Thanh Hóa: content 1 (\(ReferenceData.categories[0].englishName)) realised 2.0 billion VND, above the plan of 1.5 billion VND."),
        ("Thanh Hóa: thực hiện \(money(2_000_000_000)), vượt kế hoạch \(money(1_500_000_000)).",
         "Thanh Hóa: realised 2.0 billion VND, above the plan of 1.5 billion VND."),
        ("Thanh Hóa: kế hoạch năm 2026 là \(money(12_000_000_000)), năm trước \(money(2_000_000_000)) (chênh quá 5 lần).",
         "Thanh Hóa: the 2026 plan is 12.0 billion VND, the previous year's 2.0 billion VND (a change beyond 5 times)."),
        ("Thanh Hóa: thực hiện \(Period.h1.vietnameseName(year: 2026)) là \(money(12_000_000_000)), cùng kỳ năm trước \(money(2_000_000_000)) (chênh quá 5 lần).",
         "Thanh Hóa: realised in First half of 2026 is 12.0 billion VND, the same period of the previous year 2.0 billion VND (a change beyond 5 times)."),
    ]

    @Test func everyKindOfFindingHasItsEnglish() {
        for (vietnamese, english) in Self.findings {
            #expect(MessageCatalog.value(vietnamese, in: .en) == english)
            #expect(MessageCatalog.value(vietnamese, in: .vi) == vietnamese)
        }
    }

    /// Every indicator's unit cost and estimate reads whole in English (no Vietnamese left outside the unit's name).
    @Test func everyIndicatorInAFinding() {
        for indicator in ReferenceData.indicators {
            let estimate = MessageCatalog.value("Đề án KC-1: số ước kết quả \(indicator.vietnameseName.lowercased()) 12 của 6 tháng đầu năm chưa được thay bằng số thực hiện, dù báo cáo 6 tháng đã được phê duyệt.", in: .en)
            let cost = MessageCatalog.value("Đề án KC-1: 5 triệu đồng cho mỗi \(indicator.unitLabel) (12), trong khi trung vị của nội dung 1 năm 2026 trên cả nước là 1 triệu đồng (z = 4,0).", in: .en)
            for text in [estimate, cost] {
                #expect(!text.unicodeScalars.contains { $0.value > 0x7F && $0.properties.isAlphabetic }, "\(text)")
            }
        }
    }

    /// A text whose English depends on where it stands: the context's entry, else the text's own; Vietnamese as it is.
    @Test func contexts() {
        #expect(MessageCatalog.text("Đề án", in: .en) == "Projects")
        #expect(MessageCatalog.text("Đề án", context: .auditRecord, in: .en) == "Project")
        #expect(MessageCatalog.text("Thực hiện", in: .en) == "Realised")
        #expect(MessageCatalog.text("Thực hiện", context: .button, in: .en) == "Carry out")
        #expect(MessageCatalog.text("Thực hiện", context: .button, in: .vi) == "Thực hiện")
        #expect(MessageCatalog.text("Trạng thái", context: .auditField, in: .en) == "Status")   // the text's own entry
        #expect(MessageCatalog.context(named: "nút") == .button)
        #expect(MessageCatalog.context(named: "không có") == nil)
    }

    /// No Vietnamese text is given two English entries by the catalog's tables (merged, the first would silently win):
    /// a text whose English depends on where it stands is split by a context instead.
    @Test func noTextWithTwoEnglishEntries() {
        var seen: [String: String] = [:], clashes: [String] = []
        let tables: [[String: String]] = [MessageCatalog.pagesEnglish, MessageCatalog.swiftTextsEnglish, MessageCatalog.supportKindsEnglish,
                                          MessageCatalog.namesEnglish, MessageCatalog.qualityEnglish, MessageCatalog.narrativeEnglish,
                                          Dictionary(Region.allCases.map { ($0.vietnameseName, $0.englishName) }, uniquingKeysWith: { a, _ in a })]
        for table in tables {
            for (vietnamese, english) in table {
                if let other = seen[vietnamese], other != english { clashes.append("\(vietnamese): \(other) | \(english)") }
                seen[vietnamese] = english
            }
        }
        #expect(clashes.isEmpty, "\(clashes.sorted().joined(separator: "\n"))")
    }
}
