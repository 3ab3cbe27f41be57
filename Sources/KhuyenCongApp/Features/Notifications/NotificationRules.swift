import Fluent
import Foundation
import KhuyenCongCore

/// Who is told what, derived from the audited change itself: `AuditTrail.record` calls `notify` in the transaction of
/// every guarded write, so a write path needs no notification code of its own, and a write that rolls back leaves no
/// notification (nor mail) behind.
/// - Submitted (a project, a period report, a national plan): the region's reviewers, or the ministry's officers when
///   the region has none (a national plan goes to the ministry, which decides it, and to the region's reviewers).
/// - Returned (with the reason), rejected, approved, allocated, unlocked (with the reason): the unit's province officers.
/// The one who acted is never told of their own act.
enum NotificationRules {
    struct Message: Sendable {
        let kind: NotificationKind
        let title: String
        let body: String
        let link: String
    }

    enum Audience { case officers, reviewers, ministryAndReviewers }

    static func notify(actor: String, action: String, recordType: String, recordID: String, unitID: UnitID?,
                       before: String?, after: String?, on db: any Database) async throws {
        guard let unitID, let (audience, message) = try await message(action: action, recordType: recordType, recordID: recordID,
                                                                      unitID: unitID, before: before, after: after, on: db) else { return }
        let recipients = try await recipients(audience, scope: RecordScope(unitID: unitID), excluding: actor, on: db)
        guard !recipients.isEmpty else { return }
        let emails = try await addresses(of: recipients.compactMap(\.id), on: db)
        for user in recipients {
            guard let id = user.id else { continue }
            try await UserNotification(userID: id, kind: message.kind, title: message.title, body: message.body, link: message.link,
                                       recordType: recordType, recordID: recordID, actor: actor, mailTo: emails[id]).create(on: db)
        }
    }

    /// The active users an audience means for a record's scope, through the access policy.
    static func recipients(_ audience: Audience, scope: RecordScope, excluding actor: String?, on db: any Database) async throws -> [User] {
        let users = try await User.query(on: db).filter(\.$disabled == false).all().filter { $0.username != actor }
        func may(_ user: User, _ action: AccessAction) -> Bool { AccessPolicy.decide(user.principal, action, scope) == .allow }
        let officers = users.filter { $0.principal.role == .provinceOfficer && may($0, .editRecord) }
        let reviewers = users.filter { $0.principal.role == .regionReviewer && may($0, .ministryStep) }
        let ministry = users.filter { $0.principal.role == .ministryOfficer && may($0, .ministryStep) }
        switch audience {
        case .officers: return officers
        case .reviewers: return reviewers.isEmpty ? ministry : reviewers
        case .ministryAndReviewers: return ministry + reviewers
        }
    }

    static func addresses(of ids: [UUID], on db: any Database) async throws -> [UUID: String] {
        guard !ids.isEmpty else { return [:] }
        var result: [UUID: String] = [:]
        for contact in try await UserContact.query(on: db).filter(\.$id ~~ ids).all() {
            if let id = contact.id, let email = contact.email, !email.isEmpty { result[id] = email }
        }
        return result
    }

    // MARK: - The messages

    private struct Status: Decodable { let status: String? }
    private struct PlanAfter: Decodable { let plan: Status? }

    private static func message(action: String, recordType: String, recordID: String, unitID: UnitID, before: String?,
                                after: String?, on db: any Database) async throws -> (Audience, Message)? {
        let unit = AdminUnitCatalog.standard.unit(id: unitID)
        let unitName = unit?.name ?? unitID.rawValue
        let unitCode = unit?.code ?? UnitCode(unitID.rawValue)
        switch (recordType, action) {
        case ("project", "transition"):
            guard let to = decode(Status.self, after)?.status.flatMap(ProjectStatus.init(rawValue:)),
                  let project = try await Project.query(on: db).filter(\.$code == recordID).first() else { return nil }
            let name = "Đề án \"\(project.title)\" (mã \(recordID))"
            let link = Links.project(recordID)
            let reason = try await ProjectEvent.query(on: db).filter(\.$project.$id == project.requireID())
                .filter(\.$toStatus == to).sort(\.$recordedAt, .descending).first()?.note
            let by = "Đơn vị: \(unitName)."
            guard let kind = NotificationKind(project: to) else { return nil }
            switch to {
            case .submitted, .registered:
                guard project.source == .national else { return nil }
                let what = to == .submitted ? "đã được nộp" : "đã được đăng ký với Bộ Công Thương"
                return (.reviewers, Message(kind: kind, title: "\(name) \(what)",
                                            body: "\(name) \(what), chờ xem xét. \(by)", link: link))
            case .returned, .rejected:
                let what = to == .returned ? "bị trả lại để chỉnh sửa" : "không được phê duyệt"
                return (.officers, Message(kind: kind, title: "\(name) \(what)",
                                           body: "\(name) \(what). \(by)\nLý do: \(reason ?? "(không ghi)")", link: link))
            case .approved:
                let amount = project.supportApprovedVnd.map { " Kinh phí hỗ trợ được duyệt: \(VietnameseFormat.money($0))." } ?? ""
                return (.officers, Message(kind: kind, title: "\(name) đã được phê duyệt",
                                           body: "\(name) đã được phê duyệt.\(amount) \(by)", link: link))
            case .allocated:
                return (.officers, Message(kind: kind, title: "\(name) đã được phân bổ kinh phí",
                                           body: "\(name) đã được phân bổ kinh phí. \(by)", link: link))
            default:
                return nil
            }
        case ("period_report", "submit"), ("period_report", "return"), ("period_report", "approve"), ("period_report", "unlock"):
            let parts = recordID.split(separator: "/").map(String.init)
            guard parts.count == 3, let year = Int(parts[1]), let period = Period(rawValue: parts[2]) else { return nil }
            let report = try await PeriodReport.query(on: db).filter(\.$unitID == unitID).filter(\.$year == year)
                .filter(\.$period == period).first()
            let name = "Báo cáo \(period.vietnameseName(year: year).lowercasedFirst) của \(unitName) (mã đơn vị \(unitCode))"
            let link = Links.periodReport(unitID: unitID, year: year, period: period)
            switch action {
            case "submit":
                return (.reviewers, Message(kind: .periodReportSubmitted, title: "\(name) đã được nộp",
                                            body: "\(name) đã được nộp, chờ xem xét và phê duyệt.", link: link))
            case "return":
                return (.officers, Message(kind: .periodReportReturned, title: "\(name) bị trả lại để chỉnh sửa",
                                           body: "\(name) bị trả lại để chỉnh sửa.\nLý do: \(report?.returnReason ?? "(không ghi)")", link: link))
            case "approve":
                return (.officers, Message(kind: .periodReportApproved, title: "\(name) đã được phê duyệt",
                                           body: "\(name) đã được phê duyệt; số liệu của kỳ đã được khóa.", link: link))
            default:
                return (.officers, Message(kind: .periodReportUnlocked, title: "\(name) đã được mở khóa",
                                           body: "\(name) đã được mở khóa để điều chỉnh.\nLý do: \(report?.unlockReason ?? "(không ghi)")", link: link))
            }
        case ("plan", "submit"), ("plan", "return"), ("plan", "approve"):
            let parts = recordID.split(separator: "/").map(String.init)
            guard parts.count == 3, let year = Int(parts[1]), let source = FundingSource(rawValue: parts[2]) else { return nil }
            // Saving a line of an approved plan is also an "approve" (a revision); only a change of status is news.
            let was = decode(Status.self, before)?.status
            let now = decode(PlanAfter.self, after)?.plan?.status
            guard now != nil, was != now || action != "approve" else { return nil }
            let name = "Kế hoạch \(source.vietnameseName.lowercasedFirst) năm \(year) của \(unitName) (mã đơn vị \(unitCode))"
            let link = Links.plan(unitCode: unitCode, year: year)
            switch action {
            case "submit":
                guard source == .national else { return nil }
                return (.ministryAndReviewers, Message(kind: .planSubmitted, title: "\(name) đã được trình",
                                                       body: "\(name) đã được trình Bộ Công Thương, chờ phê duyệt.", link: link))
            case "return":
                let record = try await PlanStatusRecord.query(on: db).filter(\.$unitID == unitID).filter(\.$year == year)
                    .filter(\.$source == source).first()
                return (.officers, Message(kind: .planReturned, title: "\(name) bị trả lại để chỉnh sửa",
                                           body: "\(name) bị trả lại để chỉnh sửa.\nLý do: \(record?.returnReason ?? "(không ghi)")", link: link))
            default:
                return (.officers, Message(kind: .planApproved, title: "\(name) đã được phê duyệt",
                                           body: "\(name) đã được phê duyệt.", link: link))
            }
        default:
            return nil
        }
    }

    private static func decode<T: Decodable>(_ type: T.Type, _ json: String?) -> T? {
        json.flatMap { try? JSONDecoder().decode(T.self, from: Data($0.utf8)) }
    }
}
