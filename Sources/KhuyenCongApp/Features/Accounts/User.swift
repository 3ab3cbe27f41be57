import Fluent
import Foundation
import KhuyenCongCore
import Vapor

/// A person who signs in, with a role and a scope: a unit (today's unit id), a region, or the country when
/// both are empty. An appraiser has both: the unit that employs them and the region of their council.
final class User: Model, Authenticatable, @unchecked Sendable {
    static let schema = "users"

    @ID(key: .id) var id: UUID?
    @Field(key: "username") var username: String
    @Field(key: "display_name") var displayName: String
    /// A stored role outside `Role` is an error when the row is read (sign-in and every request refuse it, logged),
    /// never a viewer.
    @Field(key: "role") var role: Role
    @OptionalField(key: "unit_id") var unitID: UnitID?
    /// A region reviewer's or an appraiser's region; a stored value outside `Region` is an error when the row is read.
    @OptionalField(key: "region_code") var regionCode: Region?
    /// For an appraiser: the establishment they are tied to (its tax code); they never appraise its projects.
    @OptionalField(key: "affiliation_tax_code") var affiliationTaxCode: String?
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "disabled") var disabled: Bool
    // Slow-down after repeated failures
    @Field(key: "failed_logins") var failedLogins: Int
    @OptionalField(key: "locked_until") var lockedUntil: Date?
    /// The language the pages speak to this user (`Language` raw value); nil: as the browser asks, else Vietnamese.
    @OptionalField(key: "language") var language: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(username: String, displayName: String, role: Role, unitID: UnitID?, regionCode: Region?, passwordHash: String) {
        self.username = username
        self.displayName = displayName
        self.role = role
        self.unitID = unitID
        self.regionCode = regionCode
        self.passwordHash = passwordHash
        self.disabled = false
        self.failedLogins = 0
    }

    /// The role and scope that access decisions are made on.
    var principal: Principal {
        let unit = unitID.flatMap { AdminUnitCatalog.standard.unit(id: $0) }
        // A province officer's region is their unit's, by rule; everyone else's is the stored one (nil: none).
        return Principal(username: username, role: role, unitCode: unit?.code,
                         region: role == .provinceOfficer ? unit?.region : regionCode)
    }

    /// What the audit trail keeps of a user: never the password hash.
    struct Snapshot: Codable {
        let username: String
        let displayName: String
        let role: Role
        let unitID: UnitID?
        let regionCode: Region?
        let disabled: Bool
    }

    var snapshot: Snapshot {
        Snapshot(username: username, displayName: displayName, role: role, unitID: unitID, regionCode: regionCode, disabled: disabled)
    }
}
