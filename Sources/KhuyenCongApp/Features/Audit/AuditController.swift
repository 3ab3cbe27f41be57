import KhuyenCongCore
import Vapor

/// The audit page for admins, the ministry and reviewers (reviewers see their region's units), with filters.
struct AuditController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.audit, use: index).access(.action(.readAudit))
    }

    struct Query: Decodable { let user: String?; let unit: UnitCode?; let record: String?; let from: String?; let to: String? }

    struct AuditPage: Encodable {
        struct Row: Encodable { let at: String; let actor: String; let action: String; let record: String; let unit: String; let changes: [String] }
        let title = "Nhật ký thay đổi – Khuyến công"
        let layout: PageLayout
        let user: String
        let unit: UnitCode
        /// Today's provinces by name, for the filter.
        let units: [UnitChoices.Choice]
        let record: String
        let from: String
        let to: String
        let rows: [Row]
        let error: String?
    }

    @Sendable func index(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let query = try req.query.decode(Query.self)
        var error: String?
        var filter = AuditEntry.Filter(actor: query.user, unitID: nil, recordID: query.record)
        do {
            if let code = query.unit, !code.rawValue.isEmpty {
                filter.unitID = try AdminUnitCatalog.standard.resolve(code: code, on: .today()).id
            }
            filter.from = try query.from.flatMap { $0.isEmpty ? nil : try CalendarDate(parsing: $0) }.map(Self.startOfDay)
            filter.until = try query.to.flatMap { $0.isEmpty ? nil : try CalendarDate(parsing: $0) }.map { Self.startOfDay($0.adding(days: 1)) }
        } catch let refusal as DomainError { error = refusal.description }

        let region = user.principal.role == .regionReviewer ? user.principal.region : nil
        let entries = error != nil ? [] : try await AuditEntry.search(filter, on: req.db).filter { entry in
            guard let region else { return true }
            return entry.unitID.map { RecordScope(unitID: $0).regions.contains(region) } ?? false
        }
        let language = req.language
        let page = AuditPage(
            layout: PageLayout(req), user: query.user ?? "", unit: query.unit ?? "", units: UnitChoices.today(selected: query.unit), record: query.record ?? "",
            from: query.from ?? "", to: query.to ?? "",
            rows: entries.map {
                .init(at: AuditPresentation.time($0.at), actor: Recorder.shown($0.actor), action: AuditPresentation.action($0.action, in: language),
                      record: AuditPresentation.record(type: $0.recordType, id: $0.recordID, in: language),
                      unit: $0.unitID.flatMap { AdminUnitCatalog.standard.unit(id: $0)?.name } ?? "–",
                      changes: AuditPresentation.changes(before: $0.before, after: $0.after, in: language))
            },
            error: error)
        let response = try await req.view.render("audit/index", page).encodeResponse(for: req)
        if error != nil { response.status = .unprocessableEntity }
        return response
    }

    static func startOfDay(_ date: CalendarDate) -> Date {
        // Calendar days in Vietnam (UTC+7).
        Date(timeIntervalSince1970: TimeInterval(date.dayNumber) * 86_400 - 7 * 3600)
    }
}
