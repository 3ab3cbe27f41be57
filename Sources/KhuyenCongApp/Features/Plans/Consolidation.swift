import Fluent
import KhuyenCongCore
import SQLKit
import Vapor

/// The registration deadlines of the plan years, as data (`plan_years`, M0008 and M0036) with the Circular's defaults:
/// implementing units → Department by 20 May of Y−1, the Department → the ministry by 15 June of Y−1.
struct PlanDeadlines: Sendable {
    private let registration: [Int: CalendarDate]
    private let ministry: [Int: CalendarDate]

    static func load(on db: any Database) async throws -> PlanDeadlines {
        var registration: [Int: CalendarDate] = [:], ministry: [Int: CalendarDate] = [:]
        for setting in try await PlanYearSetting.query(on: db).all() {
            guard let year = setting.id else { continue }
            registration[year] = try? CalendarDate(parsing: setting.registrationDeadline)
            ministry[year] = setting.ministryDeadline.flatMap { try? CalendarDate(parsing: $0) }
        }
        return PlanDeadlines(registration: registration, ministry: ministry)
    }

    func registration(_ year: Int) -> CalendarDate { registration[year] ?? ReferenceData.defaultRegistrationDeadline(planYear: year) }
    func ministry(_ year: Int) -> CalendarDate { ministry[year] ?? ReferenceData.defaultMinistryDeadline(planYear: year) }

    /// Days a national plan is late to the ministry as of a date: submitted after the deadline (by the date of its
    /// latest submission), or not submitted by `asOf` once the deadline has passed (counted to `asOf`). A plan
    /// approved without a status row (imported before the cycle existed) is never late. Nil: not late.
    static func daysLate(submittedOn: String?, status: PlanCycle.Status, deadline: CalendarDate, asOf: CalendarDate) -> (days: Int, submitted: CalendarDate?)? {
        if let submitted = submittedOn.flatMap({ try? CalendarDate(parsing: $0) }), submitted <= asOf {
            return submitted > deadline ? (submitted - deadline, submitted) : nil
        }
        if status == .approved { return nil }
        return asOf > deadline ? (asOf - deadline, nil) : nil
    }
}

/// The ministry's consolidation of the provinces' national plans for a year (issue 12, step 3): one row per
/// province (the units of 1 January of the year), by region with subtotals and a country total. Every figure is the
/// plan page's: status, drafts and the latest approved revisions come from `PlanContents`, the registered projects
/// from the registration report's statuses, the allocations from `plan_allocations`.
struct Consolidation: Content, Sendable {
    struct Row: Content, Sendable {
        let unitCode: UnitCode
        let unitName: String
        let unitID: UnitID
        let region: Region
        /// The national plan's status: draft, submitted, approved, returned.
        let status: PlanCycle.Status
        let version: Int
        let submittedOn: String?
        /// Days late to the ministry (see `PlanDeadlines.daysLate`); nil when on time or not yet due.
        let daysLate: Int?
        let decisionNo: String?
        let approvedOn: String?
        let registeredProjects: Int
        let supportRequestedVnd: Money
        /// The national lines still asked (draft or submitted amounts, not yet approved).
        let askedVnd: Money
        /// The latest approved revision of each national line.
        let approvedVnd: Money
        let allocatedVnd: Money
        let notAllocatedVnd: Money
    }
    struct Totals: Content, Sendable {
        var units = 0
        var registeredProjects = 0
        var supportRequestedVnd: Money = 0
        var askedVnd: Money = 0
        var approvedVnd: Money = 0
        var allocatedVnd: Money = 0
        var notAllocatedVnd: Money = 0

        mutating func add(_ row: Row) throws {
            units += 1
            registeredProjects += row.registeredProjects
            try supportRequestedVnd += row.supportRequestedVnd
            try askedVnd += row.askedVnd
            try approvedVnd += row.approvedVnd
            try allocatedVnd += row.allocatedVnd
            try notAllocatedVnd += row.notAllocatedVnd
        }

        mutating func add(_ other: Totals) throws {
            units += other.units
            registeredProjects += other.registeredProjects
            try supportRequestedVnd += other.supportRequestedVnd
            try askedVnd += other.askedVnd
            try approvedVnd += other.approvedVnd
            try allocatedVnd += other.allocatedVnd
            try notAllocatedVnd += other.notAllocatedVnd
        }
    }
    struct RegionGroup: Content, Sendable { let region: Region; let name: String; let rows: [Row]; let subtotal: Totals }

    let year: Int
    let asOf: String
    let registrationDeadline: String
    let ministryDeadline: String
    let regions: [RegionGroup]
    let total: Totals

    /// A plan year as the path names it: 2000–2100, else 422.
    static func year(_ text: String) throws -> Int {
        guard let year = Int(text), (2000...2100).contains(year) else {
            throw DomainError.invalid(vi: "year: năm kế hoạch \"\(text.prefix(12))\" không hợp lệ", en: "year: plan year \"\(text.prefix(12))\" is invalid")
        }
        return year
    }

    /// The rows the principal may read: the ministry sees every province, a region reviewer those of their region.
    static func load(year: Int, asOf: CalendarDate, for principal: Principal, catalog: AdminUnitCatalog? = nil,
                     on db: any Database) async throws -> Consolidation {
        let catalog = try await AdminUnitCatalog.load(given: catalog, on: db)
        let deadlines = try await PlanDeadlines.load(on: db)
        let units = catalog.units(in: nil, planYear: year)
            .filter { AccessPolicy.decide(principal, .readRecord, RecordScope(unitID: $0.id)) == .allow }
        let unitIDs = Set(units.map(\.id))

        // The registration report's projects, counted and summed per unit in one query.
        var registered: [UnitID: (count: Int, support: Money)] = [:]
        let sql = db as! any SQLDatabase
        for row in try await sql.raw("""
            SELECT unit_id, COUNT(*) AS n, CAST(SUM(support_requested_vnd) AS BIGINT) AS support FROM projects
            WHERE year = \(bind: year) AND source = 'national' AND status IN (\(binds: RegistrationReport.statuses.map(\.rawValue)))
            GROUP BY unit_id
            """).all() {
            let unitID = try row.decode(column: "unit_id", as: UnitID.self)
            guard unitIDs.contains(unitID) else { continue }
            registered[unitID] = (try row.decode(column: "n", as: Int.self), try row.decode(column: "support", as: Money.self))
        }
        var allocated: [UnitID: Money] = [:]
        for allocation in try await PlanAllocation.query(on: db).filter(\.$year == year)
            .filter(\.$source == .national).all() where unitIDs.contains(allocation.unitID) {
            allocated[allocation.unitID] = try (allocated[allocation.unitID] ?? .zero) + allocation.amountVnd
        }

        let deadline = deadlines.ministry(year)
        var groups: [RegionGroup] = []
        var total = Totals()
        for region in Region.allCases {
            var rows: [Row] = []
            var subtotal = Totals()
            for unit in units where catalog.region(of: unit, on: CalendarDate(year, 1, 1)) == region {
                let plan = try await PlanContents.load(PlanKey(unit: unit, year: year), on: db)
                let national = plan.source(.national)
                let approved = try PlanAllocation.approvedTotal(plan)
                let asked = try Money.sum(national.lines.compactMap(\.draftAmount))
                let given = allocated[unit.id] ?? .zero
                let late = PlanDeadlines.daysLate(submittedOn: national.record?.submittedOn, status: national.status, deadline: deadline, asOf: asOf)
                let row = Row(unitCode: unit.code, unitName: unit.name, unitID: unit.id, region: region,
                              status: national.status, version: national.version, submittedOn: national.record?.submittedOn,
                              daysLate: late?.days, decisionNo: national.record?.decisionNo, approvedOn: national.record?.approvedOn,
                              registeredProjects: registered[unit.id]?.count ?? 0, supportRequestedVnd: registered[unit.id]?.support ?? 0,
                              askedVnd: asked, approvedVnd: approved, allocatedVnd: given,
                              notAllocatedVnd: max(.zero, try approved - given))
                try subtotal.add(row)
                rows.append(row)
            }
            guard !rows.isEmpty else { continue }
            try total.add(subtotal)
            groups.append(RegionGroup(region: region, name: region.vietnameseName, rows: rows, subtotal: subtotal))
        }
        return Consolidation(year: year, asOf: asOf.description, registrationDeadline: deadlines.registration(year).description,
                             ministryDeadline: deadline.description, regions: groups, total: total)
    }

    var rows: [Row] { regions.flatMap(\.rows) }
}
