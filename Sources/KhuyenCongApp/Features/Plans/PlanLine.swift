import Fluent
import Foundation
import KhuyenCongCore

/// (unit, plan year, source, category): the key of an approved budget line. The amounts are its revisions.
final class PlanLine: Model, @unchecked Sendable {
    static let schema = "plan_lines"

    @ID(key: .id) var id: UUID?
    @Field(key: "unit_id") var unitID: UnitID
    @Field(key: "year") var year: Int
    @Field(key: "source") var source: FundingSource
    @Field(key: "category_code") var categoryCode: String
    @Children(for: \.$planLine) var revisions: [PlanLineRevision]

    init() {}

    init(id: UUID? = nil, unitID: UnitID, year: Int, source: FundingSource, categoryCode: String) {
        self.id = id
        self.unitID = unitID
        self.year = year
        self.source = source
        self.categoryCode = categoryCode
    }
}

/// One approved amount of a plan line. Every revision is kept; a report uses the latest one approved on or
/// before its as-of date.
final class PlanLineRevision: Model, @unchecked Sendable {
    static let schema = "plan_line_revisions"

    @ID(key: .id) var id: UUID?
    @Parent(key: "plan_line_id") var planLine: PlanLine
    @Field(key: "amount_vnd") var amountVnd: Money
    @Field(key: "approved_on") var approvedOn: String
    @Field(key: "decision_no") var decisionNo: String
    /// Why the line was revised (M0033); nil for imported revisions.
    @OptionalField(key: "reason") var reason: String?
    @Timestamp(key: "recorded_at", on: .create) var recordedAt: Date?

    init() {}

    init(planLineID: UUID, amountVnd: Money, approvedOn: String, decisionNo: String, reason: String? = nil) {
        self.$planLine.id = planLineID
        self.amountVnd = amountVnd
        self.approvedOn = approvedOn
        self.decisionNo = decisionNo
        self.reason = reason
    }
}

/// A target quantity of an output indicator for (unit, year, source, category).
final class PlanTarget: Model, @unchecked Sendable {
    static let schema = "plan_targets"

    @ID(key: .id) var id: UUID?
    @Field(key: "unit_id") var unitID: UnitID
    @Field(key: "year") var year: Int
    @Field(key: "source") var source: FundingSource
    @Field(key: "category_code") var categoryCode: String
    @Field(key: "indicator_code") var indicatorCode: String
    @Field(key: "quantity") var quantity: Int64

    init() {}

    init(unitID: UnitID, year: Int, source: FundingSource, categoryCode: String, indicatorCode: String, quantity: Int64) {
        self.unitID = unitID
        self.year = year
        self.source = source
        self.categoryCode = categoryCode
        self.indicatorCode = indicatorCode
        self.quantity = quantity
    }
}

/// Settings of a plan year that are data, not code: the national registration deadline and the due dates of
/// the provinces' half-year and annual reports.
final class PlanYearSetting: Model, @unchecked Sendable {
    static let schema = "plan_years"

    @ID(custom: "id", generatedBy: .user) var id: Int?
    @Field(key: "registration_deadline") var registrationDeadline: String
    @OptionalField(key: "h1_report_due") var h1ReportDue: String?
    @OptionalField(key: "fy_report_due") var fyReportDue: String?
    /// The Department → ministry deadline (M0036; 15 June of the year before by default).
    @OptionalField(key: "ministry_deadline") var ministryDeadline: String?

    init() {}

    init(year: Int, registrationDeadline: String, h1ReportDue: String? = nil, fyReportDue: String? = nil, ministryDeadline: String? = nil) {
        self.id = year
        self.registrationDeadline = registrationDeadline
        self.ministryDeadline = ministryDeadline
        self.h1ReportDue = h1ReportDue
        self.fyReportDue = fyReportDue
    }
}
