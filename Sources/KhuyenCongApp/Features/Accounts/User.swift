import Fluent
import Foundation

/// A person who signs in, with a role and a scope (a unit, a region, or the country when both are empty).
final class User: Model, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "username") var username: String
    @Field(key: "display_name") var displayName: String
    @Field(key: "role") var role: String
    @OptionalField(key: "unit_id") var unitID: String?
    @OptionalField(key: "region_code") var regionCode: String?
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "disabled") var disabled: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(username: String, displayName: String, role: String, unitID: String?, regionCode: String?, passwordHash: String) {
        self.username = username
        self.displayName = displayName
        self.role = role
        self.unitID = unitID
        self.regionCode = regionCode
        self.passwordHash = passwordHash
        self.disabled = false
    }
}
