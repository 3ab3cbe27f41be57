import Fluent
import Foundation
import KhuyenCongCore
import Vapor

/// Moving a project through the lifecycle: the only way its status changes. The lifecycle decides what may
/// follow what (409 otherwise, whoever asks); the access policy decides who may take the step (403).
enum ProjectWorkflow {
    struct TransitionRequest: Content {
        let to: String
        var note: String?
        var decisionNo: String?
        /// The version the caller saw; a stale one is refused.
        var version: Int?
        /// On approval: the approved support (defaults to the requested support).
        var approvedSupportVnd: Money?
        /// On settlement: the final amount.
        var finalAmountVnd: Money?
        /// On a move: the plan year and/or funding source it moves to.
        var targetYear: Int?
        var targetSource: String?
        /// Files uploaded before, attached to this step.
        var attachmentIds: [UUID]?
    }

    static let notesRequired: Set<ProjectStatus> = [.returned, .rejected, .cancelled, .moved]

    /// A file sent with a step (a decision, a record of acceptance): stored only if the step succeeds, in its transaction.
    struct Upload: Sendable { let data: Data; let filename: String }

    /// Takes one step through the guarded write: under the write lock the project is read again, and the lifecycle,
    /// the caller's right, the version, caps and the plan line are checked on what the step will land on.
    static func transition(_ loaded: Project, _ request: TransitionRequest, upload: Upload? = nil, by user: User,
                           today: CalendarDate = .today(), on db: any Database) async throws -> Project {
        let target = try ProjectStatus(parsing: request.to)
        let note = try request.note.map { try ProjectEditing.cleanText($0, field: "note", maxLength: 2000) }
        let decisionNo = try request.decisionNo.flatMap { $0.isEmpty ? nil : try ProjectEditing.cleanText($0, field: "decisionNo", maxLength: 100) }
        let projectID = try loaded.requireID()
        return try await GuardedWrite.run(on: db) { db in
            let project = try await Project.current(projectID, for: .readRecord, by: user, on: db)
            let step = try Lifecycle.transition(from: project.status, to: target, source: project.source)
            guard AccessPolicy.decide(user.principal, step.action, project.recordScope) == .allow else {
                throw DomainError(.forbidden,
                    vi: "Vai trò \(user.principal.role.vietnameseName) không được chuyển đề án sang \"\(target.vietnameseName)\"",
                    en: "role \(user.role.rawValue) may not move a project to \(target.rawValue)")
            }
            if let version = request.version, version != project.version { throw ProjectEditing.Stale(current: project.snapshot) }
            if step.isDecision && decisionNo == nil {
                throw DomainError.invalid(vi: "Bước \"\(target.vietnameseName)\" là một quyết định: cần số quyết định (decisionNo)",
                                          en: "moving to \(target.rawValue) is a decision: decisionNo is required")
            }
            if notesRequired.contains(target) && note == nil {
                throw DomainError.invalid(vi: "Cần ghi rõ lý do (note)", en: "a reason (note) is required")
            }

            let before = project.snapshot
            let expectedVersion = project.version
            try await applyEffects(of: target, to: project, request: request, today: today, on: db)
            project.status = target
            let attachmentIDs = request.attachmentIds ?? []
            var attachments = attachmentIDs.isEmpty ? [] : try await Attachment.query(on: db)
                .filter(\.$id ~~ attachmentIDs).filter(\.$project.$id == projectID).all()
            guard attachments.count == Set(attachmentIDs).count else {
                throw DomainError.invalid(vi: "Tệp đính kèm không thuộc đề án này", en: "an attachment does not belong to this project")
            }
            if let upload {
                attachments.append(try await AttachmentDownload.store(data: upload.data, filename: upload.filename, on: project, by: user, on: db))
            }

            try await project.saveVersioned(expectedVersion: expectedVersion, on: db)
            let event = ProjectEvent(projectID: projectID, fromStatus: before.status, toStatus: target,
                                     onDate: today.description, actor: user.username, decisionNo: decisionNo,
                                     note: note ?? target.vietnameseName)
            try await event.create(on: db)
            for attachment in attachments {
                attachment.eventID = event.id
                try await attachment.save(on: db)
            }
            if target == .moved { try await moveCopy(of: project, request: request, by: user, today: today, on: db) }
            try await AuditTrail.record(actor: user.username, action: "transition", recordType: "project", recordID: project.code,
                                        unitID: project.unitID, before: before, after: project.snapshot, on: db)
            return project
        }
    }

    /// What a step changes besides the status, with its checks; nothing is written here.
    private static func applyEffects(of target: ProjectStatus, to project: Project, request: TransitionRequest,
                                     today: CalendarDate, on db: any Database) async throws {
        switch target {
        case .submitted:
            try await ProjectRules.checkCaps(project, support: project.supportRequestedVnd, on: db)
            project.submittedOn = today.description
        case .approved:
            let approved = try (request.approvedSupportVnd ?? project.supportRequestedVnd).requireNonNegative(field: "approvedSupportVnd")
            try await ProjectRules.checkCaps(project, support: approved, on: db)
            try await ProjectRules.checkPlanLineCeiling(project, approving: approved, asOf: today, on: db)
            project.supportApprovedVnd = approved
            project.approvedOn = today.description
        case .allocated:
            project.allocatedOn = today.description
        case .settled:
            guard let final = request.finalAmountVnd else {
                throw DomainError.invalid(vi: "Quyết toán cần số tiền cuối cùng (finalAmountVnd)", en: "settlement needs finalAmountVnd")
            }
            _ = try final.requireNonNegative(field: "finalAmountVnd")
            guard final <= (project.supportApprovedVnd ?? 0) else {
                throw DomainError.invalid(vi: "Số quyết toán vượt kinh phí được duyệt", en: "the settlement exceeds the approved support")
            }
            project.settledVnd = final
        case .moved:
            let year = request.targetYear ?? project.year
            let source = try request.targetSource.map(FundingSource.init(parsing:)) ?? project.source
            guard year != project.year || source != project.source, (project.year...project.year + 3).contains(year) else {
                throw DomainError.invalid(vi: "Chuyển đề án cần năm kế hoạch sau (tối đa 3 năm) hoặc nguồn kinh phí khác",
                                          en: "a move needs a later plan year (up to 3 years on) or another funding source")
            }
        default:
            break
        }
    }

    /// The moved project continues in its new plan year or source under a new code, with the old history.
    private static func moveCopy(of project: Project, request: TransitionRequest, by user: User, today: CalendarDate,
                                 on db: any Database) async throws {
        let year = request.targetYear ?? project.year
        let source = try request.targetSource.map(FundingSource.init(parsing:)) ?? project.source
        let unit = AdminUnitCatalog.standard.unit(id: project.unitID).map(AdminUnitCatalog.standard.restated)
        let resolved = try AdminUnitCatalog.standard.resolve(code: unit?.code ?? project.unitID.code, planYear: year)
        let copy = Project(code: "\(project.code)-\(year)\(source == .national ? "QG" : "DP")", title: project.title,
                           unitID: resolved.id, year: year, source: source, categoryCode: project.categoryCode,
                           implementingUnit: project.implementingUnit, supportRequestedVnd: project.supportRequestedVnd,
                           supportApprovedVnd: nil, counterpartVnd: project.counterpartVnd,
                           status: source == .national ? .registered : .appraisedProvince,
                           submittedOn: project.submittedOn, approvedOn: nil, allocatedOn: nil)
        copy.movedFromCode = project.code
        guard try await Project.query(on: db).filter(\.$code == copy.code).count() == 0 else {
            throw DomainError(.conflict, vi: "Đề án \(copy.code) đã có", en: "project \(copy.code) already exists")
        }
        try await copy.create(on: db)
        for event in try await project.history(on: db) {
            try await ProjectEvent(projectID: try copy.requireID(), fromStatus: event.fromStatus, toStatus: event.toStatus,
                                   onDate: event.onDate, actor: event.actor, decisionNo: event.decisionNo, note: event.note).create(on: db)
        }
        try await ProjectEvent(projectID: try copy.requireID(), fromStatus: .moved, toStatus: copy.status,
                               onDate: today.description, actor: user.username, decisionNo: request.decisionNo,
                               note: "Chuyển từ đề án \(project.code) (năm \(project.year), \(project.source.vietnameseName))").create(on: db)
        for (beneficiary, support) in try await project.beneficiaries(on: db) {
            try await ProjectBeneficiary(projectID: try copy.requireID(), beneficiaryID: try beneficiary.requireID(), supportVnd: support).create(on: db)
        }
        try await ProjectSearchText.update(projectID: try copy.requireID(), on: db)
        try await AuditTrail.record(actor: user.username, action: "create", recordType: "project", recordID: copy.code,
                                    unitID: copy.unitID, before: Nothing?.none, after: copy.snapshot, on: db)
    }
}
