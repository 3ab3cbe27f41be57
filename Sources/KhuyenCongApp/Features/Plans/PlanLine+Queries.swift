import Fluent
import KhuyenCongCore

extension PlanLine {
    /// A unit's plan lines with every revision, newest plan year first.
    static func lines(of unitID: UnitID, on db: any Database) async throws -> [PlanLine] {
        try await PlanLine.query(on: db)
            .filter(\.$unitID == unitID)
            .with(\.$revisions)
            .sort(\.$year, .descending).sort(\.$source).sort(\.$categoryCode)
            .all()
    }

    /// The revision in force on a date: the latest approved on or before it.
    func revision(asOf date: String) -> PlanLineRevision? {
        revisions.filter { $0.approvedOn <= date }
            .max { ($0.approvedOn, $0.recordedAt ?? .distantPast) < ($1.approvedOn, $1.recordedAt ?? .distantPast) }
    }
}
