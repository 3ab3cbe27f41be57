import Fluent
import KhuyenCongCore

/// The rules of the law as dated data (issue 14): kinds of support, caps per kind × source (× province), first-advance
/// shares, deadlines per plan year and step, the priority uplift; seeded from `SupportRules`. And a project's kind of
/// support (`projects.support_kind`, nullable: a project without one is read as its category's default kind,
/// `RuleBook.defaultKind(category:)`).
struct M0039_CreateRules: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("rule_support_kinds")
            .id()
            .field("code", .string, .required)
            .field("category_code", .string, .required)
            .field("name", .string, .required)
            .field("indicator_code", .string)
            .field("valid_from", .string, .required)
            .field("valid_until", .string)
            .field("legal_basis", .string, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema("rule_caps")
            .id()
            .field("kind", .string, .required)
            .field("source", .string, .required)
            .field("unit_code", .string)
            .field("max_share_bp", .int64, .required)
            .field("max_amount_vnd", .int64, .required)
            .field("per", .string, .required)
            .field("valid_from", .string, .required)
            .field("valid_until", .string)
            .field("legal_basis", .string, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema("rule_advances")
            .id()
            .field("kind", .string, .required)
            .field("first_advance_bp", .int64, .required)
            .field("valid_from", .string, .required)
            .field("valid_until", .string)
            .field("legal_basis", .string, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema("rule_deadlines")
            .id()
            .field("year", .int, .required)
            .field("step", .string, .required)
            .field("due_on", .string)
            .field("days_after", .int)
            .field("legal_basis", .string, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema("rule_priority_uplifts")
            .id()
            .field("factor_permille", .int64, .required)
            .field("valid_from", .string, .required)
            .field("valid_until", .string)
            .field("legal_basis", .string, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .datetime)
            .create()
        try await database.schema("projects").field("support_kind", .string).update()

        let seeder = "migrate"
        for rule in SupportRules.kinds { try await SupportKindRecord(rule, recordedBy: seeder).create(on: database) }
        for rule in SupportRules.caps { try await CapRecord(rule, recordedBy: seeder).create(on: database) }
        for rule in SupportRules.advances { try await AdvanceRecord(rule, recordedBy: seeder).create(on: database) }
        for year in SupportRules.seededYears {
            for rule in SupportRules.deadlines(year: year) { try await DeadlineRecord(rule, recordedBy: seeder).create(on: database) }
        }
        try await PriorityUpliftRecord(SupportRules.priorityUplift, recordedBy: seeder).create(on: database)
    }

    func revert(on database: any Database) async throws {
        try await database.schema("projects").deleteField("support_kind").update()
        for table in ["rule_priority_uplifts", "rule_deadlines", "rule_advances", "rule_caps", "rule_support_kinds"] {
            try await database.schema(table).delete()
        }
    }
}
