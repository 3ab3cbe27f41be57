import KhuyenCongCore
import Vapor

struct ProjectsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("projects", ":code", use: show)
    }

    @Sendable func show(req: Request) async throws -> View {
        let code = try req.parameters.require("code")
        let project = try await Project.find(code: code, on: req.db)
        let page = try await ProjectPage.load(project, on: req.db)
        return try await req.view.render("projects/show", page)
    }
}
