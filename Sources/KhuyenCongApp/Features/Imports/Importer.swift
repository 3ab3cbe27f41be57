import Fluent
import Foundation
import KhuyenCongCore
import SQLKit
import Vapor

/// What an import did (or, in a preview, would do), per table.
struct ImportReport: Content, Sendable {
    struct TableCount: Content, Sendable { let table: String; var read = 0; var created = 0; var updated = 0; var unchanged = 0 }
    var tables: [TableCount]
    var committed: Bool

    var summary: String {
        tables.map { "\($0.table): đọc/read \($0.read), tạo mới/created \($0.created), cập nhật/updated \($0.updated), không đổi/unchanged \($0.unchanged)" }
            .joined(separator: "\n")
    }
}

/// Imports the interchange tables all-or-nothing: a first pass reads and checks every row of every table
/// (collecting every problem); only if there is none, a second pass writes everything in one transaction.
/// Rows are checked against the caller's scope (a province officer imports only their province) and the lifecycle
/// (money and outputs only for projects that have been allocated). Re-importing the same rows changes nothing.
final class Importer: @unchecked Sendable {   // used by one task at a time
    typealias Progress = @Sendable (String, Int) -> Void

    let db: any Database
    let actor: String
    /// nil: the command line, with an operator's rights.
    let principal: Principal?
    let progress: Progress?
    static let maximumListedIssues = 500

    var issues: [ImportIssue] = []
    var moreIssues = 0
    var rows = (plan: [ImportRows.PlanLineRow](), targets: [ImportRows.TargetRow](), projects: [ImportRows.ProjectRow]())
    var existingProjects: [String: (id: UUID, unitID: UnitID, status: ProjectStatus, allocatedOn: String?)] = [:]
    /// Where each checked dated row came from, for the checks of the writing pass (imports from pages and the API).
    var datedRowNumbers: [ImportRows.DatedKey: Int] = [:]
    /// Whom each project's figures count for, by code: the summary tables are kept with the rows written.
    var attributions: [String: ReportTotals.Attribution] = [:]
    /// The projects of the file by code, for the checks of the dated rows that follow them.
    var projectRowsByCode: [String: ImportRows.ProjectRow] = [:]
    /// The project and indicator codes of the checked dated rows, by number (`ImportRows.DatedKey`).
    var datedCodes = DatedCodes()
    /// What the dated rows' checks need of each project code met (nil: no such project, or not readable).
    private var datedProjects: [String: DatedProject] = [:]
    private var projectYears: [String: Int] = [:]
    private var scopeCache: [UnitID: Bool] = [:]
    private var locks: PeriodLockIndex?
    /// Rows the user could not write (an approved, locked period; a plan only the ministry approves): allowed only if
    /// they change nothing, which is known once every row has been read. An exported workbook carries them unchanged.
    var unchangedOnly: [UnchangedOnlyRow] = []
    private var unitCache: [UnitID: AdminUnit] = [:]
    var report = ImportReport(tables: [], committed: false)

    init(actor: String, principal: Principal?, progress: Progress? = nil, on db: any Database) {
        self.db = db
        self.actor = actor
        self.principal = principal
        self.progress = progress
    }

    func record(_ new: [ImportIssue]) {
        for issue in new {
            if issues.count < Importer.maximumListedIssues { issues.append(issue) } else { moreIssues += 1 }
        }
    }

    /// Reads, checks and (when `commit`) writes. Throws `ImportRefused` with every problem, having written nothing.
    /// The writing pass is a guarded write: under the write lock it compares the data version with the one the checks
    /// read; if anything was written meanwhile (a payment, a period approval), every check runs again under the lock.
    func run(_ source: ImportSource, commit: Bool) async throws -> ImportReport {
        let checkedAt = try await ReportCache.version(on: db)
        let datedKeys: [InterchangeTable: Set<ImportRows.DatedKey>]
        do { datedKeys = try await checkAll(source, on: db) } catch { AppMetrics.importFinished("refused"); throw error }
        guard commit else {
            AppMetrics.importFinished("checked")
            return try await preview(datedKeys)
        }

        // Pass 2: write everything, or nothing.
        try await GuardedWrite.run(on: db) { db in try await LargePageCache.run(on: db, kibibytes: 65_536) {
            var keys = datedKeys
            if try await ReportCache.version(on: db) != checkedAt + 1 { keys = try await self.checkAll(source, on: db) }
            try await self.writePlan(on: db)
            try await self.writeProjects(on: db)
            for table in [InterchangeTable.disbursements, .outputs] {
                guard let rows = keys[table] else { continue }
                try await self.writeDated(table, keys: rows, on: db)
            }
            try await AuditTrail.record(actor: self.actor, action: "import", recordType: "import", recordID: UUID().uuidString,
                                        unitID: self.principal?.unitCode.flatMap { try? AdminUnitCatalog.standard.resolve(code: $0, on: .today()).id },
                                        before: Nothing?.none, after: self.report.tables, on: db)
        } }
        report.committed = true
        AppMetrics.imported(report)
        return report
    }

    /// Pass 1: reads and checks every row of every table against the database as `db` shows it; throws with every
    /// problem, or returns the checked dated rows.
    private func checkAll(_ source: ImportSource, on db: any Database) async throws -> [InterchangeTable: Set<ImportRows.DatedKey>] {
        let tables = try source.tables()
        guard !tables.isEmpty else {
            throw ImportRefused(issues: [ImportIssue(table: "-", row: 0, column: "-", message: .invalid(
                vi: "Không có bảng nào (plan_lines, plan_targets, projects, disbursements, outputs)",
                en: "no table found (plan_lines, plan_targets, projects, disbursements, outputs)"))], more: 0)
        }
        issues = []; moreIssues = 0
        rows = (plan: [], targets: [], projects: [])
        existingProjects = [:]; attributions = [:]; projectRowsByCode = [:]; projectYears = [:]; datedRowNumbers = [:]; unchangedOnly = []
        datedCodes = DatedCodes(); datedProjects = [:]
        report = ImportReport(tables: [], committed: false)
        for project in try await Project.query(on: db).field(\.$id).field(\.$code).field(\.$unitID).field(\.$status).field(\.$year)
            .field(\.$source).field(\.$categoryCode).field(\.$allocatedOn).all() {
            existingProjects[project.code] = (try project.requireID(), project.unitID, project.status, project.allocatedOn)
            attributions[project.code] = try ReportTotals.Attribution(project)
            projectYears[project.code] = project.year
        }
        locks = try await PeriodLockIndex.load(on: db)
        var datedKeys: [InterchangeTable: Set<ImportRows.DatedKey>] = [:]
        for (table, read) in tables {
            var count = ImportReport.TableCount(table: table.rawValue)
            var positions: [String: Int]?
            var width = 0
            var keys = Set<String>()
            var dated = Set<ImportRows.DatedKey>()
            try read { rowNumber, cells in
                guard let columns = positions else {
                    let header = ImportRows.header(cells, table: table)
                    self.record(header.issues)
                    positions = header.positions
                    width = cells.count
                    return
                }
                if cells.allSatisfy({ $0.trimmingSpaces.isEmpty }) { return }
                count.read += 1
                if count.read % 100_000 == 0 { self.progress?(table.rawValue, count.read) }
                if let extra = cells.indices.dropFirst(width).first(where: { !cells[$0].trimmingSpaces.isEmpty }) {
                    self.record([ImportIssue(table: table.rawValue, row: rowNumber, column: "#\(extra + 1)", message: .invalid(
                        vi: "Ô có dữ liệu nằm ngoài các cột của dòng tiêu đề", en: "a cell with data beyond the header's columns"))])
                    return
                }
                var row = ImportRows.Cells(table: table, row: rowNumber, cells: cells, positions: columns)
                self.check(&row, table: table, keys: &keys, dated: &dated)
                self.record(row.issues)
            }
            if positions == nil {
                record([ImportIssue(table: table.rawValue, row: 1, column: "-", message: .invalid(vi: "Tệp rỗng (thiếu dòng tiêu đề)", en: "empty file (no header row)"))])
            }
            datedKeys[table] = dated
            report.tables.append(count)
        }
        try await refuseChangesThatWereNotAllowed(on: db)
        if !issues.isEmpty { throw ImportRefused(issues: issues, more: moreIssues) }
        return datedKeys
    }

    // MARK: - Pass 1

    private func check(_ row: inout ImportRows.Cells, table: InterchangeTable, keys: inout Set<String>, dated: inout Set<ImportRows.DatedKey>) {
        switch table {
        case .planLines:
            let year = row.year(), unit = row.unit(year: year), source = row.source(), category = row.category(year: year)
            let amount = row.money("amount_vnd"), approved = row.date("approved_on"), decision = row.required("decision_no", maxLength: 100)
            guard let year, let unit, let source, let category, let amount, let approved, let decision, mayDecide(source, unit, &row) else { return }
            unchangedOnlyIfRefused(unit, year, source, row, .planLine(unitID: unit.id, year: year, source: source, category: category,
                                                                     approvedOn: approved.description, amount: amount, decisionNo: decision))
            guard keys.insert("\(unit.id)|\(year)|\(source)|\(category)|\(approved)").inserted else {
                return row.problem("approved_on", .invalid(vi: "Trùng dòng kế hoạch cùng ngày duyệt", en: "duplicate plan line revision (same line, same approval date)"))
            }
            rows.plan.append(.init(row: row.row, unit: unit, year: year, source: source, category: category, amount: amount,
                                   approvedOn: approved.description, decisionNo: decision))
        case .planTargets:
            let year = row.year(), unit = row.unit(year: year), source = row.source(), category = row.category(year: year)
            let indicator = row.indicator(), quantity = row.quantity()
            guard let year, let unit, let source, let category, let indicator, let quantity, mayDecide(source, unit, &row) else { return }
            unchangedOnlyIfRefused(unit, year, source, row, .target(unitID: unit.id, year: year, source: source, category: category,
                                                                   indicator: indicator, quantity: quantity))
            guard keys.insert("\(unit.id)|\(year)|\(source)|\(category)|\(indicator)").inserted else {
                return row.problem("indicator", .invalid(vi: "Trùng chỉ tiêu", en: "duplicate target"))
            }
            rows.targets.append(.init(row: row.row, unit: unit, year: year, source: source, category: category, indicator: indicator, quantity: quantity))
        case .projects:
            let code = row.check("code") { text -> String in
                guard text.range(of: "^[A-Za-z0-9._-]{3,40}$", options: .regularExpression) != nil else {
                    throw DomainError.invalid(vi: "Mã đề án \"\(text)\" không hợp lệ", en: "project code \"\(text)\" is not valid")
                }
                return text
            }
            let title = row.required("title"), year = row.year(), unit = row.unit(year: year), source = row.source()
            let category = row.category(year: year), implementing = row.required("implementing_unit", maxLength: 300)
            let support = row.money("support_vnd")
            let counterpart = row.optionalText("counterpart_vnd") == nil ? 0 : row.money("counterpart_vnd")
            // An empty status keeps the stored one, never sends a project back to draft; a new project starts as a draft.
            let stored = code.flatMap { existingProjects[$0] }
            let status = row.optionalText("status").map { _ in row.check("status") { try ProjectStatus(parsing: $0) } }
                ?? .some(stored?.status ?? ProjectStatus.draft)
            let taxCode = row.optionalText("beneficiary_tax_code").map { _ in row.check("beneficiary_tax_code") { try TaxCode($0).digits } }
            let beneficiaryName = row.optionalText("beneficiary_name")
            if (taxCode == nil) != (beneficiaryName == nil) {
                row.problem("beneficiary_name", .invalid(vi: "Cần cả mã số thuế và tên cơ sở", en: "tax code and name go together"))
            }
            let submitted = row.optionalDate("submitted_on"), approved = row.optionalDate("approved_on"), allocated = row.optionalDate("allocated_on")
            let kind: String?? = row.optionalText("support_kind") == nil ? .some(nil) : row.check("support_kind") { text -> String? in
                try SupportRules.law.validateKind(text, category: category ?? "", field: "support_kind")
                return text
            }
            let beneficiaryKind: String?? = row.optionalText("beneficiary_support_kind") == nil ? .some(nil)
                : row.check("beneficiary_support_kind") { text -> String? in
                    try SupportRules.law.validateKind(text, category: category ?? "", field: "beneficiary_support_kind")
                    return text
                }
            let marks = row.optionalText("beneficiary_priority_marks") == nil ? BeneficiaryMarks()
                : row.check("beneficiary_priority_marks") { try BeneficiaryMarks(parsing: $0, field: "beneficiary_priority_marks") }
            if row.optionalText("beneficiary_priority_marks") != nil, taxCode == nil {
                row.problem("beneficiary_priority_marks", .invalid(vi: "Dấu ưu tiên của cơ sở cần mã số thuế và tên cơ sở",
                                                                   en: "a beneficiary's priority marks need its tax code and name"))
            }
            if case .some(.some) = beneficiaryKind, taxCode == nil {
                row.problem("beneficiary_support_kind", .invalid(vi: "Loại hỗ trợ của cơ sở cần mã số thuế và tên cơ sở",
                                                                 en: "a beneficiary's support kind needs its tax code and name"))
            }
            guard let code, let title, let year, let unit, let source, let category, let implementing, let support, let counterpart,
                  let status, let submitted, let approved, let allocated, let kind, let beneficiaryKind, let marks, inScope(unit, &row) else { return }
            if let existing = existingProjects[code], existing.unitID != unit.id || !readable(existing.unitID) {
                // Said without naming the other project's unit: an officer learns nothing of another province.
                return row.problem("code", .invalid(vi: "Mã đề án \(code) đã được dùng cho một đề án khác; hãy chọn mã khác",
                                                    en: "project code \(code) is already used by another project; choose another code"))
            }
            if principal != nil {
                // From a page or the API an import does what its user may do on the project's page: the lifecycle's
                // fields change only through its steps (the writing pass compares the approved support).
                if status != (stored?.status ?? ProjectStatus.draft) {
                    return row.problem("status", .invalid(vi: "Trạng thái đề án chỉ thay đổi qua các bước xử lý, không qua nhập tệp",
                                                          en: "a project's status changes only through its lifecycle steps, not by an import"))
                }
                if stored == nil, let column = ["submitted_on", "approved_on", "allocated_on"].first(where: { row.optionalText($0) != nil }) {
                    return row.problem(column, .invalid(vi: "Đề án mới nhập là dự thảo: ngày nộp, duyệt, phân bổ do các bước xử lý ghi",
                                                        en: "an imported new project is a draft: submission, approval and allocation dates come from its steps"))
                }
            }
            guard keys.insert(code).inserted else { return row.problem("code", .invalid(vi: "Trùng mã đề án", en: "duplicate project code")) }
            let parsed = ImportRows.ProjectRow(row: row.row, code: code, title: title, unit: unit, year: year, source: source, category: category,
                                               implementingUnit: implementing, beneficiaryTaxCode: taxCode ?? nil, beneficiaryName: beneficiaryName,
                                               support: support, counterpart: counterpart, status: status, submittedOn: submitted,
                                               approvedOn: approved, allocatedOn: allocated, supportKind: kind,
                                               beneficiarySupportKind: beneficiaryKind, beneficiaryMarks: marks)
            rows.projects.append(parsed)
            projectRowsByCode[code] = parsed
        case .disbursements, .outputs:
            checkDated(&row, table: table, dated: &dated)
        }
    }

    /// A payment or an output: the hot path of a large import (a million rows), so the columns are found by position
    /// and each project's state is looked up once per code; the checks and messages are those of every other table.
    private func checkDated(_ row: inout ImportRows.Cells, table: InterchangeTable, dated: inout Set<ImportRows.DatedKey>) {
        let code = row.text(at: row.positions["project_code"]), date = row.fastDate("date", at: row.positions["date"])
        let basis = row.fastBasis(at: row.positions["basis"])
        let indicator = table == .outputs ? row.indicator() : ""
        let value = table == .outputs ? row.quantity() : row.fastMoney("amount_vnd", at: row.positions["amount_vnd"])
        let project = datedProjects[code] ?? datedProject(code)
        guard let state = project.state else {
            return row.problem("project_code", DomainError(.notFound, vi: "Không có đề án mã \"\(code)\"", en: "no project with code \"\(code)\""))
        }
        guard let date, let basis, let indicator, let value else { return }
        if let unit = project.unit, !inScope(unit, &row) { return }
        guard Importer.executionStatuses.contains(state.status) else {
            return row.problem("project_code", DomainError(.conflict,
                vi: "Đề án \(code) ở trạng thái \"\(state.status.vietnameseName)\" chưa được giải ngân/ghi kết quả",
                en: "project \(code) is \(state.status.rawValue): not yet open for money or outputs"))
        }
        // A user's import follows the page's rules (caps are checked when writing, under the write lock).
        if principal != nil, let refusal = ProjectExecution.refusal(table == .disbursements ? .money : .output, status: state.status,
                                                                     allocatedOn: project.allocatedOn, date: date,
                                                                     basis: basis, today: .today()) {
            return row.problem(refusal.column, refusal.error)
        }
        let key = ImportRows.DatedKey(value: value, project: project.number, day: Int32(date.dayNumber),
                                      indicator: datedCodes.indicator(indicator), basis: basis)
        if project.mayBeLocked, let report = locks?.report(unitID: state.unitID, planYear: project.year ?? date.year, date: date) {
            unchangedOnly.append(UnchangedOnlyRow(row, column: "date", error: PeriodLocks.error(report), content: .dated(table, key)))
        }
        guard dated.insert(key).inserted else { return row.problem("date", .invalid(vi: "Trùng dòng", en: "duplicate row")) }
        if principal != nil { datedRowNumbers[key] = row.row }
    }

    /// Looks a dated row's project up once per code (the file's row wins over the database).
    private func datedProject(_ code: String) -> DatedProject {
        let state = projectState(code).flatMap { readable($0.unitID) ? $0 : nil }
        let unit = state.flatMap { state in unitCache[state.unitID] ?? AdminUnitCatalog.standard.unit(id: state.unitID) }
        if let state, let unit { unitCache[state.unitID] = unit }
        let year = projectRowsByCode[code]?.year ?? projectYears[code]
        // A locked period of the plan year holds the first day of a quarter (every period starts on one): if none
        // of those four days is locked, no date of this project is.
        let mayBeLocked = state.map { state in
            guard let year else { return true }
            return [1, 4, 7, 10].contains { locks?.report(unitID: state.unitID, planYear: year, date: CalendarDate(year, $0, 1)) != nil }
        } ?? false
        let project = DatedProject(number: datedCodes.project(code), state: state, unit: unit, year: year,
                                   allocatedOn: existingProjects[code]?.allocatedOn, mayBeLocked: mayBeLocked)
        datedProjects[code] = project
        return project
    }

    static let executionStatuses: Set<ProjectStatus> = [.allocated, .contracted, .inProgress, .accepted, .settled, .closed, .cancelled]

    /// The ministry decides national plans everywhere; anyone else writes plan rows only in their own scope (the
    /// national ones of those only if unchanged, see `unchangedOnlyIfRefused`).
    private func mayDecide(_ source: FundingSource, _ unit: AdminUnit, _ row: inout ImportRows.Cells) -> Bool {
        (source == .national && ministryDecides(unit)) || inScope(unit, &row)
    }

    private func ministryDecides(_ unit: AdminUnit) -> Bool {
        guard let principal else { return true }
        return AccessPolicy.decide(principal, .ministryDecision, RecordScope(unitID: unit.id)) == .allow
    }

    /// Whether the importing user may see records of `unitID` (the command line sees everything).
    private func readable(_ unitID: UnitID) -> Bool {
        guard let principal else { return true }
        return AccessPolicy.decide(principal, .readRecord, RecordScope(unitID: unitID)) == .allow
    }

    /// The project as it will be after this import: the file's row wins over the database.
    private func projectState(_ code: String) -> (unitID: UnitID, status: ProjectStatus)? {
        if let row = projectRowsByCode[code] { return (row.unit.id, row.status) }
        return existingProjects[code].map { ($0.unitID, $0.status) }
    }

    /// A plan row the user may not write — the national plan (only the ministry approves it; drafts are entered on
    /// the plan page), or a year whose annual report is approved (locked, 423) — is kept aside: it is refused unless
    /// it is already stored as it is, which `refuseChangesThatWereNotAllowed` finds out once every row has been read.
    private func unchangedOnlyIfRefused(_ unit: AdminUnit, _ year: Int, _ source: FundingSource, _ row: ImportRows.Cells,
                                        _ content: UnchangedOnlyRow.Content) {
        if principal != nil, source == .national, !ministryDecides(unit) {
            unchangedOnly.append(UnchangedOnlyRow(row, column: "source", error: DomainError(.forbidden,
                vi: "Kế hoạch nguồn \(FundingSource.national.vietnameseName) do Bộ Công Thương phê duyệt; hãy nhập dự thảo trên trang kế hoạch",
                en: "the national plan is approved by the ministry; enter a draft on the plan page"), content: content))
        } else if let report = locks?.report(unitID: unit.id, planYear: year, date: nil) {
            unchangedOnly.append(UnchangedOnlyRow(row, column: "year", error: PeriodLocks.error(report), content: content))
        }
    }

    /// A province officer imports only their own province's rows (restated onto today's unit).
    private func inScope(_ unit: AdminUnit, _ row: inout ImportRows.Cells) -> Bool {
        guard let principal else { return true }
        let allowed = scopeCache[unit.id] ?? {
            let decision = AccessPolicy.decide(principal, .editRecord, RecordScope(unitID: unit.id)) == .allow
            scopeCache[unit.id] = decision
            return decision
        }()
        guard allowed else {
            row.problem("unit_code", DomainError(.forbidden, vi: "Ngoài phạm vi của bạn (\(unit.name))", en: "outside your scope (\(unit.name))"))
            return false
        }
        return true
    }

    // MARK: - Preview and pass 2

    private func preview(_ datedKeys: [InterchangeTable: Set<ImportRows.DatedKey>]) async throws -> ImportReport {
        // A dry run inside a transaction that is always rolled back: the counts are exactly what a commit would do.
        struct Rollback: Error {}
        do {
            try await db.transaction { db in
                try await self.writePlan(on: db)
                try await self.writeProjects(on: db)
                throw Rollback()
            }
        } catch is Rollback {}
        for table in [InterchangeTable.disbursements, .outputs] {
            guard let index = report.tables.firstIndex(where: { $0.table == table.rawValue }), let keys = datedKeys[table] else { continue }
            let existing = try await existingDatedKeys(table, projects: Set(keys.map(\.project)), on: db)
            if principal != nil && table == .disbursements { try await checkApprovedSupport(Array(keys.filter { !existing.contains($0) }), on: db) }
            report.tables[index].unchanged = keys.filter { existing.contains($0) }.count
            report.tables[index].created = keys.count - report.tables[index].unchanged
        }
        return report
    }

}
