import Fluent
import KhuyenCongCore

/// A content category with its validity (reference data; Decree 235/2025 added two).
final class CategoryRecord: Model, @unchecked Sendable {
    static let schema = "categories"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "name_vi") var vietnameseName: String
    @Field(key: "name_en") var englishName: String
    @Field(key: "valid_from") var validFrom: String
    @OptionalField(key: "valid_until") var validUntil: String?

    init() {}

    init(_ category: ContentCategory) {
        id = category.code
        vietnameseName = category.vietnameseName
        englishName = category.englishName
        validFrom = category.validFrom.description
        validUntil = category.validUntil?.description
    }
}

/// An output indicator (reference data, extensible).
final class IndicatorRecord: Model, @unchecked Sendable {
    static let schema = "indicators"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "name_vi") var vietnameseName: String
    @Field(key: "name_en") var englishName: String
    @Field(key: "unit_label") var unitLabel: String
    @Field(key: "valid_from") var validFrom: String
    @OptionalField(key: "valid_until") var validUntil: String?

    init() {}

    init(_ indicator: OutputIndicator) {
        id = indicator.code
        vietnameseName = indicator.vietnameseName
        englishName = indicator.englishName
        unitLabel = indicator.unitLabel
        validFrom = indicator.validFrom.description
        validUntil = indicator.validUntil?.description
    }
}
