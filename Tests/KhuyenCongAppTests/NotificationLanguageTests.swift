import Fluent
import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// A notification is stored in Vietnamese when it is made (the mail goes out in Vietnamese); the list shows it in the
/// reader's language, through the catalog's entries with values.
@Suite("Notifications in the reader's language")
struct NotificationLanguageTests {
    @Test func theListShowsNotificationsInEnglishToAnEnglishReader() async throws {
        try await TestApp.run(users: true) { app in
            _ = try await NotificationTests.project("TB-EN-1", status: .draft, on: app.db)
            let officer = try await TestUsers.token(app, "thanhhoa")
            #expect(try await NotificationTests.transition(app, "TB-EN-1", #"{"to":"submitted"}"#, token: officer).status == .ok)
            _ = try await NotificationTests.project("TB-EN-2", status: .registered, on: app.db)
            let reviewer = try await TestUsers.token(app, "khuvuc.bac")
            #expect(try await NotificationTests.transition(app, "TB-EN-2", #"{"to":"returned","note":"Thiếu báo giá thiết bị"}"#, token: reviewer).status == .ok)
            // Stored in Vietnamese.
            #expect(try await NotificationTests.inbox(app, "khuvuc.bac").items.contains { $0.title == "Đề án \"Hỗ trợ máy sấy chè Như Thanh\" (mã TB-EN-1) đã được nộp" })

            var browser = try await TestBrowser.signedIn(app, as: "khuvuc.bac")
            #expect(try await browser.get("/notifications").body.string.contains("(mã TB-EN-1) đã được nộp"))
            _ = try await browser.post("/language", ["lang": "en", "back": "/notifications"])
            let english = try await browser.get("/notifications").body.string
            #expect(english.contains("Project &quot;Hỗ trợ máy sấy chè Như Thanh&quot; (code TB-EN-1) submitted")
                    || english.contains("Project \"Hỗ trợ máy sấy chè Như Thanh\" (code TB-EN-1) submitted"))
            #expect(english.contains("has been submitted and awaits review. Unit: Thanh Hóa."))

            var officerBrowser = try await TestBrowser.signedIn(app, as: "thanhhoa")
            _ = try await officerBrowser.post("/language", ["lang": "en", "back": "/notifications"])
            let returned = try await officerBrowser.get("/notifications").body.string
            #expect(returned.contains("(code TB-EN-2) returned for changes"))
            #expect(returned.contains("Reason: Thiếu báo giá thiết bị"))
            // Nothing Vietnamese left but the data: the project's title, the province, the typed reason.
            let data: Set<String> = ["Hỗ trợ máy sấy chè Như Thanh", "Thanh Hóa", "Thiếu báo giá thiết bị", "Tiếng Việt"]
            let list = String(returned[returned.range(of: "<h1>")!.lowerBound...])
            #expect(PageWords.vietnamese(inPage: list, data: data).isEmpty, "\(PageWords.vietnamese(inPage: list, data: data))")
        }
    }

    /// Every kind of message the rules and the reminders make, as they word it, has its English.
    @Test func everyKindOfNotificationHasItsEnglish() {
        let project = "Đề án \"Hỗ trợ máy sấy chè\" (mã KC2026-38-QG-001)"
        let report = "Báo cáo 6 tháng đầu năm 2026 của Thanh Hóa (mã đơn vị 38)"
        let quarter = "Báo cáo quý I năm 2026 của Thanh Hóa (mã đơn vị 38)"
        let plan = "Kế hoạch khuyến công quốc gia năm 2027 của Thanh Hóa (mã đơn vị 38)"
        let texts = [
            "\(project) đã được nộp", "\(project) đã được nộp, chờ xem xét. Đơn vị: Thanh Hóa.",
            "\(project) đã được đăng ký với Bộ Công Thương", "\(project) đã được đăng ký với Bộ Công Thương, chờ xem xét. Đơn vị: Thanh Hóa.",
            "\(project) bị trả lại để chỉnh sửa", "\(project) bị trả lại để chỉnh sửa. Đơn vị: Thanh Hóa.", "Lý do: (không ghi)",
            "\(project) không được phê duyệt", "\(project) không được phê duyệt. Đơn vị: Thanh Hóa.",
            "\(project) đã được phê duyệt", "\(project) đã được phê duyệt. Kinh phí hỗ trợ được duyệt: 1,5 tỷ đồng. Đơn vị: Thanh Hóa.",
            "\(project) đã được phê duyệt. Đơn vị: Thanh Hóa.",
            "\(project) đã được phân bổ kinh phí", "\(project) đã được phân bổ kinh phí. Đơn vị: Thanh Hóa.",
            "\(report) đã được nộp", "\(report) đã được nộp, chờ xem xét và phê duyệt.", "\(quarter) bị trả lại để chỉnh sửa",
            "\(report) bị trả lại để chỉnh sửa.", "\(report) đã được phê duyệt", "\(report) đã được phê duyệt; số liệu của kỳ đã được khóa.",
            "\(report) đã được mở khóa", "\(report) đã được mở khóa để điều chỉnh.",
            "\(plan) đã được trình", "\(plan) đã được trình Bộ Công Thương, chờ phê duyệt.", "\(plan) bị trả lại để chỉnh sửa",
            "\(plan) đã được phê duyệt", "\(plan) đã được phê duyệt.",
            "Nhắc hạn: Đăng ký đề án khuyến công quốc gia năm 2027 – hạn 15/07/2026 (còn 7 ngày)",
            "Đăng ký đề án khuyến công quốc gia năm 2027 của Thanh Hóa (mã đơn vị 38) đến hạn ngày 15/07/2026, còn 7 ngày.",
            "Quá hạn: Trình kế hoạch khuyến công quốc gia năm 2027 lên Bộ Công Thương – hạn 15/06/2026 đã qua",
            "Trình kế hoạch khuyến công quốc gia năm 2027 lên Bộ Công Thương của Thanh Hóa (mã đơn vị 38) đã quá hạn ngày 15/06/2026 mà chưa hoàn thành.",
            "Nhắc hạn: Nộp báo cáo 6 tháng đầu năm 2026 – hạn 15/07/2026 (còn 7 ngày)",
            "Quá hạn: Quyết toán kinh phí khuyến công năm 2025 – hạn 22/01/2026 đã qua",
            "Nhắc hạn: Nộp hồ sơ quyết toán đề án KC2026-38-QG-001 (nghiệm thu cuối cùng ngày 01/06/2026) – hạn 16/06/2026 (còn 7 ngày)",
        ]
        let data: Set<String> = ["Hỗ trợ máy sấy chè", "Thanh Hóa"]
        for text in texts {
            let english = MessageCatalog.value(text, in: .en)
            #expect(PageWords.vietnamese(inPage: "<p>\(english)</p>", data: data).isEmpty, "\(text) → \(english)")
            #expect(MessageCatalog.value(text, in: .vi) == text)
        }
        #expect(MessageCatalog.value("\(project) đã được phê duyệt. Kinh phí hỗ trợ được duyệt: 1,5 tỷ đồng. Đơn vị: Thanh Hóa.", in: .en)
                == "Project \"Hỗ trợ máy sấy chè\" (code KC2026-38-QG-001) has been approved. Support approved: 1.5 billion VND. Unit: Thanh Hóa.")
    }
}
