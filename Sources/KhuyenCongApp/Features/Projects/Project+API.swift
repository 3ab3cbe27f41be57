import Foundation
import KhuyenCongCore
import Vapor

/// The project as the API shows it (never the Fluent model itself).
struct ProjectDTO: Content, Equatable {
    struct BeneficiaryDTO: Content, Equatable {
        let taxCode: String; let name: String; let legalForm: String; let commune: String; let sector: String
        let womenOwned: Bool; let ethnicMinorityEmployer: Bool; let disadvantagedArea: Bool; let supportVnd: Money
        /// The project's link to the establishment: `PATCH`/`DELETE /api/v1/projects/{code}/beneficiaries/{id}`.
        var id: UUID? = nil
        /// The kind of support of this establishment; null = the project's `supportKind`.
        var supportKind: String? = nil
        /// Owned by ethnic-minority people (Decree 235/2025), beside `womenOwned`.
        var ethnicMinorityOwned: Bool = false
    }
    /// A payment (`kind` advance, payment or settlement) with its id for corrections.
    struct DisbursementDTO: Content, Equatable { let id: UUID; let date: String; let amountVnd: Money; let basis: Basis; let kind: DisbursementKind }
    struct OutputDTO: Content, Equatable { let id: UUID; let date: String; let indicator: String; let quantity: Int64; let basis: Basis }
    struct EventDTO: Content, Equatable {
        let fromStatus: ProjectStatus?; let toStatus: ProjectStatus; let date: String; let actor: String; let decisionNo: String?; let note: String
    }

    let code: String
    let title: String
    let unitCode: UnitCode
    let unitName: String
    let year: Int
    let source: FundingSource
    let category: String
    let implementingUnit: String
    let supportRequestedVnd: Money
    let supportApprovedVnd: Money?
    let counterpartVnd: Money
    let status: ProjectStatus
    let submittedOn: String?
    let approvedOn: String?
    let allocatedOn: String?
    let version: Int
    let settledVnd: Money?
    let movedFromCode: String?
    /// Days after the national registration deadline the project was submitted (nil when on time or local).
    let lateDays: Int?
    let plannedOutputs: [String: Int64]
    let beneficiaries: [BeneficiaryDTO]
    let events: [EventDTO]
    let appraisals: [ProjectAppraisals.Result]
    /// Beneficiaries already supported in the same category within the three plan years before.
    let priorSupport: [PriorSupportDTO]
    let attachments: [AttachmentDTO]
    /// The kind of support the caps and advances follow (the category's default when none was chosen).
    var supportKind: String? = nil
    var disbursements: [DisbursementDTO] = []
    var outputs: [OutputDTO] = []
    /// Only in the answer to a creation (absent elsewhere): Vietnamese warnings, e.g. that the plan year's annual report
    /// is approved and locks its figures (`LockedYearWarning.forNewProject`, the same text the new-project page shows).
    var warnings: [String]? = nil

    struct PriorSupportDTO: Content, Equatable { let taxCode: String; let name: String; let projectCode: String; let year: Int }
    struct AttachmentDTO: Content, Equatable { let id: UUID; let filename: String; let size: Int; let eventId: UUID? }
}

/// A change to a project's fields, based on the version the editor saw. Absent fields stay as they are.
struct ProjectPatch: Content {
    let version: Int
    let title: String?
    let implementingUnit: String?
    let supportRequestedVnd: Money?
    let counterpartVnd: Money?
    /// The kind of support (`GET /api/v1/rules` lists them), within the project's category.
    var supportKind: String? = nil
    /// Replaces the planned outputs (indicator code → quantity).
    var plannedOutputs: [String: Int64]? = nil
}

extension Project {
    func dto(on db: any Database) async throws -> ProjectDTO {
        let unit = AdminUnitCatalog.standard.unit(id: unitID)
        return ProjectDTO(
            code: code, title: title, unitCode: unit?.code ?? UnitCode(unitID.rawValue), unitName: unit?.name ?? unitID.rawValue, year: year, source: source,
            category: categoryCode, implementingUnit: implementingUnit, supportRequestedVnd: supportRequestedVnd,
            supportApprovedVnd: supportApprovedVnd, counterpartVnd: counterpartVnd, status: status, submittedOn: submittedOn,
            approvedOn: approvedOn, allocatedOn: allocatedOn, version: version, settledVnd: settledVnd, movedFromCode: movedFromCode,
            lateDays: try await lateDays(on: db),
            plannedOutputs: try await plannedOutputs(on: db),
            beneficiaries: try await beneficiaryLinks(on: db).map { link in
                let b = link.beneficiary
                return .init(taxCode: b.taxCode, name: b.name, legalForm: b.legalForm, commune: b.commune, sector: b.sector,
                             womenOwned: b.womenOwned, ethnicMinorityEmployer: b.ethnicMinorityEmployer,
                             disadvantagedArea: b.disadvantagedArea, supportVnd: link.supportVnd, id: link.id,
                             supportKind: link.supportKind, ethnicMinorityOwned: b.ethnicMinorityOwned)
            },
            events: try await history(on: db).map {
                .init(fromStatus: $0.fromStatus, toStatus: $0.toStatus, date: $0.onDate, actor: $0.actor, decisionNo: $0.decisionNo, note: $0.note)
            },
            appraisals: try await ProjectAppraisals.results(of: self, on: db),
            priorSupport: try await ProjectRules.priorSupport(of: self, on: db).map {
                .init(taxCode: $0.taxCode, name: $0.name, projectCode: $0.projectCode, year: $0.year)
            },
            attachments: try await Attachment.query(on: db).filter(\.$project.$id == requireID()).field(\.$id).field(\.$filename)
                .field(\.$size).field(\.$eventID).field(\.$project.$id).all()
                .map { .init(id: try $0.requireID(), filename: $0.filename, size: $0.size, eventId: $0.eventID) },
            supportKind: supportKindCode,
            disbursements: try await disbursements(on: db).map {
                .init(id: try $0.requireID(), date: $0.onDate, amountVnd: $0.amountVnd, basis: $0.basis, kind: $0.kind)
            },
            outputs: try await outputs(on: db).map {
                .init(id: try $0.requireID(), date: $0.onDate, indicator: $0.indicatorCode, quantity: $0.quantity, basis: $0.basis)
            })
    }

    /// Days late against the plan year's national registration deadline (data, default 20 May of the year before).
    func lateDays(on db: any Database) async throws -> Int? {
        guard source == .national, let submitted = submittedOn.flatMap({ try? CalendarDate(parsing: $0) }) else { return nil }
        let configured = try await PlanYearSetting.find(year, on: db).flatMap { try? CalendarDate(parsing: $0.registrationDeadline) }
        let deadline = configured ?? ReferenceData.defaultRegistrationDeadline(planYear: year)
        let days = submitted - deadline
        return days > 0 ? days : nil
    }

    /// The fields the audit trail keeps before and after an edit.
    struct Snapshot: Codable, Sendable, Equatable {
        let code: String; let title: String; let implementingUnit: String
        let supportRequestedVnd: Money; let counterpartVnd: Money; let status: ProjectStatus; let version: Int
        var supportApprovedVnd: Money? = nil
        var submittedOn: String? = nil
        var approvedOn: String? = nil
        var allocatedOn: String? = nil
        var settledVnd: Money? = nil
    }

    var snapshot: Snapshot {
        Snapshot(code: code, title: title, implementingUnit: implementingUnit, supportRequestedVnd: supportRequestedVnd,
                 counterpartVnd: counterpartVnd, status: status, version: version, supportApprovedVnd: supportApprovedVnd,
                 submittedOn: submittedOn, approvedOn: approvedOn, allocatedOn: allocatedOn, settledVnd: settledVnd)
    }
}

import Fluent
