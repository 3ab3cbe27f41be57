import Fluent
import Foundation
import KhuyenCongCore
import Vapor

/// Correcting a project's beneficiaries, payments and outputs on its page and through the API: the forms and routes;
/// the rules are `ProjectBeneficiaries` and `RecordCorrections`.
enum ProjectCorrections {
    /// One correction in the project's history: an edit (old → new) or a removal (struck through, with its reason).
    struct Row: Encodable {
        let date: String; let actor: String; let kind: String; let removed: Bool; let was: String; let now: String; let reason: String
    }

    /// The beneficiary typed, waiting for the user's confirmation that the known establishment is meant.
    struct Confirmation: Encodable {
        let message: String; let action: String; let existingName: String
        let taxCode: String; let name: String; let supportVnd: String; let legalForm: String; let commune: String; let sector: String
        let womenOwned: Bool; let ethnicMinorityEmployer: Bool; let disadvantagedArea: Bool
        var supportKind: String = ""
        var ethnicMinorityOwned = false
    }

    static func rows(of project: Project, on db: any Database) async throws -> [Row] {
        let indicators = Dictionary(ReferenceData.indicators.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        func describe(_ action: String, _ v: [String: String]) -> String {
            func money(_ text: String?) -> String { text.flatMap(Int64.init).map { VietnameseFormat.dong(Money(dong: $0)) } ?? "" }
            let basis = v["basis"] == "actual" ? "thực hiện" : v["basis"] == "estimate" ? "ước thực hiện" : ""
            switch action {
            case _ where action.hasSuffix("disbursement"):
                let kind = v["kind"].flatMap(DisbursementKind.init(rawValue:))?.vietnameseName ?? (v["kind"] ?? "")
                return "\(kind) \(money(v["amountVnd"])) ngày \(VietnameseFormat.date(stored: v["date"])) (\(basis))"
            case _ where action.hasSuffix("output"):
                let indicator = indicators[v["indicator"] ?? ""]
                return "\(indicator?.vietnameseName ?? v["indicator"] ?? ""): \(v["quantity"] ?? "") \(indicator?.unitLabel ?? "") ngày "
                    + "\(VietnameseFormat.date(stored: v["date"])) (\(basis))"
            default:
                return "\(v["name"] ?? "") (MST \(v["taxCode"] ?? "")): \(money(v["supportVnd"]))"
            }
        }
        return try await RecordRemoval.entries(of: project, on: db).map { entry in
            let kind = entry.action.hasSuffix("disbursement") ? "Giải ngân" : entry.action.hasSuffix("output") ? "Kết quả" : "Cơ sở thụ hưởng"
            return Row(date: AuditPresentation.time(entry.at), actor: entry.actor, kind: kind, removed: entry.removed != nil,
                       was: describe(entry.action, entry.values), now: entry.removed == nil ? describe(entry.action, entry.after) : "",
                       reason: entry.reason)
        }
    }

    /// The page's correction forms, decided for this user now.
    static func decorate(_ page: inout ProjectPage, _ project: Project, actions: ProjectActions?, request: Request) async throws {
        page.corrections = try await rows(of: project, on: request.db)
        page.correctBeneficiaries = actions?.addBeneficiary ?? false
        page.correctDisbursements = actions?.disburse ?? false
        page.correctOutputs = actions?.recordOutputs ?? false
        page.csrf = actions?.csrf ?? ""
        page.kinds = DisbursementKind.allCases.map { ProjectPage.Option(value: $0.rawValue, label: $0.vietnameseName) }
        page.indicators = ReferenceData.indicators.map { ProjectPage.Option(value: $0.code, label: $0.vietnameseName) }
    }
}

/// The correction routes: page forms under /projects/{code}/… and the API under /api/v1/projects/{code}/….
struct ProjectCorrectionsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        for kind in SiteRoute.RecordKind.allCases {
            routes.post(.projectRecord(kind, .edit), use: { try await self.pageEdit(req: $0, kind: kind.rawValue) }).access(.record(.editRecord))
            routes.post(.projectRecord(kind, .remove), use: { try await self.pageRemove(req: $0, kind: kind.rawValue) }).access(.record(.editRecord))
        }
        routes.patch(.api(.projectRecord(.beneficiaries)), use: patchBeneficiary).access(.record(.editRecord))
        routes.delete(.api(.projectRecord(.beneficiaries)), use: deleteBeneficiary).access(.record(.editRecord))
        routes.patch(.api(.projectRecord(.disbursements)), use: patchDisbursement).access(.record(.editRecord))
        routes.delete(.api(.projectRecord(.disbursements)), use: deleteDisbursement).access(.record(.editRecord))
        routes.patch(.api(.projectRecord(.outputs)), use: patchOutput).access(.record(.editRecord))
        routes.delete(.api(.projectRecord(.outputs)), use: deleteOutput).access(.record(.editRecord))
    }

    /// The project of the path once the caller may edit its records (404 when it may not even see it), and the row id.
    private func target(_ req: Request) async throws -> (Project, UUID, User) {
        let user = try req.requireUser()
        let project = try await Project.find(code: try req.parameters.require("code"), on: req.db)
        try req.authorize(.readRecord, project.recordScope)
        try req.authorize(.editRecord, project.recordScope)
        guard let id = req.parameters.get("id").flatMap(UUID.init(uuidString:)) else {
            throw DomainError(.notFound, vi: "Không tìm thấy dòng số liệu", en: "no such row")
        }
        return (project, id, user)
    }

    // MARK: - API

    @Sendable func patchBeneficiary(req: Request) async throws -> ProjectDTO {
        let (project, id, user) = try await target(req)
        try await ProjectBeneficiaries.update(id, of: project, try req.content.decode(BeneficiaryPatch.self), by: user, on: req.db)
        return try await project.dto(on: req.db)
    }

    @Sendable func deleteBeneficiary(req: Request) async throws -> ProjectDTO {
        let (project, id, user) = try await target(req)
        try await ProjectBeneficiaries.remove(id, of: project, reason: try req.query.get(String?.self, at: "reason") ?? "", by: user, on: req.db)
        return try await project.dto(on: req.db)
    }

    @Sendable func patchDisbursement(req: Request) async throws -> ProjectDTO {
        let (project, id, user) = try await target(req)
        try await RecordCorrections.updateDisbursement(id, of: project, try req.content.decode(RecordCorrections.DisbursementPatch.self),
                                                       by: user, on: req.db)
        return try await project.dto(on: req.db)
    }

    @Sendable func deleteDisbursement(req: Request) async throws -> ProjectDTO {
        let (project, id, user) = try await target(req)
        try await RecordCorrections.removeDisbursement(id, of: project, reason: try req.query.get(String?.self, at: "reason"), by: user, on: req.db)
        return try await project.dto(on: req.db)
    }

    @Sendable func patchOutput(req: Request) async throws -> ProjectDTO {
        let (project, id, user) = try await target(req)
        try await RecordCorrections.updateOutput(id, of: project, try req.content.decode(RecordCorrections.OutputPatch.self), by: user, on: req.db)
        return try await project.dto(on: req.db)
    }

    @Sendable func deleteOutput(req: Request) async throws -> ProjectDTO {
        let (project, id, user) = try await target(req)
        try await RecordCorrections.removeOutput(id, of: project, reason: try req.query.get(String?.self, at: "reason"), by: user, on: req.db)
        return try await project.dto(on: req.db)
    }

    // MARK: - Pages

    struct EditForm: Content {
        var taxCode: String?; var name: String?; var supportVnd: String?; var confirmExisting: String?; var supportKind: String?
        var date: String?; var amountVnd: String?; var basis: String?; var kind: String?
        var indicator: String?; var quantity: String?
    }

    struct RemoveForm: Content { var reason: String? }

    private func pageEdit(req: Request, kind: String) async throws -> Response {
        let (project, id, user) = try await target(req)
        let form = try req.content.decode(EditForm.self)
        func amount(_ text: String?) throws -> Money? {
            guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return try Money(typed: text)
        }
        func nonEmpty(_ text: String?) -> String? { text.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } }
        return try await ProjectsController.respond(project, req) {
            switch kind {
            case "beneficiaries":
                let patch = BeneficiaryPatch(taxCode: nonEmpty(form.taxCode), name: nonEmpty(form.name), supportVnd: try amount(form.supportVnd),
                                             confirmExisting: form.confirmExisting != nil, supportKind: form.supportKind)
                try await ProjectBeneficiaries.update(id, of: project, patch, by: user, on: req.db)
            case "disbursements":
                let patch = RecordCorrections.DisbursementPatch(date: nonEmpty(form.date), amountVnd: try amount(form.amountVnd),
                                                                basis: nonEmpty(form.basis), kind: nonEmpty(form.kind))
                try await RecordCorrections.updateDisbursement(id, of: project, patch, by: user, on: req.db)
            default:
                let quantity = try nonEmpty(form.quantity).map { text -> Int64 in
                    guard let value = Int64(text.trimmingCharacters(in: .whitespaces)) else {
                        throw DomainError.invalid(vi: "quantity: số lượng phải là số nguyên", en: "quantity: a whole number")
                    }
                    return value
                }
                let patch = RecordCorrections.OutputPatch(date: nonEmpty(form.date), indicator: nonEmpty(form.indicator), quantity: quantity,
                                                          basis: nonEmpty(form.basis))
                try await RecordCorrections.updateOutput(id, of: project, patch, by: user, on: req.db)
            }
        }
    }

    private func pageRemove(req: Request, kind: String) async throws -> Response {
        let (project, id, user) = try await target(req)
        let reason = try req.content.decode(RemoveForm.self).reason
        return try await ProjectsController.respond(project, req) {
            switch kind {
            case "beneficiaries": try await ProjectBeneficiaries.remove(id, of: project, reason: reason ?? "", by: user, on: req.db)
            case "disbursements": try await RecordCorrections.removeDisbursement(id, of: project, reason: reason, by: user, on: req.db)
            default: try await RecordCorrections.removeOutput(id, of: project, reason: reason, by: user, on: req.db)
            }
        }
    }
}
