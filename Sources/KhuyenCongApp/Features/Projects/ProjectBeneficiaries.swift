import Fluent
import Foundation
import KhuyenCongCore
import Vapor

/// An establishment named as a beneficiary of a project.
struct BeneficiaryInput: Content {
    let taxCode: String
    let name: String
    var legalForm: String?
    var commune: String?
    var sector: String?
    var womenOwned: Bool?
    var ethnicMinorityEmployer: Bool?
    var disadvantagedArea: Bool?
    let supportVnd: Money
    /// The caller saw the establishment already known under this tax code and means it (asked for with a 409).
    var confirmExisting: Bool?
    /// The kind of support this establishment receives, within the project's category; absent = the project's kind.
    var supportKind: String? = nil
    /// Owned by ethnic-minority people (Decree 235/2025).
    var ethnicMinorityOwned: Bool? = nil
}

/// A change of a project's beneficiary: its support, or the establishment itself (a wrong tax code typed).
struct BeneficiaryPatch: Content {
    var taxCode: String?
    var name: String?
    var supportVnd: Money?
    var confirmExisting: Bool?
    /// The kind of support, within the project's category; "" = the project's kind again; absent = unchanged.
    var supportKind: String? = nil
}

/// A tax code already known, typed with the establishment's own name: linking the project to that establishment
/// waits for the caller's confirmation (`confirmExisting: true`), so that a mistyped tax code never silently gives
/// another establishment the support.
struct ExistingEstablishment: AbortError {
    let taxCode: String
    let name: String
    var status: HTTPResponseStatus { .conflict }
    var reason: String {
        "Mã số thuế \(taxCode) là của cơ sở \"\(name)\" đã có trong hệ thống; hãy xác nhận đúng là cơ sở này để gắn vào đề án"
            + " / tax code \(taxCode) belongs to the existing establishment \"\(name)\"; send confirmExisting: true to link it"
    }
}

enum ProjectBeneficiaries {
    /// The establishment of a tax code: a new one, or the existing one when its name is the one typed (ignoring case,
    /// diacritics and spacing) and the caller confirmed it. Another name is an error naming both.
    static func establishment(taxCode: TaxCode, name: String, confirmed: Bool, field: String = "name",
                              details: @autoclosure () throws -> Beneficiary, on db: any Database) async throws -> Beneficiary {
        guard let existing = try await Beneficiary.query(on: db).filter(\.$taxCode == taxCode.digits).first() else {
            let created = try details()
            try await created.create(on: db)
            return created
        }
        guard sameName(existing.name, name) else { throw otherName(taxCode: taxCode, existing: existing.name, typed: name, field: field) }
        guard confirmed else { throw ExistingEstablishment(taxCode: taxCode.description, name: existing.name) }
        return existing
    }

    static func sameName(_ a: String, _ b: String) -> Bool { SearchFolding.fold(a) == SearchFolding.fold(b) }

    static func otherName(taxCode: TaxCode, existing: String, typed: String, field: String) -> DomainError {
        .invalid(vi: "\(field): mã số thuế \(taxCode) là của cơ sở \"\(existing)\", không phải \"\(typed)\"; hãy kiểm tra lại mã số thuế hoặc tên cơ sở",
                 en: "\(field): tax code \(taxCode) belongs to \"\(existing)\", not \"\(typed)\"; check the tax code or the name")
    }

    static func requireEditable(_ project: Project) throws {
        guard ProjectEditing.editableStatuses.contains(project.status) else {
            throw DomainError(.conflict, vi: "Chỉ sửa cơ sở thụ hưởng khi đề án còn là dự thảo hoặc bị trả lại",
                              en: "beneficiaries are changed while the project is a draft or returned")
        }
    }

    struct Link: Encodable { let project: String; let taxCode: String; let name: String; let supportVnd: Money; var supportKind: String? = nil }

    /// Adds a beneficiary while the province holds the project; the establishment is found by its tax code (see
    /// `establishment`). The caps are checked at once, with this establishment's support.
    static func add(to loaded: Project, _ input: BeneficiaryInput, by user: User, on db: any Database) async throws {
        let taxCode = try TaxCode(input.taxCode)
        let name = try ProjectEditing.cleanText(input.name, field: "name", maxLength: 300)
        _ = try input.supportVnd.requireNonNegative(field: "supportVnd")
        func optional(_ text: String?, _ field: String) throws -> String {
            guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return "" }
            return try ProjectEditing.cleanText(text, field: field, maxLength: 200)
        }
        let legalForm = try optional(input.legalForm, "legalForm"), commune = try optional(input.commune, "commune")
        let sector = try optional(input.sector, "sector")
        let projectID = try loaded.requireID()
        try await GuardedWrite.run(on: db) { db in
            let project = try await Project.current(projectID, for: .editRecord, by: user, on: db)
            try requireEditable(project)
            let kind = try await ProjectRules.chosenKind(input.supportKind, category: project.categoryCode, on: db)
            let beneficiary = try await establishment(
                taxCode: taxCode, name: name, confirmed: input.confirmExisting == true,
                details: Beneficiary(taxCode: taxCode.digits, name: name, legalForm: legalForm, commune: commune, sector: sector,
                                     womenOwned: input.womenOwned ?? false, ethnicMinorityEmployer: input.ethnicMinorityEmployer ?? false,
                                     disadvantagedArea: input.disadvantagedArea ?? false,
                                     ethnicMinorityOwned: input.ethnicMinorityOwned ?? false), on: db)
            if try await ProjectBeneficiary.query(on: db).filter(\.$project.$id == projectID)
                .filter(\.$beneficiary.$id == beneficiary.requireID()).count() > 0 {
                throw DomainError(.conflict, vi: "Cơ sở \(taxCode) đã có trong đề án", en: "establishment \(taxCode) is already a beneficiary")
            }
            try await ProjectBeneficiary(projectID: projectID, beneficiaryID: try beneficiary.requireID(), supportVnd: input.supportVnd,
                                         supportKind: kind).create(on: db)
            try await ProjectRules.checkCaps(project, support: project.supportRequestedVnd, on: db)
            try await ProjectSearchText.update(projectID: projectID, on: db)
            try await AuditTrail.record(actor: user.username, action: "add_beneficiary", recordType: "project", recordID: project.code,
                                        unitID: project.unitID, before: Nothing?.none,
                                        after: Link(project: project.code, taxCode: taxCode.digits, name: beneficiary.name, supportVnd: input.supportVnd,
                                                               supportKind: kind), on: db)
        }
    }

    /// The link of a project to one establishment, by the link's id; 404 when it is not this project's.
    static func link(_ id: UUID, of projectID: UUID, on db: any Database) async throws -> ProjectBeneficiary {
        guard let link = try await ProjectBeneficiary.query(on: db).filter(\.$id == id).filter(\.$project.$id == projectID)
            .with(\.$beneficiary).first() else {
            throw DomainError(.notFound, vi: "Không có cơ sở thụ hưởng này trong đề án", en: "no such beneficiary of this project")
        }
        return link
    }

    /// Corrects a beneficiary of a project the province holds: its support, or the establishment (another tax code,
    /// found or created as when adding one). The establishment's own record is not renamed: other projects share it.
    static func update(_ id: UUID, of loaded: Project, _ patch: BeneficiaryPatch, by user: User, on db: any Database) async throws {
        let taxCode = try patch.taxCode.map { try TaxCode($0) }
        let name = try patch.name.map { try ProjectEditing.cleanText($0, field: "name", maxLength: 300) }
        if let support = patch.supportVnd { _ = try support.requireNonNegative(field: "supportVnd") }
        let projectID = try loaded.requireID()
        try await GuardedWrite.run(on: db) { db in
            let project = try await Project.current(projectID, for: .editRecord, by: user, on: db)
            try requireEditable(project)
            let link = try await link(id, of: projectID, on: db)
            let before = Link(project: project.code, taxCode: link.beneficiary.taxCode, name: link.beneficiary.name, supportVnd: link.supportVnd,
                              supportKind: link.supportKind)
            if let kind = patch.supportKind {
                link.supportKind = try await ProjectRules.chosenKind(kind, category: project.categoryCode, on: db)
            }
            var beneficiary = link.beneficiary
            if let taxCode, taxCode.digits != beneficiary.taxCode {
                guard let name else {
                    throw DomainError.invalid(vi: "name: cần tên cơ sở khi đổi mã số thuế", en: "name: a new tax code needs the establishment's name")
                }
                beneficiary = try await establishment(
                    taxCode: taxCode, name: name, confirmed: patch.confirmExisting == true,
                    details: Beneficiary(taxCode: taxCode.digits, name: name, legalForm: "", commune: "", sector: "", womenOwned: false,
                                         ethnicMinorityEmployer: false, disadvantagedArea: false), on: db)
                if try await ProjectBeneficiary.query(on: db).filter(\.$project.$id == projectID)
                    .filter(\.$beneficiary.$id == beneficiary.requireID()).count() > 0 {
                    throw DomainError(.conflict, vi: "Cơ sở \(taxCode) đã có trong đề án", en: "establishment \(taxCode) is already a beneficiary")
                }
                link.$beneficiary.id = try beneficiary.requireID()
            } else if let name, !sameName(name, beneficiary.name) {
                throw otherName(taxCode: try TaxCode(beneficiary.taxCode), existing: beneficiary.name, typed: name, field: "name")
            }
            if let support = patch.supportVnd { link.supportVnd = support }
            try await link.save(on: db)
            try await ProjectRules.checkCaps(project, support: project.supportRequestedVnd, on: db)
            try await ProjectSearchText.update(projectID: projectID, on: db)
            try await AuditTrail.record(actor: user.username, action: "update_beneficiary", recordType: "project", recordID: project.code,
                                        unitID: project.unitID, before: before,
                                        after: Link(project: project.code, taxCode: beneficiary.taxCode, name: beneficiary.name, supportVnd: link.supportVnd,
                                                    supportKind: link.supportKind),
                                        on: db)
        }
    }

    /// Takes a beneficiary off a project the province holds, with the reason; the audit row keeps what it was.
    static func remove(_ id: UUID, of loaded: Project, reason: String, by user: User, on db: any Database) async throws {
        let reason = try RecordRemoval.cleanReason(reason)
        let projectID = try loaded.requireID()
        try await GuardedWrite.run(on: db) { db in
            let project = try await Project.current(projectID, for: .editRecord, by: user, on: db)
            try requireEditable(project)
            let link = try await link(id, of: projectID, on: db)
            try await link.delete(on: db)
            try await ProjectSearchText.update(projectID: projectID, on: db)
            try await RecordRemoval.record(.beneficiary, of: project, id: id, reason: reason, by: user,
                                           values: ["taxCode": link.beneficiary.taxCode, "name": link.beneficiary.name,
                                                    "supportVnd": String(link.supportVnd.dong)], on: db)
        }
    }
}
