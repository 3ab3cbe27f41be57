import Fluent
import KhuyenCongCore

/// Everything the programme pages and the API show of one scope: its programme (if recorded), its standing, and for
/// the country the provinces that have a programme, each against its own.
struct ProgrammeOverview: Sendable {
    let scope: ProgrammeScope
    let term: ProgrammeTerm
    let own: ProgrammeContents?
    let standing: ProgrammeStanding
    let provinces: [(programme: ProgrammeContents, standing: ProgrammeStanding)]?

    static func load(_ scope: ProgrammeScope, term: ProgrammeTerm, through: ProgrammeProgress.Through,
                     on db: any Database) async throws -> ProgrammeOverview {
        let own = try await ProgrammeContents.load(scope, term: term, on: db)
        let standing = try await ProgrammeStanding.compute(scope.area, term: term, through: through, on: db)
        guard case .country = scope else { return ProgrammeOverview(scope: scope, term: term, own: own, standing: standing, provinces: nil) }
        let programmes = try await ProgrammeContents.provinces(term: term, on: db)
        let progress = try await ProgrammeProgress.compute(programmes.map(\.scope.area), source: nil, through: through, term: term, on: db)
        let provinces = zip(programmes, progress).map { programme, progress in
            (programme, ProgrammeStanding.province(programme, progress: progress, through: through))
        }
        return ProgrammeOverview(scope: scope, term: term, own: own, standing: standing, provinces: provinces)
    }
}

extension ProgrammeProgress.Through {
    /// From a request's `year`, `period` and `asOf` (each optional; by default the term's current year, whole, as of today).
    static func parse(year: Int?, period: String?, asOf: String?, term: ProgrammeTerm) throws -> Self {
        let date = try asOf.flatMap { $0.isEmpty ? nil : $0 }.map { text in
            try PlanInput.named("asOf") { try CalendarDate(parsing: text) }
        } ?? .today()
        let period = try period.flatMap { $0.isEmpty ? nil : $0 }.map { text in try PlanInput.named("period") { try Period(parsing: text) } } ?? .fullYear
        guard let year else { return Self(year: Self.today(term, asOf: date).year, period: period, asOf: date) }
        guard (2000...2100).contains(year) else {
            throw DomainError.invalid(vi: "year: năm \(year) không hợp lệ", en: "year: \(year) is out of range")
        }
        return Self(year: year, period: period, asOf: date)
    }
}
