import Fluent
import KhuyenCongCore

/// The summary from approved period reports only: each unit's figures as its reviewer approved them, added up
/// (units without an approved report count as nothing), and made into a summary as the latest figures are
/// (`ReportSummary.make`). The default is the latest figures, with the share of approved units beside them.
enum ApprovedFigures {
    /// The scope's units and their reports of the period, with the last approved figures (approved, or unlocked
    /// and awaiting re-approval).
    static func reports(_ scope: ReportScope, catalog: AdminUnitCatalog, snapshots: Bool,
                        on db: any Database) async throws -> (units: [AdminUnit], reports: [FiledReport]) {
        let units = try scope.scopeUnits(catalog: catalog)
        guard Period.filedReports.contains(scope.period) else { return (units, []) }
        return (units, try await FiledReport.load(year: scope.year, periods: [scope.period], units: units.map(\.id),
                                                  snapshots: snapshots, on: db))
    }

    static func approval(_ scope: ReportScope, catalog: AdminUnitCatalog, on db: any Database) async throws -> ReportSummary.Approval? {
        guard Period.filedReports.contains(scope.period) else { return nil }
        let (units, reports) = try await reports(scope, catalog: catalog, snapshots: false, on: db)
        let approved = reports.filter { $0.status == .approved }.count
        return .init(figures: scope.approvedOnly ? .approved : .latest, approvedUnits: approved, units: units.count,
                     sharePct: Ratio(Int64(approved), over: Int64(units.count))?.percent)
    }

    /// The approved snapshots' totals added up. As before the snapshots were added this way, the scope's source
    /// and categories choose rows of the tables only: each snapshot is its unit's whole figures.
    static func summary(_ scope: ReportScope, catalog: AdminUnitCatalog, on db: any Database) async throws -> ReportSummary {
        let snapshots = try await reports(scope, catalog: catalog, snapshots: true, on: db).reports.compactMap(\.approved)
        let totals = try snapshots.map(\.totals).reduce(ReportSummary.Totals(), +)
        return try ReportSummary.make(scope, totals: totals, catalog: catalog)
    }
}
