import Fluent
import KhuyenCongCore

/// The dashboard's "Thực hiện Chương trình khuyến công 2026–2030" section: achievement to date (through the
/// dashboard's year and period, as of its date) against the programme its scope is compared with (`ProgrammeStanding`).
struct ProgrammeDashboardSection: Encodable, Sendable {
    struct Row: Encodable, Sendable { let name: String; let target: String; let achieved: String; let pct: String }

    let heading: String
    var note: String
    /// The note in English (the page built in Swift once, shown in the reader's language: `DashboardPage.in(_:)`).
    let noteEnglish: String
    let rows: [Row]
    let link: String
    let linkLabel: String

    static func load(_ scope: ReportScope, term: ProgrammeTerm = .current, catalog: AdminUnitCatalog? = nil,
                     on db: any Database) async throws -> ProgrammeDashboardSection {
        let catalog = try await AdminUnitCatalog.load(given: catalog, on: db)
        // A province is the one of today that covers the dashboard's unit (a predecessor's code before the merger).
        let area: ReportScope.Area
        var provinceCode: UnitCode? = nil
        switch scope.area {
        case .unit(let code):
            let today = catalog.restated(try catalog.resolve(code: code, planYear: scope.year))
            area = .unit(code: today.code)
            provinceCode = today.code
        case let other: area = other
        }
        let through = ProgrammeProgress.Through(year: scope.year, period: scope.period, asOf: scope.asOf)
        let standing = try await ProgrammeStanding.compute(area, term: term, through: through, catalog: catalog, on: db)
        let money = { (amount: Money) in VietnameseFormat.money(amount) }
        let rows = standing.rows.map { row in
            Row(name: ReferenceData.indicators.first { $0.code == row.indicator }?.vietnameseName ?? row.indicator,
                target: row.target.map(VietnameseFormat.count) ?? "–", achieved: VietnameseFormat.count(row.achieved),
                pct: VietnameseFormat.percent(row.ratio))
        } + standing.money.map {
            Row(name: "Kinh phí \($0.source.vietnameseName.lowercased())", target: money($0.planned), achieved: money($0.achieved),
                pct: VietnameseFormat.percent($0.ratio))
        }
        let national = provinceCode == nil || standing.basis != .province
        return ProgrammeDashboardSection(
            heading: "Thực hiện Chương trình khuyến công \(term.label)",
            note: "\(standing.basisNote) \(standing.throughNote)",
            noteEnglish: "\(standing.basisNote(in: .en)) \(standing.throughNote(in: .en))",
            rows: through.periods(term).isEmpty ? [] : rows,
            link: Links.programme(unitCode: national ? nil : provinceCode, term: term),
            linkLabel: national ? "Chương trình khuyến công quốc gia \(term.label)" : "Chương trình khuyến công \(standing.areaName) \(term.label)")
    }
}

extension DashboardPage {
    /// The page with its programme section.
    func withProgramme(_ scope: ReportScope, on db: any Database) async throws -> DashboardPage {
        var page = self
        page.programme = try await ProgrammeDashboardSection.load(scope, on: db)
        return page
    }
}
