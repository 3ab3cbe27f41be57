import Fluent
import Foundation
import KhuyenCongCore

/// A unit's quarterly (Q1, Q3), half-year (H1) or annual (FY) report: draft → submitted → approved, or returned.
final class PeriodReport: Model, @unchecked Sendable {
    static let schema = "period_reports"

    @ID(key: .id) var id: UUID?
    @Field(key: "unit_id") var unitID: UnitID
    @Field(key: "year") var year: Int
    @Field(key: "period") var period: Period
    @Field(key: "status") var status: PeriodReportStatus
    @Field(key: "cover_note") var coverNote: String
    @OptionalField(key: "submitted_on") var submittedOn: String?
    @OptionalField(key: "approved_on") var approvedOn: String?
    @OptionalField(key: "approved_by") var approvedBy: String?
    /// The figures as submitted, as JSON text (portable across SQLite and PostgreSQL).
    @OptionalField(key: "snapshot") var snapshot: String?
    /// The figures as last approved: what an unlocked report's changes are compared with.
    @OptionalField(key: "approved_snapshot") var approvedSnapshot: String?
    /// Approval locks the unit's records of the period until a reviewer unlocks them.
    @Field(key: "locked") var locked: Bool
    @OptionalField(key: "return_reason") var returnReason: String?
    @OptionalField(key: "unlock_reason") var unlockReason: String?
    @OptionalField(key: "unlocked_by") var unlockedBy: String?
    @OptionalField(key: "unlocked_on") var unlockedOn: String?

    init() {}

    init(unitID: UnitID, year: Int, period: Period, status: PeriodReportStatus, coverNote: String,
         submittedOn: String?, approvedOn: String?, approvedBy: String?) {
        self.unitID = unitID
        self.year = year
        self.period = period
        self.status = status
        self.coverNote = coverNote
        self.submittedOn = submittedOn
        self.approvedOn = approvedOn
        self.approvedBy = approvedBy
        self.locked = status == .approved
    }
}
