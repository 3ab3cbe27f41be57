import Foundation

/// The ministry's three khuyến công regions.
public enum Region: String, CaseIterable, Codable, Sendable {
    case north, central, south

    public var vietnameseName: String {
        switch self {
        case .north: "Khu vực phía Bắc"
        case .central: "Khu vực miền Trung – Tây Nguyên"
        case .south: "Khu vực phía Nam"
        }
    }

    public var englishName: String {
        switch self {
        case .north: "Northern region"
        case .central: "Central region and Central Highlands"
        case .south: "Southern region"
        }
    }
}

/// A province-level unit as it was valid for a span of time. Codes are reused with another meaning across
/// the 1 July 2025 merger, so a unit is identified by its code and the first day of its validity.
public struct AdminUnit: Hashable, Codable, Sendable {
    public let code: UnitCode
    public let name: String
    public let region: Region
    public let validFrom: CalendarDate
    /// The first day on which the unit no longer exists; nil while it is valid.
    public let validUntil: CalendarDate?
    /// The code of today's unit that took this one over (itself for today's units).
    public let successorCode: UnitCode

    /// "24@2025-07-01": stable across databases, readable in files and URLs. Kept, not recomputed: reports ask often.
    public let id: UnitID

    public init(code: UnitCode, name: String, region: Region, validFrom: CalendarDate, validUntil: CalendarDate?, successorCode: UnitCode) {
        self.code = code
        self.name = name
        self.region = region
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.successorCode = successorCode
        self.id = UnitID(code: code, validFrom: validFrom)
    }

    public func isValid(on date: CalendarDate) -> Bool {
        validFrom <= date && (validUntil.map { date < $0 } ?? true)
    }
}

/// A unit's membership of one of the ministry's regions for a span of time. Membership is dated data like the units:
/// a region's members can change with a decision, and a report as it was uses the membership of its date.
/// From `admin-units.csv`: an old unit is in its row's region from 01/08/2008 until 30/06/2025; today's unit is in
/// the region of the old unit with its code from 01/07/2025 (so Bình Thuận, old 60, is southern until 30/06/2025, and
/// its history restated onto Lâm Đồng, 68, is central).
public struct RegionMembership: Hashable, Codable, Sendable {
    /// The unit's id ("60@2008-08-01").
    public let unitID: UnitID
    public let region: Region
    public let validFrom: CalendarDate
    /// The first day on which the membership no longer holds; nil while it does.
    public let validUntil: CalendarDate?
    /// The decision or text the membership rests on.
    public let legalBasis: String

    public init(unitID: UnitID, region: Region, validFrom: CalendarDate, validUntil: CalendarDate?, legalBasis: String) {
        self.unitID = unitID
        self.region = region
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.legalBasis = legalBasis
    }

    public func isValid(on date: CalendarDate) -> Bool {
        validFrom <= date && (validUntil.map { date < $0 } ?? true)
    }
}

/// Every unit with its validity, and the rules that resolve a code in an input and restate a record.
public struct AdminUnitCatalog: Sendable {
    public let units: [AdminUnit]
    /// Each unit's regions with their dates, oldest first.
    public let memberships: [RegionMembership]
    private let membershipsByUnit: [UnitID: [RegionMembership]]
    /// Look-ups by id and by today's code, so that reports over many rows do not search the list.
    private let byID: [UnitID: AdminUnit]
    private let currentByCode: [UnitCode: AdminUnit]

    /// The day the 34 provinces of Resolution 202/2025/QH15 took effect.
    public static let mergerDate = CalendarDate(2025, 7, 1)
    /// The previous change of province boundaries (Hà Tây into Hà Nội): the start of the old units' validity.
    public static let previousChangeDate = CalendarDate(2008, 8, 1)

    /// The basis of the memberships read from `admin-units.csv`.
    public static let oldMembershipBasis = "Phân công khu vực khuyến công của Bộ Công Thương (đơn vị trước ngày 01/07/2025)"
    public static let newMembershipBasis = "Nghị quyết 202/2025/QH15: đơn vị mới thuộc khu vực của tỉnh cũ cùng mã, từ ngày 01/07/2025"

    /// `memberships` nil: each unit is in `unit.region` over its whole validity.
    public init(units: [AdminUnit], memberships: [RegionMembership]? = nil) {
        self.units = units
        let memberships = memberships ?? units.map { unit in
            RegionMembership(unitID: unit.id, region: unit.region, validFrom: unit.validFrom, validUntil: unit.validUntil,
                             legalBasis: unit.validUntil == nil ? Self.newMembershipBasis : Self.oldMembershipBasis)
        }
        self.memberships = memberships
        membershipsByUnit = Dictionary(grouping: memberships, by: \.unitID).mapValues { $0.sorted { $0.validFrom < $1.validFrom } }
        byID = Dictionary(units.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        currentByCode = Dictionary(units.filter { $0.validUntil == nil }.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The same units with other memberships (the dated rows of the database, `region_memberships`).
    public func with(memberships: [RegionMembership]) -> AdminUnitCatalog {
        AdminUnitCatalog(units: units, memberships: memberships)
    }

    /// The catalog of `admin-units.csv`: one row per pre-merger province with its successor and region.
    public static let standard: AdminUnitCatalog = {
        guard let url = Bundle.module.url(forResource: "admin-units", withExtension: "csv"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            fatalError("admin-units.csv is missing from the KhuyenCongCore bundle")
        }
        do { return try parse(csv: text) } catch { fatalError("admin-units.csv: \(error)") }
    }()

    /// Builds old units (valid until the merger) and new units (valid from it) from the mapping file.
    public static func parse(csv text: String) throws -> AdminUnitCatalog {
        var old: [AdminUnit] = []
        var new: [UnitCode: AdminUnit] = [:]
        let lines = text.split(whereSeparator: \.isNewline).map(String.init)
        guard lines.first?.hasPrefix("old_code,old_name,new_code,new_name,region") == true else {
            throw DomainError.invalid(vi: "admin-units.csv: thiếu dòng tiêu đề", en: "admin-units.csv: header missing")
        }
        for (index, line) in lines.dropFirst().enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 5, let region = Region(rawValue: fields[4]) else {
                throw DomainError.invalid(vi: "admin-units.csv:\(index + 2): dòng không hợp lệ",
                                          en: "admin-units.csv:\(index + 2): malformed row")
            }
            let oldCode = UnitCode(fields[0]), newCode = UnitCode(fields[2])
            old.append(AdminUnit(code: oldCode, name: fields[1], region: region, validFrom: previousChangeDate,
                                 validUntil: mergerDate, successorCode: newCode))
            if oldCode == newCode || new[newCode] == nil {
                new[newCode] = AdminUnit(code: newCode, name: fields[3], region: region, validFrom: mergerDate,
                                         validUntil: nil, successorCode: newCode)
            }
        }
        return AdminUnitCatalog(units: old + new.values.sorted { $0.code < $1.code })
    }

    /// The unit a code means in a record of the given plan year: the one valid on 1 January of that year.
    public func resolve(code: UnitCode, planYear: Int) throws -> AdminUnit {
        try resolve(code: code, on: CalendarDate(planYear, 1, 1))
    }

    public func resolve(code: UnitCode, on date: CalendarDate) throws -> AdminUnit {
        guard let unit = units.first(where: { $0.code == code && $0.isValid(on: date) }) else {
            throw DomainError(.notFound,
                              vi: "Mã đơn vị \"\(code)\" không tồn tại vào ngày \(VietnameseFormat.date(date))",
                              en: "unit code \"\(code)\" does not exist on \(date)")
        }
        return unit
    }

    public func unit(id: UnitID) -> AdminUnit? { byID[id] }

    /// Today's unit that a record made under `unit` is counted in when restated.
    public func restated(_ unit: AdminUnit) -> AdminUnit {
        currentByCode[unit.successorCode] ?? unit
    }

    /// The region a record made under `unit` belongs to on `date`: the unit's membership on that day; after the unit
    /// ceased to exist, its successor's (Bình Thuận's records are southern until 30/06/2025, central with Lâm Đồng after).
    public func region(of unit: AdminUnit, on date: CalendarDate) -> Region {
        if let validUntil = unit.validUntil, date >= validUntil {
            let successor = restated(unit)
            if successor != unit { return region(of: successor, on: date) }
        }
        let list = membershipsByUnit[unit.id] ?? []
        return (list.last { $0.isValid(on: date) } ?? list.first { date < $0.validFrom } ?? list.last)?.region ?? unit.region
    }

    /// The region a record made under `unit` is counted in when restated: today's unit's present region.
    public func restatedRegion(of unit: AdminUnit) -> Region {
        let successor = restated(unit)
        return (membershipsByUnit[successor.id]?.last)?.region ?? successor.region
    }

    /// Every region a record made under `unit` has belonged to: its memberships, and the region it is restated into.
    public func regions(of unit: AdminUnit) -> Set<Region> {
        Set(memberships(of: unit).map(\.region)).union([unit.region, restatedRegion(of: unit)])
    }

    /// A unit's memberships, oldest first.
    public func memberships(of unit: AdminUnit) -> [RegionMembership] { membershipsByUnit[unit.id] ?? [] }

    /// The units of a region valid on a date, with the membership of that date, ordered by code.
    public func units(in region: Region?, on date: CalendarDate) -> [AdminUnit] {
        units.filter { $0.isValid(on: date) && (region == nil || self.region(of: $0, on: date) == region) }.sorted { $0.code < $1.code }
    }

    /// The units valid on 1 January of a plan year whose records a region counts: as they were (the membership of that
    /// day), or restated (the region of today's unit each is restated onto).
    public func units(in region: Region?, planYear: Int, restated: Bool) -> [AdminUnit] {
        guard restated, let region else { return units(in: region, planYear: planYear) }
        return units(in: nil, planYear: planYear).filter { restatedRegion(of: $0) == region }
    }

    /// The units of a region for a plan year, as they were on 1 January of that year.
    public func units(in region: Region?, planYear: Int) -> [AdminUnit] {
        units(in: region, on: CalendarDate(planYear, 1, 1))
    }
}
