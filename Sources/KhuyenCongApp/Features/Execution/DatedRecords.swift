import Fluent
import Foundation
import KhuyenCongCore

/// A disbursement or an output: a dated figure of one project.
protocol DatedRecord: Model {
    var projectID: UUID { get }
    var datedOn: String { get }
    var measure: String { get }
    /// Whole đồng (`Money.dong`) or a quantity, as `measure` says: the summary tables sum both alike.
    var figure: Int64 { get }
    var basisValue: Basis { get }
}

extension Disbursement: DatedRecord {
    var projectID: UUID { $project.id }
    var datedOn: String { onDate }
    var measure: String { ReportTotals.money }
    var figure: Int64 { amountVnd.dong }
    var basisValue: Basis { basis }
}

extension OutputRecord: DatedRecord {
    var projectID: UUID { $project.id }
    var datedOn: String { onDate }
    var measure: String { indicatorCode }
    var figure: Int64 { quantity }
    var basisValue: Basis { basis }
}

/// Writing one dated row together with the summary tables (`ReportTotals`), on the handle it is given: the guarded
/// write's transaction. Explicit calls, not a model hook, so that what a write does is read where it is written;
/// rows written in bulk (imports, seeds) apply `ReportTotals` themselves.
enum DatedRecords {
    static func insert<Record: DatedRecord>(_ row: Record, of project: Project, on db: any Database) async throws {
        try await row.create(on: db)
        try await apply([(row, false)], of: project, on: db)
    }

    /// Saves a changed row; `stored` is the row as it was before the change.
    static func update<Record: DatedRecord>(_ row: Record, was stored: Record, of project: Project, on db: any Database) async throws {
        try await row.save(on: db)
        try await apply([(stored, true), (row, false)], of: project, on: db)
    }

    static func delete<Record: DatedRecord>(_ row: Record, of project: Project, on db: any Database) async throws {
        try await row.delete(on: db)
        try await apply([(row, true)], of: project, on: db)
    }

    private static func apply<Record: DatedRecord>(_ rows: [(Record, removing: Bool)], of project: Project, on db: any Database) async throws {
        let attribution = try ReportTotals.Attribution(project)
        guard rows.allSatisfy({ $0.0.projectID == attribution.project }) else {
            throw DomainError(.conflict, vi: "Dòng số liệu không thuộc đề án này", en: "the dated row does not belong to this project")
        }
        var changes = ReportTotals.Changes()
        for (row, removing) in rows {
            try changes.add(attribution, date: try CalendarDate(parsing: row.datedOn), measure: row.measure, value: row.figure,
                            basis: row.basisValue, removing: removing)
        }
        try await changes.apply(on: db)
    }
}
