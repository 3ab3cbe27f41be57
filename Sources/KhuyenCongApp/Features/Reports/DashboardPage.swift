import Fluent
import KhuyenCongCore

/// The dashboard's context: every figure formatted, every chart drawn, all from `ReportSummary.compute` (and, for
/// the chart of the year's periods, its `build`) over records loaded once.
struct DashboardPage: Encodable, Sendable {
    struct Option: Encodable, Sendable { let value: String; let label: String; let selected: Bool }
    /// `value` is rounded for reading ("170,8 tỷ đồng"); `exact` is the same figure to the đồng, shown on hover.
    struct Headline: Encodable, Sendable {
        let label: String; let value: String; let note: String; let exact: String
        init(label: String, vnd: Money, note: String) {
            self.label = label
            value = VietnameseFormat.money(vnd)
            self.note = note
            exact = VietnameseFormat.dong(vnd)
        }
    }
    struct UnitRow: Encodable, Sendable { let rank: Int; let code: UnitCode; let name: String; let link: String; let plan: String; let realised: String; let pct: String }
    struct CategoryRow: Encodable, Sendable { let name: String; let plan: String; let share: String; let realised: String; let pct: String }
    struct TargetRow: Encodable, Sendable { let name: String; let planned: String; let realised: String; let pct: String }
    struct PipelineRow: Encodable, Sendable { let name: String; let count: Int; let requested: String; let approved: String; let days: String }

    let title: String
    var layout: PageLayout
    /// Achievement to date against the five-year programme (Features/Programmes).
    var programme: ProgrammeDashboardSection? = nil
    var heading: String
    var subheading: String
    let regions: [Option]
    let years: [Option]
    let periods: [Option]
    let sources: [Option]
    let unitCode: UnitCode
    /// The provinces of the report's year, by name, for the filter.
    let unitChoices: [UnitChoices.Choice]
    let restated: Bool
    let restateLink: String
    let restateLabel: String
    let xlsxLink: String
    let csvLink: String
    /// The same report as a document to sign: DOCX and PDF.
    let docxLink: String
    let pdfLink: String
    /// The print stylesheet holding the running header of this scope.
    let printStyleLink: String
    let headlines: [Headline]
    var unitsChart: String
    var categoriesChart: String
    var progressChart: String
    let units: [UnitRow]
    let categories: [CategoryRow]
    let targets: [TargetRow]
    let pipeline: [PipelineRow]
    var narrative: [String]
    /// The monitoring lists, in the page's order; the page shows each one's first lines (`MonitoringSection`). For the
    /// overdue settlements one line per unit, its projects behind it (closed, they do not print).
    var monitoringLists: [MonitoringSection]
    /// The same page (this scope, year and period), for the whole lists' way back.
    let dashboardLink: String
    /// What the page builds in Swift as whole sentences or drawings (the heading, the narrative, the charts whose
    /// labels wrap), in English; the other texts are translated as they are shown (`#tx`).
    struct English: Encodable, Sendable {
        let heading: String; let subheading: String; let narrative: [String]
        let unitsChart: String; let categoriesChart: String; let progressChart: String; let quarterlyReports: [String]
    }
    var english: English? = nil

    /// The page in `language`: in English, the texts built in Swift replaced by their English.
    func localized(_ language: Language) -> DashboardPage {
        var page = self
        page.english = nil
        guard language == .en, let english else { return page }
        page.heading = english.heading
        page.subheading = english.subheading
        page.narrative = english.narrative
        page.unitsChart = english.unitsChart
        page.categoriesChart = english.categoriesChart
        page.progressChart = english.progressChart
        if let index = page.monitoringLists.firstIndex(where: { $0.list == .quarterlyReports }) {
            page.monitoringLists[index].all = english.quarterlyReports.map { MonitoringSection.Line(text: $0) }
        }
        if var programme = page.programme {
            programme.note = programme.noteEnglish
            page.programme = programme
        }
        return page
    }

    /// Through `cache`, the page is built once per change of the data and scope; only the frame (who is signed
    /// in) is the caller's own.
    static func load(_ scope: ReportScope, query: String, layout: PageLayout, cache: ReportCache? = nil,
                     on db: any Database) async throws -> DashboardPage {
        guard let cache else { return try await build(scope, query: query, layout: layout, cache: nil, on: db).withProgramme(scope, on: db) }
        var page = try await cache.value(.init(kind: "dashboard", scope: scope, detail: query), on: db) {
            try await build(scope, query: query, layout: layout, cache: cache, on: db).withProgramme(scope, on: db)
        }
        page.layout = layout
        return page
    }

    /// Realisation through the year, this year beside the last (on the same units): the chart's points.
    static let steps: [Period] = [.q1, .h1, .nineMonths, .fullYear]

    /// The figures the page formats: the summaries of the scope, of categories 1 + 2 and of their local source
    /// (`ReportSummary.compute`, as the API and the document have them) over the records of both years loaded once for
    /// every unit and the chart's periods; and the chart's points.
    static func summaries(_ scope: ReportScope, catalog: AdminUnitCatalog, cache: ReportCache?,
                          on db: any Database) async throws -> (summary: ReportSummary, key: ReportSummary, localKey: ReportSummary,
                                                                thisYear: [Money], lastYear: [Money]) {
        let periods = Set(steps + [scope.period])
        func records(_ year: Int) async throws -> YearRecords {
            let load = { try await YearRecords.load(year: year, periods: periods, asOf: scope.asOf, on: db) }
            guard let cache else { return try await load() }
            return try await cache.value(.init(kind: "records", scope: nil, detail: "\(year) \(periods.map(\.rawValue).sorted()) \(scope.asOf)"), on: db, compute: load)
        }
        let records = (current: try await records(scope.year), previous: try await records(scope.year - 1))
        var keyScope = scope
        keyScope.categories = ReportNarrative.keyCategories
        var localKeyScope = keyScope
        localKeyScope.source = .local
        func compute(_ s: ReportScope) async throws -> ReportSummary {
            try await ReportSummary.compute(s, catalog: catalog, cache: cache, records: records, on: db)
        }
        let steps = try Self.steps.map { period -> ReportSummary in
            var s = scope
            s.period = period
            return try ReportSummary.build(s, current: records.current, previous: records.previous, catalog: catalog)
        }
        return (try await compute(scope), try await compute(keyScope), try await compute(localKeyScope),
                steps.map(\.realised.amountVnd), steps.map(\.realised.samePeriodPreviousYearVnd))
    }

    private static func build(_ scope: ReportScope, query: String, layout: PageLayout, cache: ReportCache?,
                              on db: any Database) async throws -> DashboardPage {
        let year = scope.year
        let catalog = try await AdminUnitCatalog.load(on: db)
        let (summary, key, localKey, thisYear, lastYear) = try await summaries(scope, catalog: catalog, cache: cache, on: db)
        let monitoring = try await Monitoring.compute(scope, catalog: catalog, cache: cache, on: db)
        let approval = summary.approval
        let figures = ReportNarrative.Figures(all: summary, key: key, localKey: localKey, monitoring: monitoring)

        let money = { (amount: Money) in VietnameseFormat.money(amount) }
        let periodName = scope.period.vietnameseName(year: year)
        let base = query.split(separator: "&").filter { !$0.hasPrefix("restate=") }.joined(separator: "&")
        let headlines = [
            Headline(label: "Kế hoạch \(year)", vnd: summary.plan.amountVnd,
                     note: "\(VietnameseFormat.change(Ratio.change(from: summary.plan.previousYearVnd, to: summary.plan.amountVnd))) so với \(year - 1) (\(money(summary.plan.previousYearVnd)))"),
            Headline(label: "Thực hiện \(periodName)", vnd: summary.realised.amountVnd,
                     note: "\(VietnameseFormat.percent(Ratio(summary.realised.amountVnd, over: summary.plan.amountVnd))) kế hoạch năm"),
            Headline(label: "Cùng kỳ \(year - 1)", vnd: summary.realised.samePeriodPreviousYearVnd,
                     note: "\(VietnameseFormat.change(Ratio.change(from: summary.realised.samePeriodPreviousYearVnd, to: summary.realised.amountVnd), decimals: 2)) so với cùng kỳ"),
            Headline(label: "Nội dung 1 + 2", vnd: figures.key.plan.amountVnd,
                     note: "\(VietnameseFormat.percent(Ratio(figures.key.plan.amountVnd, over: summary.plan.amountVnd))) kế hoạch"),
        ]
        func heading(_ language: Language) -> String {
            "\(MessageCatalog.value(summary.scope.name, in: language)): \(MessageCatalog.value(periodName, in: language))"
        }
        func subheading(_ language: Language) -> String {
            func t(_ key: String, _ values: [String] = []) -> String { MessageCatalog.text(key, in: language, values) }
            return t("Số liệu đến ngày {0}", [VietnameseFormat.date(scope.asOf)])
                + (scope.source.map { " · \(MessageCatalog.value($0.vietnameseName, in: language))" } ?? "")
                + " · " + t(scope.restate ? "quy đổi theo đơn vị hành chính hiện nay" : "theo đơn vị hành chính của năm kế hoạch")
                + (approval.map { " · " + t("số liệu mới nhất; {0}/{1} đơn vị đã được duyệt báo cáo ({2})", [String($0.approvedUnits), String($0.units),
                    VietnameseFormat.percent(Ratio(Int64($0.approvedUnits), over: Int64($0.units)), in: language)]) } ?? "")
        }
        /// The charts with their labels, legends and figures in `language` (labels translated before they wrap).
        func charts(_ language: Language) -> (units: String, categories: String, progress: String) {
            func t(_ key: String, _ values: [String] = []) -> String { MessageCatalog.text(key, in: language, values) }
            func name(_ text: String) -> String { MessageCatalog.value(text, in: language) }
            // The charts draw plain numbers; these are whole đồng.
            let format = { (dong: Int64) in VietnameseFormat.money(Money(dong: dong), in: language) }
            return (SVGChart.groupedBars(summary.byUnit.sorted { $0.unitCode < $1.unitCode }.map { .init(label: name($0.name), values: [$0.planVnd.dong, $0.realisedVnd.dong]) },
                                         series: [t("Kế hoạch {0}", [String(year)]), t("Thực hiện {0}", [name(periodName)])],
                                         title: t("Kế hoạch và thực hiện theo đơn vị"), format: format),
                    SVGChart.groupedBars(summary.byCategory.map { .init(label: name("\($0.category). \($0.name)"), values: [$0.planVnd.dong, $0.realisedVnd.dong]) },
                                         series: [t("Kế hoạch"), t("Thực hiện")], title: t("Kế hoạch và thực hiện theo nội dung"), format: format),
                    SVGChart.lines([thisYear.map(\.dong), lastYear.map(\.dong)], series: [t("Năm {0}", [String(year)]), t("Năm {0}", [String(year - 1)])],
                                   labels: ["Quý I", "6 tháng", "9 tháng", "Cả năm"].map { t($0) }, reference: summary.plan.amountVnd.dong,
                                   referenceLabel: t("KH"), title: t("Thực hiện lũy kế trong năm so với năm trước"), format: format))
        }
        let vietnameseCharts = charts(.vi), englishCharts = charts(.en)
        let english = English(heading: heading(.en), subheading: subheading(.en), narrative: ReportNarrative.paragraphs(figures, scope: scope, in: .en),
                              unitsChart: englishCharts.units, categoriesChart: englishCharts.categories, progressChart: englishCharts.progress,
                              quarterlyReports: Monitoring.quarterLines(monitoring.quarterlyReports, in: .en))
        let unitCode: UnitCode
        if case .unit(let code) = scope.area { unitCode = code } else { unitCode = "" }
        // The area chosen in the form: a region, the country, or neither (a unit).
        let region: Region? = if case .region(let r) = scope.area { r } else { nil }
        let country = if case .country = scope.area { true } else { false }
        return DashboardPage(
            title: "Báo cáo khuyến công – \(summary.scope.name) – \(periodName)",
            layout: layout,
            heading: heading(.vi),
            subheading: subheading(.vi),
            regions: Region.allCases.map { Option(value: $0.rawValue, label: $0.vietnameseName, selected: region == $0) }
                + [Option(value: "country", label: "Cả nước", selected: country)],
            years: (2023...(CalendarDate.today().year + 1)).map { Option(value: String($0), label: String($0), selected: $0 == year) },
            periods: Period.allCases.map { Option(value: $0.rawValue, label: $0.vietnameseName(year: year), selected: $0 == scope.period) },
            sources: [Option(value: "", label: "Tất cả nguồn", selected: scope.source == nil)]
                + FundingSource.allCases.map { Option(value: $0.rawValue, label: $0.vietnameseName, selected: $0 == scope.source) },
            unitCode: unitCode,
            unitChoices: UnitChoices.planYear(year, restated: scope.restate, selected: unitCode),
            restated: scope.restate,
            restateLink: SiteRoute.dashboard.path + "?" + base + (scope.restate ? "" : "&restate=true"),
            restateLabel: scope.restate ? "Xem theo đơn vị của năm kế hoạch" : "Quy đổi theo 34 tỉnh, thành phố hiện nay",
            xlsxLink: SiteRoute.dashboardXLSX.path + "?" + query, csvLink: SiteRoute.dashboardCSV.path + "?" + query,
            docxLink: Links.reportDocument(query: query, format: "docx"), pdfLink: Links.reportDocument(query: query, format: "pdf"),
            printStyleLink: Links.dashboardPrintStyle(query: query),
            headlines: headlines,
            unitsChart: vietnameseCharts.units,
            categoriesChart: vietnameseCharts.categories,
            progressChart: vietnameseCharts.progress,
            units: summary.byUnit.map {
                UnitRow(rank: $0.rank, code: $0.unitCode, name: $0.name, link: Links.unit($0.unitID), plan: money($0.planVnd),
                        realised: money($0.realisedVnd), pct: VietnameseFormat.percent(Ratio($0.realisedVnd, over: $0.planVnd)))
            },
            categories: summary.byCategory.map {
                CategoryRow(name: "\($0.category). \($0.name)", plan: money($0.planVnd),
                            share: VietnameseFormat.percent(Ratio($0.planVnd, over: summary.plan.amountVnd)), realised: money($0.realisedVnd),
                            pct: VietnameseFormat.percent(Ratio($0.realisedVnd, over: $0.planVnd)))
            },
            targets: summary.targets.map {
                TargetRow(name: $0.name, planned: VietnameseFormat.count($0.planned), realised: VietnameseFormat.count($0.realised),
                          pct: VietnameseFormat.percent(Ratio($0.realised, over: $0.planned)))
            },
            pipeline: monitoring.pipeline.map {
                PipelineRow(name: $0.name, count: $0.count, requested: money($0.requestedVnd), approved: money($0.approvedVnd),
                            days: $0.averageDaysInStatus.map { "\($0) ngày" } ?? "–")
            },
            narrative: ReportNarrative.paragraphs(figures, scope: scope),
            monitoringLists: monitoringLists(monitoring, query: query), dashboardLink: SiteRoute.dashboard.path(query: query),
            english: english)
    }

    /// The monitoring lists as lines, in the page's order.
    static func monitoringLists(_ monitoring: Monitoring, query: String) -> [MonitoringSection] {
        let money = { (amount: Money) in VietnameseFormat.money(amount) }
        let settlements = Monitoring.settlementsByUnit(monitoring.overdueSettlements)
        return [
            MonitoringSection(.lateSubmissions, texts: monitoring.lateSubmissions.map {
                "\($0.unitName): đề án \($0.projectCode) (năm \($0.year)) nộp ngày \(VietnameseFormat.date(stored: $0.submittedOn)), muộn \($0.daysLate) ngày"
            }, query: query),
            MonitoringSection(.silentUnits, texts: monitoring.silentUnits.map {
                "\($0.name) (mã \($0.unitCode))" + ($0.lastNationalYear.map { ", lần gần nhất năm \($0)" } ?? "")
            }, query: query),
            MonitoringSection(.waitingAllocation, texts: monitoring.waitingAllocation.map {
                "\($0.projectCode) – \($0.unitName): \(money($0.approvedVnd)), phê duyệt ngày \(VietnameseFormat.date(stored: $0.approvedOn)), đã chờ \($0.daysWaiting) ngày"
            }, query: query),
            MonitoringSection(.periodReports, texts: monitoring.periodReports.map {
                "\($0.name): " + ($0.state == .missing ? "chưa nộp" : "nộp muộn") + ($0.daysLate.map { " \($0) ngày" } ?? "")
            }, query: query),
            MonitoringSection(.latePlanRegistrations, texts: monitoring.latePlanRegistrations.map {
                "\($0.unitName): kế hoạch năm \($0.year) " + ($0.submittedOn.map { "trình Bộ ngày \(VietnameseFormat.date(stored: $0)), muộn" }
                    ?? "chưa trình Bộ, đã quá hạn") + " \($0.daysLate) ngày (hạn \(VietnameseFormat.date(stored: $0.deadline)))"
            }, query: query),
            MonitoringSection(.lateMinistryRegistrations, texts: monitoring.lateMinistryRegistrations.map(\.line), query: query),
            MonitoringSection(.overdueSettlements, settlements.map { MonitoringSection.Line(text: $0.line, details: $0.projects) },
                              count: monitoring.overdueSettlements.count, query: query),
            MonitoringSection(.quarterlyReports, texts: Monitoring.quarterLines(monitoring.quarterlyReports), query: query, translated: true),
        ]
    }
}
