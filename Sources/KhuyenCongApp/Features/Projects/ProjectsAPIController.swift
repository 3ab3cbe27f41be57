import KhuyenCongCore
import Vapor

/// `/api/v1/projects`.
struct ProjectsAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let projects = routes.grouped("api", "v1", "projects")
        projects.get(":code", use: show).access(.record(.readRecord))
        projects.patch(":code", use: update).access(.record(.editRecord))
    }

    @Sendable func show(req: Request) async throws -> ProjectDTO {
        let project = try await Project.find(code: try req.parameters.require("code"), on: req.db)
        try req.authorize(.readRecord, RecordScope(unitID: project.unitID))
        return try await project.dto(on: req.db)
    }

    @Sendable func update(req: Request) async throws -> ProjectDTO {
        let user = try req.requireUser()
        let project = try await Project.find(code: try req.parameters.require("code"), on: req.db)
        try req.authorize(.editRecord, RecordScope(unitID: project.unitID))
        let patch = try req.content.decode(ProjectPatch.self)
        let saved = try await ProjectEditing.apply(patch, to: project, actor: user.username, on: req.db)
        return try await saved.dto(on: req.db)
    }
}
