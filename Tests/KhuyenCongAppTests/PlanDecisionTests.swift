import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// The decisions on a plan as officials record and read them: the People's Committee's decision with its signer and
/// file, and any two decisions set side by side.
@Suite("Plan decisions: signer, file, comparison of revisions")
struct PlanDecisionTests: BearerAPIRequests {
    static let base = "/api/v1/plans/38/2027"

    @Test func theLocalDecisionIsRecordedWithItsSignerAndFile() async throws {
        try await TestApp.run(users: true) { app in
            let token = try await TestUsers.token(app, "thanhhoa")
            #expect(try await post(app, Self.base + "/lines", #"{"source":"local","category":"1","amountVnd":800000000}"#, token).status == .created)
            #expect(try await post(app, Self.base + "/local/submit", nil, token).status == .ok)

            var officer = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let form = try await officer.get("/plans/38/2027").body.string
            #expect(form.contains(#"id="approve-local" enctype="multipart/form-data""#) && form.contains(#"name="signer""#))
            // A refused decision keeps the signer typed and stores no file.
            let refused = try await officer.postMultipart("/plans/38/2027/local/approve",
                ["decisionNo": "45/QĐ-UBND", "approvedOn": "2031-01-01", "signer": "Phó Chủ tịch Nguyễn Văn A", "version": "2"],
                files: [("file", "qd-45.pdf", "%PDF-1.4 quyết định")])
            #expect(refused.status == .unprocessableEntity && refused.body.string.contains(#"value="Phó Chủ tịch Nguyễn Văn A""#))
            #expect(try await PlanDecisionFile.query(on: app.db).count() == 0)

            let approved = try await officer.postMultipart("/plans/38/2027/local/approve",
                ["decisionNo": "45/QĐ-UBND", "approvedOn": "2026-12-20", "signer": "Phó Chủ tịch Nguyễn Văn A", "version": "2"],
                files: [("file", "qd-45.pdf", "%PDF-1.4 quyết định")])
            #expect(approved.status == .seeOther)
            let page = try await officer.get("/plans/38/2027").body.string
            #expect(page.contains("Người ký") && page.contains("Phó Chủ tịch Nguyễn Văn A") && page.contains("qd-45.pdf (quyết định 45/QĐ-UBND)"))

            let dto = try JSONDecoder().decode(PlanDTO.self, from: Data(try await app.testing()
                .sendRequest(.GET, Self.base, headers: TestData.bearer(token)).body.readableBytesView))
            let local = try #require(dto.sources.first { $0.source == .local })
            #expect(local.signer == "Phó Chủ tịch Nguyễn Văn A" && local.files.count == 1 && local.files.first?.filename == "qd-45.pdf")
            let url = try #require(local.files.first?.url)
            let download = try await officer.get(url)
            #expect(download.status == .ok && download.body.string == "%PDF-1.4 quyết định")
            #expect(download.headers.first(name: .contentType) == "application/octet-stream")
            var stranger = try await TestBrowser.signedIn(app, as: "nghean")
            #expect(try await stranger.get(url).status == .notFound)
        }
    }

    @Test func anyTwoDecisionsCanBeSetSideBySide() async throws {
        try await TestApp.run(users: true) { app in
            let token = try await TestUsers.token(app, "thanhhoa")
            #expect(try await post(app, Self.base + "/lines", #"{"source":"local","category":"1","amountVnd":800000000}"#, token).status == .created)
            #expect(try await post(app, Self.base + "/lines", #"{"source":"local","category":"2","amountVnd":300000000}"#, token).status == .created)
            #expect(try await post(app, Self.base + "/local/submit", nil, token).status == .ok)
            #expect(try await post(app, Self.base + "/local/approve", #"{"decisionNo":"45/QĐ-UBND","approvedOn":"2026-12-20"}"#, token).status == .ok)
            let revise = #"{"source":"local","category":"1","amountVnd":950000000,"reason":"Bổ sung","decisionNo":"7/QĐ-UBND","approvedOn":"2027-03-02"}"#
            #expect(try await post(app, Self.base + "/lines", revise, token).status == .created)
            let third = #"{"source":"local","category":"2","amountVnd":250000000,"reason":"Giảm","decisionNo":"19/QĐ-UBND","approvedOn":"2027-06-10"}"#
            #expect(try await post(app, Self.base + "/lines", third, token).status == .created)

            var officer = try await TestBrowser.signedIn(app, as: "thanhhoa")
            #expect(try await officer.get("/plans/38/2027").body.string.contains(#"id="compare-local""#))
            // The first and the second decision differ on category 1 only.
            let first = try await officer.get("/plans/38/2027?compare=local&from=0&to=1").body.string
            let table = try #require(first.range(of: #"id="comparison-local""#).map { String(first[$0.lowerBound...].prefix(2000)) })
            #expect(table.contains("800.000.000 đ") && table.contains("950.000.000 đ") && table.contains("+150.000.000 đ"))
            #expect(!table.contains("300.000.000 đ"))
            // The approval and the last decision: both lines changed, one up and one down.
            let whole = try await officer.get("/plans/38/2027?compare=local&from=0&to=2").body.string
            let both = try #require(whole.range(of: #"id="comparison-local""#).map { String(whole[$0.lowerBound...].prefix(2000)) })
            #expect(both.contains("+150.000.000 đ") && both.contains("−50.000.000 đ"))
            #expect(both.contains("45/QĐ-UBND, ngày 20/12/2026") && both.contains("19/QĐ-UBND, ngày 10/06/2027"))
            // Positions that do not exist show the form only.
            #expect(try await officer.get("/plans/38/2027?compare=local&from=0&to=9").body.string.contains(#"id="comparison-local""#) == false)
        }
    }
}
