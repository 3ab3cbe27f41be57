import KhuyenCongCore
import Vapor

/// `GET /api/v1/reports/summary`: the same summary as `report summary --format json`.
struct ReportsAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.api(.reportsSummary), use: summary).access(.signedIn)
        routes.get(.api(.reportsMonitoring), use: monitoring).access(.signedIn)
    }

    /// `GET /api/v1/reports/monitoring`: the monitoring lists of the dashboard and the report document, as JSON.
    @Sendable func monitoring(req: Request) async throws -> Monitoring {
        let query = try req.query.decode(Query.self)
        let scope = try ReportScope.parse(region: query.region, unit: query.unit, country: query.country ?? false,
                                          year: query.year, period: query.period, source: query.source,
                                          restate: query.restate ?? false, asOf: query.asOf, figures: query.figures)
        return try await Monitoring.compute(scope, cache: req.application.reportCache, on: req.db)
    }

    struct Query: Decodable {
        let region: String?; let unit: String?; let country: Bool?; let year: Int?; let period: String?
        let source: String?; let restate: Bool?; let asOf: String?; let figures: String?
    }

    /// The encoded JSON is what is cached: most requests then cost the version check (one query with the token's) and the copy.
    @Sendable func summary(req: Request) async throws -> Response {
        let query = try req.query.decode(Query.self)
        let scope = try ReportScope.parse(region: query.region, unit: query.unit, country: query.country ?? false,
                                          year: query.year, period: query.period, source: query.source,
                                          restate: query.restate ?? false, asOf: query.asOf, figures: query.figures)
        let db = req.db
        let body = try await req.application.reportCache.value(.init(kind: "summary-json", scope: scope), for: req) {
            ByteBuffer(data: try JSONEncoder().encode(try await ReportSummary.compute(scope, on: db)))
        }
        return Response(status: .ok, headers: ["Content-Type": "application/json; charset=utf-8"], body: .init(buffer: body))
    }
}
