import Fluent
import SQLKit
import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// Walks every page of the route table (GET, outside /api) on the demo data, as the ministry and as a province
/// officer, plus the error pages: in Vietnamese no English word may show outside the allow-list; in English the frame
/// and the translated pages show none of the frequent Vietnamese words.
@Suite("Pages in Vietnamese and in English")
struct LanguageTests {
    static let readers = ["bo.congthuong", "thanhhoa"]

    @Test func everyPageSpeaksVietnamese() async throws {
        try await TestApp.run(seeded: true) { app in
            var leaks: [String] = []
            var walked = 0
            for username in Self.readers {
                var browser = try await TestBrowser.signedIn(app, as: username)
                for path in try await Self.pages(app) {
                    guard let text = try await Self.visibleText(of: path, &browser) else { continue }
                    walked += 1
                    let words = PageWords.english(in: text)
                    if !words.isEmpty { leaks.append("\(username) \(path): \(PageWords.describe(words, in: text))") }
                }
            }
            var visitor = TestBrowser(app)
            for path in ["/", "/login", "/dashboard", "/khong-co-trang-nay"] {
                guard let text = try await Self.visibleText(of: path, &visitor) else { continue }
                walked += 1
                let words = PageWords.english(in: text)
                if !words.isEmpty { leaks.append("visitor \(path): \(PageWords.describe(words, in: text))") }
            }
            print("language walk (vi, \(TestApp.databaseName)): \(walked) pages")
            #expect(walked > 50)
            #expect(leaks.isEmpty, "English on Vietnamese pages:\n\(leaks.joined(separator: "\n"))")
        }
    }

    /// With English chosen (the account's switch, or the browser's `Accept-Language` for a visitor), every page whole
    /// shows no Vietnamese outside data: each piece of text between tags that holds a Vietnamese letter must be made of
    /// values stored in the database (a province's, a project's, a person's name, a legal basis, a typed reason) once
    /// those are taken out, leaving at most codes in capitals (ĐMST, NĐ-CP) and the switch's own "Tiếng Việt"; and no
    /// text the templates or Swift ask the catalog for lacks its English (`MessageCatalog.Missing`).
    @Test func everyPageSpeaksEnglish() async throws {
        try await TestApp.run(seeded: true) { app in
            let data = try await Self.storedTexts(app)
            let longestFirst = data.sorted { $0.count > $1.count }
            _ = MessageCatalog.Missing.take()
            var untranslated: [String] = []
            var walked = 0
            var paths = Set<String>()
            for username in Self.readers {
                var browser = try await TestBrowser.signedIn(app, as: username)
                let chosen = try await browser.post("/language", ["lang": "en", "back": "/"])
                #expect(chosen.status == .seeOther)
                for path in try await Self.pages(app) {
                    let response = try await browser.get(path)
                    guard response.headers.contentType?.subType == "html", !(300..<400).contains(response.status.code) else { continue }
                    let html = response.body.string
                    #expect(html.contains("<html lang=\"en\">"), "\(username) \(path)")
                    walked += 1
                    paths.insert(path)
                    let found = PageWords.vietnamese(inPage: html, data: data, longestFirst: longestFirst)
                    if Self.partlyEnglish.contains(where: { path.hasPrefix($0) }) {
                        if !found.isEmpty { print("still Vietnamese (\(username) \(path)): \(found.count) pieces, e.g. \(found.prefix(3).joined(separator: " | "))") }
                        continue
                    }
                    if !found.isEmpty { untranslated.append("\(username) \(path): \(found.joined(separator: " | "))") }
                }
            }
            for path in Self.translatedPages + ["/khong-co-trang-nay", "/?region=mars", "/units/38@2025-07-01"] {
                let response = try await app.testing().sendRequest(.GET, path, headers: ["Accept-Language": "en-US,en;q=0.9"])
                walked += 1
                let found = PageWords.vietnamese(inPage: response.body.string, data: data, longestFirst: longestFirst)
                if !found.isEmpty { untranslated.append("visitor \(path): \(found.joined(separator: " | "))") }
            }
            let missing = MessageCatalog.Missing.take()
            print("language walk (en, \(TestApp.databaseName)): \(walked) pages, \(paths.count) paths, \(data.count) stored texts")
            #expect(walked > 50)
            #expect(untranslated.isEmpty, "Vietnamese on English pages:\n\(untranslated.joined(separator: "\n"))")
            #expect(missing.isEmpty, "Texts without English in the catalog:\n\(missing.sorted().joined(separator: "\n"))")
        }
    }

    /// Every text the templates write goes through the catalog (`#t("…")`) and has its English: outside `#t("…")`
    /// a template holds no Vietnamese letter.
    @Test func everyTemplateTextHasItsEnglish() throws {
        let views = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Resources/Views")
        let files = FileManager.default.enumerator(at: views, includingPropertiesForKeys: nil)!.compactMap { $0 as? URL }
            .filter { $0.pathExtension == "leaf" }
        #expect(files.count > 25)
        var outside: [String] = [], missing: Set<String> = []
        let literal = try NSRegularExpression(pattern: #"#t\("([^"]*)""#)
        let inContext = try NSRegularExpression(pattern: #"#tc\("([^"]*)", "([^"]*)""#)
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            let range = NSRange(text.startIndex..., in: text)
            for match in literal.matches(in: text, range: range) {
                let key = String(text[Range(match.range(at: 1), in: text)!])
                if !MessageCatalog.hasEnglish(key) { missing.insert(key) }
            }
            // A text in a context (`#tc("nút", "Thực hiện")`): the context exists and has the text's English.
            for match in inContext.matches(in: text, range: range) {
                let name = String(text[Range(match.range(at: 1), in: text)!]), key = String(text[Range(match.range(at: 2), in: text)!])
                if let context = MessageCatalog.context(named: name) {
                    if !MessageCatalog.hasEnglish(key, context: context) { missing.insert("\(name): \(key)") }
                } else { missing.insert("no context \(name): \(key)") }
            }
            let plain = inContext.stringByReplacingMatches(in: text, range: range, withTemplate: "")
            let rest = literal.stringByReplacingMatches(in: plain, range: NSRange(plain.startIndex..., in: plain), withTemplate: "")
            for (number, line) in rest.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where line.unicodeScalars.contains(where: PageWords.isVietnameseLetter) {
                outside.append("\(file.lastPathComponent):\(number + 1): \(line.prefix(120))")
            }
        }
        #expect(outside.isEmpty, "Vietnamese outside #t(…):\n\(outside.joined(separator: "\n"))")
        #expect(missing.isEmpty, "#t(…) without English:\n\(missing.sorted().joined(separator: "\n"))")
    }

    /// The figures of an English page: the core's English forms; Vietnamese unchanged.
    @Test func figuresInEnglish() {
        let amount = Money(dong: 170_849_000_000)
        #expect(VietnameseFormat.billions(amount) == "170,8 tỷ đồng")
        #expect(VietnameseFormat.billions(amount, in: .vi) == "170,8 tỷ đồng")
        #expect(VietnameseFormat.billions(amount, in: .en) == "170.8 billion VND")
        #expect(VietnameseFormat.millions(Money(dong: 53_600_000), in: .en) == "53.6 million VND")
        #expect(VietnameseFormat.dong(Money(dong: 1_234_567), in: .en) == "1,234,567 VND")
        #expect(VietnameseFormat.dong(Money(dong: 1_234_567), in: .vi) == "1.234.567 đ")
        #expect(VietnameseFormat.shown("Kế hoạch 170,8 tỷ đồng, thực hiện 20,3% (1.234.567 đ; 500 đ)", in: .en)
                == "Kế hoạch 170.8 billion VND, thực hiện 20.3% (1,234,567 VND; 500 VND)")
        // Codes, dates, years and decision numbers keep their form.
        #expect(VietnameseFormat.shown("QĐ 45/2012/NĐ-CP ngày 29/11/2026, năm 2026, mã 0100109106, v1.2", in: .en)
                == "QĐ 45/2012/NĐ-CP ngày 29/11/2026, năm 2026, mã 0100109106, v1.2")
        #expect(VietnameseFormat.shown("170,8 tỷ đồng", in: .vi) == "170,8 tỷ đồng")
        #expect(MessageCatalog.value("Kế hoạch", in: .en) == "Plan")
        #expect(MessageCatalog.value("6 tháng đầu năm 2026", in: .en) == "First half of 2026")
        #expect(MessageCatalog.value("Thanh Hóa", in: .en) == "Thanh Hóa")
        #expect(MessageCatalog.value("Kế hoạch", in: .vi) == "Kế hoạch")
    }

    /// What the database holds as text (names, titles, legal bases, typed reasons, stored messages): data that an
    /// English page shows as it is. Not the tables whose names the catalog translates (categories, indicators, kinds
    /// of support, regions, quality rules), nor the audit trail's raw records.
    static func storedTexts(_ app: Application) async throws -> Set<String> {
        let sql = app.db as! any SQLDatabase
        let skipped: Set<String> = ["categories", "indicators", "rule_support_kinds", "regions", "quality_rules", "audit_log",
                                    "api_tokens", "form_submissions", "idempotency_keys", "password_resets", "_fluent_migrations",
                                    "_fluent_sessions"]
        struct Column: Decodable { let t: String; let c: String }
        let columns: [Column] = TestApp.postgresURL == nil
            ? try await sql.raw("SELECT m.name AS t, p.name AS c FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' AND (p.type LIKE '%TEXT%' OR p.type LIKE '%CHAR%')").all(decoding: Column.self)
            : try await sql.raw("SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying')").all(decoding: Column.self)
        var texts: Set<String> = []
        for column in columns where !skipped.contains(column.t) {
            for row in try await sql.raw("SELECT DISTINCT \(ident: column.c) AS v FROM \(ident: column.t)").all() {
                guard let value = try? row.decode(column: "v", as: String?.self), value.count <= 400,
                      value.unicodeScalars.contains(where: PageWords.isVietnameseLetter) else { continue }
                for line in value.split(separator: "\n") {
                    let line = line.trimmingCharacters(in: .whitespaces)
                    texts.insert(line.precomposedStringWithCanonicalMapping)
                    texts.insert(VietnameseFormat.shown(line, in: .en).precomposedStringWithCanonicalMapping)
                }
            }
        }
        return texts
    }

    /// Pages whose texts built in Swift are not all in the catalog yet (README, "Language"): their templates' texts are
    /// (the walk still fails on a missing entry there), the long sentences below are not. None left: the audit trail
    /// names its actions, records and fields through the catalog's audit contexts, the data-quality findings fit the
    /// catalog's entries. (The dashboard and the programme pages are built in the reader's language.)
    static let partlyEnglish: [String] = []

    /// Pages a visitor reads.
    static let translatedPages = ["/login", "/account/password", "/?region=north", "/?region=central", "/?region=south"]

    /// The error pages speak Vietnamese whatever the framework raised: an unknown path, a wrong query value, a form
    /// without its fields; the API's problem carries both languages.
    @Test func errorPagesSpeakTheReadersLanguage() async throws {
        try await TestApp.run(users: true) { app in
            var browser = try await TestBrowser.signedIn(app, as: "bo.congthuong")
            let missing = try await browser.get("/khong-co-trang-nay")
            #expect(missing.status == .notFound)
            #expect(missing.body.string.contains("Không tìm thấy"))
            #expect(!missing.body.string.contains("Not Found"))
            let badQuery = try await browser.get("/language")
            #expect(badQuery.status == .badRequest)
            #expect(badQuery.body.string.contains("Yêu cầu không hợp lệ"))
            #expect(PageWords.english(in: PageWords.visibleText(badQuery.body.string)).isEmpty)

            let english = try await app.testing().sendRequest(.GET, "/khong-co-trang-nay", headers: ["Accept-Language": "en-GB,en;q=0.9,vi;q=0.5"])
            #expect(english.body.string.contains("<html lang=\"en\">"))
            #expect(english.body.string.contains("Not found"))
            #expect(english.body.string.contains("There is no such page"))

            let problem = try await app.testing().sendRequest(.GET, "/api/v1/projects/KHONG-CO", headers: TestData.bearer(try await TestUsers.token(app, "bo.congthuong")))
            #expect(problem.status == .notFound)
            struct Problem: Decodable { let title: String; let detail: String; let titleVi: String?; let detailVi: String?; let detailEn: String? }
            let body = try JSONDecoder().decode(Problem.self, from: Data(problem.body.readableBytesView))
            #expect(body.titleVi == "Không tìm thấy")
            #expect(body.detailVi?.contains("Không có") == true)
            #expect(body.detailEn?.isEmpty == false)
            #expect(body.detail == "\(body.detailVi!) / \(body.detailEn!)")
        }
    }

    /// The frame's switch: a visitor's choice is a cookie; a signed-in user's is saved on the account (audited) and
    /// follows them to another browser, before what that browser asks for.
    @Test func theChoiceIsKeptPerUser() async throws {
        try await TestApp.run(users: true) { app in
            #expect(Language.preferred(acceptLanguage: "en-US,en;q=0.9") == .en)
            #expect(Language.preferred(acceptLanguage: "fr, vi;q=0.8, en;q=0.7") == .vi)
            #expect(Language.preferred(acceptLanguage: "fr") == nil)

            let visitor = try await app.testing().sendRequest(.GET, "/language?lang=en&back=%2Flogin")
            #expect(visitor.status == .seeOther)
            #expect(visitor.headers.first(name: .location) == "/login")
            let cookie = try #require(visitor.headers[.setCookie].first { $0.hasPrefix("lang=en") })
            #expect(cookie.contains("HttpOnly"))
            let login = try await app.testing().sendRequest(.GET, "/login", headers: ["Cookie": "lang=en"])
            #expect(login.body.string.contains("<html lang=\"en\">"))
            #expect(login.body.string.contains("Sign in"))
            let offsite = try await app.testing().sendRequest(.GET, "/language?lang=en&back=%2F%2Fevil.example")
            #expect(offsite.headers.first(name: .location) == "/")

            var browser = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let refused = try await browser.post("/language", ["lang": "fr", "back": "/"])
            #expect(refused.status == .unprocessableEntity)
            let chosen = try await browser.post("/language", ["lang": "en", "back": "/notifications"])
            #expect(chosen.status == .seeOther)
            #expect(chosen.headers.first(name: .location) == "/notifications")
            #expect(try await User.find(username: "thanhhoa", on: app.db)?.language == "en")
            let audit = try await AuditEntry.query(on: app.db).filter(\.$action == "change_language").all()
            #expect(audit.count == 1)
            #expect(audit.first?.actor == "thanhhoa")

            // Another browser, Vietnamese by its header: the saved choice wins.
            var other = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let page = try await other.get("/notifications")
            #expect(page.body.string.contains("<html lang=\"en\">"))
            #expect(page.body.string.contains("Sign out"))
            // Back to Vietnamese.
            _ = try await other.post("/language", ["lang": "vi", "back": "/"])
            #expect(try await User.find(username: "thanhhoa", on: app.db)?.language == "vi")
            #expect(try await other.get("/notifications").body.string.contains("Đăng xuất"))
        }
    }

    /// The paths of every page: GET routes outside /api, with the demo's Thanh Hóa records as parameters.
    static func pages(_ app: Application) async throws -> [String] {
        let project = try await Project.query(on: app.db).filter(\.$unitID == "38@2025-07-01").sort(\.$code).first()
        let code = try #require(project?.code)
        let taxCode = try await Beneficiary.query(on: app.db).sort(\.$taxCode).first()?.taxCode ?? "0100109106"
        var paths: [String] = []
        for route in app.routes.all where route.method == .GET {
            let components = route.path.map(\.description)
            if components.first == "api" || route.path.contains(where: { if case .catchall = $0 { true } else { false } }) { continue }
            let path = "/" + route.path.map { component -> String in
                switch component {
                case .parameter("code"): code
                case .parameter("unitID"): "38@2025-07-01"
                case .parameter("id"): UUID().uuidString
                case .parameter("unitCode"): "38"
                case .parameter("year"): "2026"
                case .parameter("period"): "H1"
                case .parameter("username"): "thanhhoa"
                case .parameter("taxCode"): taxCode
                case .parameter("list"): SiteRoute.MonitoringList.overdueSettlements.rawValue
                case .parameter(let name): name
                default: component.description
                }
            }.joined(separator: "/")
            paths.append(path)
        }
        return paths + ["/?region=central", "/projects?q=ch%C3%A8", "/khong-co-trang-nay", "/?region=mars"]
    }

    /// The page's text as a reader sees it, or nil for what is not an HTML page (a download, a redirect).
    static func visibleText(of path: String, _ browser: inout TestBrowser) async throws -> String? {
        let response = try await browser.get(path)
        #expect(response.status.code < 500, "\(path): \(response.status)")
        guard response.headers.contentType?.subType == "html", !(300..<400).contains(response.status.code) else { return nil }
        return PageWords.visibleText(response.body.string)
    }
}

/// Words of a page's text, and which of them are English.
enum PageWords {
    /// What may show in a Vietnamese page although it is written in Latin letters without diacritics: codes and formats,
    /// proper names, and the switch's own "English".
    static let allowed: Set<String> = Set([
        "english", "email", "excel", "word", "libreoffice", "openapi", "json",
        "z",                                    // a z-score, "(z = -4,4)"
        "test", "seed",                         // who wrote a row: the tests' and the demo seed's actors
    ]).union(DemoUsers.specs.flatMap { $0.username.split(separator: ".").map(String.init) })   // user names

    /// Words of the frame and of the translated pages that an English page must not show.
    static let frequentVietnamese = ["Dự án", "Đề án", "Báo cáo", "Kế hoạch", "Thực hiện", "Đăng nhập", "Đăng xuất", "Việc của tôi",
                                     "Tỉnh của tôi", "Nhật ký", "Thông báo", "Người dùng", "Mật khẩu", "Khu vực", "Lỗi", "Không", "Số liệu"]

    /// English words whose spelling could pass for a Vietnamese syllable without its marks.
    static let englishShapedLikeVietnamese: Set<String> = ["the", "not", "at", "it", "on", "by", "my", "we", "he", "be", "me", "ten", "top", "set", "get", "put", "yes"]

    /// The words found, each with where it stands.
    static func describe(_ words: [String], in text: String) -> String {
        var seen = Set<String>()
        return words.filter { seen.insert($0).inserted }.prefix(8).map { "\($0) in “\(context(of: $0, in: text))”" }.joined(separator: "; ")
    }

    /// A few words either side of a word, for the failure message.
    static func context(of word: String, in text: String) -> String {
        let flat = text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
        guard let range = flat.range(of: word) else { return word }
        let start = flat.index(range.lowerBound, offsetBy: -60, limitedBy: flat.startIndex) ?? flat.startIndex
        let end = flat.index(range.upperBound, offsetBy: 60, limitedBy: flat.endIndex) ?? flat.endIndex
        return String(flat[start..<end])
    }

    /// A letter of Vietnamese that English does not have (a mark, đ).
    static func isVietnameseLetter(_ scalar: Unicode.Scalar) -> Bool { scalar.value > 0x7F && scalar.properties.isAlphabetic }

    /// What an English page shows in Vietnamese that is not data: each piece of text between tags (and each label an
    /// assistive technology reads) that holds a Vietnamese letter, once the stored texts are taken out, unless what is
    /// left is codes in capitals or the switch's "Tiếng Việt".
    static func vietnamese(inPage html: String, data: Set<String>) -> [String] {
        vietnamese(inPage: html, data: data, longestFirst: data.sorted { $0.count > $1.count })
    }

    static func vietnamese(inPage html: String, data: Set<String>, longestFirst: [String]) -> [String] {
        var found: [String] = []
        let text = visibleText(html, separator: "\u{1}")
        let labels = (try? NSRegularExpression(pattern: #"(?:aria-label|title|placeholder)="([^"]*)""#))?
            .matches(in: html, range: NSRange(html.startIndex..., in: html))
            .map { String(html[Range($0.range(at: 1), in: html)!]) } ?? []
        for piece in (text.split(separator: "\u{1}").map(String.init) + labels).map({ $0.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCanonicalMapping })
        where piece.unicodeScalars.contains(where: isVietnameseLetter) {
            if data.contains(piece) { continue }
            var rest = piece
            for value in longestFirst where value.count >= 2 && rest.contains(value) {
                rest = rest.replacingOccurrences(of: value, with: " ")
                if !rest.unicodeScalars.contains(where: isVietnameseLetter) { break }
            }
            rest = rest.replacingOccurrences(of: "Tiếng Việt", with: " ")
            // A legal document's name (Nghị định 45/2012/NĐ-CP, Điều 4) is a proper name.
            rest = rest.replacingOccurrences(of: #"(Nghị định|Nghị quyết|Thông tư liên tịch|Thông tư|Quyết định)( số)? [0-9][0-9A-Za-zĐđ/\-]*(, Điều [0-9.–]+)?"#,
                                             with: " ", options: .regularExpression)
            // A stored text cut short on the page ("Hỗ trợ ứng dụng máy móc …").
            if rest.contains("…") {
                for part in rest.components(separatedBy: "…") {
                    let head = part.components(separatedBy: " – ").last?.trimmingCharacters(in: .whitespaces) ?? ""
                    if head.count >= 8, data.contains(where: { $0.hasPrefix(head) }) { rest = rest.replacingOccurrences(of: head, with: " ") }
                }
            }
            let words = rest.split(whereSeparator: { !$0.isLetter && $0 != "-" })
                .filter { $0.unicodeScalars.contains(where: isVietnameseLetter) && $0 != $0.uppercased() }
            if !words.isEmpty { found.append((piece.count > 80 ? String(piece.prefix(80)) + "…" : piece) + " [" + words.joined(separator: " ") + "]") }
        }
        var seen = Set<String>()
        return found.filter { seen.insert($0).inserted }
    }

    static func visibleText(_ html: String, separator: String = " ") -> String {
        var text = html
        for element in ["script", "style"] {
            while let start = text.range(of: "<\(element)", options: .caseInsensitive),
                  let end = text.range(of: "</\(element)>", options: .caseInsensitive, range: start.upperBound..<text.endIndex) {
                text.removeSubrange(start.lowerBound..<end.upperBound)
            }
        }
        // What is marked as code (a sheet's name, a column's) is shown as written.
        text = text.replacingOccurrences(of: "<code>[^<]*</code>", with: " ", options: [.regularExpression, .caseInsensitive])
        text = text.replacingOccurrences(of: "<[^>]*>", with: separator, options: .regularExpression)
        for (entity, character) in [("&quot;", "\""), ("&#34;", "\""), ("&#39;", "'"), ("&apos;", "'"), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")] {
            text = text.replacingOccurrences(of: entity, with: character)
        }
        text = text.replacingOccurrences(of: "&[#a-zA-Z0-9]+;", with: " ", options: .regularExpression)
        return text
    }

    /// Latin-only words that are not Vietnamese syllables without marks, nor codes (all capitals, digits, dotted
    /// identifiers such as user names), nor allowed.
    static func english(in text: String) -> [String] {
        var found: [String] = []
        for token in text.split(whereSeparator: { $0.isWhitespace }) {
            // An identifier: a user name, a file name, an address, a code with digits.
            if token.contains(where: { $0.isNumber || $0 == "@" || $0 == "_" }) { continue }
            // What a reader typed, quoted back ("Khu vực \"mars\" không có"), and a field's name before its message.
            if let first = token.first, "\"“'«".contains(first) { continue }
            if token.hasPrefix(".") { continue }   // a file's extension, ".xlsx"
            if token.hasSuffix(":"), token.first?.isLowercase == true, token.dropLast().allSatisfy({ $0.isASCII && $0.isLetter }) { continue }
            let trimmed = token.trimmingCharacters(in: .punctuationCharacters.union(.symbols))
            if trimmed.contains(".") { continue }
            for word in trimmed.split(whereSeparator: { !$0.isLetter }) {
                let word = String(word)
                guard word.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("A"..."Z").contains($0) }) else { continue }
                if word.count >= 2, word == word.uppercased() { continue }   // QG, ĐP, CSV, XLSX, UBND …
                let lower = word.lowercased()
                if allowed.contains(lower) { continue }
                if englishShapedLikeVietnamese.contains(lower) || !isVietnameseSyllable(lower) { found.append(word) }
            }
        }
        return found
    }

    static let initials = ["ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
                           "b", "c", "d", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", ""]
    static let finals = ["ng", "nh", "ch", "c", "m", "n", "p", "t", ""]

    /// A syllable of Vietnamese written without its marks: an initial consonant, one to three vowels, a final.
    static func isVietnameseSyllable(_ word: String) -> Bool {
        for initial in initials where word.hasPrefix(initial) {
            let rest = word.dropFirst(initial.count)
            for final in finals where rest.hasSuffix(final) {
                let vowels = rest.dropLast(final.count)
                if (1...3).contains(vowels.count), vowels.allSatisfy({ "aeiouy".contains($0) }) { return true }
            }
        }
        return false
    }
}
