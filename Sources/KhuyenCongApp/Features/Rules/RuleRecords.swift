import Fluent
import Foundation
import KhuyenCongCore

/// A kind of support within a content category (`rule_support_kinds`).
final class SupportKindRecord: Model, @unchecked Sendable {
    static let schema = "rule_support_kinds"

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "category_code") var categoryCode: String
    @Field(key: "name") var name: String
    @OptionalField(key: "indicator_code") var indicatorCode: String?
    @Field(key: "valid_from") var validFrom: String
    @OptionalField(key: "valid_until") var validUntil: String?
    @Field(key: "legal_basis") var legalBasis: String
    @Field(key: "recorded_by") var recordedBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(_ rule: SupportKindRule, recordedBy: String) {
        code = rule.code
        categoryCode = rule.category
        name = rule.vietnameseName
        indicatorCode = rule.indicator
        validFrom = rule.validFrom.description
        validUntil = rule.validUntil?.description
        legalBasis = rule.legalBasis
        self.recordedBy = recordedBy
    }

    func rule() throws -> SupportKindRule {
        SupportKindRule(code: code, category: categoryCode, vietnameseName: name, indicator: indicatorCode,
                        validFrom: try CalendarDate(parsing: validFrom), validUntil: try validUntil.map(CalendarDate.init(parsing:)),
                        legalBasis: legalBasis)
    }
}

/// A cap per kind × source (× province for local support) (`rule_caps`). Rows are only ever added.
final class CapRecord: Model, @unchecked Sendable {
    static let schema = "rule_caps"

    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "source") var source: FundingSource
    @OptionalField(key: "unit_code") var unitCode: UnitCode?
    @Field(key: "max_share_bp") var maxShareBasisPoints: Int64
    @Field(key: "max_amount_vnd") var maxAmountVnd: Money
    @Field(key: "per") var per: CapBasis
    @Field(key: "valid_from") var validFrom: String
    @OptionalField(key: "valid_until") var validUntil: String?
    @Field(key: "legal_basis") var legalBasis: String
    @Field(key: "recorded_by") var recordedBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(_ rule: CapRule, recordedBy: String) {
        kind = rule.kind
        source = rule.source
        unitCode = rule.unitCode
        maxShareBasisPoints = rule.maxShareBasisPoints
        maxAmountVnd = rule.maxAmount
        per = rule.per
        validFrom = rule.validFrom.description
        validUntil = rule.validUntil?.description
        legalBasis = rule.legalBasis
        self.recordedBy = recordedBy
    }

    func rule() throws -> CapRule {
        CapRule(kind: kind, source: source, unitCode: unitCode, maxShareBasisPoints: maxShareBasisPoints,
                maxAmount: maxAmountVnd, per: per,
                validFrom: try CalendarDate(parsing: validFrom), validUntil: try validUntil.map(CalendarDate.init(parsing:)),
                legalBasis: legalBasis)
    }
}

/// The first-advance share per kind (`rule_advances`).
final class AdvanceRecord: Model, @unchecked Sendable {
    static let schema = "rule_advances"

    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: String
    @Field(key: "first_advance_bp") var firstAdvanceBasisPoints: Int64
    @Field(key: "valid_from") var validFrom: String
    @OptionalField(key: "valid_until") var validUntil: String?
    @Field(key: "legal_basis") var legalBasis: String
    @Field(key: "recorded_by") var recordedBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(_ rule: AdvanceRule, recordedBy: String) {
        kind = rule.kind
        firstAdvanceBasisPoints = rule.firstAdvanceBasisPoints
        validFrom = rule.validFrom.description
        validUntil = rule.validUntil?.description
        legalBasis = rule.legalBasis
        self.recordedBy = recordedBy
    }

    func rule() throws -> AdvanceRule {
        AdvanceRule(kind: kind, firstAdvanceBasisPoints: firstAdvanceBasisPoints, validFrom: try CalendarDate(parsing: validFrom),
                    validUntil: try validUntil.map(CalendarDate.init(parsing:)), legalBasis: legalBasis)
    }
}

/// A deadline of a plan year besides those kept in `plan_years` (`rule_deadlines`); a later row for the same year and
/// step replaces the earlier in the reading, the earlier stays.
final class DeadlineRecord: Model, @unchecked Sendable {
    static let schema = "rule_deadlines"

    @ID(key: .id) var id: UUID?
    @Field(key: "year") var year: Int
    @Field(key: "step") var step: String
    @OptionalField(key: "due_on") var dueOn: String?
    @OptionalField(key: "days_after") var daysAfter: Int?
    @Field(key: "legal_basis") var legalBasis: String
    @Field(key: "recorded_by") var recordedBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(_ rule: DeadlineRule, recordedBy: String) {
        year = rule.year
        step = rule.step
        dueOn = rule.date?.description
        daysAfter = rule.daysAfter
        legalBasis = rule.legalBasis
        self.recordedBy = recordedBy
    }
}

/// The priority uplift (`rule_priority_uplifts`), per mille of the normal level.
final class PriorityUpliftRecord: Model, @unchecked Sendable {
    static let schema = "rule_priority_uplifts"

    @ID(key: .id) var id: UUID?
    @Field(key: "factor_permille") var factorPerMille: Int64
    @Field(key: "valid_from") var validFrom: String
    @OptionalField(key: "valid_until") var validUntil: String?
    @Field(key: "legal_basis") var legalBasis: String
    @Field(key: "recorded_by") var recordedBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(_ rule: PriorityUpliftRule, recordedBy: String) {
        factorPerMille = rule.factorPerMille
        validFrom = rule.validFrom.description
        validUntil = rule.validUntil?.description
        legalBasis = rule.legalBasis
        self.recordedBy = recordedBy
    }

    func rule() throws -> PriorityUpliftRule {
        PriorityUpliftRule(factorPerMille: factorPerMille, validFrom: try CalendarDate(parsing: validFrom),
                           validUntil: try validUntil.map(CalendarDate.init(parsing:)), legalBasis: legalBasis)
    }
}

extension RuleBook {
    /// The rule tables as they are now in the database.
    static func load(on db: any Database) async throws -> RuleBook {
        RuleBook(kinds: try await SupportKindRecord.query(on: db).sort(\.$validFrom).all().map { try $0.rule() },
                 caps: try await CapRecord.query(on: db).all().map { try $0.rule() },
                 advances: try await AdvanceRecord.query(on: db).all().map { try $0.rule() },
                 uplifts: try await PriorityUpliftRecord.query(on: db).all().map { try $0.rule() })
    }
}
