import KhuyenCongCore
import Vapor

/// `GET /api/v1/reports/summary`: the same summary as `report summary --format json`.
struct ReportsAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped("api", "v1", "reports").get("summary", use: summary).access(.signedIn)
    }

    struct Query: Decodable {
        let region: String?; let unit: String?; let country: Bool?; let year: Int?; let period: String?
        let source: String?; let restate: Bool?; let asOf: String?; let figures: String?
    }

    @Sendable func summary(req: Request) async throws -> ReportSummary {
        let query = try req.query.decode(Query.self)
        let scope = try ReportScope.parse(region: query.region, unit: query.unit, country: query.country ?? false,
                                          year: query.year, period: query.period, source: query.source,
                                          restate: query.restate ?? false, asOf: query.asOf, figures: query.figures)
        return try await ReportSummary.compute(scope, cache: req.application.reportCache, on: req.db)
    }
}
