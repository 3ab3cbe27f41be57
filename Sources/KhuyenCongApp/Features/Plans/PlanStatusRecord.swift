import Fluent
import Foundation
import KhuyenCongCore

/// Where the plan of (unit, plan year, source) stands: `draft → submitted → approved`, or `returned` from
/// submitted. `version` rises with every write to the plan, so that an edit made on a stale copy is refused.
/// A plan with approved lines but no row (imported before the cycle existed) counts as approved.
final class PlanStatusRecord: Model, @unchecked Sendable {
    static let schema = "plan_statuses"

    @ID(key: .id) var id: UUID?
    @Field(key: "unit_id") var unitID: UnitID
    @Field(key: "year") var year: Int
    @Field(key: "source") var source: FundingSource
    @Field(key: "status") var status: PlanCycle.Status
    @Field(key: "version") var version: Int
    // The approval decision (the ministry's for national, the People's Committee's for local).
    @OptionalField(key: "decision_no") var decisionNo: String?
    @OptionalField(key: "approved_on") var approvedOn: String?
    @OptionalField(key: "approved_by") var approvedBy: String?
    /// Who signed the decision, as the province records it (M0037).
    @OptionalField(key: "signer") var signer: String?
    @OptionalField(key: "submitted_on") var submittedOn: String?
    @OptionalField(key: "return_reason") var returnReason: String?
    @Field(key: "updated_by") var updatedBy: String
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(unitID: UnitID, year: Int, source: FundingSource, status: PlanCycle.Status, updatedBy: String) {
        self.unitID = unitID
        self.year = year
        self.source = source
        self.status = status
        self.version = 0
        self.updatedBy = updatedBy
    }
}

/// A plan line's amount not yet approved (M0031): it counts nowhere until approval makes it a revision.
final class PlanDraft: Model, @unchecked Sendable {
    static let schema = "plan_drafts"

    @ID(key: .id) var id: UUID?
    @Field(key: "unit_id") var unitID: UnitID
    @Field(key: "year") var year: Int
    @Field(key: "source") var source: FundingSource
    @Field(key: "category_code") var categoryCode: String
    @Field(key: "amount_vnd") var amountVnd: Money
    @OptionalField(key: "reason") var reason: String?
    @Field(key: "updated_by") var updatedBy: String

    init() {}

    init(unitID: UnitID, year: Int, source: FundingSource, categoryCode: String, amountVnd: Money, reason: String?, updatedBy: String) {
        self.unitID = unitID
        self.year = year
        self.source = source
        self.categoryCode = categoryCode
        self.amountVnd = amountVnd
        self.reason = reason
        self.updatedBy = updatedBy
    }
}

/// A target quantity not yet approved (M0032): approval writes it into `plan_targets`.
final class PlanDraftTarget: Model, @unchecked Sendable {
    static let schema = "plan_draft_targets"

    @ID(key: .id) var id: UUID?
    @Field(key: "unit_id") var unitID: UnitID
    @Field(key: "year") var year: Int
    @Field(key: "source") var source: FundingSource
    @Field(key: "category_code") var categoryCode: String
    @Field(key: "indicator_code") var indicatorCode: String
    @Field(key: "quantity") var quantity: Int64
    @Field(key: "updated_by") var updatedBy: String

    init() {}

    init(unitID: UnitID, year: Int, source: FundingSource, categoryCode: String, indicatorCode: String, quantity: Int64, updatedBy: String) {
        self.unitID = unitID
        self.year = year
        self.source = source
        self.categoryCode = categoryCode
        self.indicatorCode = indicatorCode
        self.quantity = quantity
        self.updatedBy = updatedBy
    }
}
