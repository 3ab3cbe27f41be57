import KhuyenCongCore
import Vapor

/// The plan as `/api/v1/plans/{unitCode}/{year}` answers it (issue 12's contract, extended, never renamed).
/// `amountVnd` and `quantity` are what was approved (0 before any decision); drafts are shown apart and count nowhere.
struct PlanDTO: Content {
    struct Revision: Content { let amountVnd: Money; let approvedOn: String; let decisionNo: String; let reason: String? }
    struct Line: Content {
        let category: String; let amountVnd: Money; let draftAmountVnd: Money?; let draftReason: String?; let revisions: [Revision]
    }
    struct Target: Content { let category: String; let indicator: String; let quantity: Int64; let draftQuantity: Int64? }
    /// A decision's file: its name, size and where to download it.
    struct File: Content { let decisionNo: String; let filename: String; let size: Int; let url: String }
    struct Source: Content {
        let source: FundingSource; let status: PlanCycle.Status; let version: Int; let decisionNo: String?; let approvedOn: String?
        let submittedOn: String?; let returnReason: String?; let lines: [Line]; let targets: [Target]
        let signer: String?; let files: [File]
    }
    /// An allocation of budget estimates by the ministry to the national plan (oldest first).
    struct Allocation: Content { let amountVnd: Money; let allocatedOn: String; let decisionNo: String }
    let unitCode: UnitCode
    let unitName: String
    let year: Int
    let sources: [Source]
    let allocations: [Allocation]

    init(_ plan: PlanContents, allocations: [PlanAllocation] = []) {
        self.allocations = allocations.map { Allocation(amountVnd: $0.amountVnd, allocatedOn: $0.allocatedOn, decisionNo: $0.decisionNo) }
        unitCode = plan.key.unit.code
        unitName = plan.key.unit.name
        year = plan.key.year
        sources = plan.sources.map { source in
            Source(source: source.source, status: source.status, version: source.version,
                   decisionNo: source.record?.decisionNo, approvedOn: source.record?.approvedOn,
                   submittedOn: source.record?.submittedOn, returnReason: source.record?.returnReason,
                   lines: source.lines.map { line in
                       Line(category: line.category, amountVnd: line.approvedAmount ?? 0, draftAmountVnd: line.draftAmount,
                            draftReason: line.draftReason,
                            revisions: line.revisions.map { .init(amountVnd: $0.amount, approvedOn: $0.approvedOn, decisionNo: $0.decisionNo, reason: $0.reason) })
                   },
                   targets: source.targets.map { .init(category: $0.category, indicator: $0.indicator, quantity: $0.quantity ?? 0, draftQuantity: $0.draftQuantity) },
                   signer: source.record?.signer,
                   files: source.files.compactMap { file in
                       file.id.map { File(decisionNo: file.decisionNo, filename: file.filename, size: file.size,
                                          url: Links.planFile(unitCode: plan.key.unit.code, year: plan.key.year, id: $0)) }
                   })
        }
    }
}
