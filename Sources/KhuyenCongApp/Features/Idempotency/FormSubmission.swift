import Fluent
import Foundation
import KhuyenCongCore

/// A page form that was sent: each rendered form carries a one-time part in its CSRF token, and the first request
/// that uses it claims it here (a unique row), so a form sent twice (a double click, a retry on a weak connection)
/// writes once. A request that fails gives its claim back, so the same form can be corrected and sent again.
final class FormSubmission: Model, @unchecked Sendable {
    static let schema = "form_submissions"
    /// Longer than a session lives (12 hours): an older form cannot be sent anyway.
    static let lifetime: TimeInterval = 24 * 60 * 60

    @ID(key: .id) var id: UUID?
    @Field(key: "nonce") var nonce: String
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(nonce: String, createdAt: Date) {
        self.nonce = nonce
        self.createdAt = createdAt
    }

    static let alreadySent = DomainError(.conflict,
        vi: "Biểu mẫu này đã được gửi và ghi nhận; hãy tải lại trang để xem kết quả trước khi gửi lại",
        en: "this form was already sent and recorded; reload the page to see the result before sending again")

    /// Claims `nonce` once; a second claim throws `alreadySent`.
    static func claim(_ nonce: String, on db: any Database) async throws -> FormSubmission {
        let now = Date()
        let submission = FormSubmission(nonce: nonce, createdAt: now)
        do {
            try await submission.create(on: db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw alreadySent
        }
        try? await FormSubmission.query(on: db).filter(\.$createdAt < now.addingTimeInterval(-lifetime)).delete()
        return submission
    }
}
