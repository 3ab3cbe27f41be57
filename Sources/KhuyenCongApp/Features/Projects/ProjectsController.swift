import KhuyenCongCore
import Vapor

/// The project pages: read, and edit while the province holds the project.
struct ProjectsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let project = routes.grouped("projects", ":code")
        project.get(use: show).access(.record(.readRecord))
        project.get("edit", use: editPage).access(.record(.editRecord))
        project.post("edit", use: edit).access(.record(.editRecord))
    }

    @Sendable func show(req: Request) async throws -> View {
        let project = try await Project.find(code: try req.parameters.require("code"), on: req.db)
        try req.authorize(.readRecord, RecordScope(unitID: project.unitID))
        let canEdit = req.user.map { AccessPolicyHelper.allows($0, .editRecord, RecordScope(unitID: project.unitID)) } ?? false
            && ProjectEditing.editableStatuses.contains(project.status)
        let page = try await ProjectPage.load(project, layout: PageLayout(req), canEdit: canEdit, on: req.db)
        return try await req.view.render("projects/show", page)
    }

    @Sendable func editPage(req: Request) async throws -> View {
        let project = try await Project.find(code: try req.parameters.require("code"), on: req.db)
        try req.authorize(.editRecord, RecordScope(unitID: project.unitID))
        return try await req.view.render("projects/edit", ProjectEditPage(req, project: project, form: nil, error: nil, current: nil))
    }

    struct EditForm: Content {
        let version: Int
        let title: String
        let implementingUnit: String
        let supportRequestedVnd: String
        let counterpartVnd: String
    }

    @Sendable func edit(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let project = try await Project.find(code: try req.parameters.require("code"), on: req.db)
        try req.authorize(.editRecord, RecordScope(unitID: project.unitID))
        let form = try req.content.decode(EditForm.self)
        do {
            let patch = ProjectPatch(version: form.version, title: form.title, implementingUnit: form.implementingUnit,
                                     supportRequestedVnd: try Money(parsing: form.supportRequestedVnd).dong,
                                     counterpartVnd: try Money(parsing: form.counterpartVnd).dong)
            _ = try await ProjectEditing.apply(patch, to: project, actor: user.username, on: req.db)
            return req.redirect(to: Links.project(project.code), redirectType: .normal)
        } catch let stale as ProjectEditing.Stale {
            let page = ProjectEditPage(req, project: try await Project.find(code: project.code, on: req.db), form: form,
                                       error: stale.error.description, current: stale.current)
            return try await render(page, status: .conflict, req)
        } catch let error as DomainError {
            let page = ProjectEditPage(req, project: project, form: form, error: error.description, current: nil)
            return try await render(page, status: error.status, req)
        }
    }

    private func render(_ page: ProjectEditPage, status: HTTPResponseStatus, _ req: Request) async throws -> Response {
        let response = try await req.view.render("projects/edit", page).encodeResponse(for: req)
        response.status = status
        return response
    }
}

/// The edit form's context: what the editor typed (after a refusal) or the stored values.
struct ProjectEditPage: Encodable {
    let title: String
    let layout: PageLayout
    let csrf: String
    let code: String
    let action: String
    let back: String
    let version: Int
    let projectTitle: String
    let implementingUnit: String
    let supportRequestedVnd: String
    let counterpartVnd: String
    let editable: Bool
    let error: String?
    let current: [ProjectPage.Field]?

    init(_ req: Request, project: Project, form: ProjectsController.EditForm?, error: String?, current: Project.Snapshot?) {
        title = "Sửa đề án \(project.code) – Khuyến công"
        layout = PageLayout(req)
        csrf = CSRF.token(for: req)
        code = project.code
        action = Links.project(project.code) + "/edit"
        back = Links.project(project.code)
        // After a stale edit the form carries the new version, so that saving again is a deliberate choice.
        version = project.version
        projectTitle = form?.title ?? project.title
        implementingUnit = form?.implementingUnit ?? project.implementingUnit
        supportRequestedVnd = form?.supportRequestedVnd ?? String(project.supportRequestedVnd)
        counterpartVnd = form?.counterpartVnd ?? String(project.counterpartVnd)
        editable = ProjectEditing.editableStatuses.contains(project.status)
        self.error = error
        self.current = current.map { snapshot in
            [ProjectPage.Field(label: "Tên đề án", value: snapshot.title),
             ProjectPage.Field(label: "Đơn vị thực hiện", value: snapshot.implementingUnit),
             ProjectPage.Field(label: "Kinh phí đề nghị", value: VietnameseFormat.dong(Money(dong: snapshot.supportRequestedVnd))),
             ProjectPage.Field(label: "Vốn đối ứng", value: VietnameseFormat.dong(Money(dong: snapshot.counterpartVnd)))]
        }
    }
}
