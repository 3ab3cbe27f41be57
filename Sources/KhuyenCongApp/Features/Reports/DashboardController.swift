import KhuyenCongCore
import NIOConcurrencyHelpers
import Vapor

/// The dashboards: a region, a unit or the country, at a year and period, as it was or restated; with XLSX and
/// CSV downloads of the same figures. Aggregates only, so they are public.
struct DashboardController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.dashboard, use: page).access(.public)
        routes.get(.dashboardXLSX, use: xlsx).access(.public)
        routes.get(.dashboardCSV, use: csv).access(.public)
        routes.get(.dashboardList(), use: list).access(.public)
    }

    struct Query: Decodable {
        let region: String?; let unit: String?; let country: Bool?; let year: Int?; let period: String?
        let source: String?; let restate: Bool?; let asOf: String?
    }

    static func scope(_ req: Request) throws -> ReportScope {
        let query = try req.query.decode(Query.self)
        let today = CalendarDate.today()
        // The page's region list ends with "Cả nước" (region=country).
        let country = query.country == true || (query.region == "country" && query.unit?.isEmpty != false)
        let hasArea = query.unit?.isEmpty == false || country
        return try ReportScope.parse(region: hasArea ? nil : (query.region.flatMap { $0.isEmpty ? nil : $0 } ?? "north"),
                                     unit: query.unit.flatMap { $0.isEmpty ? nil : $0 }, country: country,
                                     year: query.year ?? today.year, period: query.period.flatMap { $0.isEmpty ? nil : $0 } ?? "H1",
                                     source: query.source.flatMap { $0.isEmpty ? nil : $0 }, restate: query.restate ?? false,
                                     asOf: query.asOf.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// The page's body is rendered once per scope, data version and language (`reports/dashboard-body`); each
    /// signed-in visitor's request renders only the frame around it (who is signed in, the form token, the counts).
    /// A visitor who is not signed in gets the whole page as it was rendered for the first such visitor at this data
    /// version: their frame depends only on the language, the address and today's agency name, all in the key. The page
    /// is kept gzip-compressed too, sent to browsers that accept it (`Content-Encoding: gzip`).
    @Sendable func page(req: Request) async throws -> Response {
        let scope = try Self.scope(req)
        let query = req.url.query ?? ""
        let cache = req.application.reportCache
        let version = try await req.versions().data
        let layout = PageLayout(req)
        let body = {
            try await cache.value(.init(kind: "dashboard-body", scope: scope, detail: "\(req.language.rawValue) \(query)"),
                                  version: version) {
                let page = try await DashboardPage.load(scope, query: query, layout: layout, cache: cache, on: req.db).localized(req.language)
                return RenderedBody(title: page.title, body: String(buffer: try await req.view.render("reports/dashboard-body", page).data))
            }
        }
        var headers: HTTPHeaders = ["Content-Type": "text/html; charset=utf-8"]
        guard req.user == nil else {
            let rendered = try await body()
            let html = try await req.view.render("reports/dashboard", Frame(title: rendered.title, layout: layout, body: rendered.body)).data
            return Response(status: .ok, headers: headers, body: .init(buffer: html))
        }
        let page = try await req.application.pageCache.value(
            .init(kind: "dashboard-page", scope: scope, detail: "\(req.language.rawValue) \(req.url.string) \(layout.agencyName)"),
            version: version) {
            let rendered = try await body()
            let html = try await req.view.render("reports/dashboard", Frame(title: rendered.title, layout: layout, body: rendered.body)).data
            return CachedPage(html: html, gzip: try Gzip.compress(html))
        }
        headers.add(name: .vary, value: "Accept-Encoding")
        guard Gzip.accepted(by: req) else { return Response(status: .ok, headers: headers, body: .init(buffer: page.html)) }
        headers.add(name: .contentEncoding, value: "gzip")
        return Response(status: .ok, headers: headers, body: .init(buffer: page.gzip))
    }

    /// A visitor's whole page, as sent and gzip-compressed.
    struct CachedPage: Sendable { let html: ByteBuffer; let gzip: ByteBuffer }

    /// One monitoring list whole, for the dashboard's query (the dashboard shows its first lines and links here).
    @Sendable func list(req: Request) async throws -> View {
        let name = req.parameters.get("list") ?? ""
        let missing = DomainError(.notFound, vi: "Danh sách \"\(name)\" không có", en: "list \"\(name)\" does not exist")
        guard let list = SiteRoute.MonitoringList(rawValue: name) else { throw missing }
        let layout = PageLayout(req)
        let page = try await DashboardPage.load(try Self.scope(req), query: req.url.query ?? "", layout: layout,
                                                cache: req.application.reportCache, on: req.db).localized(req.language)
        guard let section = page.monitoringLists.first(where: { $0.list == list }) else { throw missing }
        return try await req.view.render("reports/monitoring-list", MonitoringListPage(section, of: page, layout: layout, in: req.language))
    }

    struct RenderedBody: Sendable { let title: String; let body: String }
    /// `reports/dashboard`: the frame (`base`) around the rendered body.
    struct Frame: Encodable { let title: String; let layout: PageLayout; let body: String }

    /// The workbook holds the narrative and the monitoring findings too, as the report document does.
    @Sendable func xlsx(req: Request) async throws -> Response {
        let scope = try Self.scope(req)
        let figures = try await ReportNarrative.figures(scope, on: req.db)
        return download(try XLSXWriter.write(SummaryExport.workbook(figures, scope: scope)), summary: figures.all, ext: "xlsx",
                        type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    }

    @Sendable func csv(req: Request) async throws -> Response {
        let summary = try await ReportSummary.compute(try Self.scope(req), cache: req.application.reportCache, on: req.db)
        return download(SummaryExport.csv(SummaryExport.sheets(summary)), summary: summary, ext: "csv", type: "text/csv; charset=utf-8")
    }

    private func download(_ data: Data, summary: ReportSummary, ext: String, type: String) -> Response {
        let name = "bao-cao-khuyen-cong-\(summary.scope.region?.rawValue ?? summary.scope.unitCode?.rawValue ?? "ca-nuoc")-\(summary.scope.year)-\(summary.scope.period.rawValue).\(ext)"
        return Response(status: .ok, headers: ["Content-Type": type, "Content-Disposition": "attachment; filename=\"\(name)\""],
                        body: .init(data: data))
    }
}

extension Application {
    private struct PageCacheKey: StorageKey { typealias Value = ReportCache }
    private static let pageCacheLock = NIOLock()

    /// Whole pages as sent to visitors who are not signed in, by data version, each also gzip-compressed: apart from
    /// the reports, and few, since each holds a page's bytes (a region's dashboard at national scale is about 50 KB,
    /// 8 KB compressed, since the monitoring lists show their first lines).
    var pageCache: ReportCache {
        Self.pageCacheLock.withLock {
            if let known = storage[PageCacheKey.self] { return known }
            let made = ReportCache(capacity: 64)
            storage[PageCacheKey.self] = made
            return made
        }
    }
}
