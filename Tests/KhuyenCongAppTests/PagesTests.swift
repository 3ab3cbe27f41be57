import Testing
import VaporTesting
@testable import KhuyenCongApp

@Suite("Home, unit and project pages")
struct PagesTests {
    @Test func theHomePageListsTodaysNorthernProvincesWithTheirFigures() async throws {
        try await TestApp.run(seeded: true) { app in
            try await app.testing().test(.GET, "/") { res async in
                #expect(res.status == .ok)
                let html = res.body.string
                #expect(html.contains("<html lang=\"vi\">"))
                #expect(html.contains("Khu vực phía Bắc"))
                for name in ["Thành phố Hà Nội", "Bắc Ninh", "Tuyên Quang", "Lào Cai", "Phú Thọ", "Ninh Bình", "Hưng Yên"] {
                    #expect(html.contains(name), "\(name)")
                }
                // Old provinces merged on 1 July 2025 are not rows of this year's table.
                #expect(!html.contains(">Bắc Giang<"))
                #expect(!html.contains(">Yên Bái<"))
                #expect(html.components(separatedBy: "href=\"/units/").count - 1 == 18)
                #expect(html.contains("tỷ đồng"))
            }
        }
    }

    @Test func aUnitPageShowsItsPlanLinesAndProjects() async throws {
        try await TestApp.run(seeded: true) { app in
            var browser = try await TestBrowser.signedIn(app, as: "khuvuc.bac")
            do {
                let res = try await browser.get("/units/24@2008-08-01")
                #expect(res.status == .ok)
                let html = res.body.string
                #expect(html.contains("Bắc Giang"))
                #expect(html.contains("Từ 01/07/2025 thuộc"))
                #expect(html.contains("KC2024-24-DP-001"))
                #expect(html.contains("Khuyến công địa phương"))
            }
        }
    }

    @Test func aProjectPageShowsBeneficiariesHistoryAndDisbursements() async throws {
        try await TestApp.run(seeded: true) { app in
            var browser = try await TestBrowser.signedIn(app, as: "bo.congthuong")
            do {
                let res = try await browser.get("/projects/KC2024-24-DP-001")
                #expect(res.status == .ok)
                let html = res.body.string
                #expect(html.contains("Cơ sở thụ hưởng"))
                #expect(html.contains("Mã số thuế"))
                #expect(html.contains("Nộp hồ sơ đề án"))
                #expect(html.contains("Giải ngân"))
                #expect(html.contains(" đ</td>"))
            }
        }
    }

    @Test func unknownRecordsAnswerAnHTMLNotFoundPage() async throws {
        try await TestApp.run(users: true) { app in
            var browser = try await TestBrowser.signedIn(app, as: "bo.congthuong")
            let res = try await browser.get("/projects/KHONG-CO")
            #expect(res.status == .notFound)
            #expect(res.body.string.contains("Không có đề án mã"))
            #expect(res.headers.contentType == .html)
            try await app.testing().test(.GET, "/units/99@2008-08-01") { res async in
                #expect(res.status == .notFound)
            }
            try await app.testing().test(.GET, "/?region=mars") { res async in
                #expect(res.status == .notFound)
            }
        }
    }

    @Test func textFromTheDatabaseIsEscapedInPages() async throws {
        try await TestApp.run(seeded: true) { app in
            let project = try await Project.find(code: "KC2024-24-DP-001", on: app.db)
            project.title = "<script>alert(1)</script>"
            try await project.save(on: app.db)
            var browser = try await TestBrowser.signedIn(app, as: "bo.congthuong")
            let res = try await browser.get("/projects/KC2024-24-DP-001")
            #expect(res.status == .ok)
            #expect(!res.body.string.contains("<script>alert(1)</script>"))
            #expect(res.body.string.contains("&lt;script&gt;"))
        }
    }

    /// Links come from `Links` (DESIGN.md: typed routes); a path written into a template would not follow a change.
    @Test func noTemplateHoldsAPathLiteral() throws {
        let views = URL(fileURLWithPath: TestApp.rootDirectory).appendingPathComponent("Resources/Views")
        let files = try #require(FileManager.default.enumerator(at: views, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "leaf" }
        #expect(files.count > 10)
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            let literal = text.range(of: #"(href|action|src)="/"#, options: .regularExpression)
            #expect(literal == nil, "\(file.lastPathComponent) holds a path literal")
        }
    }
}
