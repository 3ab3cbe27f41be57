import Fluent
import FluentSQL

/// The Decree 235/2025 priority mark "owned by ethnic-minority people" on establishments (issue 14), beside
/// "owned by women" and "employs ethnic minorities"; false for every establishment recorded before it.
struct M0050_AddBeneficiaryEthnicMinorityOwned: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("beneficiaries").field("ethnic_minority_owned", .bool, .required, .sql(.default(false))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("beneficiaries").deleteField("ethnic_minority_owned").update()
    }
}
