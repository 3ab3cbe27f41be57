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
    let supportVnd: Int64
}

enum ProjectBeneficiaries {
    /// Adds a beneficiary while the province holds the project; the establishment is found by its tax code.
    static func add(to project: Project, _ input: BeneficiaryInput, by user: User, on db: any Database) async throws {
        guard ProjectEditing.editableStatuses.contains(project.status) else {
            throw DomainError(.conflict, vi: "Chỉ thêm cơ sở thụ hưởng khi đề án còn là dự thảo hoặc bị trả lại",
                              en: "beneficiaries are added while the project is a draft or returned")
        }
        let taxCode = try TaxCode(input.taxCode)
        let name = try ProjectEditing.cleanText(input.name, field: "name", maxLength: 300)
        _ = try Money(dong: input.supportVnd).requireNonNegative(field: "supportVnd")
        func optional(_ text: String?, _ field: String) throws -> String {
            guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return "" }
            return try ProjectEditing.cleanText(text, field: field, maxLength: 200)
        }
        let legalForm = try optional(input.legalForm, "legalForm"), commune = try optional(input.commune, "commune")
        let sector = try optional(input.sector, "sector")
        try await db.transaction { db in
            let beneficiary: Beneficiary
            if let existing = try await Beneficiary.query(on: db).filter(\.$taxCode == taxCode.digits).first() {
                beneficiary = existing
            } else {
                beneficiary = Beneficiary(taxCode: taxCode.digits, name: name, legalForm: legalForm, commune: commune, sector: sector,
                                          womenOwned: input.womenOwned ?? false, ethnicMinorityEmployer: input.ethnicMinorityEmployer ?? false,
                                          disadvantagedArea: input.disadvantagedArea ?? false)
                try await beneficiary.create(on: db)
            }
            if try await ProjectBeneficiary.query(on: db).filter(\.$project.$id == project.requireID())
                .filter(\.$beneficiary.$id == beneficiary.requireID()).count() > 0 {
                throw DomainError(.conflict, vi: "Cơ sở \(taxCode) đã có trong đề án", en: "establishment \(taxCode) is already a beneficiary")
            }
            try await ProjectBeneficiary(projectID: try project.requireID(), beneficiaryID: try beneficiary.requireID(),
                                         supportVnd: input.supportVnd).create(on: db)
            try await ProjectSearchText.update(projectID: try project.requireID(), on: db)
            struct Link: Encodable { let project: String; let taxCode: String; let name: String; let supportVnd: Int64 }
            try await AuditTrail.record(actor: user.username, action: "add_beneficiary", recordType: "project", recordID: project.code,
                                        unitID: project.unitID, before: Nothing?.none,
                                        after: Link(project: project.code, taxCode: taxCode.digits, name: beneficiary.name, supportVnd: input.supportVnd), on: db)
        }
    }
}
