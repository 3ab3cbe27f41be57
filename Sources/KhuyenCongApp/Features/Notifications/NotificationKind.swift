import KhuyenCongCore

/// What a notification tells (`notifications.kind`): a step of a project, a period report or a plan that concerns the
/// user, or a deadline reminder. Stored and sent as the same words ("project_returned", "deadline_before", …).
enum NotificationKind: String, CaseIterable, Codable, Sendable {
    case projectSubmitted = "project_submitted", projectRegistered = "project_registered"
    case projectReturned = "project_returned", projectRejected = "project_rejected"
    case projectApproved = "project_approved", projectAllocated = "project_allocated"
    case periodReportSubmitted = "period_report_submitted", periodReportReturned = "period_report_returned"
    case periodReportApproved = "period_report_approved", periodReportUnlocked = "period_report_unlocked"
    case planSubmitted = "plan_submitted", planReturned = "plan_returned", planApproved = "plan_approved"
    case deadlineBefore = "deadline_before", deadlineAfter = "deadline_after"

    /// The news of a project's move into `status`; nil for a move no one is told of.
    init?(project status: ProjectStatus) {
        switch status {
        case .submitted: self = .projectSubmitted
        case .registered: self = .projectRegistered
        case .returned: self = .projectReturned
        case .rejected: self = .projectRejected
        case .approved: self = .projectApproved
        case .allocated: self = .projectAllocated
        default: return nil
        }
    }
}
