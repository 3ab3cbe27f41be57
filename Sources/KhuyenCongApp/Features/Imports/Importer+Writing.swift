import Fluent
import Foundation
import KhuyenCongCore
import SQLKit
import SQLiteNIO

/// The second pass of an import: writing the checked rows, counting what was created, updated or unchanged.
extension Importer {
    func count(_ table: InterchangeTable, _ change: WritableKeyPath<ImportReport.TableCount, Int>) {
        if let index = report.tables.firstIndex(where: { $0.table == table.rawValue }) { report.tables[index][keyPath: change] += 1 }
    }

    func writePlan(on db: any Database) async throws {
        let years = Set(rows.plan.map(\.year) + rows.targets.map(\.year))
        guard !years.isEmpty else { return }
        var lines: [String: PlanLine] = [:]
        for line in try await PlanLine.query(on: db).filter(\.$year ~~ years).with(\.$revisions).all() {
            lines["\(line.unitID)|\(line.year)|\(line.source)|\(line.categoryCode)"] = line
        }
        for row in rows.plan {
            let key = "\(row.unit.id)|\(row.year)|\(row.source)|\(row.category)"
            let line: PlanLine
            if let existing = lines[key] { line = existing } else {
                line = PlanLine(id: UUID(), unitID: row.unit.id, year: row.year, source: row.source, categoryCode: row.category)
                try await line.create(on: db)
                line.$revisions.value = []
                lines[key] = line
            }
            if line.revisions.contains(where: { $0.approvedOn == row.approvedOn && $0.amountVnd == row.amount && $0.decisionNo == row.decisionNo }) {
                count(.planLines, \.unchanged)
            } else {
                let revision = PlanLineRevision(planLineID: line.id!, amountVnd: row.amount, approvedOn: row.approvedOn, decisionNo: row.decisionNo)
                try await revision.create(on: db)
                line.$revisions.value = line.revisions + [revision]
                count(.planLines, \.created)
            }
        }
        var targets: [String: PlanTarget] = [:]
        for target in try await PlanTarget.query(on: db).filter(\.$year ~~ years).all() {
            targets["\(target.unitID)|\(target.year)|\(target.source)|\(target.categoryCode)|\(target.indicatorCode)"] = target
        }
        for row in rows.targets {
            let key = "\(row.unit.id)|\(row.year)|\(row.source)|\(row.category)|\(row.indicator)"
            if let existing = targets[key] {
                if existing.quantity == row.quantity { count(.planTargets, \.unchanged); continue }
                let before = ["quantity": existing.quantity]
                existing.quantity = row.quantity
                try await existing.save(on: db)
                try await AuditTrail.record(actor: actor, action: "import_update", recordType: "plan_target", recordID: key, unitID: row.unit.id,
                                            before: before, after: ["quantity": row.quantity], on: db)
                count(.planTargets, \.updated)
            } else {
                try await PlanTarget(unitID: row.unit.id, year: row.year, source: row.source, categoryCode: row.category,
                                     indicatorCode: row.indicator, quantity: row.quantity).create(on: db)
                count(.planTargets, \.created)
            }
        }
    }

    func writeProjects(on db: any Database) async throws {
        guard !rows.projects.isEmpty else { return }
        var stored: [String: Project] = [:]
        for chunk in rows.projects.map(\.code).chunked(500) {
            for project in try await Project.query(on: db).filter(\.$code ~~ chunk).all() { stored[project.code] = project }
        }
        var refused: [ImportIssue] = []
        var searchTextChanged: [UUID] = []
        let kindLinks = try await Self.beneficiaryLinks(rows.projects, stored: stored, on: db)
        for row in rows.projects {
            // `support_vnd` means what the export writes: the approved support once a project is approved, the
            // requested support before.
            let committed = ProjectRules.committedStatuses.contains(row.status)
            let approvedSupport = committed ? row.support : nil
            if let project = stored[row.code] {
                let before = project.snapshot
                project.title = row.title
                project.implementingUnit = row.implementingUnit
                if committed { project.supportApprovedVnd = row.support } else { project.supportRequestedVnd = row.support }
                project.counterpartVnd = row.counterpart
                project.status = row.status
                project.submittedOn = row.submittedOn ?? (principal == nil ? nil : before.submittedOn)
                project.approvedOn = row.approvedOn ?? (principal == nil ? nil : before.approvedOn)
                project.allocatedOn = row.allocatedOn ?? (principal == nil ? nil : before.allocatedOn)
                let kindChanged = row.supportKind != nil && row.supportKind != project.supportKind
                if kindChanged { project.supportKind = row.supportKind }
                // A known beneficiary's kind of support, when the row gives another one.
                let link = row.beneficiaryTaxCode.flatMap { kindLinks["\(project.id?.uuidString ?? "")|\($0)"] }
                    .flatMap { $0.supportKind == row.beneficiarySupportKind ? nil : $0 }
                guard project.snapshot != before || kindChanged || link != nil else { count(.projects, \.unchanged); continue }
                if principal != nil, let issue = Self.pageRefusal(row, before: before, after: project.snapshot) {
                    refused.append(issue)
                    continue
                }
                try await project.saveVersioned(expectedVersion: project.version, on: db)
                if project.title != before.title || project.implementingUnit != before.implementingUnit { searchTextChanged.append(try project.requireID()) }
                try await AuditTrail.record(actor: actor, action: "import_update", recordType: "project", recordID: row.code,
                                            unitID: project.unitID, before: before, after: project.snapshot, on: db)
                if let link {
                    let was = link.supportKind ?? ""
                    link.supportKind = row.beneficiarySupportKind
                    try await link.save(on: db)
                    try await AuditTrail.record(actor: actor, action: "import_update", recordType: "project", recordID: row.code,
                                                unitID: project.unitID, before: ["beneficiary": row.beneficiaryTaxCode ?? "", "supportKind": was],
                                                after: ["beneficiary": row.beneficiaryTaxCode ?? "", "supportKind": link.supportKind ?? ""], on: db)
                }
                count(.projects, \.updated)
            } else {
                let project = Project(code: row.code, title: row.title, unitID: row.unit.id, year: row.year, source: row.source,
                                      categoryCode: row.category, implementingUnit: row.implementingUnit, supportRequestedVnd: row.support,
                                      supportApprovedVnd: approvedSupport, counterpartVnd: row.counterpart, status: row.status,
                                      submittedOn: row.submittedOn, approvedOn: row.approvedOn, allocatedOn: row.allocatedOn)
                project.supportKind = row.supportKind
                try await project.create(on: db)
                try await ProjectEvent(projectID: try project.requireID(), fromStatus: nil, toStatus: row.status,
                                       onDate: CalendarDate.today().description, actor: actor, decisionNo: nil,
                                       note: "Nhập từ tệp dữ liệu / imported from a file").create(on: db)
                if let taxCode = row.beneficiaryTaxCode, let name = row.beneficiaryName {
                    let beneficiary: Beneficiary
                    if let existing = try await Beneficiary.query(on: db).filter(\.$taxCode == taxCode).first() {
                        // A known tax code links only under the establishment's own name: another name is a typing
                        // mistake in one of the two columns, never a silent link to another establishment.
                        guard ProjectBeneficiaries.sameName(existing.name, name) else {
                            refused.append(ImportIssue(table: InterchangeTable.projects.rawValue, row: row.row, column: "beneficiary_name",
                                                       message: ProjectBeneficiaries.otherName(taxCode: try TaxCode(taxCode), existing: existing.name,
                                                                                                typed: name, field: "beneficiary_name")))
                            continue
                        }
                        beneficiary = existing
                    } else {
                        let marks = row.beneficiaryMarks
                        beneficiary = Beneficiary(taxCode: taxCode, name: name, legalForm: "", commune: "", sector: "", womenOwned: marks.womenOwned,
                                                  ethnicMinorityEmployer: marks.ethnicMinorityEmployer, disadvantagedArea: marks.disadvantagedArea,
                                                  ethnicMinorityOwned: marks.ethnicMinorityOwned)
                        try await beneficiary.create(on: db)
                    }
                    try await ProjectBeneficiary(projectID: try project.requireID(), beneficiaryID: try beneficiary.requireID(),
                                                 supportVnd: row.support, supportKind: row.beneficiarySupportKind).create(on: db)
                }
                searchTextChanged.append(try project.requireID())
                existingProjects[row.code] = (try project.requireID(), project.unitID, project.status, project.allocatedOn)
                attributions[row.code] = try ReportTotals.Attribution(project)
                count(.projects, \.created)
            }
        }
        if !refused.isEmpty { throw ImportRefused(issues: refused, more: 0) }
        // The register's search text of every created or renamed project, a few statements per 500 projects.
        try await ProjectSearchText.update(projectIDs: searchTextChanged, on: db)
    }

    /// The links (project id|tax code) of the existing projects whose rows give a beneficiary's kind of support, loaded
    /// at once: an import that changes a known beneficiary's kind updates its link (issue 14).
    static func beneficiaryLinks(_ rows: [ImportRows.ProjectRow], stored: [String: Project], on db: any Database) async throws -> [String: ProjectBeneficiary] {
        let ids = rows.filter { $0.beneficiarySupportKind != nil && $0.beneficiaryTaxCode != nil }.compactMap { stored[$0.code]?.id }
        var links: [String: ProjectBeneficiary] = [:]
        for chunk in ids.chunked(500) {
            for link in try await ProjectBeneficiary.query(on: db).filter(\.$project.$id ~~ chunk).with(\.$beneficiary).all() {
                links["\(link.$project.id.uuidString)|\(link.beneficiary.taxCode)"] = link
            }
        }
        return links
    }

    /// What a user may not change on an existing project through an import, as on its page: the lifecycle's fields
    /// (approved support, dates of submission, approval and allocation) change only through its steps, and the other
    /// fields only while the province holds the project (draft or returned).
    static func pageRefusal(_ row: ImportRows.ProjectRow, before: Project.Snapshot, after: Project.Snapshot) -> ImportIssue? {
        func issue(_ column: String, vi: String, en: String) -> ImportIssue {
            ImportIssue(table: InterchangeTable.projects.rawValue, row: row.row, column: column, message: .invalid(vi: vi, en: en))
        }
        if after.supportApprovedVnd != before.supportApprovedVnd {
            return issue("support_vnd",
                vi: "Kinh phí được duyệt (\(VietnameseFormat.money(before.supportApprovedVnd ?? 0))) chỉ thay đổi qua quyết định phê duyệt, không qua nhập tệp",
                en: "the approved support (\((before.supportApprovedVnd ?? 0).dong)) changes only through an approval decision, not by an import")
        }
        for (column, was, now) in [("submitted_on", before.submittedOn, after.submittedOn), ("approved_on", before.approvedOn, after.approvedOn),
                                   ("allocated_on", before.allocatedOn, after.allocatedOn)] where was != now {
            return issue(column, vi: "Ngày này do các bước xử lý đề án ghi, không sửa qua nhập tệp",
                         en: "this date is written by the project's lifecycle steps, not by an import")
        }
        guard ProjectEditing.editableStatuses.contains(before.status) else {
            let column = before.title != after.title ? "title" : before.implementingUnit != after.implementingUnit ? "implementing_unit"
                : before.counterpartVnd != after.counterpartVnd ? "counterpart_vnd" : "support_vnd"
            let status = before.status.vietnameseName
            return issue(column, vi: "Đề án ở trạng thái \"\(status)\" không sửa được (chỉ sửa khi là dự thảo hoặc bị trả lại)",
                         en: "a project in status \(before.status.rawValue) cannot be edited (only drafts and returned projects)")
        }
        return nil
    }

    /// Inserts the dated rows not already stored, in multi-row statements (`BulkInsert`). The rows are the keys the
    /// first pass checked (all of each row's values), so the file is not read again; they are written in the order
    /// of the report index (project id, date) with ids that grow with each row, which keeps SQLite's B-trees
    /// appending. Each project's id and each day's date are formatted once, not once per row.
    func writeDated(_ table: InterchangeTable, keys: Set<ImportRows.DatedKey>, on db: any Database) async throws {
        let projectNumbers = Set(keys.map(\.project))
        let existing = try await existingDatedKeys(table, projects: projectNumbers, on: db)
        // Projects ranked in the order of their ids, so that sorting a million rows compares integers.
        let ranked = projectNumbers.sorted {
            let a = datedCodes.projects[Int($0)], b = datedCodes.projects[Int($1)]
            return (existingProjects[a]?.id.upperText ?? a) < (existingProjects[b]?.id.upperText ?? b)
        }
        var rank = [Int32](repeating: 0, count: datedCodes.projects.count)
        for (position, number) in ranked.enumerated() { rank[Int(number)] = Int32(position) }
        var rowsToWrite: [ImportRows.DatedKey] = []
        rowsToWrite.reserveCapacity(keys.count)
        for key in keys where !existing.contains(key) { rowsToWrite.append(key) }
        rowsToWrite.sort { (rank[Int($0.project)], $0.day) < (rank[Int($1.project)], $1.day) }
        if principal != nil && table == .disbursements { try await checkApprovedSupport(rowsToWrite, on: db) }
        // Per project: its id as stored (upper-case text on SQLite, formatted once here) and whom its figures count for.
        let sqlite = (db as? any SQLDatabase)?.dialect.name == "sqlite"
        let projects = datedCodes.projects.map { code -> (id: BulkInsert.Value, attribution: ReportTotals.Attribution)? in
            guard let project = existingProjects[code], let attribution = attributions[code] else { return nil }
            return (sqlite ? .text(project.id.upperText) : .uuid(project.id), attribution)
        }
        let measures = datedCodes.indicators.map { table == .disbursements ? ReportTotals.money : $0 }
        var insert = table == .disbursements
            ? BulkInsert(Disbursement.schema, ["id", "project_id", "on_date", "amount_vnd", "basis", "kind"])
            : BulkInsert(OutputRecord.schema, ["id", "project_id", "on_date", "indicator_code", "quantity", "basis"])
        var ids = SequentialUUIDs()
        /// The rows' sums per project, measure and month, added to the report totals once each after the rows.
        struct MonthKey: Hashable { let project: Int32, indicator: Int16, year: Int32, month: Int8 }
        var byMonth: [MonthKey: PeriodSums] = [:]
        var created = 0
        var day = (number: Int32.min, date: CalendarDate(1970, 1, 1), text: BulkInsert.Value.null)
        let written = Set(rowsToWrite.map(\.project)).compactMap { existingProjects[datedCodes.projects[Int($0)]]?.id }
        if !rowsToWrite.isEmpty { try await BulkInsert.withoutRowTriggers(on: insert.table, projectIDs: written, on: db) {
            for key in rowsToWrite {
                guard let project = projects[Int(key.project)] else { continue }
                if key.day != day.number {
                    let date = CalendarDate(dayNumber: Int(key.day))
                    day = (key.day, date, .text(date.description))
                }
                let measure = measures[Int(key.indicator)]
                try byMonth[MonthKey(project: key.project, indicator: key.indicator, year: Int32(day.date.year), month: Int8(day.date.month)),
                            default: PeriodSums()].add(key.value, basis: key.basis)
                insert.append(.uuid(ids.next()))
                insert.append(project.id)
                insert.append(day.text)
                if table == .disbursements {
                    insert.append(.integer(key.value))
                    insert.append(.text(key.basis.rawValue))
                    insert.append(.text("payment"))
                } else {
                    insert.append(.text(measure))
                    insert.append(.integer(key.value))
                    insert.append(.text(key.basis.rawValue))
                }
                try await insert.endRow(on: db)
                created += 1
                if created % 100_000 == 0 { progress?("\(table.rawValue) (ghi/write)", created) }
            }
            try await insert.flush(on: db)
        } }
        var totals = ReportTotals.Changes()
        for (month, sums) in byMonth {
            guard let project = projects[Int(month.project)] else { continue }
            try totals.add(project.attribution, date: CalendarDate(Int(month.year), Int(month.month), 1), measure: measures[Int(month.indicator)], sums: sums)
        }
        try await totals.apply(on: db)
        if let index = report.tables.firstIndex(where: { $0.table == table.rawValue }) {
            report.tables[index].created = created
            report.tables[index].unchanged = keys.count - rowsToWrite.count
        }
    }

    /// For a user's import, as for a payment on a page: the actual payments of a project, stored and new, stay within
    /// its approved support. Read under the write lock, so parallel payments cannot both pass.
    func checkApprovedSupport(_ newRows: [ImportRows.DatedKey], on db: any Database) async throws {
        var added: [String: Money] = [:]
        for key in newRows where key.basis == .actual { try added[datedCodes.code(key), default: .zero] += Money(dong: key.value) }
        guard !added.isEmpty else { return }
        var refused: [ImportIssue] = []
        for chunk in added.keys.sorted().chunked(500) {
            let projects = try await Project.query(on: db).filter(\.$code ~~ chunk).all()
            let ids = try projects.map { try $0.requireID() }
            var paid: [UUID: Money] = [:]
            for row in try await Disbursement.query(on: db).filter(\.$project.$id ~~ ids).filter(\.$basis == .actual).all() {
                try paid[row.$project.id, default: .zero] += row.amountVnd
            }
            for project in projects {
                let total = try (paid[try project.requireID()] ?? .zero) + (added[project.code] ?? .zero)
                let approved = project.supportApprovedVnd ?? .zero
                guard total > approved else { continue }
                let first = newRows.filter { datedCodes.code($0) == project.code && $0.basis == .actual }.compactMap { datedRowNumbers[$0] }.min() ?? 0
                refused.append(ImportIssue(table: InterchangeTable.disbursements.rawValue, row: first, column: "amount_vnd", message: .invalid(
                    vi: "Đề án \(project.code): tổng giải ngân \(VietnameseFormat.money(total)) vượt kinh phí được duyệt \(VietnameseFormat.money(approved))",
                    en: "project \(project.code): total paid \(total.dong) exceeds the approved support \(approved.dong)")))
            }
        }
        if !refused.isEmpty { throw ImportRefused(issues: refused, more: 0) }
    }
}
