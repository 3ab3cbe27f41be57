import KhuyenCongCore
import Vapor

/// The JSON of `/api/v1/programmes/2026-2030[/{unitCode}]`: the decision, the targets with achievement to date, money
/// per source. Amounts are whole đồng; a percentage is given exactly as per-mille (rounded half away from zero) and
/// as the Vietnamese text the pages show; never a floating-point number.
struct ProgrammeDTO: Content {
    struct Decision: Content { let number: String; let date: String; let signer: String }
    struct Target: Content {
        let indicator: String; let name: String; let quantity: Int64?; let achieved: Int64; let perMille: Int?; let percent: String
    }
    struct MoneyLine: Content {
        let source: String; let plannedVnd: Money; let achievedVnd: Money; let perMille: Int?; let percent: String
    }
    struct Year: Content { let year: Int; let period: Period; let outputs: [String: Int64]; let realisedVnd: Money }
    struct Through: Content { let year: Int; let period: Period; let asOf: String }
    struct Province: Content {
        let unitCode: UnitCode; let name: String; let decision: Decision; let targets: [Target]; let realisedVnd: Money
    }

    let term: String
    let firstYear: Int
    let lastYear: Int
    let scope: String
    let unitCode: UnitCode?
    let name: String
    /// nil when no programme is recorded for the scope.
    let decision: Decision?
    let version: Int
    /// What the figures are compared with: national, province, provinces, nationalForRegion or none.
    let basis: String
    /// The funding source whose projects count (nil: both).
    let countedSource: String?
    let through: Through
    let targets: [Target]
    let money: [MoneyLine]
    let realisedVnd: Money
    let years: [Year]
    /// The national programme's answer only: the provinces that have a programme, with their achievement.
    let provinces: [Province]?

    init(_ standing: ProgrammeStanding, own: ProgrammeContents?, scope: ProgrammeScope, provinces: [(ProgrammeContents, ProgrammeStanding)]?) {
        term = standing.term.segment
        firstYear = standing.term.firstYear
        lastYear = standing.term.lastYear
        self.scope = scope.unit == nil ? "country" : "province"
        unitCode = scope.unit?.code
        name = scope.name
        decision = own.map(Self.decision)
        version = own?.version ?? 0
        basis = standing.basis.rawValue
        countedSource = standing.source?.rawValue
        through = Through(year: standing.through.year, period: ProgrammeProgress.Through.toDate(standing.through.period),
                          asOf: standing.through.asOf.description)
        targets = Self.targets(standing)
        money = standing.money.map {
            MoneyLine(source: $0.source.rawValue, plannedVnd: $0.planned, achievedVnd: $0.achieved, perMille: Self.perMille($0.ratio),
                      percent: VietnameseFormat.percent($0.ratio))
        }
        realisedVnd = standing.progress.realisedVnd
        years = standing.progress.years.map { Year(year: $0.year, period: $0.period, outputs: $0.outputs, realisedVnd: $0.realisedVnd) }
        self.provinces = provinces?.map { programme, standing in
            Province(unitCode: programme.scope.unit?.code ?? "", name: programme.scope.name, decision: Self.decision(programme),
                     targets: Self.targets(standing), realisedVnd: standing.progress.realisedVnd)
        }
    }

    static func decision(_ programme: ProgrammeContents) -> Decision {
        Decision(number: programme.decisionNo, date: programme.decidedOn.description, signer: programme.signer)
    }

    static func targets(_ standing: ProgrammeStanding) -> [Target] {
        standing.rows.map { row in
            Target(indicator: row.indicator, name: ReferenceData.indicators.first { $0.code == row.indicator }?.vietnameseName ?? row.indicator,
                   quantity: row.target, achieved: row.achieved, perMille: perMille(row.ratio), percent: VietnameseFormat.percent(row.ratio))
        }
    }

    /// ‰, exactly rounded; nil where there is no target.
    static func perMille(_ ratio: Ratio?) -> Int? { ratio.map { Int(clamping: $0.roundedPercent(decimals: 1)) } }
}
