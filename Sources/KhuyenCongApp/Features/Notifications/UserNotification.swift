import Fluent
import Foundation
import KhuyenCongCore
import Vapor

/// One notification for one user (`notifications`, M0044): what happened, where to look, read or not, and its mail.
final class UserNotification: Model, @unchecked Sendable {
    static let schema = "notifications"

    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "kind") var kind: NotificationKind
    @Field(key: "title") var title: String
    @Field(key: "body") var body: String
    @OptionalField(key: "link") var link: String?
    @OptionalField(key: "record_type") var recordType: String?
    @OptionalField(key: "record_id") var recordID: String?
    @OptionalField(key: "actor") var actor: String?
    @OptionalField(key: "dedup_key") var dedupKey: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Field(key: "created_epoch") var createdEpoch: Int64
    @OptionalField(key: "read_at") var readAt: Date?
    @OptionalField(key: "mail_to") var mailTo: String?
    @OptionalField(key: "mailed_at") var mailedAt: Date?
    @Field(key: "mail_attempts") var mailAttempts: Int
    @OptionalField(key: "mail_error") var mailError: String?
    @OptionalField(key: "mail_claimed_epoch") var mailClaimedEpoch: Int64?

    init() {}

    init(userID: UUID, kind: NotificationKind, title: String, body: String, link: String?, recordType: String?, recordID: String?,
         actor: String?, mailTo: String?, dedupKey: String? = nil, now: Date = Date()) {
        self.userID = userID
        self.kind = kind
        self.title = title
        self.body = body
        self.link = link
        self.recordType = recordType
        self.recordID = recordID
        self.actor = actor
        self.mailTo = mailTo
        self.dedupKey = dedupKey
        self.createdEpoch = Int64(now.timeIntervalSince1970)
        self.mailAttempts = 0
    }

    static func unreadCount(userID: UUID, on db: any Database) async throws -> Int {
        try await UserNotification.query(on: db).filter(\.$userID == userID).filter(\.$readAt == nil).count()
    }

    static func latest(userID: UUID, limit: Int, unreadOnly: Bool = false, on db: any Database) async throws -> [UserNotification] {
        var query = UserNotification.query(on: db).filter(\.$userID == userID)
        if unreadOnly { query = query.filter(\.$readAt == nil) }
        return try await query.sort(\.$createdEpoch, .descending).sort(\.$id).limit(limit).all()
    }
}

/// A user's e-mail address (`users.email`, M0044), read and set apart from the account model.
final class UserContact: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "username") var username: String
    @OptionalField(key: "email") var email: String?

    init() {}

    /// A plain address, checked enough to be sent to: one @, no spaces or angle brackets, at most 254 characters.
    static func validated(_ text: String) throws -> String {
        let address = text.trimmingCharacters(in: .whitespaces)
        let pattern = #"^[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*$"#
        guard address.count <= 254, address.range(of: pattern, options: .regularExpression) != nil else {
            throw DomainError.invalid(vi: "email: địa chỉ thư điện tử \"\(text)\" không hợp lệ", en: "email: \"\(text)\" is not a usable e-mail address")
        }
        return address
    }

    /// Sets (or clears) a user's address, audited.
    static func setEmail(_ email: String?, username: String, actor: String, on db: any Database) async throws {
        let address = try email.flatMap { $0.isEmpty ? nil : try validated($0) }
        try await db.transaction { db in
            guard let contact = try await UserContact.query(on: db).filter(\.$username == username).first() else {
                throw DomainError(.notFound, vi: "Không có người dùng \"\(username)\"", en: "no user \"\(username)\"")
            }
            let before = contact.email
            contact.email = address
            try await contact.save(on: db)
            try await AuditTrail.record(actor: actor, action: "set_email", recordType: "user", recordID: username, unitID: nil,
                                        before: ["email": before], after: ["email": address], on: db)
        }
    }
}
