import KhuyenCongCore

/// The links the pages build, each a `SiteRoute` path (Core/SiteRoute.swift) with its query: the fixed ones here, the
/// rest in `extension Links` beside each feature. Templates take every link from the page struct and hold no path
/// literal (`PagesTests.noTemplateHoldsAPathLiteral`); no Swift file outside SiteRoute.swift writes a path
/// (`SiteRouteTests`), redirects included.
enum Links {
    static func home(region: Region) -> String { region == .north ? root : SiteRoute.home.path(query: "region=\(region.rawValue)") }
    static func unit(_ unitID: UnitID) -> String { SiteRoute.unit(id: unitID.rawValue).path }
    static func project(_ code: String) -> String { SiteRoute.project(code: code).path }

    static let root = SiteRoute.home.path
    static let stylesheet = SiteRoute.stylesheet
    static let dashboard = SiteRoute.dashboard.path
    /// The period report as an administrative document (Features/Reports/ReportDocumentController.swift).
    static func reportDocument(query: String, format: String) -> String {
        SiteRoute.reportDocument.path(query: (query.isEmpty ? "" : query + "&") + "format=" + format)
    }
    /// The printed dashboard's running header for the same query (ReportDocumentController.printStyle).
    static func dashboardPrintStyle(query: String) -> String { SiteRoute.dashboardPrintStyle.path(query: query) }
    static let newProject = SiteRoute.projectNew.path
    static let imports = SiteRoute.imports.path
    static let exportDownload = SiteRoute.exportDownload.path
    static let periodReports = SiteRoute.periodReports.path
    static let audit = SiteRoute.audit.path
    static let password = SiteRoute.accountPassword.path
    static let login = SiteRoute.login.path
    static let logout = SiteRoute.logout.path
    /// The sign-in page, and back to `next` (a path and query) afterwards.
    static func login(next: String) -> String {
        SiteRoute.login.path(query: "next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? root))
    }
    /// The language switch (Core/Localization.swift): a signed-in user's form posts here, a visitor follows the link.
    static let language = SiteRoute.language.path
    static func language(choose code: String, back: String) -> String {
        SiteRoute.language.path(query: "lang=\(code)&back=" + (back.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? root))
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
}

import Foundation
