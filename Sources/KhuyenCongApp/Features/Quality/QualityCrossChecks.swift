import Fluent
import Foundation
import KhuyenCongCore
import SQLKit

/// The rules that compare a project with the rest of the country: the same establishment supported twice, and unit
/// costs far from the country's median. Both depend on the whole year's data, not on the scope asked for.
extension QualityFindings {
    /// One establishment's support by one project: the row double funding is searched in.
    struct Link: Sendable, Hashable { let taxCode: String; let code: String; let unitID: UnitID; let category: String }
    struct Holder: Sendable, Hashable { let code: String; let unitID: UnitID; let category: String }

    /// The same establishment (tax code), the same category, the same year, in two projects or two provinces. The
    /// database returns only the tax codes held twice, across the country; those of the scope become findings. With
    /// the quality cache, each unit's links are kept under its data version and only the changed units' read again.
    static func doubleFunding(_ scope: Scope, cache: QualityCache? = nil, versions: QualityCache.Versions? = nil, add: Add,
                              on db: any Database) async throws {
        let unitIDs = Set(scope.units.map(\.id))
        guard !unitIDs.isEmpty else { return }
        let holders: [String: Set<Holder>]   // "tax|category" → projects, where more than one
        if let cache, let versions {
            holders = try await cache.country("double-funding \(scope.year)", versions: versions, load: { units in
                Dictionary(grouping: try await links(year: scope.year, units: units, heldTwiceOnly: false, on: db), by: \.unitID)
            }, combine: { rows, previous, replaced in Holdings(rows: rows, previous: previous, replaced: replaced) }).combined.twice
        } else {
            holders = twice(try await links(year: scope.year, units: nil, heldTwiceOnly: true, on: db))
        }
        let catalog = AdminUnitCatalog.standard
        let mine = holders.flatMap { key, projects in projects.filter { unitIDs.contains($0.unitID) }.map { (key, $0) } }
        for (key, project) in mine.sorted(by: { ($0.1.code, $0.0) < ($1.1.code, $1.0) }) {
            let others = (holders[key] ?? []).filter { $0.code != project.code }.sorted { $0.code < $1.code }
            guard !others.isEmpty else { continue }
            let tax = String(key.split(separator: "|").first ?? "")
            let where_ = others.map { other in
                other.unitID == project.unitID ? other.code : "\(other.code) (\(catalog.unit(id: other.unitID)?.name ?? other.unitID.rawValue))"
            }.joined(separator: ", ")
            add("double_funding", project.code, project.unitID,
                "Cơ sở mã số thuế \(tax) được đề án \(project.code) hỗ trợ nội dung \(project.category) năm \(scope.year), đồng thời được hỗ trợ cùng nội dung bởi đề án \(where_).")
        }
    }

    /// The year's links of counted projects: of these units (nil: every unit), or only those whose tax code and
    /// category are held by more than one project.
    private static func links(year: Int, units: Set<UnitID>?, heldTwiceOnly: Bool, on db: any Database) async throws -> [Link] {
        let unitFilter = units.map { SQLQueryString(" AND p.unit_id IN (\(binds: $0.sorted()))") } ?? SQLQueryString("")
        let query: SQLQueryString = heldTwiceOnly ? """
            WITH links AS (
              SELECT b.tax_code, p.code, p.unit_id, p.category_code FROM project_beneficiaries pb
              JOIN projects p ON p.id = pb.project_id JOIN beneficiaries b ON b.id = pb.beneficiary_id
              WHERE p.year = \(bind: year) AND p.status IN (\(binds: countedStatuses))),
            twice AS (SELECT tax_code, category_code FROM links GROUP BY tax_code, category_code HAVING COUNT(DISTINCT code) > 1)
            SELECT l.tax_code, l.code, l.unit_id, l.category_code FROM links l
            JOIN twice t ON t.tax_code = l.tax_code AND t.category_code = l.category_code
            """ : """
            SELECT b.tax_code, p.code, p.unit_id, p.category_code FROM project_beneficiaries pb
            JOIN projects p ON p.id = pb.project_id JOIN beneficiaries b ON b.id = pb.beneficiary_id
            WHERE p.year = \(bind: year) AND p.status IN (\(binds: countedStatuses))\(unitFilter)
            """
        return try await (db as! any SQLDatabase).raw(query).all().map { row in
            Link(taxCode: try row.decode(column: "tax_code", as: String.self), code: try row.decode(column: "code", as: String.self),
                 unitID: try row.decode(column: "unit_id", as: UnitID.self), category: try row.decode(column: "category_code", as: String.self))
        }
    }

    /// The country's establishments and their projects (tax code and category → projects), and those held by more than
    /// one project. After a write only the changed units' links are taken out and put back, and only the establishments
    /// they touch are counted again (not every link of the country).
    struct Holdings: Sendable {
        var all: [String: Set<Holder>] = [:]
        var twice: [String: Set<Holder>] = [:]

        init(rows: [UnitID: [Link]], previous: Holdings?, replaced: [UnitID: [Link]]?) {
            var touched: Set<String> = []
            var links: [Link]
            if let previous, let replaced {
                self = previous
                for link in replaced.values.joined() {
                    let key = link.taxCode + "|" + link.category
                    all[key]?.remove(Holder(code: link.code, unitID: link.unitID, category: link.category))
                    if all[key]?.isEmpty == true { all[key] = nil }
                    touched.insert(key)
                }
                links = replaced.keys.flatMap { rows[$0] ?? [] }
            } else {
                links = Array(rows.values.joined())
            }
            for link in links {
                let key = link.taxCode + "|" + link.category
                all[key, default: []].insert(Holder(code: link.code, unitID: link.unitID, category: link.category))
                touched.insert(key)
            }
            for key in touched { twice[key] = all[key].flatMap { $0.count > 1 ? $0 : nil } }
        }
    }

    /// The projects of each tax code and category held by more than one project.
    private static func twice<Links: Sequence>(_ links: Links) -> [String: Set<Holder>] where Links.Element == Link {
        var holders: [String: Set<Holder>] = [:]
        for link in links {
            holders[link.taxCode + "|" + link.category, default: []].insert(Holder(code: link.code, unitID: link.unitID, category: link.category))
        }
        return holders.filter { $0.value.count > 1 }
    }

    /// A project whose unit cost lies far from the country's.
    struct CostOutlier: Sendable {
        let code: String
        let unitID: UnitID
        let category: String
        let indicator: String
        /// Money paid per unit of the indicator, and the group's median of it.
        let cost: Money
        let quantity: Int64
        let median: Money
        let z: Double
    }

    /// One counted, paid project's realised full-year money and quantities (nil where none), as the unit costs read them.
    struct CostRow: Sendable { let code: String; let unitID: UnitID; let category: String; let paid: Money; let quantities: [Int64?] }

    /// Support per establishment, trainee or demonstration model (the year's money paid over the year's quantity,
    /// actuals superseding estimates, as the reports count them), against every project of the same category,
    /// indicator and year in the country: median and MAD of the logarithms, |modified z| above the rule's limit (tenths).
    /// With the quality cache, each unit's rows are kept under its data version and only the changed units' read again.
    static func unitCostOutliers(_ scope: Scope, limit: Int64, cache: QualityCache? = nil, versions: QualityCache.Versions? = nil,
                                 add: Add, on db: any Database) async throws {
        let unitIDs = Set(scope.units.map(\.id))
        guard !unitIDs.isEmpty else { return }
        let outliers: [CostOutlier]
        if let cache, let versions {
            outliers = try await cache.country("unit-costs \(scope.year) \(limit)", versions: versions, load: { units in
                Dictionary(grouping: try await costRows(year: scope.year, units: units, on: db), by: \.unitID)
            }, combine: { rows, previous, replaced in
                CostGroups(rows: rows, previous: previous, replaced: replaced, limit: limit)
            }).combined.outliers.values.flatMap { $0 }
        } else {
            outliers = CostGroups(rows: ["": try await costRows(year: scope.year, units: nil, on: db)], previous: nil, replaced: nil, limit: limit)
                .outliers.values.flatMap { $0 }
        }
        for outlier in outliers where unitIDs.contains(outlier.unitID) {
            add("unit_cost_outlier", outlier.code, outlier.unitID,
                "Đề án \(outlier.code): \(VietnameseFormat.money(outlier.cost)) cho mỗi \((try? ReferenceData.indicator(code: outlier.indicator))?.unitLabel ?? outlier.indicator) (\(VietnameseFormat.count(outlier.quantity))), trong khi trung vị của nội dung \(outlier.category) năm \(scope.year) trên cả nước là \(VietnameseFormat.money(outlier.median)) (z = \(String(format: "%.1f", outlier.z).replacingOccurrences(of: ".", with: ","))).")
        }
    }

    /// The database reads the year's full-year money and quantities from `project_period_totals` (by its year index,
    /// or for some units by project) and returns one row per counted project that was paid, with its realised figures
    /// (`PeriodSums.realised`: actuals superseding estimates). `units`: only these units' projects (nil: every unit).
    private static func costRows(year: Int, units: Set<UnitID>?, on db: any Database) async throws -> [CostRow] {
        let realised = "CASE WHEN actual_rows > 0 THEN actual_sum ELSE estimate_sum END"
        var columns = SQLQueryString("MAX(CASE WHEN measure = \(bind: ReportTotals.money) THEN \(unsafeRaw: realised) END) AS paid")
        for (index, indicator) in unitCostIndicators.enumerated() {
            columns = columns + SQLQueryString(", MAX(CASE WHEN measure = \(bind: indicator) THEN \(unsafeRaw: realised) END) AS q\(unsafeRaw: String(index))")
        }
        // The summary rows carry the project's plan year: the unit's projects of that year only (by the (year, unit) index).
        let projects = units.map {
            SQLQueryString(" AND project_id IN (SELECT id FROM projects WHERE year = \(bind: year) AND unit_id IN (\(binds: $0.sorted())))")
        }
            ?? SQLQueryString("")
        let rows = try await (db as! any SQLDatabase).raw("""
            SELECT p.code, p.unit_id, p.category_code, x.* FROM (
              SELECT project_id, \(columns) FROM project_period_totals
              WHERE year = \(bind: year) AND period = \(bind: Period.fullYear.rawValue) AND measure IN (\(binds: [ReportTotals.money] + unitCostIndicators))\(projects)
              GROUP BY project_id) x
            JOIN projects p ON p.id = x.project_id
            WHERE p.status IN (\(binds: countedStatuses)) AND x.paid > 0
            """).all()
        return try rows.map { row in
            CostRow(code: try row.decode(column: "code", as: String.self), unitID: try row.decode(column: "unit_id", as: UnitID.self),
                    category: try row.decode(column: "category_code", as: String.self), paid: try row.decode(column: "paid", as: Money.self),
                    quantities: try unitCostIndicators.indices.map { try row.decode(column: "q\($0)", as: Int64?.self) })
        }
    }

    /// A year's unit costs of the country per category and indicator, and the outliers of each group: median and MAD
    /// of the logarithms of the costs. After a write only the groups whose costs changed are reckoned again.
    struct CostGroups: Sendable {
        /// `cost`: whole đồng per unit of the indicator, a plain number for the statistics (`RobustStatistics`).
        struct Entry: Sendable, Hashable { let code: String; let unitID: UnitID; let category: String; let indicator: String; let quantity: Int64; let cost: Int64 }
        var groups: [String: [Entry]] = [:]   // "category|indicator"
        var outliers: [String: [CostOutlier]] = [:]

        static func entries<Rows: Sequence>(_ rows: Rows) -> [Entry] where Rows.Element == CostRow {
            rows.flatMap { row in
                unitCostIndicators.enumerated().compactMap { index, indicator -> Entry? in
                    guard let quantity = row.quantities[index], quantity > 0 else { return nil }
                    return Entry(code: row.code, unitID: row.unitID, category: row.category, indicator: indicator, quantity: quantity, cost: row.paid.dong / quantity)
                }
            }
        }

        init(rows: [UnitID: [CostRow]], previous: CostGroups?, replaced: [UnitID: [CostRow]]?, limit: Int64) {
            guard let previous, let replaced else {
                groups = Dictionary(grouping: Self.entries(rows.values.joined()), by: { $0.category + "|" + $0.indicator })
                for key in groups.keys { outliers[key] = Self.outliers(groups[key] ?? [], limit: limit) }
                return
            }
            self = previous
            // The groups where a changed unit's costs differ from those it had: those groups are reckoned again.
            let before = Set(Self.entries(replaced.values.joined()))
            let after = Set(Self.entries(replaced.keys.flatMap { rows[$0] ?? [] }))
            let changed = before.symmetricDifference(after)
            for key in Set(changed.map { $0.category + "|" + $0.indicator }) {
                var group = (groups[key] ?? []).filter { !before.contains($0) }
                group.append(contentsOf: after.filter { $0.category + "|" + $0.indicator == key })
                groups[key] = group.isEmpty ? nil : group
                outliers[key] = Self.outliers(group, limit: limit)
            }
        }

        static func outliers(_ costs: [Entry], limit: Int64) -> [CostOutlier] {
            let values = costs.map(\.cost)
            guard let median = RobustStatistics.median(values) else { return [] }
            return RobustStatistics.logOutliers(values, threshold: Double(limit) / 10).map { index, z in
                let entry = costs[index]
                return CostOutlier(code: entry.code, unitID: entry.unitID, category: entry.category, indicator: entry.indicator,
                                   cost: Money(dong: entry.cost), quantity: entry.quantity, median: Money(dong: median), z: z)
            }
        }
    }
}
