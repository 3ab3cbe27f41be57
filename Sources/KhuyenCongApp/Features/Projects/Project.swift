import Fluent
import Foundation
import KhuyenCongCore

/// A khuyến công project (đề án) of one unit, plan year, source and category.
final class Project: Model, @unchecked Sendable {
    static let schema = "projects"

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "title") var title: String

    // Where it belongs
    @Field(key: "unit_id") var unitID: UnitID
    @Field(key: "year") var year: Int
    @Field(key: "source") var source: FundingSource
    @Field(key: "category_code") var categoryCode: String
    @Field(key: "implementing_unit") var implementingUnit: String
    /// The kind of support (M0039); nil on projects from before it: read as the category's default (`supportKindCode`).
    @OptionalField(key: "support_kind") var supportKind: String?

    // Money, whole đồng
    @Field(key: "support_requested_vnd") var supportRequestedVnd: Money
    @OptionalField(key: "support_approved_vnd") var supportApprovedVnd: Money?
    @Field(key: "counterpart_vnd") var counterpartVnd: Money

    // Lifecycle
    @Field(key: "status") var status: ProjectStatus
    @OptionalField(key: "submitted_on") var submittedOn: String?
    @OptionalField(key: "approved_on") var approvedOn: String?
    @OptionalField(key: "allocated_on") var allocatedOn: String?
    /// The final amount of the settlement (quyết toán).
    @OptionalField(key: "settled_vnd") var settledVnd: Money?
    /// The project this one was moved from (another plan year or funding source), whose history it carries.
    @OptionalField(key: "moved_from_code") var movedFromCode: String?
    /// Optimistic concurrency: every edit names the version it was based on.
    @Field(key: "version") var version: Int

    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(code: String, title: String, unitID: UnitID, year: Int, source: FundingSource, categoryCode: String,
         implementingUnit: String, supportRequestedVnd: Money, supportApprovedVnd: Money?, counterpartVnd: Money,
         status: ProjectStatus, submittedOn: String?, approvedOn: String?, allocatedOn: String?) {
        self.code = code
        self.title = title
        self.unitID = unitID
        self.year = year
        self.source = source
        self.categoryCode = categoryCode
        self.implementingUnit = implementingUnit
        self.supportRequestedVnd = supportRequestedVnd
        self.supportApprovedVnd = supportApprovedVnd
        self.counterpartVnd = counterpartVnd
        self.status = status
        self.submittedOn = submittedOn
        self.approvedOn = approvedOn
        self.allocatedOn = allocatedOn
        self.version = 1
    }

    /// The kind of support the caps and advances follow: the chosen one, else the category's default.
    var supportKindCode: String { supportKind ?? RuleBook.defaultKind(category: categoryCode) }
}
