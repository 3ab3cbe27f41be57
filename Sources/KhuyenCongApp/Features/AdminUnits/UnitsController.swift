import KhuyenCongCore
import Vapor

struct UnitsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.unit(), use: show).access(.public)
    }

    @Sendable func show(req: Request) async throws -> View {
        let unitID = UnitID(try req.parameters.require("unitID"))
        guard let unit = AdminUnitCatalog.standard.unit(id: unitID) else {
            throw DomainError(.notFound, vi: "Không có đơn vị \"\(unitID)\"", en: "no unit \"\(unitID)\"")
        }
        // Everyone sees the unit's plan; its projects (with beneficiaries' names) only those who may read them.
        let showProjects = req.user.map { AccessPolicyHelper.allows($0, .readRecord, RecordScope(unitID: unit.id)) } ?? false
        let page = try await UnitPage.load(unit: unit, layout: PageLayout(req), showProjects: showProjects, today: .today(), on: req.db)
        return try await req.view.render("units/show", page)
    }
}
