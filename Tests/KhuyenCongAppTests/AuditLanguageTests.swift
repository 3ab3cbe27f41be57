import KhuyenCongCore
import Testing
@testable import KhuyenCongApp

/// The audit trail in the reader's language: actions, records, fields and named values through the catalog's audit
/// contexts; what a person typed, codes, dates and times as they are; the same "field: before → after" lines.
@Suite("Audit trail in English")
struct AuditLanguageTests {
    @Test func aPlanStepInBothLanguages() {
        let category = ReferenceData.categories.first { $0.code == "2" }!
        let before = #"{"status":"approved","version":7}"#
        let after = #"{"change":{"amountVnd":2100000000,"category":"2","reason":"Bổ sung mô hình sản xuất sạch hơn"},"plan":{"status":"approved","version":8}}"#
        #expect(AuditPresentation.changes(before: before, after: after, in: .vi) == [
            "Thay đổi › Số tiền: 2.100.000.000 đ",
            "Thay đổi › Nội dung: 2. \(category.vietnameseName)",
            "Thay đổi › Lý do: Bổ sung mô hình sản xuất sạch hơn",
            "Kế hoạch › Phiên bản: 7 → 8",
        ])
        #expect(AuditPresentation.changes(before: before, after: after, in: .en) == [
            "Change › Amount: 2,100,000,000 VND",
            "Change › Content: 2. \(category.englishName)",
            "Change › Reason: Bổ sung mô hình sản xuất sạch hơn",
            "Plan › Version: 7 → 8",
        ])
        #expect(AuditPresentation.action("revise_line", in: .en) == "Budget line revised")
        #expect(AuditPresentation.action("revise_line", in: .vi) == "Điều chỉnh dòng kinh phí")
        #expect(AuditPresentation.record(type: "project", id: "KC-38-2026-QG-001", in: .en) == "Project KC-38-2026-QG-001")
        #expect(AuditPresentation.record(type: "database", id: "demo", in: .en) == "Database demo")
        #expect(AuditPresentation.record(type: "database", id: "demo", in: .vi) == "Cơ sở dữ liệu mẫu")
    }

    @Test func namedValues() {
        let after = #"{"disabled":false,"role":"province_officer","language":"en","status":"unlocked","approvedOn":"2026-12-15"}"#
        #expect(AuditPresentation.changes(before: nil, after: after, in: .en) == [
            "Status: Unlocked", "Approved on: 15/12/2026", "Disabled: no", "Language: English",
            "Role: \(Role.provinceOfficer.englishName)",
        ])
        #expect(AuditPresentation.changes(before: nil, after: after, in: .vi) == [
            "Trạng thái: Đã mở khóa", "Ngày phê duyệt: 15/12/2026", "Đã khóa: không", "Ngôn ngữ: English",
            "Vai trò: \(Role.provinceOfficer.vietnameseName)",
        ])
        // Every action and record type the trail names has its English.
        for name in AuditPresentation.actions.values {
            #expect(MessageCatalog.hasEnglish(name, context: .auditAction), "\(name)")
        }
        for name in AuditPresentation.recordTypes.values {
            #expect(MessageCatalog.hasEnglish(name, context: .auditRecord), "\(name)")
        }
        for name in AuditPresentation.labels.values {
            #expect(MessageCatalog.hasEnglish(name, context: .auditField), "\(name)")
        }
    }
}
