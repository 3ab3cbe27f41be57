import Fluent
import Foundation
import KhuyenCongCore
import Vapor

/// `GET /api/v1/rules` (any signed-in user): every rule row with its dates and legal basis, as the contract of issue 14
/// says (`supportKinds`, `caps`, `advances`, `deadlines`), plus `relativeDeadlines` and `priorityUplifts`.
/// Shares are given in percent (a decimal number from the stored basis points), money in whole đồng.
struct RulesDTO: Content {
    struct Kind: Content { let code: String; let category: String; let name: String; let indicator: String?; let validFrom: String; let validUntil: String?; let legalBasis: String }
    struct Cap: Content {
        let kind: String; let source: FundingSource; let unitCode: UnitCode?; let maxSharePercent: Decimal; let maxAmountVnd: Money
        let per: CapBasis; let validFrom: String; let validUntil: String?; let legalBasis: String
    }
    struct Advance: Content { let kind: String; let firstAdvancePercent: Decimal; let validFrom: String; let validUntil: String?; let legalBasis: String }
    struct Deadline: Content { let year: Int; let step: String; let date: String; let legalBasis: String }
    struct RelativeDeadline: Content { let year: Int; let step: String; let daysAfter: Int; let after: String; let legalBasis: String }
    struct Uplift: Content { let factorPerMille: Int64; let validFrom: String; let validUntil: String?; let legalBasis: String }
    struct RegionRow: Content { let unitCode: UnitCode; let region: Region; let validFrom: String; let validUntil: String?; let legalBasis: String }
    struct Criterion: Content {
        let code: String; let name: String; let maxScore: Int; let weight: Int; let validFrom: String; let validUntil: String?; let legalBasis: String
    }

    let supportKinds: [Kind]
    let caps: [Cap]
    let advances: [Advance]
    let deadlines: [Deadline]
    let relativeDeadlines: [RelativeDeadline]
    let priorityUplifts: [Uplift]
    /// The appraisal council's criteria, every dated row: each scored 0…maxScore, weighing `weight` of 100 points.
    let appraisalCriteria: [Criterion]
    /// The ministry's regions and their member units, every dated row (`region_memberships`): reports as they were
    /// read the membership of their date. `validUntil` is the first day the row no longer holds.
    let regions: [RegionRow]

    static func percent(_ basisPoints: Int64) -> Decimal { Decimal(basisPoints) / 100 }

    /// The registration steps and the H1/FY reports of each plan year come from `plan_years` (they are not duplicated);
    /// the other deadlines from `rule_deadlines` (the latest row of a year and step).
    static func load(on db: any Database) async throws -> RulesDTO {
        let kinds = try await SupportKindRecord.query(on: db).sort(\.$code).sort(\.$validFrom).all()
        let caps = try await CapRecord.query(on: db).sort(\.$kind).sort(\.$source).sort(\.$validFrom).all()
        let advances = try await AdvanceRecord.query(on: db).sort(\.$kind).sort(\.$validFrom).all()
        let uplifts = try await PriorityUpliftRecord.query(on: db).sort(\.$validFrom).all()
        let criteria = try await AppraisalCriterionRecord.query(on: db).sort(\.$position).sort(\.$validFrom).all()
        let regions = try await RegionMembershipRecord.query(on: db).sort(\.$unitCode).sort(\.$validFrom).sort(\.$createdAt).all()
        var deadlines: [Deadline] = []
        // A step a row of `rule_deadlines` sets (the settings page) is read from the row, with its legal basis.
        let latest = try await DeadlineBook.load(on: db).latest
        for year in try await PlanYearSetting.query(on: db).sort(\.$id).all() {
            guard let id = year.id else { continue }
            func add(_ step: String, _ date: String?, _ basis: String) {
                if let date, latest[DeadlineBook.key(id, step)] == nil { deadlines.append(Deadline(year: id, step: step, date: date, legalBasis: basis)) }
            }
            let basis = "Thông tư 36/2013/TT-BCT, Điều 10"
            add("registration_department", year.registrationDeadline, basis)
            add("registration_ministry", year.ministryDeadline, basis)
            add("report_h1", year.h1ReportDue, "Nghị định 45/2012/NĐ-CP, Điều 16")
            add("report_fy", year.fyReportDue, "Nghị định 45/2012/NĐ-CP, Điều 16")
        }
        var relative: [RelativeDeadline] = []
        for row in latest.values.sorted(by: { ($0.year, $0.step) < ($1.year, $1.step) }) {
            if let due = row.dueOn {
                deadlines.append(Deadline(year: row.year, step: row.step, date: due, legalBasis: row.legalBasis))
            } else if let days = row.daysAfter {
                relative.append(RelativeDeadline(year: row.year, step: row.step, daysAfter: days, after: "final_acceptance", legalBasis: row.legalBasis))
            }
        }
        deadlines.sort { ($0.year, $0.date, $0.step) < ($1.year, $1.date, $1.step) }
        return RulesDTO(
            supportKinds: kinds.map { Kind(code: $0.code, category: $0.categoryCode, name: $0.name, indicator: $0.indicatorCode,
                                           validFrom: $0.validFrom, validUntil: $0.validUntil, legalBasis: $0.legalBasis) },
            caps: caps.map { Cap(kind: $0.kind, source: $0.source, unitCode: $0.unitCode, maxSharePercent: percent($0.maxShareBasisPoints),
                                 maxAmountVnd: $0.maxAmountVnd, per: $0.per, validFrom: $0.validFrom, validUntil: $0.validUntil,
                                 legalBasis: $0.legalBasis) },
            advances: advances.map { Advance(kind: $0.kind, firstAdvancePercent: percent($0.firstAdvanceBasisPoints), validFrom: $0.validFrom,
                                             validUntil: $0.validUntil, legalBasis: $0.legalBasis) },
            deadlines: deadlines, relativeDeadlines: relative,
            priorityUplifts: uplifts.map { Uplift(factorPerMille: $0.factorPerMille, validFrom: $0.validFrom, validUntil: $0.validUntil,
                                                  legalBasis: $0.legalBasis) },
            appraisalCriteria: criteria.map { Criterion(code: $0.code, name: $0.name, maxScore: $0.maxScore, weight: $0.weight,
                                                        validFrom: $0.validFrom, validUntil: $0.validUntil, legalBasis: $0.legalBasis) },
            regions: regions.map { RegionRow(unitCode: $0.unitCode, region: $0.region, validFrom: $0.validFrom, validUntil: $0.validUntil,
                                             legalBasis: $0.legalBasis) })
    }
}

struct RulesAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.api(.rules), use: list).access(.signedIn)
    }

    @Sendable func list(req: Request) async throws -> RulesDTO { try await RulesDTO.load(on: req.db) }
}
