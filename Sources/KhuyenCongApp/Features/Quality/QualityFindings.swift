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
        let unitCode: UnitCode
        let unitID: UnitID
        let message: String
        var comment: String?
        /// What a comment is kept under: the project code, or the unit's code for a rule about the unit.
        var subject: String { projectCode ?? unitCode.rawValue }
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

    /// Indicators whose quantity a unit cost is reckoned on: per establishment, per trainee, per demonstration model.
    static let unitCostIndicators = ["establishments_supported", "trainees", "demo_models"]

    /// Statuses whose projects count: everything that got as far as approval and was not given up.
    static let countedStatuses: [String] = ["approved", "allocated", "contracted", "in_progress", "accepted", "settled", "closed"]
    static let acceptedStatuses: Set<String> = ["accepted", "settled", "closed"]

    /// A finding before the rules' names and severities are put on it: rule code, project code, unit id, message.
    struct Raw: Sendable, Equatable {
        let rule: String
        let projectCode: String?
        let unitID: UnitID
        let message: String
    }

    /// The findings of a scope on the data as it is. With a cache (pages and API, never inside a write), the
    /// findings are kept under the unit data versions of M0052 (raised by triggers with every write): reused while no
    /// unit's data changed, and after a write only what the changed units hold is reckoned anew (`QualityCache`).
    static func evaluate(_ scope: Scope, today: CalendarDate = .today(), cache: ReportCache? = nil, on db: any Database) async throws -> [Finding] {
        let rules = try await rules(year: scope.year, period: scope.period, on: db)
        let limit = rules["unit_cost_outlier"]?.limitValue ?? 35, factor = rules["year_on_year_jump"]?.limitValue ?? 5
        var raw: [Raw] = []
        func add(_ code: String, projectCode: String?, unitID: UnitID, _ message: String) {
            raw.append(Raw(rule: code, projectCode: projectCode, unitID: unitID, message: message))
        }
        if let cache {
            let quality = QualityCache.of(cache)
            // The versions first: a write landing while the findings are reckoned makes them merely look old.
            let versions = try await QualityCache.Versions.load(on: db)
            raw = try await quality.scopeFindings("\(scope.units.map(\.id)) \(scope.year) \(scope.period.rawValue) \(today) \(limit) \(factor)",
                                                  versions: versions) {
                var raw = try await quality.unitFindings(scope, factor: factor, today: today, versions: versions, on: db)
                func add(_ code: String, projectCode: String?, unitID: UnitID, _ message: String) {
                    raw.append(Raw(rule: code, projectCode: projectCode, unitID: unitID, message: message))
                }
                try await doubleFunding(scope, cache: quality, versions: versions, add: add, on: db)
                try await unitCostOutliers(scope, limit: limit, cache: quality, versions: versions, add: add, on: db)
                return raw
            }
        } else {
            try await projectRules(scope, add: add, on: db)
            try await doubleFunding(scope, add: add, on: db)
            try await unitCostOutliers(scope, limit: limit, add: add, on: db)
            try await unitFigures(scope, factor: factor, today: today, add: add, on: db)
        }
        let unitByID = Dictionary(scope.units.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return raw.compactMap { raw in
            guard let rule = rules[raw.rule], let unit = unitByID[raw.unitID] ?? AdminUnitCatalog.standard.unit(id: raw.unitID) else { return nil }
            return Finding(rule: raw.rule, ruleName: rule.name, severity: rule.severity, projectCode: raw.projectCode,
                           unitCode: unit.code, unitID: unit.id, message: raw.message, comment: nil)
        }
    }

    /// The rules that read only the unit's own data (and its previous year's units): the project rules, the
    /// estimates and the unit's figures.
    static func unitLevel(_ scope: Scope, factor: Int64, today: CalendarDate, on db: any Database) async throws -> [Raw] {
        var raw: [Raw] = []
        func add(_ code: String, projectCode: String?, unitID: UnitID, _ message: String) {
            raw.append(Raw(rule: code, projectCode: projectCode, unitID: unitID, message: message))
        }
        try await projectRules(scope, add: add, on: db)
        try await unitFigures(scope, factor: factor, today: today, add: add, on: db)
        return raw
    }

    /// Records a finding: rule code, project code (nil for a rule about the unit), unit id, message.
    typealias Add = (String, String?, UnitID, String) -> Void

    /// The units' own figures from the summary tables, as each unit's report shows them: realised above plan (per
    /// category and in total), and plan or realised jumping beyond `factor` times the previous year's. The records of
    /// all the scope's units are read once and each unit's summary built from them.
    static func unitFigures(_ scope: Scope, factor: Int64, today: CalendarDate, add: Add, on db: any Database) async throws {
        guard !scope.units.isEmpty else { return }
        let catalog = AdminUnitCatalog.standard
        let scopes = scope.units.map { ReportScope(area: .unit(code: $0.code), year: scope.year, period: scope.period) }
        var current: Set<UnitID> = [], previous: Set<UnitID> = []
        for unitScope in scopes {
            current.formUnion(try unitScope.units(for: scope.year, catalog: catalog))
            previous.formUnion(try unitScope.units(for: scope.year - 1, catalog: catalog))
        }
        let asOf = scopes[0].asOf
        let records = try await YearRecords.load(year: scope.year, periods: [scope.period], asOf: asOf, units: current, on: db)
        let before = try await YearRecords.load(year: scope.year - 1, periods: [scope.period], asOf: asOf, units: previous,
                                                detail: .moneyOnly, on: db)
        let money = { (amount: Money) in VietnameseFormat.money(amount) }
        // Beyond the factor either way; a previous figure of zero is no comparison.
        func jump(_ now: Money, _ before: Money) -> Bool {
            guard now > 0, before > 0 else { return false }
            let (now, before) = (Int128(now.dong), Int128(before.dong))
            return now > before * Int128(factor) || now * Int128(factor) < before
        }
        for (unit, unitScope) in zip(scope.units, scopes) {
            let summary = try ReportSummary.build(unitScope, current: records, previous: before, catalog: catalog)
            for row in summary.byCategory where row.realisedVnd > row.planVnd {
                add("realised_over_plan", nil, unit.id,
                    "\(unit.name): nội dung \(row.category) (\(row.name)) thực hiện \(money(row.realisedVnd)), vượt kế hoạch \(money(row.planVnd)).")
            }
            if summary.realised.amountVnd > summary.plan.amountVnd && summary.byCategory.allSatisfy({ $0.realisedVnd <= $0.planVnd }) {
                add("realised_over_plan", nil, unit.id,
                    "\(unit.name): thực hiện \(money(summary.realised.amountVnd)), vượt kế hoạch \(money(summary.plan.amountVnd)).")
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
    }

    /// The findings with the unit's comments on them.
    static func withComments(_ findings: [Finding], year: Int, period: Period, on db: any Database) async throws -> [Finding] {
        let unitIDs = Array(Set(findings.map(\.unitID)))
        guard !unitIDs.isEmpty else { return findings }
        let comments = try await QualityComment.query(on: db).filter(\.$unitID ~~ unitIDs).filter(\.$year == year)
            .filter(\.$period == period).all()
        let byKey = Dictionary(comments.map { ("\($0.unitID)|\($0.ruleCode)|\($0.subject)", $0.comment) }, uniquingKeysWith: { a, _ in a })
        return findings.map { finding in
            var copy = finding
            copy.comment = byKey["\(finding.unitID)|\(finding.rule)|\(finding.subject)"]
            return copy
        }
    }
}
