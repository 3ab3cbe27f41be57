import KhuyenCongCore

/// What a report covers: a region, a unit or the country, at a plan year and period, as of a date.
struct ReportScope: Sendable {
    enum Area: Sendable, Equatable {
        case country
        case region(Region)
        /// A unit code, resolved against the units valid on 1 January of the plan year.
        case unit(code: String)
    }

    var area: Area
    var year: Int
    var period: Period
    var source: FundingSource?
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
    func units(for planYear: Int, catalog: AdminUnitCatalog) throws -> Set<String> {
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
        case .region(let region): catalog.units(in: region, planYear: year)
        case .unit(let code): [try catalog.resolve(code: code, planYear: year)]
        }
    }
}
