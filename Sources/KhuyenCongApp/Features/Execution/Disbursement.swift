import Fluent
import Foundation
import KhuyenCongCore

/// Money paid to a project on a date: an advance, a payment or the settlement; actual or estimated.
final class Disbursement: Model, @unchecked Sendable {
    static let schema = "disbursements"

    @ID(key: .id) var id: UUID?
    @Parent(key: "project_id") var project: Project
    @Field(key: "on_date") var onDate: String
    @Field(key: "amount_vnd") var amountVnd: Money
    @Field(key: "basis") var basis: Basis
    @Field(key: "kind") var kind: DisbursementKind

    init() {}

    init(projectID: UUID, onDate: String, amountVnd: Money, basis: Basis, kind: DisbursementKind) {
        self.$project.id = projectID
        self.onDate = onDate
        self.amountVnd = amountVnd
        self.basis = basis
        self.kind = kind
    }
}

/// A quantity of an output indicator achieved by a project on a date; actual or estimated.
final class OutputRecord: Model, @unchecked Sendable {
    static let schema = "outputs"

    @ID(key: .id) var id: UUID?
    @Parent(key: "project_id") var project: Project
    @Field(key: "on_date") var onDate: String
    @Field(key: "indicator_code") var indicatorCode: String
    @Field(key: "quantity") var quantity: Int64
    @Field(key: "basis") var basis: Basis

    init() {}

    init(projectID: UUID, onDate: String, indicatorCode: String, quantity: Int64, basis: Basis) {
        self.$project.id = projectID
        self.onDate = onDate
        self.indicatorCode = indicatorCode
        self.quantity = quantity
        self.basis = basis
    }
}
