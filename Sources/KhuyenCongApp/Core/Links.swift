import KhuyenCongCore

/// The links the pages build: the fixed ones here, the rest in `extension Links` beside each feature. Templates take
/// every link from the page struct and hold no path literal (`PagesTests.noTemplateHoldsAPathLiteral` fails if one
/// does). Not yet every path in Swift comes from here: a few redirects still write theirs (the sign-in redirect in
/// PageErrorMiddleware, the period report's after a step, home after sign-out); the typed-route work of issue 16
/// replaces them.
enum Links {
    static func home(region: Region) -> String { region == .north ? "/" : "/?region=\(region.rawValue)" }
    static func unit(_ unitID: UnitID) -> String { "/units/\(escape(unitID.rawValue))" }
    static func project(_ code: String) -> String { "/projects/\(escape(code))" }

    static let root = "/"
    static let stylesheet = "/css/app.css"
    static let dashboard = "/dashboard"
    /// The period report as an administrative document (Features/Reports/ReportDocumentController.swift).
    static func reportDocument(query: String, format: String) -> String { "/reports/document?" + (query.isEmpty ? "" : query + "&") + "format=" + format }
    /// The printed dashboard's running header for the same query (ReportDocumentController.printStyle).
    static func dashboardPrintStyle(query: String) -> String { "/dashboard.print.css" + (query.isEmpty ? "" : "?" + query) }
    static let newProject = "/projects/new"
    static let imports = "/imports"
    static let exportDownload = "/exports/download"
    static let periodReports = "/period-reports"
    static let audit = "/audit"
    static let password = "/account/password"
    static let login = "/login"
    static let logout = "/logout"
    /// The language switch (Core/Localization.swift): a signed-in user's form posts here, a visitor follows the link.
    static let language = "/language"
    static func language(choose code: String, back: String) -> String {
        "/language?lang=\(code)&back=" + (back.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/")
    }

    /// The fixed links every page's frame and forms use, for templates (`#(layout.links.audit)`).
    struct Fixed: Encodable, Sendable {
        let home = Links.root, stylesheet = Links.stylesheet, dashboard = Links.dashboard, newProject = Links.newProject
        let imports = Links.imports, exportDownload = Links.exportDownload, periodReports = Links.periodReports
        let audit = Links.audit, password = Links.password, login = Links.login, logout = Links.logout
        let rules = Links.adminRules
        let users = Links.adminUsers
        let settings = Links.adminSettings
    }

    private static func escape(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(.init(charactersIn: "/?#"))) ?? segment
    }
}

import Foundation
