import Fluent

struct M0011_CreateProjectBeneficiaries: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("project_beneficiaries")
            .id()
            .field("project_id", .uuid, .required, .references("projects", "id"))
            .field("beneficiary_id", .uuid, .required, .references("beneficiaries", "id"))
            .field("support_vnd", .int64, .required)
            .unique(on: "project_id", "beneficiary_id")
            .create()
    }

    func revert(on database: any Database) async throws { try await database.schema("project_beneficiaries").delete() }
}
