import Fluent
import Foundation
import KhuyenCongCore
import SQLKit

/// The data-quality rules, evaluated per request from the projects of the scope, their dated rows and the summary
/// tables (`project_period_totals`, `period_totals`): nothing is stored, so a correction clears its finding at once.
enum QualityFindings {
    /// One finding, as the contract names it; `unitID`, `subject`, `ruleName` and `link` serve the pages.
    struct Finding: Sendable, Equatable {
        let rule: String
        let ruleName: String
        let severity: String
        let projectCode: String?
        let unitCode: String
        let unitID: String
        let message: String
        var comment: String?
        /// What a comment is kept under: the project code, or the unit's code for a rule about the unit.
        var subject: String { projectCode ?? unitCode }
    }

    struct Scope: Sendable {
        let units: [AdminUnit]
        let year: Int
        let period: Period
    }

    /// The rules valid on the last day of the period, by code.
    static func rules(year: Int, period: Period, on db: any Database) async throws -> [String: QualityRuleRecord] {
        let day = period.dates(in: year).upperBound.description
        let rows = try await QualityRuleRecord.query(on: db).filter(\.$validFrom <= day).sort(\.$validFrom).all()
        var result: [String: QualityRuleRecord] = [:]
        for row in rows where row.validTo.map({ $0 >= day }) ?? true { result[row.code] = row }
        return result
    }

    /// The allowed share of advances, in percent: the project rules' own (one call, here).
    static func advanceSharePercent(_ project: Project) -> Int64 {
        SupportRules.advanceShare(category: project.categoryCode, planYear: project.year)
    }

    /// Indicators whose quantity a unit cost is reckoned on: per establishment, per trainee, per demonstration model.
    static let unitCostIndicators = ["establishments_supported", "trainees", "demo_models"]

    /// Statuses whose projects count: everything that got as far as approval and was not given up.
    static let countedStatuses: [String] = ["approved", "allocated", "contracted", "in_progress", "accepted", "settled", "closed"]
    static let acceptedStatuses: Set<String> = ["accepted", "settled", "closed"]

    static func evaluate(_ scope: Scope, today: CalendarDate = .today(), on db: any Database) async throws -> [Finding] {
        let rules = try await rules(year: scope.year, period: scope.period, on: db)
        let sql = db as! any SQLDatabase
        let unitIDs = scope.units.map(\.id)
        let unitByID = Dictionary(scope.units.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var findings: [Finding] = []
        func add(_ code: String, project: Project?, unitID: String, _ message: String) {
            guard let rule = rules[code], let unit = unitByID[unitID] ?? AdminUnitCatalog.standard.unit(id: unitID) else { return }
            findings.append(Finding(rule: code, ruleName: rule.name, severity: rule.severity, projectCode: project?.code,
                                    unitCode: unit.code, unitID: unit.id, message: message, comment: nil))
        }
        let money = { (dong: Int64) in VietnameseFormat.money(Money(dong: dong)) }

        let projects = unitIDs.isEmpty ? [] : try await Project.query(on: db).filter(\.$unitID ~~ unitIDs).filter(\.$year == scope.year)
            .filter(\.$status ~~ countedStatuses).sort(\.$code).all()
        let projectIDs = projects.compactMap(\.id)
        // Per project, added up in the database (a region holds tens of thousands of dated rows): actual money
        // paid, actual advances, rows of money dated up to the end of the period; output rows in the period, at all.
        struct Money_ { var actual: Int64 = 0; var advanced: Int64 = 0; var rowsToEnd: Int64 = 0 }
        struct Output_ { var inPeriod: Int64 = 0; var any: Int64 = 0 }
        var payments: [UUID: Money_] = [:]
        var outputs: [UUID: Output_] = [:]
        var accepted: Set<UUID> = []
        let range = scope.period.dates(in: scope.year)
        let start = range.lowerBound.description, end = range.upperBound.description
        for chunk in projectIDs.chunked(500) {
            let money = try await sql.select().column("project_id")
                .column(SQLRaw("CAST(SUM(CASE WHEN basis = 'actual' THEN amount_vnd ELSE 0 END) AS BIGINT)"), as: "actual_total")
                .column(SQLRaw("CAST(SUM(CASE WHEN basis = 'actual' AND kind = 'advance' THEN amount_vnd ELSE 0 END) AS BIGINT)"), as: "advanced")
                .column(SQLRaw("CAST(SUM(CASE WHEN amount_vnd > 0 AND on_date <= '\(end)' THEN 1 ELSE 0 END) AS BIGINT)"), as: "rows_to_end")
                .from("disbursements").where("project_id", .in, SQLBind.group(chunk)).groupBy("project_id").all()
            for row in money {
                payments[try row.decode(column: "project_id", as: UUID.self)] = Money_(
                    actual: try row.decode(column: "actual_total", as: Int64?.self) ?? 0, advanced: try row.decode(column: "advanced", as: Int64?.self) ?? 0,
                    rowsToEnd: try row.decode(column: "rows_to_end", as: Int64?.self) ?? 0)
            }
            let produced = try await sql.select().column("project_id")
                .column(SQLRaw("CAST(SUM(CASE WHEN quantity > 0 AND on_date >= '\(start)' AND on_date <= '\(end)' THEN 1 ELSE 0 END) AS BIGINT)"), as: "in_period")
                .column(SQLRaw("CAST(SUM(CASE WHEN quantity > 0 THEN 1 ELSE 0 END) AS BIGINT)"), as: "any_rows")
                .from("outputs").where("project_id", .in, SQLBind.group(chunk)).groupBy("project_id").all()
            for row in produced {
                outputs[try row.decode(column: "project_id", as: UUID.self)] = Output_(
                    inPeriod: try row.decode(column: "in_period", as: Int64?.self) ?? 0, any: try row.decode(column: "any_rows", as: Int64?.self) ?? 0)
            }
            for row in try await ProjectEvent.query(on: db).filter(\.$project.$id ~~ chunk).filter(\.$toStatus == "accepted").field(\.$project.$id).all() {
                accepted.insert(row.$project.id)
            }
        }
        // The projects' sums per period from the summary table (actuals superseding estimates).
        var sums: [UUID: [String: [String: PeriodSums]]] = [:]   // project → period → measure
        for chunk in projectIDs.chunked(500) {
            let rows = try await sql.select().columns("project_id", "period", "measure", "actual_sum", "actual_rows", "estimate_sum")
                .from("project_period_totals").where("project_id", .in, SQLBind.group(chunk)).all()
            for row in rows {
                let id = try row.decode(column: "project_id", as: UUID.self)
                sums[id, default: [:]][try row.decode(column: "period", as: String.self), default: [:]][try row.decode(column: "measure", as: String.self)] =
                    PeriodSums(actual: try row.decode(column: "actual_sum", as: Int64.self), actualRows: try row.decode(column: "actual_rows", as: Int64.self),
                               estimate: try row.decode(column: "estimate_sum", as: Int64.self))
            }
        }
        // Whose H1 report is approved: an H1 estimate left after that is stale.
        let approvedH1 = Set(unitIDs.isEmpty ? [] : try await PeriodReport.query(on: db).filter(\.$unitID ~~ unitIDs).filter(\.$year == scope.year)
            .filter(\.$period == Period.h1.rawValue).filter(\.$status ~~ ["approved", "unlocked"]).all().map(\.unitID))

        for project in projects {
            guard let id = project.id else { continue }
            let paid = payments[id] ?? Money_()
            let actualTotal = paid.actual
            let allowed = project.settledVnd ?? project.supportApprovedVnd ?? 0
            if actualTotal > allowed {
                add("overpaid", project: project, unitID: project.unitID,
                    "Đề án \(project.code) đã thực chi \(money(actualTotal)), vượt \(project.settledVnd == nil ? "kinh phí được duyệt" : "số quyết toán") \(money(allowed)).")
            }
            let advanced = paid.advanced
            if advanced > 0 {
                let share = advanceSharePercent(project)
                let approved = project.supportApprovedVnd ?? 0
                if Int128(advanced) * 100 > Int128(approved) * Int128(share) {
                    add("advance_over_share", project: project, unitID: project.unitID,
                        "Đề án \(project.code) đã tạm ứng \(money(advanced)), vượt \(share)% kinh phí được duyệt \(money(approved)).")
                }
            }
            let produced = outputs[id] ?? Output_()
            if produced.inPeriod > 0 && paid.rowsToEnd == 0 {
                add("output_without_money", project: project, unitID: project.unitID,
                    "Đề án \(project.code) ghi nhận kết quả trong kỳ nhưng đến hết kỳ chưa có khoản giải ngân nào.")
            }
            if acceptedStatuses.contains(project.status) {
                if actualTotal > 0 && produced.any == 0 {
                    add("money_without_output", project: project, unitID: project.unitID,
                        "Đề án \(project.code) đã nghiệm thu, đã chi \(money(actualTotal)) nhưng không có kết quả nào được ghi nhận.")
                }
                if !accepted.contains(id) {
                    add("accepted_without_record", project: project, unitID: project.unitID,
                        "Đề án \(project.code) ở trạng thái \"\(ProjectStatus(rawValue: project.status)?.vietnameseName ?? project.status)\" nhưng không có bước nghiệm thu được ghi nhận.")
                }
            }
            if ["settled", "closed"].contains(project.status), let year = sums[id]?[Period.fullYear.rawValue]?[ReportTotals.money],
               year.actualRows == 0 && year.estimate > 0 {
                add("settled_with_estimates", project: project, unitID: project.unitID,
                    "Đề án \(project.code) đã quyết toán nhưng số chi cả năm vẫn là số ước (\(money(year.estimate))).")
            }
            if scope.period == .fullYear && approvedH1.contains(project.unitID), let h1 = sums[id]?[Period.h1.rawValue] {
                for (measure, value) in h1.sorted(by: { $0.key < $1.key }) where value.actualRows == 0 && value.estimate > 0 {
                    let what = measure == ReportTotals.money ? "giải ngân \(money(value.estimate))" : "kết quả \((try? ReferenceData.indicator(code: measure))?.vietnameseName.lowercased() ?? measure) \(VietnameseFormat.count(value.estimate))"
                    add("stale_estimate", project: project, unitID: project.unitID,
                        "Đề án \(project.code): số ước \(what) của 6 tháng đầu năm chưa được thay bằng số thực hiện, dù báo cáo 6 tháng đã được phê duyệt.")
                }
            }
        }

        try await doubleFunding(scope, projects: projects, add: add, on: db)
        try await unitCostOutliers(scope, projects: projects, limit: rules["unit_cost_outlier"]?.limitValue ?? 35, add: add, on: db)
        for unit in scope.units {
            try await unitFigures(scope, unit: unit, factor: rules["year_on_year_jump"]?.limitValue ?? 5, today: today, add: add, on: db)
        }
        return findings
    }

    typealias Add = (String, Project?, String, String) -> Void

    /// The same establishment (tax code), the same category, the same year, in two projects or two provinces: the
    /// other projects are searched across the country.
    private static func doubleFunding(_ scope: Scope, projects: [Project], add: Add, on db: any Database) async throws {
        guard !projects.isEmpty else { return }
        let sql = db as! any SQLDatabase
        let rows = try await sql.select().column(SQLColumn("tax_code", table: "b")).column(SQLColumn("code", table: "p"))
            .column(SQLColumn("unit_id", table: "p")).column(SQLColumn("category_code", table: "p"))
            .from(SQLAlias(SQLIdentifier("project_beneficiaries"), as: SQLIdentifier("pb")))
            .join(SQLAlias(SQLIdentifier("projects"), as: SQLIdentifier("p")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "p"), .equal, SQLColumn("project_id", table: "pb"))
            .join(SQLAlias(SQLIdentifier("beneficiaries"), as: SQLIdentifier("b")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "b"), .equal, SQLColumn("beneficiary_id", table: "pb"))
            .where(SQLColumn("year", table: "p"), .equal, SQLBind(scope.year))
            .where(SQLColumn("status", table: "p"), .in, SQLBind.group(countedStatuses))
            .all()
        struct Holder: Hashable { let code: String; let unitID: String }
        var holders: [String: Set<Holder>] = [:]   // "tax|category" → projects
        var taxCodesByProject: [String: Set<String>] = [:]
        for row in rows {
            let tax = try row.decode(column: "tax_code", as: String.self)
            let code = try row.decode(column: "code", as: String.self)
            let key = tax + "|" + (try row.decode(column: "category_code", as: String.self))
            holders[key, default: []].insert(Holder(code: code, unitID: try row.decode(column: "unit_id", as: String.self)))
            taxCodesByProject[code, default: []].insert(key)
        }
        let catalog = AdminUnitCatalog.standard
        for project in projects {
            for key in (taxCodesByProject[project.code] ?? []).sorted() {
                let others = (holders[key] ?? []).filter { $0.code != project.code }.sorted { $0.code < $1.code }
                guard !others.isEmpty else { continue }
                let tax = String(key.split(separator: "|").first ?? "")
                let where_ = others.map { other in
                    other.unitID == project.unitID ? "đề án \(other.code)" : "đề án \(other.code) (\(catalog.unit(id: other.unitID)?.name ?? other.unitID))"
                }.joined(separator: ", ")
                add("double_funding", project, project.unitID,
                    "Cơ sở mã số thuế \(tax) được đề án \(project.code) hỗ trợ nội dung \(project.categoryCode) năm \(scope.year), đồng thời được hỗ trợ cùng nội dung bởi \(where_).")
            }
        }
    }

    /// Support per establishment, trainee or demonstration model (the year's money paid over the year's quantity,
    /// actuals superseding estimates, as the reports count them), against every project of the same category, indicator and year in
    /// the country: median and MAD of the logarithms, |modified z| above the rule's limit (tenths).
    private static func unitCostOutliers(_ scope: Scope, projects: [Project], limit: Int64, add: Add, on db: any Database) async throws {
        guard !projects.isEmpty else { return }
        let sql = db as! any SQLDatabase
        let rows = try await sql.select().column(SQLColumn("project_id", table: "t")).column(SQLColumn("measure", table: "t"))
            .column(SQLColumn("actual_sum", table: "t")).column(SQLColumn("actual_rows", table: "t")).column(SQLColumn("estimate_sum", table: "t"))
            .column(SQLColumn("category_code", table: "p")).column(SQLColumn("support_approved_vnd", table: "p")).column(SQLColumn("settled_vnd", table: "p"))
            .from(SQLAlias(SQLIdentifier("project_period_totals"), as: SQLIdentifier("t")))
            .join(SQLAlias(SQLIdentifier("projects"), as: SQLIdentifier("p")), method: SQLJoinMethod.inner,
                  on: SQLColumn("id", table: "p"), .equal, SQLColumn("project_id", table: "t"))
            .where(SQLColumn("year", table: "t"), .equal, SQLBind(scope.year))
            .where(SQLColumn("period", table: "t"), .equal, SQLBind(Period.fullYear.rawValue))
            .where(SQLColumn("measure", table: "t"), .in, SQLBind.group(unitCostIndicators + [ReportTotals.money]))
            .where(SQLColumn("status", table: "p"), .in, SQLBind.group(countedStatuses))
            .all()
        struct Cost { let project: UUID; let cost: Int64; let quantity: Int64 }
        struct Quantity { let project: UUID; let key: String; let quantity: Int64 }
        var paid: [UUID: Int64] = [:]
        var quantities: [Quantity] = []
        for row in rows {
            let sums = PeriodSums(actual: try row.decode(column: "actual_sum", as: Int64.self), actualRows: try row.decode(column: "actual_rows", as: Int64.self),
                                  estimate: try row.decode(column: "estimate_sum", as: Int64.self))
            let project = try row.decode(column: "project_id", as: UUID.self)
            let measure = try row.decode(column: "measure", as: String.self)
            guard sums.realised > 0 else { continue }
            if measure == ReportTotals.money { paid[project] = sums.realised; continue }
            quantities.append(Quantity(project: project, key: (try row.decode(column: "category_code", as: String.self)) + "|" + measure, quantity: sums.realised))
        }
        var groups: [String: [Cost]] = [:]   // "category|indicator"
        for entry in quantities {
            guard let money = paid[entry.project], money > 0 else { continue }
            groups[entry.key, default: []].append(Cost(project: entry.project, cost: money / entry.quantity, quantity: entry.quantity))
        }
        let mine = Dictionary(projects.compactMap { p in p.id.map { ($0, p) } }, uniquingKeysWith: { a, _ in a })
        for (key, costs) in groups.sorted(by: { $0.key < $1.key }) {
            let values = costs.map(\.cost)
            guard let median = RobustStatistics.median(values) else { continue }
            for (index, z) in RobustStatistics.logOutliers(values, threshold: Double(limit) / 10) {
                guard let project = mine[costs[index].project] else { continue }
                let indicator = String(key.split(separator: "|").last ?? "")
                add("unit_cost_outlier", project, project.unitID,
                    "Đề án \(project.code): \(VietnameseFormat.money(Money(dong: costs[index].cost))) cho mỗi \((try? ReferenceData.indicator(code: indicator))?.unitLabel ?? indicator) (\(VietnameseFormat.count(costs[index].quantity))), trong khi trung vị của nội dung \(project.categoryCode) năm \(scope.year) trên cả nước là \(VietnameseFormat.money(Money(dong: median))) (z = \(String(format: "%.1f", z).replacingOccurrences(of: ".", with: ","))).")
            }
        }
    }

    /// The unit's own figures from the summary tables, as its report shows them: realised above plan (per category
    /// and in total), and plan or realised jumping beyond `factor` times the previous year's (on restated units).
    private static func unitFigures(_ scope: Scope, unit: AdminUnit, factor: Int64, today: CalendarDate, add: Add, on db: any Database) async throws {
        let summary = try await ReportSummary.latest(ReportScope(area: .unit(code: unit.code), year: scope.year, period: scope.period),
                                                     catalog: .standard, on: db)
        let money = { (dong: Int64) in VietnameseFormat.money(Money(dong: dong)) }
        for row in summary.byCategory where row.realisedVnd > row.planVnd {
            add("realised_over_plan", nil, unit.id,
                "\(unit.name): nội dung \(row.category) (\(row.name)) thực hiện \(money(row.realisedVnd)), vượt kế hoạch \(money(row.planVnd)).")
        }
        if summary.realised.amountVnd > summary.plan.amountVnd && summary.byCategory.allSatisfy({ $0.realisedVnd <= $0.planVnd }) {
            add("realised_over_plan", nil, unit.id,
                "\(unit.name): thực hiện \(money(summary.realised.amountVnd)), vượt kế hoạch \(money(summary.plan.amountVnd)).")
        }
        // Beyond the factor either way; a previous figure of zero is no comparison.
        func jump(_ now: Int64, _ before: Int64) -> Bool {
            guard now > 0, before > 0 else { return false }
            return Int128(now) > Int128(before) * Int128(factor) || Int128(now) * Int128(factor) < Int128(before)
        }
        if jump(summary.plan.amountVnd, summary.plan.previousYearVnd) {
            add("year_on_year_jump", nil, unit.id,
                "\(unit.name): kế hoạch năm \(scope.year) là \(money(summary.plan.amountVnd)), năm trước \(money(summary.plan.previousYearVnd)) (chênh quá \(factor) lần).")
        }
        // Realised figures are compared once the period is over (a year under way is not a year's figure).
        if today > scope.period.dates(in: scope.year).upperBound, jump(summary.realised.amountVnd, summary.realised.samePeriodPreviousYearVnd) {
            add("year_on_year_jump", nil, unit.id,
                "\(unit.name): thực hiện \(scope.period.vietnameseName(year: scope.year)) là \(money(summary.realised.amountVnd)), cùng kỳ năm trước \(money(summary.realised.samePeriodPreviousYearVnd)) (chênh quá \(factor) lần).")
        }
    }

    /// The findings with the unit's comments on them.
    static func withComments(_ findings: [Finding], year: Int, period: Period, on db: any Database) async throws -> [Finding] {
        let unitIDs = Array(Set(findings.map(\.unitID)))
        guard !unitIDs.isEmpty else { return findings }
        let comments = try await QualityComment.query(on: db).filter(\.$unitID ~~ unitIDs).filter(\.$year == year)
            .filter(\.$period == period.rawValue).all()
        let byKey = Dictionary(comments.map { ("\($0.unitID)|\($0.ruleCode)|\($0.subject)", $0.comment) }, uniquingKeysWith: { a, _ in a })
        return findings.map { finding in
            var copy = finding
            copy.comment = byKey["\(finding.unitID)|\(finding.rule)|\(finding.subject)"]
            return copy
        }
    }
}
