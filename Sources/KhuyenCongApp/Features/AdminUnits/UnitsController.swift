import KhuyenCongCore
import Vapor

struct UnitsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("units", ":unitID", use: show)
    }

    @Sendable func show(req: Request) async throws -> View {
        let unitID = try req.parameters.require("unitID")
        guard let unit = AdminUnitCatalog.standard.unit(id: unitID) else {
            throw DomainError(.notFound, vi: "Không có đơn vị \"\(unitID)\"", en: "no unit \"\(unitID)\"")
        }
        let page = try await UnitPage.load(unit: unit, today: .today(), on: req.db)
        return try await req.view.render("units/show", page)
    }
}
