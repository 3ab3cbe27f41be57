import Fluent
import Foundation
import KhuyenCongCore

/// A rural industrial establishment (cơ sở công nghiệp nông thôn), known by its tax code.
final class Beneficiary: Model, @unchecked Sendable {
    static let schema = "beneficiaries"

    @ID(key: .id) var id: UUID?
    @Field(key: "tax_code") var taxCode: String
    @Field(key: "name") var name: String
    @Field(key: "legal_form") var legalForm: String
    @Field(key: "commune") var commune: String
    @Field(key: "sector") var sector: String
    // Priority marks of Decree 235/2025: owned by women, owned by ethnic-minority people (M0050), in a disadvantaged
    // area (which raises the cap by the priority uplift, see `RuleBook.capBreaches`); and employing ethnic minorities.
    @Field(key: "women_owned") var womenOwned: Bool
    @Field(key: "ethnic_minority_employer") var ethnicMinorityEmployer: Bool
    @Field(key: "disadvantaged_area") var disadvantagedArea: Bool
    @Field(key: "ethnic_minority_owned") var ethnicMinorityOwned: Bool

    init() {}

    init(taxCode: String, name: String, legalForm: String, commune: String, sector: String,
         womenOwned: Bool, ethnicMinorityEmployer: Bool, disadvantagedArea: Bool, ethnicMinorityOwned: Bool = false) {
        self.taxCode = taxCode
        self.name = name
        self.legalForm = legalForm
        self.commune = commune
        self.sector = sector
        self.womenOwned = womenOwned
        self.ethnicMinorityEmployer = ethnicMinorityEmployer
        self.disadvantagedArea = disadvantagedArea
        self.ethnicMinorityOwned = ethnicMinorityOwned
    }

    /// The marks as the interchange files write them: their codes separated by ";" ("" for none).
    var marks: BeneficiaryMarks {
        BeneficiaryMarks(womenOwned: womenOwned, ethnicMinorityOwned: ethnicMinorityOwned, ethnicMinorityEmployer: ethnicMinorityEmployer,
                         disadvantagedArea: disadvantagedArea)
    }
}

/// The priority marks of an establishment (Decree 235/2025/NĐ-CP), with the codes files and APIs use.
struct BeneficiaryMarks: Sendable, Equatable {
    var womenOwned = false
    var ethnicMinorityOwned = false
    var ethnicMinorityEmployer = false
    var disadvantagedArea = false

    static let codes = ["women_owned", "ethnic_minority_owned", "ethnic_minority_employer", "disadvantaged_area"]

    /// The Vietnamese names of the marks set, in the order of `codes`.
    var vietnameseNames: [String] {
        [(womenOwned, "Chủ cơ sở là nữ"), (ethnicMinorityOwned, "Chủ cơ sở là người dân tộc thiểu số"),
         (ethnicMinorityEmployer, "Sử dụng lao động dân tộc thiểu số"), (disadvantagedArea, "Địa bàn khó khăn")].filter(\.0).map(\.1)
    }

    var text: String {
        zip(Self.codes, [womenOwned, ethnicMinorityOwned, ethnicMinorityEmployer, disadvantagedArea]).filter(\.1).map(\.0).joined(separator: ";")
    }

    init(womenOwned: Bool = false, ethnicMinorityOwned: Bool = false, ethnicMinorityEmployer: Bool = false, disadvantagedArea: Bool = false) {
        self.womenOwned = womenOwned
        self.ethnicMinorityOwned = ethnicMinorityOwned
        self.ethnicMinorityEmployer = ethnicMinorityEmployer
        self.disadvantagedArea = disadvantagedArea
    }

    /// Codes separated by ";", "," or spaces; an unknown code is refused naming the field and the codes there are.
    init(parsing text: String, field: String) throws {
        let parts = text.split { ";, ".contains($0) }.map { $0.lowercased() }
        if let unknown = parts.first(where: { !Self.codes.contains($0) }) {
            throw DomainError.invalid(vi: "\(field): dấu ưu tiên \"\(unknown.prefix(40))\" không có (\(Self.codes.joined(separator: ", ")))",
                                      en: "\(field): priority mark \"\(unknown.prefix(40))\" does not exist (\(Self.codes.joined(separator: ", ")))")
        }
        self.init(womenOwned: parts.contains("women_owned"), ethnicMinorityOwned: parts.contains("ethnic_minority_owned"),
                  ethnicMinorityEmployer: parts.contains("ethnic_minority_employer"), disadvantagedArea: parts.contains("disadvantaged_area"))
    }
}

/// A beneficiary of a project, with the support it receives.
final class ProjectBeneficiary: Model, @unchecked Sendable {
    static let schema = "project_beneficiaries"

    @ID(key: .id) var id: UUID?
    @Parent(key: "project_id") var project: Project
    @Parent(key: "beneficiary_id") var beneficiary: Beneficiary
    @Field(key: "support_vnd") var supportVnd: Money
    /// The kind of support this establishment receives (M0047); nil = the project's kind.
    @OptionalField(key: "support_kind") var supportKind: String?

    init() {}

    init(projectID: UUID, beneficiaryID: UUID, supportVnd: Money, supportKind: String? = nil) {
        self.$project.id = projectID
        self.$beneficiary.id = beneficiaryID
        self.supportVnd = supportVnd
        self.supportKind = supportKind
    }
}
