import Fluent
import KhuyenCongCore

/// A province-level unit with its validity, as stored. Identified by "code@validFrom" (see `AdminUnit.id`).
final class AdminUnitRecord: Model, @unchecked Sendable {
    static let schema = "admin_units"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "code") var code: UnitCode
    @Field(key: "name") var name: String
    @Field(key: "region_code") var regionCode: Region
    @Field(key: "valid_from") var validFrom: String
    @OptionalField(key: "valid_until") var validUntil: String?
    /// Today's unit (by code) this one is restated onto.
    @Field(key: "successor_code") var successorCode: UnitCode

    init() {}

    init(_ unit: AdminUnit) {
        id = unit.id.rawValue
        code = unit.code
        name = unit.name
        regionCode = unit.region
        validFrom = unit.validFrom.description
        validUntil = unit.validUntil?.description
        successorCode = unit.successorCode
    }
}

final class RegionRecord: Model, @unchecked Sendable {
    static let schema = "regions"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "name_vi") var vietnameseName: String
    @Field(key: "name_en") var englishName: String

    init() {}

    init(_ region: Region) {
        id = region.rawValue
        vietnameseName = region.vietnameseName
        englishName = region.englishName
    }
}
