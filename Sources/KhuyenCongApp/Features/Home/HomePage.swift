import Fluent
import KhuyenCongCore

/// The home page's context: every string already formatted.
struct HomePage: Encodable {
    struct Row: Encodable {
        let code: UnitCode
        let name: String
        let link: String
        let plan: String
        let realised: String
        let pct: String
        let previousPlan: String
        let previousRealised: String
    }

    let title: String
    let layout: PageLayout
    let regionName: String
    let year: Int
    let previousYear: Int
    let asOf: String
    let totalPlan: String
    let totalRealised: String
    let totalPct: String
    let previousTotalPlan: String
    let previousTotalRealised: String
    let planChange: String
    let regions: [Link]
    let rows: [Row]
    let restatedNote: String?
    /// For the ministry and the region reviewers: the consolidation of next year's national plans (being registered now).
    let consolidation: Link?
    /// For whoever is signed in: the five-year programme and its achievement to date.
    let programme: Link?

    struct Link: Encodable { let name: String; let href: String; let current: Bool }

    /// This year and the last, both on today's units (a comparison across the 2025 merger is always restated).
    static func load(region: Region, year: Int, today: CalendarDate, layout: PageLayout, cache: ReportCache? = nil,
                     on db: any Database) async throws -> HomePage {
        let current = try await ReportSummary.compute(
            ReportScope(area: .region(region), year: year, period: .fullYear, restate: true, asOf: today), cache: cache, on: db)
        let previous = try await ReportSummary.compute(
            ReportScope(area: .region(region), year: year - 1, period: .fullYear, restate: true, asOf: today), cache: cache, on: db)
        let previousByUnit = Dictionary(previous.byUnit.map { ($0.unitID, $0) }, uniquingKeysWith: { a, _ in a })
        let rows = current.byUnit.sorted { $0.unitCode < $1.unitCode }.map { unit in
            Row(code: unit.unitCode, name: unit.name, link: Links.unit(unit.unitID),
                plan: money(unit.planVnd), realised: money(unit.realisedVnd),
                pct: VietnameseFormat.percent(Ratio(unit.realisedVnd, over: unit.planVnd)),
                previousPlan: money(previousByUnit[unit.unitID]?.planVnd ?? 0),
                previousRealised: money(previousByUnit[unit.unitID]?.realisedVnd ?? 0))
        }
        let language = Language(rawValue: layout.language.lang) ?? .vi
        func t(_ text: String, _ values: String...) -> String { MessageCatalog.text(text, in: language, values) }
        let catalog = try await AdminUnitCatalog.load(on: db)   // the regions in force (region_memberships)
        let restated = catalog.units(in: region, planYear: year - 1) != catalog.units(in: region, planYear: year)
        return HomePage(
            title: t("Khuyến công") + " – " + t(region.vietnameseName), layout: layout,
            regionName: t(region.vietnameseName), year: year, previousYear: year - 1,
            asOf: VietnameseFormat.date(today),
            totalPlan: money(current.plan.amountVnd), totalRealised: money(current.realised.amountVnd),
            totalPct: VietnameseFormat.percent(Ratio(current.realised.amountVnd, over: current.plan.amountVnd)),
            previousTotalPlan: money(previous.plan.amountVnd), previousTotalRealised: money(previous.realised.amountVnd),
            planChange: VietnameseFormat.change(Ratio.change(from: previous.plan.amountVnd, to: current.plan.amountVnd)),
            regions: Region.allCases.map { Link(name: t($0.vietnameseName), href: layout.userName == nil ? Links.home(region: $0) : Links.overview(region: $0), current: $0 == region) },
            rows: rows,
            restatedNote: restated ? t("Số liệu năm {0} được quy đổi theo đơn vị hành chính từ 01/07/2025 (Nghị quyết 202/2025/QH15).", String(year - 1)) : nil,
            consolidation: layout.canReview ? Link(name: t("Tổng hợp kế hoạch khuyến công quốc gia năm {0}", String(year + 1)), href: Links.consolidation(year: year + 1), current: false) : nil,
            programme: layout.userName == nil ? nil : Link(name: t("Chương trình khuyến công quốc gia 2026–2030: kết quả thực hiện"),
                                                           href: Links.programme(unitCode: nil), current: false))
    }

    static func money(_ dong: Money) -> String { VietnameseFormat.money(dong) }
}
