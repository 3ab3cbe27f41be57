import Fluent
import KhuyenCongCore

/// The rules page's section on regions: how many provinces each region has today, every dated membership row (names,
/// not codes; dates dd/mm/yyyy) and the form of a new row (the admin's; the ministry reads).
struct RegionsSection: Encodable {
    struct Row: Encodable {
        let unit: String; let region: String; let from: String; let until: String; let basis: String; let recordedBy: String
        /// Closed on its own first day: superseded by a later row from the start, kept as history.
        let superseded: Bool
    }
    struct Count: Encodable { let region: String; let units: Int }

    let action = Links.adminRuleRegions
    let today: [Count]
    let rows: [Row]
    let unitOptions: [RulesAdminPage.Option]
    let regionOptions: [RulesAdminPage.Option]
    let typed: [String: String]

    static func name(_ unit: AdminUnit?, fallback: String) -> String {
        guard let unit else { return fallback }
        return unit.validUntil == nil ? unit.name : "\(unit.name) (đến \(VietnameseFormat.date(unit.validUntil!.adding(days: -1))))"
    }

    static func build(typed: [String: String], on db: any Database) async throws -> RegionsSection {
        let catalog = try await AdminUnitCatalog.load(on: db)
        let records = try await RegionMembershipRecord.query(on: db).all()
        let rows = try records.map { record -> (String, CalendarDate, Row) in
            let membership = try record.membership()
            let unitName = name(catalog.unit(id: record.unitID), fallback: record.unitCode.rawValue)
            let superseded = membership.validUntil.map { $0 <= membership.validFrom } ?? false
            return (unitName, membership.validFrom, Row(
                unit: unitName, region: membership.region.vietnameseName, from: VietnameseFormat.date(membership.validFrom),
                until: membership.validUntil.map { superseded ? "–" : VietnameseFormat.date($0.adding(days: -1)) } ?? "–",
                basis: membership.legalBasis, recordedBy: Recorder.shown(record.recordedBy), superseded: superseded))
        }.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
        let now = CalendarDate.today()
        let selectedUnit = typed["unitID"] ?? ""
        let current = catalog.units.filter { $0.validUntil == nil }.sorted { $0.name < $1.name }
        let former = catalog.units.filter { $0.validUntil != nil }.sorted { $0.name < $1.name }
        return RegionsSection(
            today: Region.allCases.map { Count(region: $0.vietnameseName, units: catalog.units(in: $0, on: now).count) },
            rows: rows,
            unitOptions: (current + former).map { RulesAdminPage.Option(value: $0.id.rawValue, label: name($0, fallback: $0.code.rawValue), selected: $0.id.rawValue == selectedUnit) },
            regionOptions: Region.allCases.map { RulesAdminPage.Option(value: $0.rawValue, label: $0.vietnameseName, selected: $0.rawValue == typed["region"]) },
            typed: typed)
    }
}
