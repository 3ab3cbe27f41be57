import Fluent
import Foundation
import KhuyenCongCore
import Vapor

extension Links {
    static let quality = SiteRoute.quality.path
    static let qualityComments = SiteRoute.qualityComments.path
    static func quality(unitCode: UnitCode, year: Int, period: Period) -> String {
        SiteRoute.quality.path(query: "unit=\(unitCode)&year=\(year)&period=\(period.rawValue)")
    }
}

/// `GET /api/v1/quality`: the findings of a scope, as the contract says.
struct QualityAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.api(.quality), use: findings).access(.signedIn)
    }

    struct Query: Decodable { let region: String?; let unit: String?; let country: Bool?; let year: Int?; let period: String? }

    @Sendable func findings(req: Request) async throws -> QualityFindings.Document {
        _ = try req.requireUser()
        let query = try req.query.decode(Query.self)
        let scope = try QualityFindings.parse(region: query.region, unit: query.unit, country: query.country ?? false, year: query.year, period: query.period)
        try QualityFindings.authorize(scope, req)
        return QualityFindings.Document(try await QualityFindings.list(scope, cache: req.application.reportCache, on: req.db))
    }
}

/// The data-quality page of a unit (or a region, or the country) and period, and the unit's comments on warnings.
struct QualityController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.quality, use: page).access(.signedIn)
        // The unit is in the form: the write checks the caller's right on it under the lock (403/404).
        routes.post(.qualityComments, use: comment).access(.signedIn)
    }

    struct Page: Encodable {
        struct Option: Encodable { let value: String; let label: String; let selected: Bool }
        struct Row: Encodable {
            let severity: String
            let isError: Bool
            let ruleName: String
            let rule: String
            let unitName: String
            let unitLink: String
            let projectCode: String?
            let projectLink: String?
            let message: String
            let explanation: String
            let comment: String?
            let subject: String
            let unitID: UnitID
            let canComment: Bool
        }
        let title: String
        let layout: PageLayout
        let csrf: String
        let heading: String
        let errors: Int
        let warnings: Int
        let rows: [Row]
        let year: Int
        let period: Period
        let commentAction: String
        let reportLink: String?
        let error: String?
    }

    struct Query: Decodable { let region: String?; let unit: String?; let country: Bool?; let year: Int?; let period: String? }

    @Sendable func page(req: Request) async throws -> Response {
        try await render(req, query: try req.query.decode(Query.self))
    }

    private func render(_ req: Request, query: Query, error: String? = nil, status: HTTPResponseStatus = .ok) async throws -> Response {
        let user = try req.requireUser()
        let today = CalendarDate.today()
        let scope: QualityFindings.Scope
        let name: String
        let year = query.year ?? today.year, period = query.period ?? (today.month <= 7 ? "H1" : "FY")
        if query.region == nil && query.unit == nil && query.country != true {
            // No scope asked: every unit whose records the caller reads (a province, a region, the country; none for a viewer).
            let all = try QualityFindings.parse(region: nil, unit: nil, country: true, year: year, period: period)
            let readable = all.units.filter { AccessPolicy.decide(user.principal, .readRecord, RecordScope(unitID: $0.id)) == .allow }
            scope = .init(units: readable, year: all.year, period: all.period)
            name = readable.count == all.units.count ? "Cả nước"
                : readable.count == 1 ? readable[0].name
                : user.principal.region.map(\.vietnameseName) ?? "Các đơn vị được xem"
        } else {
            scope = try QualityFindings.parse(region: query.region, unit: query.unit, country: query.country ?? false, year: year, period: period)
            try QualityFindings.authorize(scope, req)
            if scope.units.count == 1, let unit = scope.units.first, query.unit != nil { name = unit.name }
            else if let region = query.region.flatMap(Region.init(rawValue:)) { name = region.vietnameseName }
            else { name = "Cả nước" }
        }
        let findings = try await QualityFindings.list(scope, cache: req.application.reportCache, on: req.db)
        let rules = try await QualityFindings.rules(year: scope.year, period: scope.period, on: req.db)
        var open: [UnitID: Bool] = [:]
        for unit in scope.units where findings.contains(where: { $0.unitID == unit.id }) {
            let report = try await PeriodReportWorkflow.find(.init(unit: unit, year: scope.year, period: scope.period), on: req.db)
            open[unit.id] = report.map { $0.status.isOpenForSubmission } ?? true
        }
        let catalog = AdminUnitCatalog.standard
        let rows = findings.map { finding in
            Page.Row(severity: finding.severity == "error" ? "Lỗi" : "Cảnh báo", isError: finding.severity == "error",
                     ruleName: finding.ruleName, rule: finding.rule,
                     unitName: catalog.unit(id: finding.unitID)?.name ?? finding.unitCode.rawValue, unitLink: Links.unit(finding.unitID),
                     projectCode: finding.projectCode, projectLink: finding.projectCode.map(Links.project),
                     message: finding.message, explanation: rules[finding.rule]?.explanation ?? "", comment: finding.comment,
                     subject: finding.subject, unitID: finding.unitID,
                     canComment: finding.severity == "warning" && (open[finding.unitID] ?? false)
                        && AccessPolicy.decide(user.principal, .editRecord, RecordScope(unitID: finding.unitID)) == .allow)
        }
        let reportLink = scope.units.count == 1
            ? scope.units.first.map { "\(Links.periodReports)/\($0.id)/\(scope.year)/\(scope.period.rawValue)" } : nil
        let page = Page(title: "Chất lượng số liệu – Khuyến công", layout: PageLayout(req), csrf: CSRF.token(for: req),
                        heading: "Chất lượng số liệu: \(name), \(scope.period.vietnameseName(year: scope.year))",
                        errors: findings.filter { $0.severity == "error" }.count, warnings: findings.filter { $0.severity == "warning" }.count,
                        rows: rows, year: scope.year, period: scope.period, commentAction: Links.qualityComments,
                        reportLink: reportLink, error: error)
        let response = try await req.view.render("quality/index", page).encodeResponse(for: req)
        response.status = status
        return response
    }

    struct CommentForm: Content { let unitID: UnitID; let year: Int; let period: String; let rule: String; let subject: String; let comment: String }

    @Sendable func comment(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let form = try req.content.decode(CommentForm.self)
        guard let unit = AdminUnitCatalog.standard.unit(id: form.unitID) else { throw DomainError(.notFound, vi: "Không tìm thấy", en: "not found") }
        try req.authorize(.readRecord, RecordScope(unitID: unit.id))
        let key = try PeriodReportWorkflow.key(unitCode: unit.code, year: form.year, period: form.period)
        let query = Query(region: nil, unit: unit.code.rawValue, country: nil, year: form.year, period: key.period.rawValue)
        do {
            try await QualityFindings.comment(unit: key.unit, year: key.year, period: key.period, rule: form.rule, subject: form.subject,
                                              text: form.comment, by: user, on: req.db)
            return req.redirect(to: Links.quality(unitCode: unit.code, year: key.year, period: key.period), redirectType: .normal)
        } catch let refusal as DomainError {
            return try await render(req, query: query, error: refusal.description, status: refusal.status)
        }
    }
}
