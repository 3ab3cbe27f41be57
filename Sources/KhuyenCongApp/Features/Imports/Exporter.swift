import Fluent
import Foundation
import KhuyenCongCore

/// The interchange tables out of the database, for a scope and optionally one plan year, so that exporting and
/// importing into an empty database reproduces the same reports: every plan revision is a row of its own.
enum Exporter {
    struct Filter: Sendable {
        var region: Region?
        /// Today's unit code: the unit and its predecessors.
        var unitCode: UnitCode?
        var year: Int?

        func includes(_ unitID: UnitID) -> Bool {
            let catalog = AdminUnitCatalog.inForce   // a signed-in request's regions in force (region_memberships)
            guard let unit = catalog.unit(id: unitID) else { return false }
            // A region's records: those of its members as they were, and the history restated onto its units of today.
            if let region, !catalog.regions(of: unit).contains(region) { return false }
            if let unitCode, catalog.restated(unit).code != unitCode { return false }
            return true
        }
    }

    /// One table. With `labels` (the XLSX export), a column of Vietnamese names follows each code column ("Tên nguồn"
    /// after `source`), in grey italics; the importer skips those columns (`InterchangeTable.labelHeaders`), so the
    /// workbook still imports. The CSV export keeps the documented columns only.
    static func sheet(_ table: InterchangeTable, _ filter: Filter, labels: Bool = false, on db: any Database) async throws -> Spreadsheet {
        let code = { (unitID: UnitID) in AdminUnitCatalog.standard.unit(id: unitID)?.code.rawValue ?? unitID.rawValue }
        let guide = table.guide
        var columns: [(String, Double)] = []
        for column in guide {
            columns.append((column.name, width(for: column.name)))
            if labels, let label = column.label { columns.append((label, column.name == "project_code" ? 40 : 28)) }
        }
        var sheet = Spreadsheet(name: table.rawValue, columns: columns)
        /// The row with its label cells (the unit's name as it was, the project's title, the codes' names).
        func append(_ cells: [Spreadsheet.Cell], unitID: UnitID? = nil, title: String? = nil) {
            guard labels else { return sheet.rows.append(cells) }
            var row: [Spreadsheet.Cell] = []
            for (column, cell) in zip(guide, cells) {
                row.append(cell)
                guard column.label != nil else { continue }
                let text: String
                switch (column.name, cell) {
                case ("unit_code", _): text = unitID.flatMap { AdminUnitCatalog.standard.unit(id: $0)?.name } ?? ""
                case ("project_code", _): text = title ?? ""
                case (_, .text(let value)): text = InterchangeTable.label(column.name, code: value)
                default: text = ""
                }
                row.append(text.isEmpty ? .empty : .label(text))
            }
            sheet.rows.append(row)
        }
        switch table {
        case .planLines:
            var query = PlanLine.query(on: db).with(\.$revisions)
            if let year = filter.year { query = query.filter(\.$year == year) }
            for line in try await query.sort(\.$year).sort(\.$unitID).sort(\.$source).sort(\.$categoryCode).all() where filter.includes(line.unitID) {
                for revision in line.revisions.sorted(by: { ($0.approvedOn, $0.decisionNo, $0.amountVnd) < ($1.approvedOn, $1.decisionNo, $1.amountVnd) }) {
                    append([.text(code(line.unitID)), .plain(Int64(line.year)), .text(line.source.rawValue), .text(line.categoryCode),
                            .money(revision.amountVnd), date(revision.approvedOn), .text(revision.decisionNo)], unitID: line.unitID)
                }
            }
        case .planTargets:
            var query = PlanTarget.query(on: db)
            if let year = filter.year { query = query.filter(\.$year == year) }
            for target in try await query.sort(\.$year).sort(\.$unitID).sort(\.$source).sort(\.$categoryCode).sort(\.$indicatorCode).all()
                where filter.includes(target.unitID) {
                append([.text(code(target.unitID)), .plain(Int64(target.year)), .text(target.source.rawValue), .text(target.categoryCode),
                        .text(target.indicatorCode), .integer(target.quantity)], unitID: target.unitID)
            }
        case .projects:
            let projects = try await projects(filter, on: db)
            var firstBeneficiary: [UUID: (String, String, String?, BeneficiaryMarks)] = [:]
            for chunk in projects.compactMap(\.id).chunked(500) {
                for link in try await ProjectBeneficiary.query(on: db).filter(\.$project.$id ~~ chunk).sort(\.$id).with(\.$beneficiary).all()
                    where firstBeneficiary[link.$project.id] == nil {
                    firstBeneficiary[link.$project.id] = (link.beneficiary.taxCode, link.beneficiary.name, link.supportKind, link.beneficiary.marks)
                }
            }
            for project in projects {
                let beneficiary = firstBeneficiary[project.id!]
                append([.text(project.code), .text(project.title), .text(code(project.unitID)), .plain(Int64(project.year)),
                                   .text(project.source.rawValue), .text(project.categoryCode), .text(project.implementingUnit),
                                   beneficiary.map { .text($0.0) } ?? .empty, beneficiary.map { .text($0.1) } ?? .empty,
                                   .money(project.supportApprovedVnd ?? project.supportRequestedVnd), .money(project.counterpartVnd),
                                   .text(project.status.rawValue), date(project.submittedOn), date(project.approvedOn), date(project.allocatedOn),
                                   project.supportKind.map { .text($0) } ?? .empty, beneficiary?.2.map { .text($0) } ?? .empty,
                                   beneficiary.map { $0.3.text.isEmpty ? .empty : .text($0.3.text) } ?? .empty], unitID: project.unitID)
            }
        case .disbursements, .outputs:
            let projects = try await projects(filter, on: db)
            let codes = Dictionary(projects.map { ($0.id!, $0.code) }, uniquingKeysWith: { a, _ in a })
            let titles = Dictionary(projects.map { ($0.id!, $0.title) }, uniquingKeysWith: { a, _ in a })
            // Project by project (in code order), then by date: the same data always gives the same file.
            for chunk in projects.compactMap(\.id).chunked(500) {
                if table == .disbursements {
                    let rows = try await Disbursement.query(on: db).filter(\.$project.$id ~~ chunk).all().sorted {
                        (codes[$0.$project.id]!, $0.onDate, $0.basis.rawValue, $0.amountVnd) < (codes[$1.$project.id]!, $1.onDate, $1.basis.rawValue, $1.amountVnd)
                    }
                    for row in rows {
                        append([.text(codes[row.$project.id]!), date(row.onDate), .money(row.amountVnd), .text(row.basis.rawValue)], title: titles[row.$project.id])
                    }
                } else {
                    let rows = try await OutputRecord.query(on: db).filter(\.$project.$id ~~ chunk).all().sorted {
                        (codes[$0.$project.id]!, $0.onDate, $0.indicatorCode, $0.basis.rawValue, $0.quantity) < (codes[$1.$project.id]!, $1.onDate, $1.indicatorCode, $1.basis.rawValue, $1.quantity)
                    }
                    for row in rows {
                        append([.text(codes[row.$project.id]!), date(row.onDate), .text(row.indicatorCode), .integer(row.quantity), .text(row.basis.rawValue)],
                               title: titles[row.$project.id])
                    }
                }
            }
        }
        return sheet
    }

    private static func projects(_ filter: Filter, on db: any Database) async throws -> [Project] {
        var query = Project.query(on: db)
        if let year = filter.year { query = query.filter(\.$year == year) }
        return try await query.sort(\.$code).all().filter { filter.includes($0.unitID) }
    }

    private static func date(_ text: String?) -> Spreadsheet.Cell {
        guard let text, let date = try? CalendarDate(parsing: text) else { return .empty }
        return .date(date)
    }

    private static func width(for column: String) -> Double {
        switch column {
        case "title": 60
        case "implementing_unit", "beneficiary_name", "beneficiary_priority_marks": 36
        case "code", "project_code", "decision_no", "beneficiary_tax_code": 20
        case "amount_vnd", "support_vnd", "counterpart_vnd": 18
        case "approved_on", "submitted_on", "allocated_on", "date": 12
        default: 12
        }
    }
}
