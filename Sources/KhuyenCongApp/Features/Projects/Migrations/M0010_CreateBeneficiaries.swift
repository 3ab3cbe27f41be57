import Fluent

struct M0010_CreateBeneficiaries: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("beneficiaries")
            .id()
            .field("tax_code", .string, .required)
            .field("name", .string, .required)
            .field("legal_form", .string, .required)
            .field("commune", .string, .required)
            .field("sector", .string, .required)
            .field("women_owned", .bool, .required)
            .field("ethnic_minority_employer", .bool, .required)
            .field("disadvantaged_area", .bool, .required)
            .unique(on: "tax_code")
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema("beneficiaries").delete() }
}
