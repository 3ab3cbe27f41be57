import KhuyenCongCore
import Vapor

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
    /// The kinds of support of the project's category.
    let kinds: [ProjectNewPage.Option]
    let editable: Bool
    let error: String?
    let current: [ProjectPage.Field]?
    let planned: [PlannedField]

    struct PlannedField: Encodable { let code: String; let label: String; let value: String }

    init(_ req: Request, project: Project, form: ProjectsController.EditForm?, error: String?, current: Project.Snapshot?,
         planned stored: [String: Int64]) {
        title = "Sửa đề án \(project.code) – Khuyến công"
        layout = PageLayout(req)
        csrf = CSRF.token(for: req)
        code = project.code
        action = SiteRoute.projectPart(code: project.code, .edit).path
        back = Links.project(project.code)
        // After a stale edit the form carries the new version, so that saving again is a deliberate choice.
        version = project.version
        projectTitle = form?.title ?? project.title
        implementingUnit = form?.implementingUnit ?? project.implementingUnit
        supportRequestedVnd = form?.supportRequestedVnd ?? String(project.supportRequestedVnd.dong)
        counterpartVnd = form?.counterpartVnd ?? String(project.counterpartVnd.dong)
        let kind = form?.supportKind ?? project.supportKindCode
        kinds = SupportRules.kinds.filter { $0.category == project.categoryCode }
            .map { ProjectNewPage.Option(value: $0.code, label: $0.vietnameseName, selected: $0.code == kind) }
        editable = ProjectEditing.editableStatuses.contains(project.status)
        self.error = error
        planned = ReferenceData.indicators.map { indicator in
            PlannedField(code: indicator.code, label: "\(indicator.vietnameseName) (\(indicator.unitLabel))",
                         value: form?.planned?[indicator.code] ?? stored[indicator.code].map(String.init) ?? "")
        }
        self.current = current.map { snapshot in
            [ProjectPage.Field(label: "Tên đề án", value: snapshot.title),
             ProjectPage.Field(label: "Đơn vị thực hiện", value: snapshot.implementingUnit),
             ProjectPage.Field(label: "Kinh phí đề nghị", value: VietnameseFormat.dong(snapshot.supportRequestedVnd)),
             ProjectPage.Field(label: "Vốn đối ứng", value: VietnameseFormat.dong(snapshot.counterpartVnd))]
        }
    }
}
