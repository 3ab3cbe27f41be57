import Vapor

/// What every page's frame needs: who is signed in, and the token for the sign-out form.
struct PageLayout: Encodable, Sendable {
    let userName: String?
    let roleName: String?
    let csrf: String?
    let canReadAudit: Bool
    let canCreateProjects: Bool
    let canExport: Bool
    let canReview: Bool
    /// The project register (`/projects`), for those who read projects in some scope.
    let canListProjects: Bool
    let projectRegister = Links.projectRegister
    /// "Việc của tôi" and how many items wait there (nil: not counted on this page).
    let myWork = Links.myWork
    let workCount: Int?
    /// "Tỉnh của tôi", for a province officer.
    let myProvince: String?
    /// The period reports list: the reviewers' completeness page, a province officer's own unit's reports.
    let canListPeriodReports: Bool
    /// The bell: the signed-in user's unread notifications (counted by `NotificationBellMiddleware`).
    let unreadNotifications: Int
    let notifications = Links.notifications
    let links = Links.Fixed()
    /// The ministry's khuyến công agency as named today (dated, `AgencyNames`), for the footer.
    let agencyName: String
    /// The page's language and the frame's switch (Core/Localization.swift).
    let language: LanguageSwitch

    init(_ request: Request) {
        let user = request.user
        userName = user.map { "\($0.displayName) (\($0.username))" }
        roleName = user.map { $0.principal.role.vietnameseName }
        csrf = user == nil ? nil : CSRF.token(for: request)
        canReadAudit = user.map { AccessPolicyHelper.allows($0, .readAudit) } ?? false
        canCreateProjects = user?.principal.role == .provinceOfficer
        canExport = user.map { AccessPolicyHelper.allows($0, .exportData) } ?? false
        canReview = user.map { AccessPolicyHelper.allows($0, .ministryStep) } ?? false
        canListProjects = user.map { $0.principal.role != .viewer } ?? false
        unreadNotifications = request.unreadNotifications
        workCount = request.workCount
        myProvince = user.flatMap { Links.myProvince($0.principal) }
        canListPeriodReports = canReview || user?.principal.role == .provinceOfficer
        agencyName = request.agencyName
        language = LanguageSwitch(request)
    }
}

import KhuyenCongCore

enum AccessPolicyHelper {
    static func allows(_ user: User, _ action: AccessAction, _ record: RecordScope? = nil) -> Bool {
        AccessPolicy.decide(user.principal, action, record) == .allow
    }
}
