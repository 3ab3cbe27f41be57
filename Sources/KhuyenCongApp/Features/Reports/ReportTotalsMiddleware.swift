import Fluent
import Foundation
import KhuyenCongCore

/// A disbursement or an output: a dated figure of one project.
protocol DatedRecord: Model {
    var projectID: UUID { get }
    var datedOn: String { get }
    var measure: String { get }
    var figure: Int64 { get }
    var basisText: String { get }
}

extension Disbursement: DatedRecord {
    var projectID: UUID { $project.id }
    var datedOn: String { onDate }
    var measure: String { ReportTotals.money }
    var figure: Int64 { amountVnd }
    var basisText: String { basis }
}

extension OutputRecord: DatedRecord {
    var projectID: UUID { $project.id }
    var datedOn: String { onDate }
    var measure: String { indicatorCode }
    var figure: Int64 { quantity }
    var basisText: String { basis }
}

/// Keeps `ReportTotals` in step with every dated row written through Fluent, on the same database handle
/// (so inside the caller's transaction). Rows written in bulk by SQL (imports, seeds) apply `ReportTotals`
/// themselves.
struct ReportTotalsMiddleware<Record: DatedRecord>: AsyncModelMiddleware {
    typealias Model = Record

    func create(model: Record, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.create(model, on: db)
        try await apply([(model, false)], on: db)
    }

    func update(model: Record, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        let stored = try await Record.find(model.id, on: db)
        try await next.update(model, on: db)
        try await apply((stored.map { [($0, true)] } ?? []) + [(model, false)], on: db)
    }

    func delete(model: Record, force: Bool, on db: any Database, next: any AnyAsyncModelResponder) async throws {
        try await next.delete(model, force: force, on: db)
        try await apply([(model, true)], on: db)
    }

    private func apply(_ rows: [(Record, removing: Bool)], on db: any Database) async throws {
        guard let project = try await Project.find(rows[0].0.projectID, on: db) else { return }
        let attribution = try ReportTotals.Attribution(project)
        var changes = ReportTotals.Changes()
        for (row, removing) in rows {
            try changes.add(attribution, date: try CalendarDate(parsing: row.datedOn), measure: row.measure, value: row.figure,
                            basis: try Basis(parsing: row.basisText), removing: removing)
        }
        try await changes.apply(on: db)
    }
}
