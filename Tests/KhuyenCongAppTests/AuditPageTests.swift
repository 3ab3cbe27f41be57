import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// The audit trail as a person reads it (issue 17): Vietnamese actions and records, Vietnam's time, and changes as
/// before → after, never the stored JSON.
@Suite("Audit trail page")
struct AuditPageTests {
    /// Every action and record type the code writes to the audit trail is named in Vietnamese on the page (an
    /// unnamed one shows its English code, as `add_setting` did when the settings page came).
    @Test func everyRecordedActionAndRecordTypeHasAVietnameseName() throws {
        let sources = URL(fileURLWithPath: TestApp.rootDirectory).appendingPathComponent("Sources/KhuyenCongApp")
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
        var actions: Set<String> = [], types: Set<String> = []
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            for (pattern, into) in [(#"action: "([a-z_]+)""#, 0), (#"recordType: "([a-z_]+)""#, 1)] {
                let regex = try NSRegularExpression(pattern: pattern)
                for match in regex.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    let code = String(text[Range(match.range(at: 1), in: text)!])
                    if into == 0 { actions.insert(code) } else { types.insert(code) }
                }
            }
        }
        #expect(actions.count > 20 && types.count > 10)
        #expect(actions.filter { AuditPresentation.actions[$0] == nil }.sorted() == [])
        #expect(types.filter { AuditPresentation.recordTypes[$0] == nil }.sorted() == [])
    }

    @Test func changesReadAsBeforeAndAfterInVietnamese() async throws {
        try await TestApp.run(users: true) { app in
            let officer = try await TestUsers.token(app, "thanhhoa")
            for amount in ["1500000000", "1800000000"] {
                let body = #"{"source":"national","category":"1","amountVnd":\#(amount),"reason":"Đăng ký"}"#
                #expect(try await app.testing().sendRequest(.POST, "/api/v1/plans/38/2027/lines", headers: TestData.bearer(officer),
                                                            body: TestData.json(body)).status == .created)
            }
            var ministry = try await TestBrowser.signedIn(app, as: "bo.congthuong")
            let html = try await ministry.get("/audit?unit=38").body.string
            // Those who read the audit trail also find the rules in the frame.
            #expect(html.contains(#"<a href="/admin/rules">Quy định</a>"#))
            #expect(html.contains("Nhập dự thảo dòng kinh phí") && html.contains("Kế hoạch 38@2025-07-01/2027/national"))
            #expect(html.contains("Thay đổi › Số tiền: 1.800.000.000 đ") && html.contains("Kế hoạch › Phiên bản: 1 → 2"))
            #expect(html.contains("Kế hoạch › Trạng thái: Dự thảo") && html.contains("Thay đổi › Nội dung: 1. "))
            #expect(html.contains("Vai trò: Cán bộ Sở Công Thương") && html.contains("Đơn vị: Thanh Hóa"))
            #expect(!html.contains("{&quot;") && !html.contains("draft_line"))
            #expect(html.range(of: #"\d{4}-\d{2}-\d{2}T\d{2}:"#, options: .regularExpression) == nil, "no ISO timestamps")
            #expect(html.range(of: #"<td>\d{2}/\d{2}/\d{4} \d{2}:\d{2}</td>"#, options: .regularExpression) != nil, "Vietnam-time stamps")
        }
    }

    @Test func unknownValuesStayReadable() {
        let lines = AuditPresentation.changes(before: #"{"status":"submitted","approvedOn":null}"#,
                                              after: #"{"status":"approved","approvedOn":"2026-12-15","supportApprovedVnd":300000000,"locked":true}"#)
        #expect(lines == ["Trạng thái: Đã nộp → Đã phê duyệt", "Ngày phê duyệt: – → 15/12/2026", "Khóa số liệu: có", "Kinh phí được duyệt: 300.000.000 đ"])
    }
}
