import Fluent
import Foundation
import KhuyenCongCore

extension Project {
    func plannedOutputs(on db: any Database) async throws -> [String: Int64] {
        Dictionary(try await PlannedOutput.query(on: db).filter(\.$project.$id == requireID()).all().map { ($0.indicatorCode, $0.quantity) },
                   uniquingKeysWith: { a, _ in a })
    }

    /// Checks planned outputs: known indicators, whole non-negative quantities.
    static func validatePlannedOutputs(_ outputs: [String: Int64]) throws {
        for (indicator, quantity) in outputs {
            _ = try ReferenceData.indicator(code: indicator)
            _ = try Bounds.quantity(quantity, field: "plannedOutputs.\(indicator)")
        }
    }

    /// Replaces the planned outputs (zero quantities are dropped), inside the caller's transaction.
    func replacePlannedOutputs(_ outputs: [String: Int64], on db: any Database) async throws {
        try await PlannedOutput.query(on: db).filter(\.$project.$id == requireID()).delete()
        for (indicator, quantity) in outputs.sorted(by: { $0.key < $1.key }) where quantity > 0 {
            try await PlannedOutput(projectID: try requireID(), indicatorCode: indicator, quantity: quantity).create(on: db)
        }
    }
}
