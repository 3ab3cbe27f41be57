/// A filed period report's status (the `period_reports.status` column): draft → submitted → approved, or returned;
/// an approved report unlocked for changes waits to be approved again. Stored and sent as the same words.
public enum PeriodReportStatus: String, CaseIterable, Codable, Sendable {
    case draft, submitted, approved, returned, unlocked

    public var vietnameseName: String {
        switch self {
        case .draft: "Dự thảo"
        case .submitted: "Đã nộp, chờ duyệt"
        case .approved: "Đã phê duyệt"
        case .returned: "Trả lại để chỉnh sửa"
        case .unlocked: "Đã mở khóa, chờ duyệt lại"
        }
    }

    /// A unit may (re)submit its report in these statuses.
    public var isOpenForSubmission: Bool { self == .draft || self == .returned || self == .unlocked }
}

/// Where a unit's report of a period stands, as the API and the lists show it: a filed report's status, or no
/// report yet (`missing` once the due date has passed, `not_due` before it).
public enum PeriodReportFiling: String, CaseIterable, Codable, Sendable {
    case missing, notDue = "not_due", draft, submitted, approved, returned, unlocked

    public init(_ status: PeriodReportStatus) {
        switch status {
        case .draft: self = .draft
        case .submitted: self = .submitted
        case .approved: self = .approved
        case .returned: self = .returned
        case .unlocked: self = .unlocked
        }
    }

    /// The filed report's status; nil for no report.
    public var status: PeriodReportStatus? { PeriodReportStatus(rawValue: rawValue) }

    public var vietnameseName: String {
        switch self {
        case .missing: "Chưa nộp (quá hạn)"
        case .notDue: "Chưa đến hạn"
        default: status?.vietnameseName ?? rawValue
        }
    }
}
