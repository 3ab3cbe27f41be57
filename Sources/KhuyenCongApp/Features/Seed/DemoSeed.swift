import Fluent
import Foundation
import KhuyenCongCore
import Vapor

/// Builds the demo data set: the northern region for plan years 2023–2026 (28 provinces before the merger,
/// 18 units after), with plan revisions, targets, projects in every lifecycle status, beneficiaries, events,
/// disbursements and outputs with actual and estimate rows. Deterministic: the same on every run.
struct DemoSeed {
    struct Result: Sendable {
        let projects: Int; let planLines: Int; let disbursements: Int; let outputs: Int
        /// How long each step took ("generate 0.12 s, rows 0.30 s, …").
        let phases: String
    }

    let catalog: AdminUnitCatalog
    var random = SeededRandom(seed: 20_240_630)
    var rows = DemoRows()

    init(catalog: AdminUnitCatalog = .standard) { self.catalog = catalog }

    /// Writes the data set in one guarded write (its turn in the write queue, then the write lock); refuses if the
    /// database already holds projects.
    static func run(on db: any Database) async throws -> Result {
        var clock = PhaseClock()
        var seed = DemoSeed()
        try seed.generate()
        clock.lap("generate")
        let rows = seed.rows
        let started = clock
        let phases = try await GuardedWrite.run(on: db) { db in
            var clock = started
            guard try await Project.query(on: db).count() == 0 else {
                throw DomainError(.conflict, vi: "Cơ sở dữ liệu đã có đề án; không nạp dữ liệu mẫu",
                                  en: "the database already holds projects; the demo data set was not loaded")
            }
            try await BulkLoad.run(on: db) {
                try await rows.insert(on: db)
                clock.lap("rows")
                try await ReportTotals.rebuild(on: db)   // the rows went in by the hundred, without the guarded write
                clock.lap("report totals")
                try await snapshotApprovedReports(on: db)
                clock.lap("report snapshots")
                try await DemoPlan.insert2027(on: db)     // next year's plans in every state, through the plan workflow
                clock.lap("2027 plans")
                try await DemoProgramme.insert(on: db)    // the 2026–2030 programmes: national and three provinces'
                try await DemoQuality.insert(on: db)      // a few planted data-quality problems in 2026 (an over-payment, double funding, an outlier)
                clock.lap("programmes and quality cases")
                try await ProjectSearchText.rebuildAll(on: db)   // the register's search text, for the rows inserted in bulk
                clock.lap("search text")
            }
            return clock.summary
        }
        return Result(projects: rows.projects.count, planLines: rows.planLines.count,
                      disbursements: rows.disbursements.count, outputs: rows.outputs.count, phases: phases)
    }

    /// The demo data set and its accounts, side by side: the accounts' passwords are hashed (bcrypt, a quarter of a
    /// second each) while the data set is written, and their rows wait for the data set's write in the write queue.
    static func runWithAccounts(app: Application) async throws -> (result: Result, accounts: [DemoUsers.Account]) {
        async let accounts = DemoUsers.create(app: app)
        let result = try await run(on: app.db)
        return (result, try await accounts)
    }

    /// The approved demo reports carry the figures they were approved with, as a real approval would have stored.
    static func snapshotApprovedReports(on db: any Database) async throws {
        let reports = try await PeriodReport.query(on: db).filter(\.$status ~~ [PeriodReportStatus.approved, .submitted, .returned]).all()
        for (year, group) in Dictionary(grouping: reports, by: \.year) {
            let periods = Set(PeriodReportWorkflow.periods)
            let current = try await YearRecords.load(year: year, periods: periods, asOf: .today(), on: db)
            let previous = try await YearRecords.load(year: year - 1, periods: periods, asOf: .today(), detail: .moneyOnly, on: db)
            for report in group {
                guard let unit = AdminUnitCatalog.standard.unit(id: report.unitID) else { continue }
                let period = report.period
                let summary = try ReportSummary.build(ReportScope(area: .unit(code: unit.code), year: year, period: period),
                                                      current: current, previous: previous, catalog: .standard)
                report.snapshot = try PeriodReportWorkflow.encode(summary)
                if report.status == .approved { report.approvedSnapshot = report.snapshot }
                try await report.save(on: db)
            }
        }
    }

    mutating func generate() throws {
        for year in 2023...2027 {
            rows.planYears.append(PlanYearSetting(year: year, registrationDeadline: ReferenceData.defaultRegistrationDeadline(planYear: year).description,
                                                  h1ReportDue: ReferenceData.defaultReportDue(period: .h1, year: year)?.description,
                                                  fyReportDue: ReferenceData.defaultReportDue(period: .fullYear, year: year)?.description,
                                                  ministryDeadline: ReferenceData.defaultMinistryDeadline(planYear: year).description))
        }
        for year in [2023, 2024, 2025, 2026] {
            let units = catalog.units(in: .north, planYear: year)
            for bucket in DemoPlan.buckets[year]! { try generate(bucket, year: year, units: units) }
            try generateTargets(year: year)
            generateUnfundedProjects(year: year, units: units)
            generatePeriodReports(year: year, units: units)
        }
        rows.audit.append(AuditEntry(actor: "system", action: "seed", recordType: "database", recordID: "demo",
                                     unitID: nil, before: nil, after: "{\"projects\":\(rows.projects.count)}"))
    }

    // MARK: - Plan lines, projects and money

    private mutating func generate(_ bucket: DemoPlan.Bucket, year: Int, units: [AdminUnit]) throws {
        let eligible = units.filter { bucket.source == "local" || !DemoPlan.silentUnitCodes.contains($0.code) }
        var slots: [(unit: AdminUnit, category: String)] = []
        for (index, unit) in eligible.enumerated() {
            switch (bucket.source, bucket.categories.count) {
            case ("local", 2): slots += bucket.categories.map { (unit, $0) }
            case ("local", _): slots += [(unit, bucket.categories[index % 3]), (unit, bucket.categories[(index + 1) % 3])]
            default: slots.append((unit, bucket.categories[(index + year) % bucket.categories.count]))
            }
        }
        let weights = slots.map { slot in Int.random(in: 4...12, using: &random) * DemoSeed.sizeFactor(slot.unit.code) }
        let amounts = SeededRandom.split(bucket.plan, weights: weights, step: 10 * DemoPlan.million)

        var funded: [(project: Project, support: Int64)] = []
        for (slot, amount) in zip(slots, amounts) {
            let line = PlanLine(id: UUID(), unitID: slot.unit.id, year: year, source: try FundingSource(parsing: bucket.source), categoryCode: slot.category)
            rows.planLines.append(line)
            addRevisions(line: line, amount: amount, year: year)
            let status = lineProjectStatus(year: year, bucket: bucket)
            // Projects take 95 % of their line, leaving room for a late addition within the ceiling.
            let support = amount * 95 / 100 / DemoPlan.million * DemoPlan.million
            let project = try makeProject(unit: slot.unit, year: year, source: bucket.source, category: slot.category,
                                          support: support, status: status)
            if DemoSeed.disbursingStatuses.contains(status) { funded.append((project, support)) }
        }
        guard !funded.isEmpty || (bucket.realisedH1 == 0 && bucket.realisedH2 == 0) else {
            fatalError("demo bucket \(year) \(bucket.source) has money to realise but no project to pay")
        }
        let fundedWeights = funded.map { Int($0.support / DemoPlan.million) }
        let h1 = funded.isEmpty ? [] : SeededRandom.split(bucket.realisedH1, weights: fundedWeights, step: DemoPlan.million)
        let h2 = funded.isEmpty ? [] : SeededRandom.split(bucket.realisedH2, weights: fundedWeights, step: DemoPlan.million)
        for (index, entry) in funded.enumerated() {
            addDisbursements(project: entry.project, h1: h1[index], h2: h2[index], year: year)
            addOutputs(project: entry.project, year: year)
        }
    }

    /// Bigger provinces plan more.
    static func sizeFactor(_ code: UnitCode) -> Int {
        switch code {
        case "01": 3
        case "38", "40", "31", "24": 2
        default: 1
        }
    }

    static let disbursingStatuses: Set<ProjectStatus> = [.contracted, .inProgress, .accepted, .settled, .closed]

    private mutating func lineProjectStatus(year: Int, bucket: DemoPlan.Bucket) -> ProjectStatus {
        switch year {
        case 2023: return random.chance(85) ? .closed : .settled
        case 2024:
            if bucket.source == "national" && bucket.categories.contains("1") { return .approved }
            return random.pick([.closed, .closed, .closed, .settled, .settled, .accepted])
        case 2025: return random.pick([.closed, .settled, .settled, .accepted, .accepted, .inProgress])
        default: return random.pick([.inProgress, .inProgress, .inProgress, .contracted, .allocated, .approved])
        }
    }

    private mutating func addRevisions(line: PlanLine, amount: Int64, year: Int) {
        let first = CalendarDate(year - 1, 12, Int.random(in: 15...28, using: &random))
        if random.chance(30) {
            // Revised mid-year: the first decision gave a different amount; the latest one counts.
            let delta = Int64.random(in: -20...20, using: &random) * 10 * DemoPlan.million
            let initial = max(amount + (delta == 0 ? 50 * DemoPlan.million : delta), 10 * DemoPlan.million)
            rows.revisions.append(PlanLineRevision(planLineID: line.id!, amountVnd: Money(dong: initial), approvedOn: first.description,
                                                   decisionNo: "\(Int.random(in: 100...999, using: &random))/QĐ-UBND"))
            let revised = CalendarDate(year, 7, Int.random(in: 5...25, using: &random))
            rows.revisions.append(PlanLineRevision(planLineID: line.id!, amountVnd: Money(dong: amount), approvedOn: revised.description,
                                                   decisionNo: "\(Int.random(in: 1000...1999, using: &random))/QĐ-UBND"))
        } else {
            rows.revisions.append(PlanLineRevision(planLineID: line.id!, amountVnd: Money(dong: amount), approvedOn: first.description,
                                                   decisionNo: "\(Int.random(in: 100...999, using: &random))/QĐ-UBND"))
        }
    }

    private mutating func addDisbursements(project: Project, h1: Int64, h2: Int64, year: Int) {
        let id = project.id!
        if h1 > 0 {
            switch Int.random(in: 0..<3, using: &random) {
            case 0:   // an advance and a payment, both closed accounts
                let advance = h1 * 4 / 10 / DemoPlan.million * DemoPlan.million
                if advance > 0 {
                    rows.disbursements.append(Disbursement(projectID: id, onDate: date(year, 3), amountVnd: Money(dong: advance), basis: .actual, kind: .advance))
                }
                rows.disbursements.append(Disbursement(projectID: id, onDate: date(year, 5), amountVnd: Money(dong: h1 - advance), basis: .actual, kind: .payment))
            case 1:   // the province's estimate for the half-year, not yet closed
                rows.disbursements.append(Disbursement(projectID: id, onDate: "\(year)-06-25", amountVnd: Money(dong: h1), basis: .estimate, kind: .payment))
            default:  // an estimate superseded by the actual account of the same half-year
                let overestimate = h1 + max(h1 / 10 / DemoPlan.million, 1) * DemoPlan.million
                rows.disbursements.append(Disbursement(projectID: id, onDate: "\(year)-06-20", amountVnd: Money(dong: overestimate), basis: .estimate, kind: .payment))
                rows.disbursements.append(Disbursement(projectID: id, onDate: "\(year)-06-28", amountVnd: Money(dong: h1), basis: .actual, kind: .payment))
            }
        }
        if h2 > 0 {
            let settlement = project.status == .settled || project.status == .closed
            let lastMonth = year == 2026 ? 10 : 12
            let kind: DisbursementKind = settlement ? .settlement : .payment
            rows.disbursements.append(Disbursement(projectID: id, onDate: date(year, Int.random(in: 8...lastMonth, using: &random)),
                                                   amountVnd: Money(dong: h2), basis: .actual, kind: kind))
        }
    }

    private mutating func addOutputs(project: Project, year: Int) {
        let indicator: String
        switch project.categoryCode {
        case "1": indicator = "establishments_supported"
        case "2": indicator = random.chance(50) ? "cp_assessments" : "establishments_supported"
        case "3": indicator = "products_recognised"
        case "5": indicator = "trainees"
        default: indicator = "events"
        }
        // The 2024 local H1 outputs of categories 1 + 2 are set apart to match the reference report.
        let isReference = year == 2024 && project.source == .local && ["1", "2"].contains(project.categoryCode)
        if isReference {
            rows.reference2024Projects.append(project)
        } else {
            let quantity = indicator == "trainees" ? Int64.random(in: 30...120, using: &random) : Int64.random(in: 1...6, using: &random)
            rows.outputs.append(OutputRecord(projectID: project.id!, onDate: date(year, 5), indicatorCode: indicator, quantity: quantity,
                                             basis: random.chance(50) ? .actual : .estimate))
        }
        let h2Quantity = indicator == "trainees" ? Int64.random(in: 20...80, using: &random) : Int64.random(in: 1...4, using: &random)
        rows.outputs.append(OutputRecord(projectID: project.id!, onDate: date(year, 9), indicatorCode: indicator, quantity: h2Quantity, basis: .actual))
    }

    // MARK: - Targets

    private mutating func generateTargets(year: Int) throws {
        let lines = rows.planLines.filter { $0.year == year }
        let keyLines = lines.filter { ["1", "2"].contains($0.categoryCode) }
        let goals: [String: Int64] = year == 2024 ? DemoPlan.targets2024
            : ["demo_models": Int64(10 + year % 7), "establishments_supported": Int64(280 + (year % 10) * 9), "cp_assessments": Int64(30 + year % 5)]
        for (indicator, total) in goals.sorted(by: { $0.key < $1.key }) {
            let candidates = indicator == "cp_assessments" ? keyLines.filter { $0.categoryCode == "2" } : keyLines
            let parts = SeededRandom.split(total, weights: candidates.map { _ in Int.random(in: 1...9, using: &random) }, step: 1)
            for (line, quantity) in zip(candidates, parts) where quantity > 0 {
                rows.targets.append(PlanTarget(unitID: line.unitID, year: year, source: line.source, categoryCode: line.categoryCode,
                                               indicatorCode: indicator, quantity: quantity))
            }
        }
        for line in lines where !["1", "2"].contains(line.categoryCode) {
            let (indicator, quantity): (String, Int64) = switch line.categoryCode {
            case "3": ("products_recognised", Int64.random(in: 2...8, using: &random))
            case "5": ("trainees", Int64.random(in: 80...300, using: &random))
            default: ("events", Int64.random(in: 2...10, using: &random))
            }
            rows.targets.append(PlanTarget(unitID: line.unitID, year: year, source: line.source, categoryCode: line.categoryCode,
                                           indicatorCode: indicator, quantity: quantity))
        }
        if year == 2024 { try addReferenceOutputs2024() }
    }

    /// 57 establishments supported and 11 cleaner-production assessments in H1 2024 (local, categories 1 + 2),
    /// counted after actuals supersede estimates.
    private mutating func addReferenceOutputs2024() throws {
        let projects = rows.reference2024Projects
        for (indicator, total) in DemoPlan.localOutputsH1_2024.sorted(by: { $0.key < $1.key }) {
            let candidates = indicator == "cp_assessments" ? projects.filter { $0.categoryCode == "2" } : projects
            let parts = SeededRandom.split(total, weights: candidates.map { _ in Int.random(in: 1...5, using: &random) }, step: 1)
            for (project, quantity) in zip(candidates, parts) where quantity > 0 {
                if random.chance(30) {
                    rows.outputs.append(OutputRecord(projectID: project.id!, onDate: "2024-06-15", indicatorCode: indicator,
                                                     quantity: quantity + 2, basis: .estimate))
                    rows.outputs.append(OutputRecord(projectID: project.id!, onDate: "2024-06-27", indicatorCode: indicator,
                                                     quantity: quantity, basis: .actual))
                } else {
                    rows.outputs.append(OutputRecord(projectID: project.id!, onDate: "2024-06-25", indicatorCode: indicator,
                                                     quantity: quantity, basis: random.chance(50) ? .actual : .estimate))
                }
            }
        }
    }

    // MARK: - Projects that never got money: the rest of the lifecycle

    private mutating func generateUnfundedProjects(year: Int, units: [AdminUnit]) {
        let statuses: [(ProjectStatus, String)] = switch year {
        case 2023: [(.rejected, "national"), (.cancelled, "local")]
        case 2024: [(.rejected, "national"), (.cancelled, "national"), (.returned, "local")]
        case 2025: [(.moved, "national"), (.rejected, "local"), (.cancelled, "national")]
        default: [(.draft, "local"), (.submitted, "local"), (.appraisedProvince, "local"), (.submitted, "national"),
                  (.appraisedProvince, "national"), (.registered, "national"), (.appraisedMinistry, "national"),
                  (.returned, "national"), (.rejected, "national"), (.cancelled, "local"), (.moved, "national"), (.draft, "national")]
        }
        let candidates = units.filter { !DemoPlan.silentUnitCodes.contains($0.code) }
        for (index, (status, source)) in statuses.enumerated() {
            let unit = candidates[(index * 5 + year) % candidates.count]
            let category = random.pick(["1", "2", "3", "5"])
            let requested = Int64.random(in: 30...150, using: &random) * 10 * DemoPlan.million
            _ = try? makeProject(unit: unit, year: year, source: source, category: category, support: requested, status: status)
        }
    }

    // MARK: - Period reports

    private mutating func generatePeriodReports(year: Int, units: [AdminUnit]) {
        for (index, unit) in units.enumerated() {
            for period in [Period.h1, .fullYear] {
                if year == 2026 && period == .fullYear { continue }
                let dueDate = period == .h1 ? CalendarDate(year, 7, 15) : CalendarDate(year + 1, 1, 15)
                let late = index % 7 == 3
                let submitted = dueDate.adding(days: late ? 12 : -Int.random(in: 1...10, using: &random))
                let status: PeriodReportStatus
                switch (year, index % 9) {
                case (2026, 0), (2026, 4): continue          // not yet submitted
                case (2026, 2): status = .returned
                case (2026, 5), (2026, 7): status = .submitted
                case (2025, 8) where period == .fullYear: status = .submitted
                default: status = .approved
                }
                rows.periodReports.append(PeriodReport(
                    unitID: unit.id, year: year, period: period, status: status,
                    coverNote: "Báo cáo kết quả thực hiện công tác khuyến công \(period == .h1 ? "6 tháng đầu năm" : "năm") \(year) – \(unit.name)",
                    submittedOn: submitted.description, approvedOn: status == .approved ? submitted.adding(days: 10).description : nil,
                    approvedBy: status == .approved ? "Phòng Khuyến công khu vực phía Bắc" : nil))
            }
        }
    }

    private mutating func date(_ year: Int, _ month: Int) -> String {
        CalendarDate(year, month, Int.random(in: 2...26, using: &random)).description
    }
}
