import Fluent
import KhuyenCongCore
import Vapor

/// The project pages: read, create, edit while the province holds the project, and every lifecycle form.
struct ProjectsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.projectNew, use: newPage).access(.action(.createRecord))
        routes.post(.projectNew, use: create).access(.action(.createRecord))
        routes.get(.project(), use: show).access(.record(.readRecord))
        routes.get(.projectPart(.edit), use: editPage).access(.record(.editRecord))
        routes.post(.projectPart(.edit), use: edit).access(.record(.editRecord))
        routes.on(.POST, .projectPart(.transitions), body: .collect(maxSize: ByteCount(value: Attachment.maximumSize + 1_048_576)), use: transition)
            .access(.record(.readRecord))
        routes.post(.projectPart(.appraisals), use: appraise).access(.record(.readRecord))
        routes.post(.projectPart(.beneficiaries), use: addBeneficiary).access(.record(.editRecord))
        routes.post(.projectPart(.disbursements), use: disburse).access(.record(.editRecord))
        routes.post(.projectPart(.outputs), use: output).access(.record(.editRecord))
        routes.get(.attachment(), use: AttachmentDownload.download).access(.record(.readRecord))
    }

    @Sendable func show(req: Request) async throws -> View {
        let project = try await Project.find(code: try req.parameters.require("code"), on: req.db)
        try req.authorize(.readRecord, project.recordScope)
        return try await Self.render(project, req, error: nil)
    }

    static func render(_ project: Project, _ req: Request, error: String?,
                       confirmation: ProjectCorrections.Confirmation? = nil) async throws -> View {
        let canEdit = req.user.map { AccessPolicyHelper.allows($0, .editRecord, project.recordScope) } ?? false
            && ProjectEditing.editableStatuses.contains(project.status)
        let actions = try await ProjectActions.load(project, user: req.user, request: req)
        var page = try await ProjectPage.load(project, layout: PageLayout(req), canEdit: canEdit, actions: actions, error: error, on: req.db)
        try await ProjectCorrections.decorate(&page, project, actions: actions, request: req)
        page.confirmation = confirmation
        return try await req.view.render("projects/show", page)
    }

    /// Runs a form's action; success goes back to the project page, a refusal shows the page with the reason (and, for
    /// a known tax code, the confirmation `confirm` builds).
    static func respond(_ project: Project, _ req: Request,
                        confirm: ((ExistingEstablishment) -> ProjectCorrections.Confirmation)? = nil,
                        _ body: () async throws -> Void) async throws -> Response {
        func page(_ error: String, _ status: HTTPResponseStatus, _ confirmation: ProjectCorrections.Confirmation? = nil) async throws -> Response {
            let response = try await render(try await Project.find(code: project.code, on: req.db), req, error: error, confirmation: confirmation)
                .encodeResponse(for: req)
            response.status = status
            return response
        }
        do {
            try await body()
            return req.redirect(to: Links.project(project.code), redirectType: .normal)
        } catch let stale as ProjectEditing.Stale {
            return try await page(stale.error.description, .conflict)
        } catch let refusal as DomainError {
            return try await page(refusal.description, refusal.status)
        } catch let known as ExistingEstablishment {
            return try await page(known.reason, .conflict, confirm?(known))
        }
    }

    /// Runs a form's action on the project once the caller may do it (the form is read only then).
    private func act(_ req: Request, _ action: AccessAction, confirm: ((ExistingEstablishment) -> ProjectCorrections.Confirmation)? = nil,
                     _ body: @escaping @Sendable (Project, User) async throws -> Void) async throws -> Response {
        let user = try req.requireUser()
        let project = try await Project.find(code: try req.parameters.require("code"), on: req.db)
        try req.authorize(.readRecord, project.recordScope)
        if action != .readRecord { try req.authorize(action, project.recordScope) }
        return try await Self.respond(project, req, confirm: confirm) { try await body(project, user) }
    }

    struct TransitionForm: Content {
        let to: String; let version: Int?; let note: String?; let decisionNo: String?
        let approvedSupportVnd: String?; let finalAmountVnd: String?; let targetYear: String?; let targetSource: String?
        let file: File?
    }

    @Sendable func transition(req: Request) async throws -> Response {
        try await act(req, .readRecord) { project, user in
            let form = try req.content.decode(TransitionForm.self)
            func amount(_ text: String?) throws -> Money? {
                guard let text, !text.isEmpty else { return nil }
                return try Money(typed: text)
            }
            var request = ProjectWorkflow.TransitionRequest(to: form.to)
            request.version = form.version
            request.note = form.note.flatMap { $0.isEmpty ? nil : $0 }
            request.decisionNo = form.decisionNo
            request.approvedSupportVnd = try amount(form.approvedSupportVnd)
            request.finalAmountVnd = try amount(form.finalAmountVnd)
            request.targetYear = form.targetYear.flatMap { Int($0) }
            request.targetSource = form.targetSource.flatMap { $0.isEmpty ? nil : $0 }
            // The file is stored only if the step is allowed and succeeds, in the step's transaction.
            let upload = form.file.flatMap { file in
                file.data.readableBytes > 0 ? ProjectWorkflow.Upload(data: Data(file.data.readableBytesView), filename: file.filename) : nil
            }
            _ = try await ProjectWorkflow.transition(project, request, upload: upload, by: user, on: req.db)
        }
    }

    struct AppraisalForm: Content { let score: String?; let opinion: String; let criteria: [String: String]? }

    @Sendable func appraise(req: Request) async throws -> Response {
        try await act(req, .readRecord) { project, user in
            try await ProjectAppraisals.requireRight(of: user, on: project, request: req, db: req.db)
            let form = try req.content.decode(AppraisalForm.self)
            // The total is computed from the criteria (`ProjectAppraisals.total`); one typed as well must agree.
            let typedScore = form.score?.trimmingCharacters(in: .whitespaces) ?? ""
            let score = typedScore.isEmpty ? nil : Int(typedScore)
            if !typedScore.isEmpty && score == nil { throw DomainError.invalid(vi: "score: điểm phải là số nguyên", en: "score: a whole number") }
            let criteria = try form.criteria?.filter { !$0.value.isEmpty }.mapValues { text -> Int in
                guard let value = Int(text) else { throw DomainError.invalid(vi: "Điểm tiêu chí phải là số nguyên", en: "criterion scores are whole numbers") }
                return value
            }
            try await ProjectAppraisals.record(.init(score: score, opinion: form.opinion, criteria: criteria), on: project,
                                               by: user, request: req, on: req.db)
        }
    }

    struct BeneficiaryForm: Content {
        let taxCode: String; let name: String; let legalForm: String?; let commune: String?; let sector: String?
        let womenOwned: String?; let ethnicMinorityEmployer: String?; let disadvantagedArea: String?; let supportVnd: String
        var confirmExisting: String? = nil
        var supportKind: String? = nil
        var ethnicMinorityOwned: String? = nil
    }

    @Sendable func addBeneficiary(req: Request) async throws -> Response {
        let code = try req.parameters.require("code")
        let scope = try await Project.find(code: code, on: req.db).recordScope
        try req.authorize(.readRecord, scope)
        try req.authorize(.editRecord, scope)
        let form = try req.content.decode(BeneficiaryForm.self)
        // A known tax code: the page comes back with the establishment's name and the typed values, to confirm.
        let confirm = { (known: ExistingEstablishment) in
            ProjectCorrections.Confirmation(
                message: known.reason, action: SiteRoute.projectPart(code: code, .beneficiaries).path, existingName: known.name, taxCode: form.taxCode,
                name: form.name, supportVnd: form.supportVnd, legalForm: form.legalForm ?? "", commune: form.commune ?? "", sector: form.sector ?? "",
                womenOwned: form.womenOwned != nil, ethnicMinorityEmployer: form.ethnicMinorityEmployer != nil,
                disadvantagedArea: form.disadvantagedArea != nil, supportKind: form.supportKind ?? "",
                ethnicMinorityOwned: form.ethnicMinorityOwned != nil)
        }
        return try await act(req, .editRecord, confirm: confirm) { project, user in
            let input = BeneficiaryInput(taxCode: form.taxCode, name: form.name, legalForm: form.legalForm, commune: form.commune,
                                         sector: form.sector, womenOwned: form.womenOwned != nil,
                                         ethnicMinorityEmployer: form.ethnicMinorityEmployer != nil,
                                         disadvantagedArea: form.disadvantagedArea != nil, supportVnd: try Money(typed: form.supportVnd),
                                         confirmExisting: form.confirmExisting != nil, supportKind: form.supportKind,
                                         ethnicMinorityOwned: form.ethnicMinorityOwned != nil)
            try await ProjectBeneficiaries.add(to: project, input, by: user, on: req.db)
        }
    }

    struct DisbursementForm: Content { let date: String; let amountVnd: String; let basis: String?; let kind: String }

    @Sendable func disburse(req: Request) async throws -> Response {
        try await act(req, .editRecord) { project, user in
            let form = try req.content.decode(DisbursementForm.self)
            try await ProjectExecution.recordDisbursement(.init(date: form.date, amountVnd: try Money(typed: form.amountVnd),
                                                                basis: form.basis, kind: form.kind), on: project, by: user, on: req.db)
        }
    }

    struct OutputForm: Content { let date: String; let indicator: String; let quantity: String; let basis: String? }

    @Sendable func output(req: Request) async throws -> Response {
        try await act(req, .editRecord) { project, user in
            let form = try req.content.decode(OutputForm.self)
            guard let quantity = Int64(form.quantity) else { throw DomainError.invalid(vi: "Số lượng phải là số nguyên", en: "the quantity must be a whole number") }
            try await ProjectExecution.recordOutput(.init(date: form.date, indicator: form.indicator, quantity: quantity, basis: form.basis),
                                                    on: project, by: user, on: req.db)
        }
    }

    // MARK: - New project and edit

    @Sendable func newPage(req: Request) async throws -> View {
        try req.authorize(.createRecord, nil)
        return try await req.view.render("projects/new", try await newProjectPage(req, form: nil, error: nil))
    }

    /// The new-project form with the officer's locked plan years listed.
    private func newProjectPage(_ req: Request, form: ProjectNewPage.Form?, error: String?) async throws -> ProjectNewPage {
        var page = ProjectNewPage(req, form: form, error: error)
        if let code = req.user?.principal.unitCode { page.lockedYears = try await LockedYearWarning.lockedYears(unitCode: code, on: req.db) }
        page.confirmedLockedYear = form?.confirmLockedYear.flatMap { $0 == form?.year ? $0 : nil }
        return page
    }

    @Sendable func create(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try req.authorize(.createRecord, nil)   // a wrong role is 403 before its form is read
        let form = try req.content.decode(ProjectNewPage.Form.self)
        do {
            let input = ProjectCreation.Input(code: form.code, title: form.title, unitCode: form.unitCode, year: Int(form.year) ?? 0,
                                              source: form.source, category: form.category,
                                              supportKind: form.supportKind.flatMap { $0.isEmpty ? nil : $0 }, implementingUnit: form.implementingUnit,
                                              beneficiaryTaxCode: form.beneficiaryTaxCode.flatMap { $0.isEmpty ? nil : $0 },
                                              beneficiaryName: form.beneficiaryName.flatMap { $0.isEmpty ? nil : $0 },
                                              supportVnd: try Money(typed: form.supportVnd),
                                              counterpartVnd: try Money(typed: form.counterpartVnd.flatMap { $0.isEmpty ? nil : $0 } ?? "0"),
                                              confirmExisting: form.confirmExisting != nil)
            let unit = try ProjectCreation.validate(input)
            try req.authorize(.editRecord, RecordScope(unitID: unit.id))
            // A plan year whose annual report is approved: warn first, and go on only once the year is confirmed.
            if form.confirmLockedYear != form.year,
               let warning = try await LockedYearWarning.forNewProject(unitCode: form.unitCode, year: input.year, on: req.db) {
                var page = try await newProjectPage(req, form: form, error: nil)
                page.lockWarning = warning
                let response = try await req.view.render("projects/new", page).encodeResponse(for: req)
                response.status = .conflict
                return response
            }
            let project = try await ProjectCreation.create(input, unit: unit, by: user, on: req.db)
            return req.redirect(to: Links.project(project.code), redirectType: .normal)
        } catch let refusal as DomainError {
            let response = try await req.view.render("projects/new", try await newProjectPage(req, form: form, error: refusal.description))
                .encodeResponse(for: req)
            response.status = refusal.status
            return response
        } catch let known as ExistingEstablishment {
            var page = try await newProjectPage(req, form: form, error: known.reason)
            page.existingName = known.name
            let response = try await req.view.render("projects/new", page).encodeResponse(for: req)
            response.status = known.status
            return response
        }
    }

    @Sendable func editPage(req: Request) async throws -> View {
        let project = try await Project.find(code: try req.parameters.require("code"), on: req.db)
        try req.authorize(.editRecord, project.recordScope)
        return try await req.view.render("projects/edit", ProjectEditPage(req, project: project, form: nil, error: nil, current: nil,
                                                                          planned: try await project.plannedOutputs(on: req.db)))
    }

    struct EditForm: Content {
        let version: Int
        let title: String
        let implementingUnit: String
        let supportRequestedVnd: String
        let counterpartVnd: String
        var supportKind: String? = nil
        /// Planned outputs by indicator code; empty fields mean none.
        let planned: [String: String]?
    }

    @Sendable func edit(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let project = try await Project.find(code: try req.parameters.require("code"), on: req.db)
        try req.authorize(.editRecord, project.recordScope)
        let form = try req.content.decode(EditForm.self)
        do {
            let planned = try form.planned.map { fields in
                try fields.filter { !$0.value.trimmingCharacters(in: .whitespaces).isEmpty }.mapValues { text -> Int64 in
                    guard let value = Int64(text.trimmingCharacters(in: .whitespaces)), value >= 0 else {
                        throw DomainError.invalid(vi: "Số lượng dự kiến phải là số nguyên không âm", en: "planned quantities are whole non-negative numbers")
                    }
                    return value
                }
            }
            let patch = ProjectPatch(version: form.version, title: form.title, implementingUnit: form.implementingUnit,
                                     supportRequestedVnd: try Money(typed: form.supportRequestedVnd),
                                     counterpartVnd: try Money(typed: form.counterpartVnd),
                                     supportKind: form.supportKind.flatMap { $0.isEmpty ? nil : $0 }, plannedOutputs: planned)
            _ = try await ProjectEditing.apply(patch, to: project, actor: user.username, on: req.db)
            return req.redirect(to: Links.project(project.code), redirectType: .normal)
        } catch let stale as ProjectEditing.Stale {
            let page = ProjectEditPage(req, project: try await Project.find(code: project.code, on: req.db), form: form,
                                       error: stale.error.description, current: stale.current, planned: [:])
            return try await editResponse(page, status: .conflict, req)
        } catch let error as DomainError {
            let page = ProjectEditPage(req, project: project, form: form, error: error.description, current: nil, planned: [:])
            return try await editResponse(page, status: error.status, req)
        }
    }

    private func editResponse(_ page: ProjectEditPage, status: HTTPResponseStatus, _ req: Request) async throws -> Response {
        let response = try await req.view.render("projects/edit", page).encodeResponse(for: req)
        response.status = status
        return response
    }
}
