import Fluent
import Foundation

/// A rural industrial establishment (cơ sở công nghiệp nông thôn), known by its tax code.
final class Beneficiary: Model, @unchecked Sendable {
    static let schema = "beneficiaries"

    @ID(key: .id) var id: UUID?
    @Field(key: "tax_code") var taxCode: String
    @Field(key: "name") var name: String
    @Field(key: "legal_form") var legalForm: String
    @Field(key: "commune") var commune: String
    @Field(key: "sector") var sector: String
    // Priority marks of Decree 235/2025
    @Field(key: "women_owned") var womenOwned: Bool
    @Field(key: "ethnic_minority_employer") var ethnicMinorityEmployer: Bool
    @Field(key: "disadvantaged_area") var disadvantagedArea: Bool

    init() {}

    init(taxCode: String, name: String, legalForm: String, commune: String, sector: String,
         womenOwned: Bool, ethnicMinorityEmployer: Bool, disadvantagedArea: Bool) {
        self.taxCode = taxCode
        self.name = name
        self.legalForm = legalForm
        self.commune = commune
        self.sector = sector
        self.womenOwned = womenOwned
        self.ethnicMinorityEmployer = ethnicMinorityEmployer
        self.disadvantagedArea = disadvantagedArea
    }
}

/// A beneficiary of a project, with the support it receives.
final class ProjectBeneficiary: Model, @unchecked Sendable {
    static let schema = "project_beneficiaries"

    @ID(key: .id) var id: UUID?
    @Parent(key: "project_id") var project: Project
    @Parent(key: "beneficiary_id") var beneficiary: Beneficiary
    @Field(key: "support_vnd") var supportVnd: Int64
    /// The kind of support this establishment receives (M0047); nil = the project's kind.
    @OptionalField(key: "support_kind") var supportKind: String?

    init() {}

    init(projectID: UUID, beneficiaryID: UUID, supportVnd: Int64, supportKind: String? = nil) {
        self.$project.id = projectID
        self.$beneficiary.id = beneficiaryID
        self.supportVnd = supportVnd
        self.supportKind = supportKind
    }
}
