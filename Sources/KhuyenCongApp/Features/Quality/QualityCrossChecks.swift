import Fluent
import Foundation
import KhuyenCongCore
import SQLKit

/// The rules that compare a project with the rest of the country: the same establishment supported twice, and unit
/// costs far from the country's median. Both depend on the whole year's data, not on the scope asked for.
extension QualityFindings {
    /// The same establishment (tax code), the same category, the same year, in two projects or two provinces. The
    /// database returns only the tax codes held twice, across the country; those of the scope become findings.
    static func doubleFunding(_ scope: Scope, add: Add, on db: any Database) async throws {
        let unitIDs = Set(scope.units.map(\.id))
        guard !unitIDs.isEmpty else { return }
        let rows = try await (db as! any SQLDatabase).raw("""
            WITH links AS (
              SELECT b.tax_code, p.code, p.unit_id, p.category_code FROM project_beneficiaries pb
              JOIN projects p ON p.id = pb.project_id JOIN beneficiaries b ON b.id = pb.beneficiary_id
              WHERE p.year = \(bind: scope.year) AND p.status IN (\(binds: countedStatuses))),
            twice AS (SELECT tax_code, category_code FROM links GROUP BY tax_code, category_code HAVING COUNT(DISTINCT code) > 1)
            SELECT l.tax_code, l.code, l.unit_id, l.category_code FROM links l
            JOIN twice t ON t.tax_code = l.tax_code AND t.category_code = l.category_code
            """).all()
        struct Holder: Hashable { let code: String; let unitID: String; let category: String }
        var holders: [String: Set<Holder>] = [:]   // "tax|category" → projects
        for row in rows {
            let category = try row.decode(column: "category_code", as: String.self)
            holders[(try row.decode(column: "tax_code", as: String.self)) + "|" + category, default: []].insert(
                Holder(code: try row.decode(column: "code", as: String.self), unitID: try row.decode(column: "unit_id", as: String.self), category: category))
        }
        let catalog = AdminUnitCatalog.standard
        let mine = holders.flatMap { key, projects in projects.filter { unitIDs.contains($0.unitID) }.map { (key, $0) } }
        for (key, project) in mine.sorted(by: { ($0.1.code, $0.0) < ($1.1.code, $1.0) }) {
            let others = (holders[key] ?? []).filter { $0.code != project.code }.sorted { $0.code < $1.code }
            guard !others.isEmpty else { continue }
            let tax = String(key.split(separator: "|").first ?? "")
            let where_ = others.map { other in
                other.unitID == project.unitID ? "đề án \(other.code)" : "đề án \(other.code) (\(catalog.unit(id: other.unitID)?.name ?? other.unitID))"
            }.joined(separator: ", ")
            add("double_funding", project.code, project.unitID,
                "Cơ sở mã số thuế \(tax) được đề án \(project.code) hỗ trợ nội dung \(project.category) năm \(scope.year), đồng thời được hỗ trợ cùng nội dung bởi \(where_).")
        }
    }

    /// A project whose unit cost lies far from the country's: found once per year and data version.
    struct CostOutlier: Sendable {
        let code: String
        let unitID: String
        let category: String
        let indicator: String
        let cost: Int64
        let quantity: Int64
        let median: Int64
        let z: Double
    }

    /// Support per establishment, trainee or demonstration model (the year's money paid over the year's quantity,
    /// actuals superseding estimates, as the reports count them), against every project of the same category,
    /// indicator and year in the country: median and MAD of the logarithms, |modified z| above the rule's limit (tenths).
    static func unitCostOutliers(_ scope: Scope, limit: Int64, cache: ReportCache?, add: Add, on db: any Database) async throws {
        let unitIDs = Set(scope.units.map(\.id))
        guard !unitIDs.isEmpty else { return }
        let outliers: [CostOutlier]
        if let cache {
            outliers = try await cache.value(.init(kind: "quality-costs", scope: nil, detail: "\(scope.year) \(limit)"), on: db) {
                try await costOutliers(year: scope.year, limit: limit, on: db)
            }
        } else {
            outliers = try await costOutliers(year: scope.year, limit: limit, on: db)
        }
        for outlier in outliers where unitIDs.contains(outlier.unitID) {
            add("unit_cost_outlier", outlier.code, outlier.unitID,
                "Đề án \(outlier.code): \(VietnameseFormat.money(Money(dong: outlier.cost))) cho mỗi \((try? ReferenceData.indicator(code: outlier.indicator))?.unitLabel ?? outlier.indicator) (\(VietnameseFormat.count(outlier.quantity))), trong khi trung vị của nội dung \(outlier.category) năm \(scope.year) trên cả nước là \(VietnameseFormat.money(Money(dong: outlier.median))) (z = \(String(format: "%.1f", outlier.z).replacingOccurrences(of: ".", with: ","))).")
        }
    }

    /// Every unit-cost outlier of the year in the country, by project code. The database reads the year's full-year
    /// money and quantities from `project_period_totals` by its year index and returns one row per counted project
    /// that was paid, with its realised figures (`PeriodSums.realised`: actuals superseding estimates).
    private static func costOutliers(year: Int, limit: Int64, on db: any Database) async throws -> [CostOutlier] {
        let realised = "CASE WHEN actual_rows > 0 THEN actual_sum ELSE estimate_sum END"
        var columns = SQLQueryString("MAX(CASE WHEN measure = \(bind: ReportTotals.money) THEN \(unsafeRaw: realised) END) AS paid")
        for (index, indicator) in unitCostIndicators.enumerated() {
            columns = columns + SQLQueryString(", MAX(CASE WHEN measure = \(bind: indicator) THEN \(unsafeRaw: realised) END) AS q\(unsafeRaw: String(index))")
        }
        let rows = try await (db as! any SQLDatabase).raw("""
            SELECT p.code, p.unit_id, p.category_code, x.* FROM (
              SELECT project_id, \(columns) FROM project_period_totals
              WHERE year = \(bind: year) AND period = \(bind: Period.fullYear.rawValue) AND measure IN (\(binds: [ReportTotals.money] + unitCostIndicators))
              GROUP BY project_id) x
            JOIN projects p ON p.id = x.project_id
            WHERE p.status IN (\(binds: countedStatuses)) AND x.paid > 0
            """).all()
        struct Quantity { let code: String; let unitID: String; let category: String; let indicator: String; let quantity: Int64 }
        var groups: [String: [(entry: Quantity, cost: Int64)]] = [:]   // "category|indicator"
        for row in rows {
            let code = try row.decode(column: "code", as: String.self), unitID = try row.decode(column: "unit_id", as: String.self)
            let category = try row.decode(column: "category_code", as: String.self), paid = try row.decode(column: "paid", as: Int64.self)
            for (index, indicator) in unitCostIndicators.enumerated() {
                guard let quantity = try row.decode(column: "q\(index)", as: Int64?.self), quantity > 0 else { continue }
                let entry = Quantity(code: code, unitID: unitID, category: category, indicator: indicator, quantity: quantity)
                groups[category + "|" + indicator, default: []].append((entry, paid / quantity))
            }
        }
        var outliers: [CostOutlier] = []
        for (_, costs) in groups.sorted(by: { $0.key < $1.key }) {
            let values = costs.map(\.cost)
            guard let median = RobustStatistics.median(values) else { continue }
            for (index, z) in RobustStatistics.logOutliers(values, threshold: Double(limit) / 10) {
                let entry = costs[index].entry
                outliers.append(CostOutlier(code: entry.code, unitID: entry.unitID, category: entry.category, indicator: entry.indicator,
                                            cost: costs[index].cost, quantity: entry.quantity, median: median, z: z))
            }
        }
        return outliers
    }
}
