import Fluent
import Foundation
import KhuyenCongCore

/// One dated row of a data-quality rule (`quality_rules`): the rule's logic is code (`QualityFindings`), what
/// it is called, how severe it is, what it tells the user and its limit are data.
final class QualityRuleRecord: Model, @unchecked Sendable {
    static let schema = "quality_rules"

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    /// error (blocks submission) | warning (needs a comment)
    @Field(key: "severity") var severity: String
    @Field(key: "explanation") var explanation: String
    /// project | unit
    @Field(key: "scope") var scope: String
    @OptionalField(key: "limit_value") var limitValue: Int64?
    @Field(key: "valid_from") var validFrom: String
    @OptionalField(key: "valid_to") var validTo: String?

    init() {}

    init(code: String, name: String, severity: String, explanation: String, scope: String, limitValue: Int64?, validFrom: String) {
        self.code = code
        self.name = name
        self.severity = severity
        self.explanation = explanation
        self.scope = scope
        self.limitValue = limitValue
        self.validFrom = validFrom
    }
}

/// A unit's comment on a warning of one period report; `subject` is the project code, or the unit's own code
/// for a rule about the unit.
final class QualityComment: Model, @unchecked Sendable {
    static let schema = "quality_comments"

    @ID(key: .id) var id: UUID?
    @Field(key: "unit_id") var unitID: UnitID
    @Field(key: "year") var year: Int
    @Field(key: "period") var period: Period
    @Field(key: "rule_code") var ruleCode: String
    @Field(key: "subject") var subject: String
    @Field(key: "comment") var comment: String
    @Field(key: "written_by") var writtenBy: String
    @Timestamp(key: "written_at", on: .none) var writtenAt: Date?

    init() {}

    init(unitID: UnitID, year: Int, period: Period, ruleCode: String, subject: String, comment: String, writtenBy: String) {
        self.unitID = unitID
        self.year = year
        self.period = period
        self.ruleCode = ruleCode
        self.subject = subject
        self.comment = comment
        self.writtenBy = writtenBy
        self.writtenAt = Date()
    }
}
