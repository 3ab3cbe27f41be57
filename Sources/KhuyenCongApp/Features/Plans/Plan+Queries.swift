import Fluent
import Foundation
import KhuyenCongCore

/// A unit's plan for one year: the key every plan read and write goes by.
struct PlanKey: Sendable, Hashable {
    let unit: AdminUnit
    let year: Int

    /// A unit code as pages and the API name it, resolved on 1 January of the plan year (404 otherwise).
    static func resolve(unitCode: UnitCode, year: String) throws -> PlanKey {
        guard let year = Int(year), (2000...2100).contains(year) else {
            throw DomainError(.notFound, vi: "Năm kế hoạch \"\(year)\" không có", en: "no plan year \"\(year)\"")
        }
        return PlanKey(unit: try AdminUnitCatalog.standard.resolve(code: unitCode, planYear: year), year: year)
    }

    func recordID(_ source: FundingSource) -> String { "\(unit.id)/\(year)/\(source.rawValue)" }
}

/// Everything the plan page and the API show of one plan year: per source its status, lines with approved
/// revisions and draft amounts, and targets (approved and draft).
struct PlanContents: Sendable {
    struct Line: Sendable {
        let category: String
        /// Oldest first, as they were decided.
        let revisions: [Revision]
        let draftAmount: Money?
        let draftReason: String?
        /// The latest decided amount (by approval date, then by when it was recorded).
        var approvedAmount: Money? { revisions.last?.amount }
    }
    struct Revision: Sendable {
        let amount: Money; let approvedOn: String; let decisionNo: String; let reason: String?; let recordedAt: Date?

        /// The order revisions take effect in: by approval date, then by when they were recorded.
        static func inForce(_ a: Revision, _ b: Revision) -> Bool {
            (a.approvedOn, a.recordedAt ?? .distantPast) < (b.approvedOn, b.recordedAt ?? .distantPast)
        }
    }
    struct Target: Sendable { let category: String; let indicator: String; let quantity: Int64?; let draftQuantity: Int64? }
    struct Source: Sendable {
        let source: FundingSource
        let status: PlanCycle.Status
        let version: Int
        let record: PlanStatusRecord?
        let lines: [Line]
        let targets: [Target]
        /// The decisions' files (without their contents), oldest first.
        let files: [PlanDecisionFile]
    }
    let key: PlanKey
    let sources: [Source]

    func source(_ source: FundingSource) -> Source { sources.first { $0.source == source }! }
}

extension PlanContents {
    static func load(_ key: PlanKey, on db: any Database) async throws -> PlanContents {
        let unitID = key.unit.id
        let statuses = try await PlanStatusRecord.query(on: db).filter(\.$unitID == unitID).filter(\.$year == key.year).all()
        let lines = try await PlanLine.query(on: db).filter(\.$unitID == unitID).filter(\.$year == key.year).with(\.$revisions).all()
        let drafts = try await PlanDraft.query(on: db).filter(\.$unitID == unitID).filter(\.$year == key.year).all()
        let targets = try await PlanTarget.query(on: db).filter(\.$unitID == unitID).filter(\.$year == key.year).all()
        let draftTargets = try await PlanDraftTarget.query(on: db).filter(\.$unitID == unitID).filter(\.$year == key.year).all()
        let files = try await PlanDecisionFile.list(key, on: db)

        let sources = FundingSource.allCases.map { source -> Source in
            let record = statuses.first { $0.source == source }
            let ownLines = lines.filter { $0.source == source }
            let ownDrafts = drafts.filter { $0.source == source }
            let categories = Set(ownLines.map(\.categoryCode) + ownDrafts.map(\.categoryCode)).sorted(by: categoryOrder)
            let planLines = categories.map { category -> Line in
                let revisions = (ownLines.first { $0.categoryCode == category }?.revisions ?? [])
                    .map { Revision(amount: $0.amountVnd, approvedOn: $0.approvedOn, decisionNo: $0.decisionNo, reason: $0.reason,
                                    recordedAt: $0.recordedAt) }
                    .sorted(by: Revision.inForce)
                let draft = ownDrafts.first { $0.categoryCode == category }
                return Line(category: category, revisions: revisions, draftAmount: draft?.amountVnd, draftReason: draft?.reason)
            }
            let ownTargets = targets.filter { $0.source == source }
            let ownDraftTargets = draftTargets.filter { $0.source == source }
            let targetKeys = Set(ownTargets.map { TargetKey($0.categoryCode, $0.indicatorCode) }
                                 + ownDraftTargets.map { TargetKey($0.categoryCode, $0.indicatorCode) })
                .sorted { categoryOrder($0.category, $1.category) || ($0.category == $1.category && $0.indicator < $1.indicator) }
            let planTargets = targetKeys.map { target in
                Target(category: target.category, indicator: target.indicator,
                       quantity: ownTargets.first { $0.categoryCode == target.category && $0.indicatorCode == target.indicator }?.quantity,
                       draftQuantity: ownDraftTargets.first { $0.categoryCode == target.category && $0.indicatorCode == target.indicator }?.quantity)
            }
            return Source(source: source, status: status(record, hasApprovedLines: ownLines.contains { !$0.revisions.isEmpty }),
                          version: record?.version ?? 0, record: record, lines: planLines, targets: planTargets,
                          files: files.filter { $0.source == source })
        }
        return PlanContents(key: key, sources: sources)
    }

    /// A plan with no status row but approved lines was imported before the cycle existed: it is approved.
    static func status(_ record: PlanStatusRecord?, hasApprovedLines: Bool) -> PlanCycle.Status {
        record?.status ?? (hasApprovedLines ? .approved : .draft)
    }

    private struct TargetKey: Hashable { let category: String; let indicator: String; init(_ c: String, _ i: String) { category = c; indicator = i } }

    /// Category codes in numeric order ("2" before "10").
    static func categoryOrder(_ a: String, _ b: String) -> Bool { (Int(a) ?? .max, a) < (Int(b) ?? .max, b) }
}
