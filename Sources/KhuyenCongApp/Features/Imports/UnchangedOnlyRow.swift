import Fluent
import KhuyenCongCore

/// A row its user could not write, and what it says, to compare with what is stored.
struct UnchangedOnlyRow {
    enum Content {
        case planLine(unitID: UnitID, year: Int, source: FundingSource, category: String, approvedOn: String, amount: Money, decisionNo: String)
        case target(unitID: UnitID, year: Int, source: FundingSource, category: String, indicator: String, quantity: Int64)
        case dated(InterchangeTable, ImportRows.DatedKey)
    }
    let table: InterchangeTable
    let row: Int
    let column: String
    let error: DomainError
    let content: Content

    init(_ row: ImportRows.Cells, column: String, error: DomainError, content: Content) {
        table = row.table
        self.row = row.row
        self.column = column
        self.error = error
        self.content = content
    }
}

extension Importer {
    /// Refuses every such row that is not already stored as it is: an unchanged row is no write, so it passes (and
    /// counts as unchanged); a new or different one is a change its user may not make.
    func refuseChangesThatWereNotAllowed(on db: any Database) async throws {
        guard !unchangedOnly.isEmpty else { return }
        let years = Set(unchangedOnly.compactMap { row -> Int? in
            switch row.content {
            case .planLine(_, let year, _, _, _, _, _), .target(_, let year, _, _, _, _): year
            case .dated: nil
            }
        })
        var revisions = Set<String>(), targets = Set<String>()
        if !years.isEmpty {
            for line in try await PlanLine.query(on: db).filter(\.$year ~~ years).with(\.$revisions).all() {
                for revision in line.revisions {
                    revisions.insert("\(line.unitID)|\(line.year)|\(line.source)|\(line.categoryCode)|\(revision.approvedOn)|\(revision.amountVnd.dong)|\(revision.decisionNo)")
                }
            }
            for target in try await PlanTarget.query(on: db).filter(\.$year ~~ years).all() {
                targets.insert("\(target.unitID)|\(target.year)|\(target.source)|\(target.categoryCode)|\(target.indicatorCode)|\(target.quantity)")
            }
        }
        var dated: [InterchangeTable: Set<ImportRows.DatedKey>] = [:]
        for table in [InterchangeTable.disbursements, .outputs] {
            let projects = Set(unchangedOnly.compactMap { row -> Int32? in
                if case .dated(let t, let key) = row.content, t == table { return key.project } else { return nil }
            })
            if !projects.isEmpty { dated[table] = try await existingDatedKeys(table, projects: projects, on: db) }
        }
        for locked in unchangedOnly {
            let stored: Bool
            switch locked.content {
            case let .planLine(unitID, year, source, category, approvedOn, amount, decisionNo):
                stored = revisions.contains("\(unitID)|\(year)|\(source)|\(category)|\(approvedOn)|\(amount.dong)|\(decisionNo)")
            case let .target(unitID, year, source, category, indicator, quantity):
                stored = targets.contains("\(unitID)|\(year)|\(source)|\(category)|\(indicator)|\(quantity)")
            case let .dated(table, key):
                stored = dated[table]?.contains(key) ?? false
            }
            if !stored { record([ImportIssue(table: locked.table.rawValue, row: locked.row, column: locked.column, message: locked.error)]) }
        }
    }
}
