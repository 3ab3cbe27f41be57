import Fluent
import Foundation
import KhuyenCongCore

/// A programme as pages and the API show it: the decision, money per source, targets per indicator.
struct ProgrammeContents: Sendable {
    let scope: ProgrammeScope
    let term: ProgrammeTerm
    let decisionNo: String
    let decidedOn: CalendarDate
    let signer: String
    let money: [FundingSource: Money]
    /// Indicator code → quantity over the term, in the order of `ReferenceData.indicators`.
    let targets: [(indicator: String, quantity: Int64)]
    let version: Int

    func target(_ indicator: String) -> Int64? { targets.first { $0.indicator == indicator }?.quantity }
}

extension ProgrammeContents {
    /// The programme of `scope` for `term`, or nil when none is recorded.
    static func load(_ scope: ProgrammeScope, term: ProgrammeTerm, on db: any Database) async throws -> ProgrammeContents? {
        guard let record = try await ProgrammeRecord.query(on: db).filter(\.$scopeKey == scope.key)
            .filter(\.$firstYear == term.firstYear).first() else { return nil }
        return try await contents(record, scope: scope, term: term, on: db)
    }

    /// Every province's programme for `term`, by province code.
    static func provinces(term: ProgrammeTerm, on db: any Database) async throws -> [ProgrammeContents] {
        let records = try await ProgrammeRecord.query(on: db).filter(\.$firstYear == term.firstYear)
            .filter(\.$scopeKey != ProgrammeScope.country.key).all()
        var result: [ProgrammeContents] = []
        for record in records {
            guard let unit = record.unitID.flatMap(AdminUnitCatalog.standard.unit(id:)) else { continue }
            result.append(try await contents(record, scope: .province(unit), term: term, on: db))
        }
        return result.sorted { $0.scope.unit?.code ?? "" < $1.scope.unit?.code ?? "" }
    }

    private static func contents(_ record: ProgrammeRecord, scope: ProgrammeScope, term: ProgrammeTerm,
                                 on db: any Database) async throws -> ProgrammeContents {
        let rows = try await ProgrammeTargetRecord.query(on: db).filter(\.$programmeID == (try record.requireID())).all()
        let byCode = Dictionary(rows.map { ($0.indicatorCode, $0.quantity) }, uniquingKeysWith: { a, _ in a })
        var money: [FundingSource: Money] = [:]
        money[.national] = record.nationalVnd
        money[.local] = record.localVnd
        return ProgrammeContents(
            scope: scope, term: term, decisionNo: record.decisionNo,
            decidedOn: (try? CalendarDate(parsing: record.decidedOn)) ?? term.firstDay, signer: record.signer, money: money,
            targets: ReferenceData.indicators.compactMap { indicator in byCode[indicator.code].map { (indicator.code, $0) } },
            version: record.version)
    }
}
