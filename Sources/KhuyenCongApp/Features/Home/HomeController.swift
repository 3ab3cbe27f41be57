import KhuyenCongCore
import Vapor

/// The home page: a region's units with their plan and realised amounts for this year and the last.
struct HomeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.home, use: home).access(.public)
    }

    /// A signed-in person with a role that has work (not a viewer) starts from "Việc của tôi"; the region overview stays
    /// at `/?region=…` for them, and at `/` for visitors and viewers.
    @Sendable func home(req: Request) async throws -> View {
        if let user = req.user, user.principal.role != .viewer, req.url.query == nil {
            return try await WorkController.render(req)
        }
        let region = try req.query.get(String?.self, at: "region").map { code in
            guard let region = Region(rawValue: code) else {
                throw DomainError(.notFound, vi: "Khu vực \"\(code)\" không có", en: "region \"\(code)\" does not exist")
            }
            return region
        } ?? Region.defaultHome
        let today = CalendarDate.today()
        let page = try await HomePage.load(region: region, year: today.year, today: today, layout: PageLayout(req), cache: req.application.reportCache, on: req.db)
        return try await req.view.render("home/index", page)
    }
}

extension Region {
    /// The region overview shown when none is asked for (`/` without `?region=`) and to a user who belongs to no
    /// region (the ministry, an administrator): the northern region, listed first on the ministry's own pages and
    /// holding the capital. A named rule, so that no code falls back to a region silently.
    static let defaultHome: Region = .north
}
