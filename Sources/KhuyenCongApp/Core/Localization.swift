import Fluent
import KhuyenCongCore
import Leaf
import Vapor

/// The language of a request's pages: the signed-in user's saved choice, else the visitor's `lang` cookie, else the
/// browser's `Accept-Language`, else Vietnamese. Texts come from `MessageCatalog` (keyed by the Vietnamese text):
/// `req.t("…")` in Swift, `#t("…")` in templates.
extension Request {
    static let languageCookie = "lang"

    var language: Language {
        if let chosen = storage[ChosenLanguage.self] { return chosen }
        let chosen = user?.language.flatMap(Language.init(rawValue:))
            ?? cookies[Self.languageCookie].flatMap { Language(rawValue: $0.string) }
            ?? Language.preferred(acceptLanguage: headers.first(name: .acceptLanguage))
            ?? .vi
        // Kept only once the user is known: an error raised before the session is read must not fix it early.
        if user != nil { storage[ChosenLanguage.self] = chosen }
        return chosen
    }

    /// A text of the pages in this request's language.
    func t(_ vietnamese: String) -> String { MessageCatalog.text(vietnamese, in: language) }

    /// A text with values: `req.t("Kế hoạch năm {0}", "2026")`.
    func t(_ vietnamese: String, _ values: String...) -> String { MessageCatalog.text(vietnamese, in: language, values) }

    /// A refusal as this request's reader reads it: one language on a page (the API's problem carries both).
    func say(_ error: DomainError) -> String { language == .vi ? error.vietnamese : error.english }

    private struct ChosenLanguage: StorageKey { typealias Value = Language }
}

/// `#t("Báo cáo")`: the text in the request's language (escaped like any other value). Values fill "{0}", "{1}" …:
/// `#t("Cộng ({0} đề án)", g.count)`. A literal without an English entry is noted (`MessageCatalog.missing`).
struct TranslateTag: LeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard let text = ctx.parameters.first?.string else {
            throw Abort(.internalServerError, reason: "#t() needs the Vietnamese text")
        }
        let language = ctx.request?.language ?? .vi
        let values = ctx.parameters.dropFirst().map { MessageCatalog.value($0.isNil ? "" : ($0.string ?? ""), in: language) }
        return .string(MessageCatalog.text(text, in: language, Array(values)))
    }
}

/// `#tc("nút", "Thực hiện")`: a text whose English depends on where it stands (`MessageCatalog.Context`, by its
/// name), in the request's language.
struct TranslateInContextTag: LeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard ctx.parameters.count == 2, let name = ctx.parameters[0].string, let text = ctx.parameters[1].string,
              let context = MessageCatalog.context(named: name) else {
            throw Abort(.internalServerError, reason: "#tc() needs a known context and the Vietnamese text")
        }
        return .string(MessageCatalog.text(text, context: context, in: ctx.request?.language ?? .vi))
    }
}

/// `#tx(row.status)`: a value shown as text, in English when the catalog knows it (a status, a role, a fixed name
/// built in Swift); data (a province, a project's title) shows as it is. Not a string (a number, nothing): as it is.
struct TranslateValueTag: LeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard let value = ctx.parameters.first else { return .string("") }
        guard case .string = value.celf, let text = value.string else { return value }
        return .string(MessageCatalog.value(text, in: ctx.request?.language ?? .vi))
    }
}

/// `#unsafeTranslatedHTML(chart)`: markup built by the app (a chart's SVG), unescaped, its text between tags in the
/// reader's language (each piece through the catalog, figures in their English form).
struct TranslatedMarkupTag: UnsafeUnescapedLeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard let markup = ctx.parameters.first?.string else { return .string("") }
        let language = ctx.request?.language ?? .vi
        guard language != .vi else { return .string(markup) }
        var out = "", text = ""
        var inTag = false
        for character in markup {
            if character == "<" {
                out += text.isEmpty ? "" : MessageCatalog.value(text, in: language)
                text = ""; inTag = true; out.append(character)
            } else if character == ">" {
                inTag = false; out.append(character)
            } else if inTag {
                out.append(character)
            } else {
                text.append(character)
            }
        }
        return .string(out + (text.isEmpty ? "" : MessageCatalog.value(text, in: language)))
    }
}

extension Application {
    func setUpLocalization() {
        leaf.tags["unsafeTranslatedHTML"] = TranslatedMarkupTag()
        leaf.tags["t"] = TranslateTag()
        leaf.tags["tx"] = TranslateValueTag()
        leaf.tags["tc"] = TranslateInContextTag()
    }
}

/// The switch in the page frame (Tiếng Việt / English). A signed-in user's choice is saved on their account (a form
/// with the CSRF token; a guarded, audited write), so that it follows them to another browser; a visitor's is kept in
/// a cookie only (a plain link: a visitor has no session, hence no form token, and nothing is stored for them).
struct LanguageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.language, use: chooseAsVisitor).access(.public)
        routes.post(.language, use: choose).access(.signedIn)
    }

    struct Form: Content { let lang: String; let back: String? }

    @Sendable func chooseAsVisitor(req: Request) async throws -> Response {
        let form = try req.query.decode(Form.self)
        return try Self.remember(try Self.language(form.lang), back: form.back, req)
    }

    @Sendable func choose(req: Request) async throws -> Response {
        let form = try req.content.decode(Form.self)
        let language = try Self.language(form.lang)
        let id = try req.requireUser().requireID()
        try await GuardedWrite.run(on: req.db) { db in
            // Under the lock: the account as it is now (a disabled account changes nothing).
            guard let current = try await User.find(id, on: db), !current.disabled else {
                throw DomainError(.unauthenticated, vi: "Cần đăng nhập", en: "sign-in required")
            }
            let before = current.language
            guard before != language.rawValue else { return }
            current.language = language.rawValue
            try await current.save(on: db)
            try await AuditTrail.record(actor: current.username, action: "change_language", recordType: "user",
                                        recordID: current.username, unitID: current.unitID,
                                        before: before.map { ["language": $0] }, after: ["language": language.rawValue], on: db)
        }
        req.user?.language = language.rawValue
        return try Self.remember(language, back: form.back, req)
    }

    static func language(_ code: String) throws -> Language {
        guard let language = Language(rawValue: code) else {
            throw DomainError.invalid(vi: "lang: ngôn ngữ \"\(code)\" không có (vi, en)", en: "lang: language \"\(code)\" does not exist (vi, en)")
        }
        return language
    }

    /// Back to the page the switch was on, with the choice in a cookie (secure like the session's).
    static func remember(_ language: Language, back: String?, _ req: Request) throws -> Response {
        let response = req.redirect(to: AuthController.safeNext(back), redirectType: .normal)
        let secure = req.application.sessions.configuration.cookieFactory(SessionID(string: "-")).isSecure
        response.cookies[Request.languageCookie] = HTTPCookies.Value(string: language.rawValue, maxAge: 365 * 24 * 3600, path: "/",
                                                                      isSecure: secure, isHTTPOnly: true, sameSite: .lax)
        return response
    }
}

/// What the frame's switch needs: the current language, the choices, and where to come back to.
struct LanguageSwitch: Encodable, Sendable {
    struct Choice: Encodable, Sendable { let code: String; let name: String; let current: Bool; let link: String }
    let lang: String
    let choices: [Choice]
    /// A signed-in user's form posts here (with `lang`, `back` and the CSRF field); a visitor follows `choice.link`.
    let action = Links.language
    let back: String

    init(_ request: Request) {
        let language = request.language
        let back = request.method == .GET ? request.url.string : Links.root
        lang = language.rawValue
        self.back = back
        choices = Language.allCases.map { Choice(code: $0.rawValue, name: $0.ownName, current: $0 == language,
                                                 link: Links.language(choose: $0.rawValue, back: back)) }
    }
}

/// Who recorded a row, as a page shows it: a person by user name; the rows the migrations seed from the law, and the
/// system's own writes (the demo seed), by what they are rather than "migrate" or "system".
enum Recorder {
    static func shown(_ actor: String) -> String {
        switch actor {
        case "migrate": "Theo quy định (khởi tạo)"
        case "system": "Hệ thống"
        default: actor
        }
    }
}
