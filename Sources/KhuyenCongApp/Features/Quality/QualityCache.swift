import Fluent
import Foundation
import KhuyenCongCore
import NIOConcurrencyHelpers
import SQLKit

/// The data-quality findings kept per unit, under the unit data versions of M0052 (raised by triggers in the
/// transaction of every write to a row the rules read of that unit). A write recomputes only what its units hold:
/// the project rules and figures of the units whose data changed, and the share of those units in the country-wide
/// comparisons (double funding, unit costs), which are then combined anew from the shares kept in memory.
/// Every entry remembers the versions it was computed at, read before computing, so that a write landing meanwhile
/// merely makes it look old; several instances, each with its own cache, never serve findings older than the data.
final class QualityCache: Sendable {
    /// The unit data versions: unit id → counter (0 for a unit without a row); "*" for rows of no unit.
    struct Versions: Sendable, Equatable {
        let byUnit: [UnitID: Int64]
        subscript(unit: UnitID) -> Int64 { byUnit[unit] ?? 0 }

        static func load(on db: any Database) async throws -> Versions {
            let rows = try await (db as! any SQLDatabase).raw("SELECT unit_id, version FROM unit_data_versions").all()
            var byUnit: [UnitID: Int64] = [:]
            for row in rows { byUnit[try row.decode(column: "unit_id", as: UnitID.self)] = try row.decode(column: "version", as: Int64.self) }
            return Versions(byUnit: byUnit)
        }
    }

    /// One unit's findings of the unit-level rules (project rules, estimates, the unit's figures).
    private struct UnitEntry { let stamp: [Int64]; let findings: [QualityFindings.Raw] }
    private let units = NIOLockedValueBox<[String: UnitEntry]>([:])
    /// How many units' unit-level findings were reckoned anew (not reused) by this cache: what the tests observe.
    private let reckonedUnits = NIOLockedValueBox(0)
    var unitsReckoned: Int { reckonedUnits.withLockedValue { $0 } }
    /// Country-wide comparisons, per kind and year: each unit's rows and the versions they were read at.
    private let countries = NIOLockedValueBox<[String: any Sendable]>([:])
    private let capacity = 4096

    /// A scope's findings and the versions they were reckoned at: reused while no unit's data changed.
    private struct ScopeEntry { let versions: Versions; let findings: [QualityFindings.Raw] }
    private let scopes = NIOLockedValueBox<[String: ScopeEntry]>([:])

    func scopeFindings(_ key: String, versions: Versions, compute: () async throws -> [QualityFindings.Raw]) async throws -> [QualityFindings.Raw] {
        if let entry = scopes.withLockedValue({ $0[key] }), entry.versions == versions { return entry.findings }
        let findings = try await compute()
        scopes.withLockedValue { entries in
            if entries.count >= 512 { entries.removeAll(keepingCapacity: true) }
            entries[key] = ScopeEntry(versions: versions, findings: findings)
        }
        return findings
    }

    // MARK: - Unit-level rules

    /// The findings of the unit-level rules for the scope's units: kept ones where the versions of the unit (and of
    /// the units its figures compare with, the previous year's across the 2025 merger) are unchanged, the others
    /// reckoned together in one pass.
    func unitFindings(_ scope: QualityFindings.Scope, factor: Int64, today: CalendarDate, versions: Versions,
                      on db: any Database) async throws -> [QualityFindings.Raw] {
        let catalog = AdminUnitCatalog.standard
        var kept: [UnitID: [QualityFindings.Raw]] = [:]
        var stale: [(unit: AdminUnit, key: String, stamp: [Int64])] = []
        for unit in scope.units {
            let unitScope = ReportScope(area: .unit(code: unit.code), year: scope.year, period: scope.period)
            let depends = Set([unit.id]).union(try unitScope.units(for: scope.year, catalog: catalog))
                .union(try unitScope.units(for: scope.year - 1, catalog: catalog))
            let stamp = depends.sorted().map { versions[$0] }
            let key = "\(unit.id) \(scope.year) \(scope.period.rawValue) \(today) \(factor)"
            if let entry = units.withLockedValue({ $0[key] }), entry.stamp == stamp {
                kept[unit.id] = entry.findings
            } else {
                stale.append((unit, key, stamp))
            }
        }
        if !stale.isEmpty {
            reckonedUnits.withLockedValue { $0 += stale.count }
            let fresh = try await QualityFindings.unitLevel(.init(units: stale.map(\.unit), year: scope.year, period: scope.period),
                                                           factor: factor, today: today, on: db)
            let byUnit = Dictionary(grouping: fresh, by: \.unitID)
            units.withLockedValue { entries in
                if entries.count + stale.count > capacity { entries.removeAll(keepingCapacity: true) }
                for item in stale { entries[item.key] = UnitEntry(stamp: item.stamp, findings: byUnit[item.unit.id] ?? []) }
            }
            for item in stale { kept[item.unit.id] = byUnit[item.unit.id] ?? [] }
        }
        return scope.units.flatMap { kept[$0.id] ?? [] }
    }

    // MARK: - Country-wide comparisons

    /// Each unit's rows of one country-wide comparison and what they combine into. `versions` are those the rows of
    /// each unit were read at; `global` the version of "*" when the rows were read.
    struct Country<Row: Sendable, Combined: Sendable>: Sendable {
        var versions: [UnitID: Int64]
        var rows: [UnitID: [Row]]
        var global: Int64
        var combined: Combined
    }

    /// The country's rows of one comparison, refreshed for the units whose version changed (all of them the first
    /// time, or when a row of no unit changed), and their combination, reckoned again only when a unit's rows changed.
    /// `load(units)` reads the rows of these units (nil: every unit) grouped by unit; `combine(rows, previous, replaced)`
    /// combines all rows, given the previous combination and the rows the changed units had (nil: from scratch).
    func country<Row: Sendable, Combined: Sendable>(
        _ kind: String, versions: Versions,
        load: (Set<UnitID>?) async throws -> [UnitID: [Row]],
        combine: (_ rows: [UnitID: [Row]], _ previous: Combined?, _ replaced: [UnitID: [Row]]?) -> Combined
    ) async throws -> Country<Row, Combined> {
        let previous = countries.withLockedValue { $0[kind] } as? Country<Row, Combined>
        var next: Country<Row, Combined>
        if let previous, previous.global == versions["*"] {
            let stale = Set(versions.byUnit.keys).union(previous.versions.keys).filter { $0 != "*" && versions[$0] != (previous.versions[$0] ?? 0) }
            if stale.isEmpty { return previous }
            let loaded = try await load(stale)
            next = previous
            var replaced: [UnitID: [Row]] = [:]
            for unit in stale {
                replaced[unit] = previous.rows[unit] ?? []
                next.rows[unit] = loaded[unit] ?? []
                next.versions[unit] = versions[unit]
            }
            next.combined = combine(next.rows, previous.combined, replaced)
        } else {
            let loaded = try await load(nil)
            var rows: [UnitID: [Row]] = [:], read: [UnitID: Int64] = [:]
            for unit in Set(loaded.keys).union(versions.byUnit.keys) where unit != "*" {
                rows[unit] = loaded[unit] ?? []
                read[unit] = versions[unit]
            }
            next = Country(versions: read, rows: rows, global: versions["*"], combined: combine(rows, nil, nil))
        }
        let stored = next
        countries.withLockedValue { entries in
            if entries.count >= 64 { entries.removeAll(keepingCapacity: true) }
            entries[kind] = stored
        }
        return next
    }

    // MARK: - One per report cache

    private final class Slot: @unchecked Sendable {
        weak var owner: ReportCache?
        let cache = QualityCache()
        init(_ owner: ReportCache) { self.owner = owner }
    }
    private static let slots = NIOLockedValueBox<[Slot]>([])

    /// The quality cache that goes with a report cache (one per running instance, set up in `configure`).
    static func of(_ reportCache: ReportCache) -> QualityCache {
        slots.withLockedValue { slots in
            slots.removeAll { $0.owner == nil }
            if let slot = slots.first(where: { $0.owner === reportCache }) { return slot.cache }
            let slot = Slot(reportCache)
            slots.append(slot)
            return slot.cache
        }
    }
}
