import Fluent
import Foundation
import KhuyenCongCore

/// What a new cap row would change before it is saved: the pending projects (submitted or appraised, not yet approved)
/// of its kind, source and province whose registration date falls in its validity, each with the cap in force now and
/// the one it would get, and whether its support would then be refused.
enum RulePreview {
    static let pendingStatuses: [ProjectStatus] = [.submitted, .appraisedProvince, .registered, .appraisedMinistry]

    struct Row: Sendable {
        let code: String
        let title: String
        let unitName: String
        let status: String
        let registeredOn: CalendarDate
        let support: Money
        let currentCap: String
        let newCap: String
        /// The refusals under the new cap (empty: it still passes).
        let newBreaches: [String]
        /// Whether it is refused under the cap in force today (a lower cap may let it pass, a higher one too).
        let breachesNow: Bool
    }

    static func affected(by rule: CapRule, on db: any Database) async throws -> [Row] {
        let book = try await RuleBook.load(on: db)
        var changed = book
        changed.caps.append(rule)
        let from = rule.validFrom.description
        var query = Project.query(on: db).filter(\.$status ~~ pendingStatuses).filter(\.$source == rule.source)
            .filter(\.$submittedOn >= from)
        if let until = rule.validUntil { query = query.filter(\.$submittedOn < until.description) }
        var rows: [Row] = []
        for project in try await query.sort(\.$submittedOn).sort(\.$code).all() where project.supportKindCode == rule.kind {
            let unit = AdminUnitCatalog.standard.unit(id: project.unitID)
            let unitCode = unit?.code ?? UnitCode(project.unitID.rawValue)
            if rule.source == .local && unitCode != rule.unitCode { continue }
            guard let registered = project.submittedOn.flatMap({ try? CalendarDate(parsing: $0) }) else { continue }
            let beneficiaries = try await project.beneficiaries(on: db)
            let establishments = beneficiaries.map { (name: $0.0.name, support: $0.1) }
            let priority = Set(beneficiaries.filter { $0.0.disadvantagedArea }.map(\.0.name))
            let support = project.supportRequestedVnd, counterpart = project.counterpartVnd
            func describe(_ cap: CapRule?) -> String {
                guard let cap else { return "Không có mức" }
                return "\(RuleBook.percent(cap.maxShareBasisPoints)), \(VietnameseFormat.money(cap.maxAmount))/\(cap.per.vietnameseName)"
            }
            let now = book.capBreaches(kind: rule.kind, source: rule.source, unitCode: unitCode, on: registered, support: support,
                                       counterpart: counterpart, perEstablishment: establishments, priority: priority)
            let after = changed.capBreaches(kind: rule.kind, source: rule.source, unitCode: unitCode, on: registered, support: support,
                                            counterpart: counterpart, perEstablishment: establishments, priority: priority)
            rows.append(Row(code: project.code, title: project.title, unitName: unit?.name ?? project.unitID.rawValue,
                            status: project.status.vietnameseName, registeredOn: registered, support: support,
                            currentCap: describe(book.cap(kind: rule.kind, source: rule.source, unitCode: unitCode, on: registered)),
                            newCap: describe(changed.cap(kind: rule.kind, source: rule.source, unitCode: unitCode, on: registered)),
                            newBreaches: after.map(\.vietnamese), breachesNow: !now.isEmpty))
        }
        return rows
    }
}
