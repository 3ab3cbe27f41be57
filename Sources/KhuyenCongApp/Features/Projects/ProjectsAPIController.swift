import Fluent
import KhuyenCongCore
import Vapor

/// `/api/v1/projects`: create, read, edit, and the lifecycle's only doors (transitions, appraisals), plus
/// beneficiaries, disbursements, outputs and attachments.
struct ProjectsAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post(.api(.projects), use: create).access(.action(.createRecord))
        routes.get(.api(.project()), use: show).access(.record(.readRecord))
        routes.patch(.api(.project()), use: update).access(.record(.editRecord))
        routes.post(.api(.projectPart(.transitions)), use: transition).access(.record(.readRecord))
        routes.post(.api(.projectPart(.appraisals)), use: appraise).access(.record(.readRecord))
        routes.post(.api(.projectPart(.beneficiaries)), use: addBeneficiary).access(.record(.editRecord))
        routes.post(.api(.projectPart(.disbursements)), use: disburse).access(.record(.editRecord))
        routes.post(.api(.projectPart(.outputs)), use: output).access(.record(.editRecord))
        routes.on(.POST, .api(.projectPart(.attachments)), body: .collect(maxSize: ByteCount(value: Attachment.maximumSize)), use: attach)
            .access(.record(.editRecord))
        routes.get(.api(.attachment()), use: AttachmentDownload.download).access(.record(.readRecord))
    }

    /// The project named in the path, once the caller may at least see it (404 otherwise).
    private func project(_ req: Request, for action: AccessAction) async throws -> Project {
        let project = try await Project.find(code: try req.parameters.require("code"), on: req.db)
        try req.authorize(.readRecord, project.recordScope)
        if action != .readRecord { try req.authorize(action, project.recordScope) }
        return project
    }

    @Sendable func create(req: Request) async throws -> Response {
        let user = try req.requireUser()
        try req.authorize(.createRecord, nil)   // a wrong role is 403 before its input is read
        let input = try req.content.decode(ProjectCreation.Input.self)
        let unit = try ProjectCreation.validate(input)
        try req.authorize(.editRecord, RecordScope(unitID: unit.id))
        let project = try await ProjectCreation.create(input, unit: unit, by: user, on: req.db)
        var dto = try await project.dto(on: req.db)
        // Created all the same (a draft may be planned ahead of an unlock), but said, as the new-project page does.
        dto.warnings = try await LockedYearWarning.forNewProject(unitCode: input.unitCode, year: input.year, on: req.db).map { [$0] } ?? []
        return try await dto.encodeResponse(status: .created, for: req)
    }

    /// Encoded once per project and data version (`Application.recordCache`): the answer reads ten tables, and every
    /// write to them raises the data version. Each request still decides its caller's access to the project.
    @Sendable func show(req: Request) async throws -> Response {
        let code = try req.parameters.require("code"), db = req.db
        let cached = try await req.application.recordCache.value(.init(kind: "project-json", scope: nil, detail: code), for: req) {
            let project = try await Project.find(code: code, on: db)
            var headers = HTTPHeaders(), body = ByteBuffer()
            try ContentConfiguration.global.requireEncoder(for: .json).encode(try await project.dto(on: db), to: &body, headers: &headers)
            return EncodedRecord(unitID: project.unitID, body: body)
        }
        try req.authorize(.readRecord, RecordScope(unitID: cached.unitID))
        return Response(status: .ok, headers: ["Content-Type": "application/json; charset=utf-8"], body: .init(buffer: cached.body))
    }

    @Sendable func update(req: Request) async throws -> ProjectDTO {
        let project = try await project(req, for: .editRecord)
        let saved = try await ProjectEditing.apply(try req.content.decode(ProjectPatch.self), to: project,
                                                   actor: try req.requireUser().username, on: req.db)
        return try await saved.dto(on: req.db)
    }

    @Sendable func transition(req: Request) async throws -> ProjectDTO {
        let project = try await project(req, for: .readRecord)
        let request = try req.content.decode(ProjectWorkflow.TransitionRequest.self)
        let moved = try await ProjectWorkflow.transition(project, request, by: try req.requireUser(), on: req.db)
        return try await moved.dto(on: req.db)
    }

    @Sendable func appraise(req: Request) async throws -> Response {
        let project = try await project(req, for: .readRecord)
        try await ProjectAppraisals.requireRight(of: try req.requireUser(), on: project, request: req, db: req.db)
        try await ProjectAppraisals.record(try req.content.decode(ProjectAppraisals.Input.self), on: project,
                                           by: try req.requireUser(), request: req, on: req.db)
        return try await project.dto(on: req.db).encodeResponse(status: .created, for: req)
    }

    @Sendable func addBeneficiary(req: Request) async throws -> Response {
        let project = try await project(req, for: .editRecord)
        try await ProjectBeneficiaries.add(to: project, try req.content.decode(BeneficiaryInput.self), by: try req.requireUser(), on: req.db)
        return try await project.dto(on: req.db).encodeResponse(status: .created, for: req)
    }

    @Sendable func disburse(req: Request) async throws -> Response {
        let project = try await project(req, for: .editRecord)
        try await ProjectExecution.recordDisbursement(try req.content.decode(ProjectExecution.DisbursementInput.self), on: project,
                                                      by: try req.requireUser(), on: req.db)
        return try await project.dto(on: req.db).encodeResponse(status: .created, for: req)
    }

    @Sendable func output(req: Request) async throws -> Response {
        let project = try await project(req, for: .editRecord)
        try await ProjectExecution.recordOutput(try req.content.decode(ProjectExecution.OutputInput.self), on: project,
                                                by: try req.requireUser(), on: req.db)
        return try await project.dto(on: req.db).encodeResponse(status: .created, for: req)
    }

    /// The request body is the file; `?filename=` names it.
    @Sendable func attach(req: Request) async throws -> Response {
        let project = try await project(req, for: .editRecord)
        let filename = try req.query.get(String?.self, at: "filename") ?? "tep-dinh-kem"
        let data = Data(req.body.data.map { Array($0.readableBytesView) } ?? [])
        let user = try req.requireUser(), projectID = try project.requireID()
        let attachment = try await GuardedWrite.run(on: req.db) { db in
            try await AttachmentDownload.store(data: data, filename: filename, on: try await Project.current(projectID, for: .editRecord, by: user, on: db),
                                               by: user, on: db)
        }
        return try await ProjectDTO.AttachmentDTO(id: try attachment.requireID(), filename: attachment.filename, size: attachment.size,
                                                  eventId: nil).encodeResponse(status: .created, for: req)
    }
}
