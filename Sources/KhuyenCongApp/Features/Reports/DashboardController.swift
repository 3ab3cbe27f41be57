import KhuyenCongCore
import Vapor

/// The dashboards: a region, a unit or the country, at a year and period, as it was or restated; with XLSX and
/// CSV downloads of the same figures. Aggregates only, so they are public.
struct DashboardController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("dashboard", use: page).access(.public)
        routes.get("dashboard.xlsx", use: xlsx).access(.public)
        routes.get("dashboard.csv", use: csv).access(.public)
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
    /// visitor's request renders only the frame around it (who is signed in, the form token, the counts).
    @Sendable func page(req: Request) async throws -> View {
        let scope = try Self.scope(req)
        let query = req.url.query ?? ""
        let cache = req.application.reportCache
        let rendered = try await cache.value(.init(kind: "dashboard-body", scope: scope, detail: "\(req.language.rawValue) \(query)"),
                                             for: req) {
            let page = try await DashboardPage.load(scope, query: query, layout: PageLayout(req), cache: cache, on: req.db)
            return RenderedBody(title: page.title, body: String(buffer: try await req.view.render("reports/dashboard-body", page).data))
        }
        return try await req.view.render("reports/dashboard", Frame(title: rendered.title, layout: PageLayout(req), body: rendered.body))
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
        let name = "bao-cao-khuyen-cong-\(summary.scope.region ?? summary.scope.unitCode ?? "ca-nuoc")-\(summary.scope.year)-\(summary.scope.period).\(ext)"
        return Response(status: .ok, headers: ["Content-Type": type, "Content-Disposition": "attachment; filename=\"\(name)\""],
                        body: .init(data: data))
    }
}
