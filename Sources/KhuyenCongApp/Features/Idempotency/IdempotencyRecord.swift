import Fluent
import Foundation

/// A write sent with an `Idempotency-Key`: reserved when it starts (no status yet), then the answer it got.
final class IdempotencyRecord: Model, @unchecked Sendable {
    static let schema = "idempotency_keys"

    @ID(key: .id) var id: UUID?
    @Field(key: "user_id") var userID: UUID
    @Field(key: "key") var key: String
    /// Method, path and a digest of the body: a key sent again with another request is refused.
    @Field(key: "fingerprint") var fingerprint: String
    @OptionalField(key: "status") var status: Int?
    @OptionalField(key: "content_type") var contentType: String?
    @OptionalField(key: "body") var body: Data?
    @Field(key: "created_at") var createdAt: Date

    init() {}

    init(userID: UUID, key: String, fingerprint: String, createdAt: Date) {
        self.userID = userID
        self.key = key
        self.fingerprint = fingerprint
        self.createdAt = createdAt
    }
}
