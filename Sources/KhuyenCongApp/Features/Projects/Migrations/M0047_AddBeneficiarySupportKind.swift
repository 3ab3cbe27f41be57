import Fluent

/// A project's support per beneficiary and kind of support (issue 14): `project_beneficiaries.support_kind`, nullable —
/// a row without one (every row before this migration) is supported under the project's kind.
struct M0047_AddBeneficiarySupportKind: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("project_beneficiaries").field("support_kind", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("project_beneficiaries").deleteField("support_kind").update()
    }
}
