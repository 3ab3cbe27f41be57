import Foundation
import KhuyenCongCore
import Vapor

/// The project as the API shows it (never the Fluent model itself).
struct ProjectDTO: Content, Equatable {
    struct BeneficiaryDTO: Content, Equatable {
        let taxCode: String; let name: String; let legalForm: String; let commune: String; let sector: String
        let womenOwned: Bool; let ethnicMinorityEmployer: Bool; let disadvantagedArea: Bool; let supportVnd: Int64
    }
    struct EventDTO: Content, Equatable {
        let fromStatus: String?; let toStatus: String; let date: String; let actor: String; let decisionNo: String?; let note: String
    }

    let code: String
    let title: String
    let unitCode: String
    let unitName: String
    let year: Int
    let source: String
    let category: String
    let implementingUnit: String
    let supportRequestedVnd: Int64
    let supportApprovedVnd: Int64?
    let counterpartVnd: Int64
    let status: String
    let submittedOn: String?
    let approvedOn: String?
    let allocatedOn: String?
    let version: Int
    let beneficiaries: [BeneficiaryDTO]
    let events: [EventDTO]
}

/// A change to a project's fields, based on the version the editor saw. Absent fields stay as they are.
struct ProjectPatch: Content {
    let version: Int
    let title: String?
    let implementingUnit: String?
    let supportRequestedVnd: Int64?
    let counterpartVnd: Int64?
}

extension Project {
    func dto(on db: any Database) async throws -> ProjectDTO {
        let unit = AdminUnitCatalog.standard.unit(id: unitID)
        return ProjectDTO(
            code: code, title: title, unitCode: unit?.code ?? unitID, unitName: unit?.name ?? unitID, year: year, source: source,
            category: categoryCode, implementingUnit: implementingUnit, supportRequestedVnd: supportRequestedVnd,
            supportApprovedVnd: supportApprovedVnd, counterpartVnd: counterpartVnd, status: status, submittedOn: submittedOn,
            approvedOn: approvedOn, allocatedOn: allocatedOn, version: version,
            beneficiaries: try await beneficiaries(on: db).map { b, support in
                .init(taxCode: b.taxCode, name: b.name, legalForm: b.legalForm, commune: b.commune, sector: b.sector,
                      womenOwned: b.womenOwned, ethnicMinorityEmployer: b.ethnicMinorityEmployer,
                      disadvantagedArea: b.disadvantagedArea, supportVnd: support)
            },
            events: try await history(on: db).map {
                .init(fromStatus: $0.fromStatus, toStatus: $0.toStatus, date: $0.onDate, actor: $0.actor, decisionNo: $0.decisionNo, note: $0.note)
            })
    }

    /// The fields the audit trail keeps before and after an edit.
    struct Snapshot: Codable, Sendable {
        let code: String; let title: String; let implementingUnit: String
        let supportRequestedVnd: Int64; let counterpartVnd: Int64; let status: String; let version: Int
    }

    var snapshot: Snapshot {
        Snapshot(code: code, title: title, implementingUnit: implementingUnit, supportRequestedVnd: supportRequestedVnd,
                 counterpartVnd: counterpartVnd, status: status, version: version)
    }
}

import Fluent
