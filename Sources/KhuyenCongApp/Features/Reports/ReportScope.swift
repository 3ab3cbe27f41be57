import KhuyenCongCore

/// What a report covers: a region, a unit or the country, at a plan year and period, as of a date.
struct ReportScope: Sendable, Hashable {
    enum Area: Sendable, Hashable {
        case country
        case region(Region)
        /// A unit code, resolved against the units valid on 1 January of the plan year.
        case unit(code: UnitCode)
    }

    var area: Area
    var year: Int
    var period: Period
    var source: FundingSource?
    /// Only these content categories (nil: all).
    var categories: Set<String>? = nil
    /// Latest figures (the default), or only the figures of approved period reports (H1 and FY).
    var approvedOnly = false
    /// Show each year on today's units instead of the units of its time.
    var restate: Bool
    var asOf: CalendarDate

    init(area: Area, year: Int, period: Period, source: FundingSource? = nil, restate: Bool = false,
         asOf: CalendarDate = .today()) {
        self.area = area
        self.year = year
        self.period = period
        self.source = source
        self.restate = restate
        self.asOf = asOf
    }

    /// The units of plan year `year` whose records count, and whether a unit of another year (the previous
    /// one) counts. Across the 2025 merger the comparison is made on restated units.
    func units(for planYear: Int, catalog: AdminUnitCatalog) throws -> Set<UnitID> {
        let current = try scopeUnits(catalog: catalog)
        let candidates = catalog.units(in: nil, planYear: planYear)
        if planYear == year { return Set(current.map(\.id)) }
        let sameUnits = Set(candidates.map(\.id)).isSuperset(of: current.map(\.id))
        if sameUnits { return Set(current.map(\.id)) }
        let restatedCodes = Set(current.map { catalog.restated($0).code })
        return Set(candidates.filter { restatedCodes.contains(catalog.restated($0).code) }.map(\.id))
    }

    func scopeUnits(catalog: AdminUnitCatalog) throws -> [AdminUnit] {
        switch area {
        case .country: catalog.units(in: nil, planYear: year)
        // As it was: the region's members on 1 January of the plan year; restated: the units whose today's unit is in it.
        case .region(let region): catalog.units(in: region, planYear: year, restated: restate)
        case .unit(let code): [try catalog.resolve(code: code, planYear: year)]
        }
    }
}

extension ReportScope {
    /// A scope from the options of the command line and the query of the API, with one message per mistake.
    static func parse(region: String?, unit: String?, country: Bool, year: Int?, period: String?, source: String?,
                      restate: Bool, asOf: String?, figures: String? = nil) throws -> ReportScope {
        guard [region != nil, unit != nil, country].filter({ $0 }).count == 1 else {
            throw DomainError.invalid(vi: "Chọn đúng một phạm vi: region, unit hoặc country",
                                      en: "choose exactly one scope: region, unit or country")
        }
        guard let year else { throw DomainError.invalid(vi: "Thiếu năm kế hoạch (year)", en: "the plan year (year) is required") }
        guard (2000...2100).contains(year) else {
            throw DomainError.invalid(vi: "Năm kế hoạch \(year) không hợp lệ", en: "plan year \(year) is out of range")
        }
        let area: Area
        if let region {
            guard let value = Region(rawValue: region) else {
                throw DomainError.invalid(vi: "Khu vực \"\(region)\" không có (north, central, south)",
                                          en: "region \"\(region)\" does not exist (north, central, south)")
            }
            area = .region(value)
        } else if let unit {
            let code = UnitCode(unit)
            _ = try AdminUnitCatalog.standard.resolve(code: code, planYear: year)
            area = .unit(code: code)
        } else {
            area = .country
        }
        var scope = ReportScope(area: area, year: year, period: try Period(parsing: period ?? "FY"),
                                source: try source.map(FundingSource.init(parsing:)), restate: restate,
                                asOf: try asOf.map(CalendarDate.init(parsing:)) ?? .today())
        switch figures ?? "latest" {
        case "latest": break
        case "approved":
            guard Period.filedReports.contains(scope.period) else {
                throw DomainError.invalid(vi: "Số liệu đã duyệt chỉ có cho kỳ Q1, H1, Q3 và FY", en: "approved figures exist for Q1, H1, Q3 and FY only")
            }
            scope.approvedOnly = true
        case let other:
            throw DomainError.invalid(vi: "figures \"\(other)\" không có (latest, approved)", en: "figures \"\(other)\" does not exist (latest, approved)")
        }
        return scope
    }
}
