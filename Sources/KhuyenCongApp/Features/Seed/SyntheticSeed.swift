import Fluent
import Foundation
import KhuyenCongCore
import SQLKit

/// A large deterministic data set for measuring: every unit of the country across the 2025 merger, N plan
/// years, projects in every status with disbursements and outputs (actual and estimate), plan revisions.
/// `national` is about 200,000 projects with 2,000,000 disbursement and 2,000,000 output rows.
enum SyntheticSeed {
    enum Scale: String, CaseIterable, Sendable {
        case small, region, national
        var projectsPerUnitYear: Int { self == .national ? 330 : self == .region ? 60 : 5 }
        var regions: [Region]? { self == .national ? nil : [.north] }
    }

    struct Result: Sendable { let projects: Int; let disbursements: Int; let outputs: Int; let planLines: Int; let phases: String }

    static func run(years: Int, scale: Scale, lastYear: Int = CalendarDate.today().year, progress: (@Sendable (String) -> Void)? = nil,
                    on db: any Database) async throws -> Result {
        guard try await Project.query(on: db).count() == 0 else {
            throw DomainError(.conflict, vi: "Cơ sở dữ liệu đã có đề án", en: "the database already holds projects")
        }
        // On PostgreSQL the foreign keys of the tables filled are checked once, after the load (`ForeignKeys`).
        let filled = BatchInserter.order + ["project_period_totals"]
        return try await db.transaction { db in try await BulkLoad.run(on: db) {
            var clock = PhaseClock()
            let counts = try await ForeignKeys.setAside(of: filled, on: db) {
                let counts = try await writeRows(years: years, scale: scale, lastYear: lastYear, progress: progress, on: db)
                clock.lap("rows")
                try await ReportTotals.rebuild(on: db)
                clock.lap("report totals")
                try await ProjectSearchText.rebuildAll(on: db)   // the register's search text, for the rows inserted in bulk
                clock.lap("search text")
                return counts
            }
            clock.lap("foreign keys")
            return Result(projects: counts.projects, disbursements: counts.disbursements, outputs: counts.outputs, planLines: counts.lines,
                          phases: clock.summary)
        } }
    }

    /// The raw rows: plan lines and targets, projects with their events and establishment, payments and outputs.
    private static func writeRows(years: Int, scale: Scale, lastYear: Int, progress: (@Sendable (String) -> Void)?,
                                  on db: any Database) async throws -> (projects: Int, disbursements: Int, outputs: Int, lines: Int) {
        let statuses = ProjectStatus.allCases
        // Most projects of ten years have been carried out: seven in ten are drawn from the paying statuses.
        let payingStatuses: [ProjectStatus] = [.contracted, .inProgress, .accepted, .settled, .closed]
        let paying = Set(payingStatuses)
        let indicators = ReferenceData.indicators.map(\.code)
        let rowsPerProject = 13
        var random = SeededRandom(seed: 2_026_1129)
        var counts = (projects: 0, disbursements: 0, outputs: 0, lines: 0)
        var inserter = BatchInserter(db: db)
        var ids = SequentialUUIDs()
        for year in (lastYear - years + 1)...lastYear {
            try await PlanYearSetting(year: year, registrationDeadline: ReferenceData.defaultRegistrationDeadline(planYear: year).description,
                                      h1ReportDue: ReferenceData.defaultReportDue(period: .h1, year: year)?.description,
                                      fyReportDue: ReferenceData.defaultReportDue(period: .fullYear, year: year)?.description,
                                      ministryDeadline: ReferenceData.defaultMinistryDeadline(planYear: year).description).create(on: db)
            let units = AdminUnitCatalog.standard.units(in: nil, planYear: year).filter { unit in scale.regions.map { $0.contains(unit.region) } ?? true }
            for unit in units {
                for source in FundingSource.allCases {
                    for category in ["1", "2", "3", "5", "6"] {
                        let line = ids.next()
                        let amount = Int64.random(in: 50...900, using: &random) * 10_000_000
                        try await inserter.add("plan_lines", ["id", "unit_id", "year", "source", "category_code"],
                                               [line, unit.id.rawValue, year, source.rawValue, category])
                        try await inserter.add("plan_line_revisions", ["id", "plan_line_id", "amount_vnd", "approved_on", "decision_no"],
                                               [ids.next(), line, amount, "\(year - 1)-12-20", "\(counts.lines)/QĐ"])
                        if random.chance(25) {
                            try await inserter.add("plan_line_revisions", ["id", "plan_line_id", "amount_vnd", "approved_on", "decision_no"],
                                                   [ids.next(), line, amount + 100_000_000, "\(year)-07-10", "\(counts.lines)b/QĐ"])
                        }
                        try await inserter.add("plan_targets", ["id", "unit_id", "year", "source", "category_code", "indicator_code", "quantity"],
                                               [ids.next(), unit.id.rawValue, year, source.rawValue, category, indicators[Int(category)! % indicators.count],
                                                Int64.random(in: 1...200, using: &random)])
                        counts.lines += 1
                    }
                }
                var lastBeneficiary: [String: UUID] = [:]   // by category: the establishment a repeat goes back to
                for index in 0..<scale.projectsPerUnitYear {
                    let id = ids.next()
                    let source = index % 3 == 0 ? "national" : "local"
                    var status = random.chance(70) ? payingStatuses[Int.random(in: 0..<payingStatuses.count, using: &random)]
                                                   : statuses[Int.random(in: 0..<statuses.count, using: &random)]
                    if source == "local" && [.registered, .appraisedMinistry, .moved].contains(status) { status = .inProgress }
                    let support = Int64.random(in: 5...300, using: &random) * 1_000_000
                    let category = ["1", "2", "3", "5", "6"][index % 5]
                    try await inserter.add("projects", ["id", "code", "title", "unit_id", "year", "source", "category_code", "implementing_unit",
                                                        "support_requested_vnd", "support_approved_vnd", "counterpart_vnd", "status", "version"],
                                           [id, "S\(year)-\(unit.code)-\(unit.validUntil == nil ? "N" : "O")-\(index)", "Đề án tổng hợp số \(index)", unit.id.rawValue, year, source,
                                            category, "Trung tâm Khuyến công \(unit.name)", support, support, support, status.rawValue, 1])
                    // A project past acceptance went through it: the acceptance is on record, as the quality rules expect.
                    if [.settled, .closed].contains(status) {
                        try await inserter.add("project_events", ["id", "project_id", "to_status", "on_date", "actor", "note"],
                                               [ids.next(), id, ProjectStatus.accepted.rawValue, "\(year)-01-10", "synthetic", ProjectStatus.accepted.vietnameseName])
                    }
                    try await inserter.add("project_events", ["id", "project_id", "to_status", "on_date", "actor", "note"],
                                           [ids.next(), id, status.rawValue, "\(year)-01-15", "synthetic", status.vietnameseName])
                    // One establishment per project (a household business: a 12-digit personal tax code, no check digit);
                    // one project in three hundred goes back to the establishment of the unit's previous project of
                    // the same category, as double funding does. No random draw, so the rest of the data stays as it was.
                    var beneficiary = ids.next()
                    if index % 300 == 299, let earlier = lastBeneficiary[category] {
                        beneficiary = earlier
                    } else {
                        try await inserter.add("beneficiaries", ["id", "tax_code", "name", "legal_form", "commune", "sector", "women_owned",
                                                                 "ethnic_minority_employer", "disadvantaged_area"],
                                               [beneficiary, "0" + unit.code.rawValue + nineDigits(counts.projects), "Hộ kinh doanh \(unit.name) số \(index)",
                                                "Hộ kinh doanh", "Xã số \(index % 40)", "Chế biến nông sản", index % 3 == 0, index % 5 == 0, index % 4 == 0])
                        lastBeneficiary[category] = beneficiary
                    }
                    try await inserter.add("project_beneficiaries", ["id", "project_id", "beneficiary_id", "support_vnd"], [ids.next(), id, beneficiary, support])
                    counts.projects += 1
                    guard paying.contains(status) else { continue }
                    for row in 0..<rowsPerProject {
                        let date = "\(year)-\(twoDigits(1 + row % 12))-\(twoDigits(Int.random(in: 1...28, using: &random)))"
                        let basis = row % 4 == 3 ? "estimate" : "actual"
                        try await inserter.add("disbursements", ["id", "project_id", "on_date", "amount_vnd", "basis", "kind"],
                                               [ids.next(), id, date, support / 20, basis, "payment"])
                        try await inserter.add("outputs", ["id", "project_id", "on_date", "indicator_code", "quantity", "basis"],
                                               [ids.next(), id, date, indicators[row % indicators.count], Int64(1 + row % 3), basis])
                    }
                    counts.disbursements += rowsPerProject
                    counts.outputs += rowsPerProject
                }
            }
            progress?("\(year): \(counts.projects) đề án/projects, \(counts.disbursements) giải ngân/disbursements")
        }
        try await inserter.flushAll()
        return counts
    }

    /// Multi-row inserts per table (`BulkInsert`: thousands of rows per statement, values handed to the driver as
    /// they are). A child table's statement is written only after its parents' waiting rows.
    struct BatchInserter {
        let db: any Database
        var pending: [String: BulkInsert] = [:]

        mutating func add(_ table: String, _ columns: [String], _ values: [any BulkValue]) async throws {
            if pending[table] == nil { pending[table] = BulkInsert(table, columns) }
            if pending[table]!.pendingRows + 1 >= pending[table]!.rowsPerStatement {
                // A child row's parent may still be waiting: write the parents first.
                for parent in BatchInserter.parents[table] ?? [] { try await flush(parent) }
            }
            let db = db
            try await pending[table]!.add(values.map(\.bulkValue), on: db)
        }

        mutating func flush(_ table: String) async throws {
            let db = db
            try await pending[table]?.flush(on: db)
        }

        static let parents: [String: [String]] = [
            "plan_line_revisions": ["plan_lines"], "project_events": ["projects"], "disbursements": ["projects"], "outputs": ["projects"],
            "project_beneficiaries": ["projects", "beneficiaries"],
        ]

        /// The tables written, parents before children.
        static let order = ["plan_lines", "plan_line_revisions", "plan_targets", "projects", "project_events", "beneficiaries",
                            "project_beneficiaries", "disbursements", "outputs"]

        mutating func flushAll() async throws {
            for table in Self.order { try await flush(table) }
        }
    }

    /// "7" → "07", without Foundation's `String(format:)` (called for each of millions of rows).
    static func twoDigits(_ number: Int) -> String { number < 10 ? "0\(number)" : "\(number)" }
    static func nineDigits(_ number: Int) -> String {
        let digits = String(number)
        return digits.count >= 9 ? digits : String(repeating: "0", count: 9 - digits.count) + digits
    }
}
