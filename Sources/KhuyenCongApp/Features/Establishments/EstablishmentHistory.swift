import Fluent
import KhuyenCongCore

/// An establishment (cơ sở, known by its tax code) and every project that supports it, across years, funding sources
/// and provinces, within what the caller may read; and where two of them support the same content, which Circular
/// 26/2014/TTLT-BTC-BCT Art. 7 forbids (no double state funding of one establishment for one content).
struct EstablishmentHistory: Sendable {
    struct Row: Sendable {
        let code: String
        let title: String
        let year: Int
        let unitID: UnitID
        let source: FundingSource
        let category: String
        let status: ProjectStatus
        let supportVnd: Money

        var unit: AdminUnit? { AdminUnitCatalog.standard.unit(id: unitID) }
        var unitCode: UnitCode { unit?.code ?? UnitCode(unitID.rawValue) }
        var unitName: String { unit?.name ?? unitID.rawValue }
    }

    /// Two or more live projects supporting the establishment for the same content category.
    struct DoubleFunding: Sendable {
        let category: String
        let rows: [Row]
    }

    let taxCode: TaxCode
    let name: String
    let commune: String
    let rows: [Row]

    /// Projects that no longer count as support: refused, cancelled, or moved (the moved-to project carries it).
    static let notSupporting: Set<ProjectStatus> = [.rejected, .cancelled, .moved]

    var totalSupportVnd: Money {
        rows.filter { !Self.notSupporting.contains($0.status) }
            .reduce(Money.zero) { total, row in (try? total + row.supportVnd) ?? total }
    }

    var doubleFunding: [DoubleFunding] {
        let live = rows.filter { !Self.notSupporting.contains($0.status) }
        return Dictionary(grouping: live, by: \.category).filter { $0.value.count > 1 }
            .map { DoubleFunding(category: $0.key, rows: $0.value.sorted { ($0.year, $0.code) < ($1.year, $1.code) }) }
            .sorted { (Int($0.category) ?? .max, $0.category) < (Int($1.category) ?? .max, $1.category) }
    }

    /// The establishment as `principal` may see it; nil when no project supporting it is in their sight (a 404 then,
    /// so that another province's establishments are not even confirmed to exist).
    static func load(taxCode: TaxCode, for principal: Principal, on db: any Database) async throws -> EstablishmentHistory? {
        guard let beneficiary = try await Beneficiary.query(on: db).filter(\.$taxCode == taxCode.digits).first() else { return nil }
        let links = try await ProjectBeneficiary.query(on: db).filter(\.$beneficiary.$id == beneficiary.requireID()).with(\.$project).all()
        let rows = links.filter { AccessPolicy.decide(principal, .readRecord, RecordScope(unitID: $0.project.unitID)) == .allow }.map { link in
            let project = link.project
            return Row(code: project.code, title: project.title, year: project.year, unitID: project.unitID, source: project.source,
                       category: project.categoryCode, status: project.status, supportVnd: link.supportVnd)
        }.sorted { ($1.year, $0.code) < ($0.year, $1.code) }
        guard !rows.isEmpty else { return nil }
        return EstablishmentHistory(taxCode: taxCode, name: beneficiary.name, commune: beneficiary.commune, rows: rows)
    }

    static func categoryName(_ code: String) -> String {
        ReferenceData.categories.first { $0.code == code }.map { "\($0.code). \($0.vietnameseName)" } ?? code
    }
}

extension Links {
    /// An establishment's page by its tax code (digits, as stored); the project page links beneficiaries here.
    static func establishment(taxCode: String) -> String { SiteRoute.establishment(taxCode: taxCode.filter(\.isNumber)).path }
}
