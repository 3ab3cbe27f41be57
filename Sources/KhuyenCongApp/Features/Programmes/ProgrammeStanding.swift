import Fluent
import KhuyenCongCore

/// Achievement to date against a programme, for a report area (what the programme page, the dashboard and the API show).
///
/// Which programme an area is compared with, and which records count:
/// - the country: the national programme (Decision 2646/QĐ-BCT); the projects of the national source count, since
///   the national programme is the one the ministry's budget carries;
/// - a province: its own programme, decided by its People's Committee; every project of the province counts (both
///   sources: the province's programme covers the khuyến công work on its territory);
/// - a region: the sum of the programmes of its provinces that have one, against the achievement of those
///   provinces only (so that the percentage compares like with like; the page says how many of the region's
///   provinces that is); when none of them has one, the national programme against the region's national projects.
struct ProgrammeStanding: Sendable {
    enum Basis: String, Sendable, Codable {
        case national, province, provinces, nationalForRegion, none
    }

    struct Row: Sendable {
        let indicator: String
        let target: Int64?
        let achieved: Int64
        var ratio: Ratio? { target.flatMap { Ratio(achieved, over: $0) } }
    }

    struct MoneyRow: Sendable {
        let source: FundingSource
        let planned: Money
        let achieved: Money
        var ratio: Ratio? { Ratio(achieved, over: planned) }
    }

    let term: ProgrammeTerm
    let areaName: String
    let basis: Basis
    /// The programmes compared with (one, several provinces', or none).
    let programmes: [ProgrammeContents]
    /// Provinces of the region with a programme, and all of the region's provinces (region basis only).
    let provincesWithProgramme: Int
    let provincesInArea: Int
    let source: FundingSource?
    let through: ProgrammeProgress.Through
    let progress: ProgrammeProgress
    let rows: [Row]
    let money: [MoneyRow]

    /// Which programme and records count for `area` (see the type's comment), and the achievement through `through`.
    static func compute(_ area: ReportScope.Area, term: ProgrammeTerm, through: ProgrammeProgress.Through,
                        catalog: AdminUnitCatalog? = nil, on db: any Database) async throws -> ProgrammeStanding {
        // nil: the units with the region memberships of the database (M0051).
        let catalog = try await AdminUnitCatalog.load(given: catalog, on: db)
        switch area {
        case .country:
            let national = try await ProgrammeContents.load(.country, term: term, on: db)
            let progress = try await ProgrammeProgress.compute(.country, source: .national, through: through, term: term, on: db)
            return make(term, "Cả nước", national == nil ? .none : .national, national.map { [$0] } ?? [], 0, 0, .national, through, progress)
        case .unit(let code):
            let scope = try ProgrammeScope.province(code: code, term: term)
            let own = try await ProgrammeContents.load(scope, term: term, on: db)
            let progress = try await ProgrammeProgress.compute(scope.area, source: nil, through: through, term: term, on: db)
            return make(term, scope.name, own == nil ? .none : .province, own.map { [$0] } ?? [], 0, 0, nil, through, progress)
        case .region(let region):
            let units = catalog.units(in: region, planYear: term.firstYear)
            let codes = Set(units.map(\.code))
            let own = try await ProgrammeContents.provinces(term: term, on: db).filter { $0.scope.unit.map { codes.contains($0.code) } ?? false }
            if own.isEmpty {
                let national = try await ProgrammeContents.load(.country, term: term, on: db)
                let progress = try await ProgrammeProgress.compute(area, source: .national, through: through, term: term, on: db)
                return make(term, region.vietnameseName, national == nil ? .none : .nationalForRegion, national.map { [$0] } ?? [],
                            0, units.count, .national, through, progress)
            }
            let parts = try await ProgrammeProgress.compute(own.map(\.scope.area), source: nil, through: through, term: term, on: db)
            return make(term, region.vietnameseName, .provinces, own, own.count, units.count, nil, through, try ProgrammeProgress.sum(parts))
        }
    }

    static func make(_ term: ProgrammeTerm, _ name: String, _ basis: Basis, _ programmes: [ProgrammeContents], _ with: Int,
                             _ of: Int, _ source: FundingSource?, _ through: ProgrammeProgress.Through,
                             _ progress: ProgrammeProgress) -> ProgrammeStanding {
        // Targets summed over the programmes compared with; bounded quantities, so no overflow.
        var targets: [String: Int64] = [:]
        for programme in programmes { for target in programme.targets { targets[target.indicator, default: 0] += target.quantity } }
        let rows = ReferenceData.indicators.compactMap { indicator -> Row? in
            let achieved = progress.output(indicator.code)
            guard targets[indicator.code] != nil || achieved != 0 else { return nil }
            return Row(indicator: indicator.code, target: targets[indicator.code], achieved: achieved)
        }
        // Money only where every programme compared with sets it for that source.
        let money = FundingSource.allCases.compactMap { source -> MoneyRow? in
            let amounts = programmes.compactMap { $0.money[source] }
            guard !programmes.isEmpty, amounts.count == programmes.count else { return nil }
            // Each programme's amount is bounded (`ProgrammeInput.maximumAmount`), so their sum cannot overflow.
            return MoneyRow(source: source, planned: Money(dong: amounts.reduce(0) { $0 + $1.dong }),
                            achieved: progress.realisedBySource[source] ?? .zero)
        }
        return ProgrammeStanding(term: term, areaName: name, basis: basis, programmes: programmes, provincesWithProgramme: with,
                                 provincesInArea: of, source: source, through: through, progress: progress, rows: rows, money: money)
    }

    /// A province's standing against its own programme, from its already computed achievement.
    static func province(_ programme: ProgrammeContents, progress: ProgrammeProgress, through: ProgrammeProgress.Through) -> ProgrammeStanding {
        make(programme.term, programme.scope.name, .province, [programme], 0, 0, nil, through, progress)
    }

    /// What is compared with what, in a sentence for the pages.
    var basisNote: String { basisNote(in: .vi) }

    /// The same sentence in `language` (catalog entries with values).
    func basisNote(in language: Language) -> String {
        func t(_ key: String, _ values: [String]) -> String { MessageCatalog.text(key, in: language, values) }
        func name(_ text: String) -> String { MessageCatalog.value(text, in: language) }
        let counted = MessageCatalog.text(source == .national ? "tính các đề án khuyến công quốc gia" : "tính các đề án của cả hai nguồn kinh phí", in: language)
        let decision = programmes.first.map { t("Quyết định số {0} ngày {1}", [$0.decisionNo, VietnameseFormat.date($0.decidedOn)]) } ?? ""
        switch basis {
        case .national:
            return t("So với Chương trình khuyến công quốc gia giai đoạn {0} ({1}); {2}.", [term.label, decision, counted])
        case .province:
            return t("So với chương trình khuyến công giai đoạn {0} của {1} ({2}); {3}.", [term.label, name(areaName), decision, counted])
        case .provinces:
            return t("Chỉ tiêu là tổng chương trình giai đoạn {0} của {1}/{2} tỉnh, thành phố trong khu vực đã có chương trình ({3}); thực hiện tính trên các tỉnh, thành phố đó, {4}.",
                     [term.label, String(provincesWithProgramme), String(provincesInArea),
                      programmes.compactMap { $0.scope.unit?.name }.map(name).joined(separator: ", "), counted])
        case .nationalForRegion:
            return t("Chưa tỉnh, thành phố nào trong khu vực nhập chương trình giai đoạn {0}: so với Chương trình khuyến công quốc gia ({1}), phần đóng góp của khu vực; {2}.",
                     [term.label, decision, counted])
        case .none:
            return t("Chưa có chương trình khuyến công giai đoạn {0} được nhập cho {1}; chỉ hiện kết quả thực hiện, {2}.", [term.label, name(areaName), counted])
        }
    }

    /// Which years count, in words: "năm 2026 (cả năm), 6 tháng năm 2027 — số liệu đến ngày 30/06/2027".
    var throughNote: String { throughNote(in: .vi) }

    func throughNote(in language: Language) -> String {
        func t(_ key: String, _ values: [String]) -> String { MessageCatalog.text(key, in: language, values) }
        let parts = through.periods(term)
        guard !parts.isEmpty else { return t("Chương trình bắt đầu từ năm {0}: chưa có năm nào được tính.", [String(term.firstYear)]) }
        let years = parts.map { $0.period == .fullYear ? t("năm {0}", [String($0.year)]) : MessageCatalog.value($0.period.vietnameseName(year: $0.year), in: language) }
        return t("Lũy kế {0}; số liệu đến ngày {1}.", [years.joined(separator: ", "), VietnameseFormat.date(through.asOf)])
    }
}
