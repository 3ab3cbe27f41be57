import Fluent
import Foundation
import KhuyenCongCore
import Vapor

/// One allocation of budget estimates (phân bổ dự toán, M0035) by the ministry to a unit's approved national plan:
/// an amount in đồng, the day and the decision. A unit's allocations of a year never exceed its approved national
/// plan (the latest approved revision of each line, the rows the reports read).
final class PlanAllocation: Model, @unchecked Sendable {
    static let schema = "plan_allocations"

    @ID(key: .id) var id: UUID?
    @Field(key: "unit_id") var unitID: UnitID
    @Field(key: "year") var year: Int
    @Field(key: "source") var source: FundingSource
    @Field(key: "amount_vnd") var amountVnd: Money
    @Field(key: "allocated_on") var allocatedOn: String
    @Field(key: "decision_no") var decisionNo: String
    @Field(key: "recorded_by") var recordedBy: String
    @Timestamp(key: "recorded_at", on: .create) var recordedAt: Date?

    init() {}

    init(unitID: UnitID, year: Int, source: FundingSource = .national, amountVnd: Money, allocatedOn: String, decisionNo: String,
         recordedBy: String) {
        self.unitID = unitID
        self.year = year
        self.source = source
        self.amountVnd = amountVnd
        self.allocatedOn = allocatedOn
        self.decisionNo = decisionNo
        self.recordedBy = recordedBy
    }
}

extension PlanAllocation {
    /// An allocation as the API and the page send it, checked at the door (422 naming the field).
    struct Body: Content { let amountVnd: Money; let allocatedOn: String; let decisionNo: String }

    struct Input: Sendable, Encodable {
        let amount: Money
        let allocatedOn: CalendarDate
        let decisionNo: String
    }

    static func input(_ body: Body, year: Int) throws -> Input {
        let amount = try body.amountVnd.requireNonNegative(field: "amountVnd")
        guard amount.dong > 0 else {
            throw DomainError.invalid(vi: "amountVnd: số tiền phân bổ phải lớn hơn 0", en: "amountVnd: the allocated amount must be above 0")
        }
        let date = try PlanInput.named("allocatedOn") { try CalendarDate(parsing: body.allocatedOn.trimmingCharacters(in: .whitespaces)) }
        // Estimates for year Y are allocated late in Y−1 or during Y (and settled up in Y+1 at the latest).
        guard (year - 1...year + 1).contains(date.year) else {
            throw DomainError.invalid(vi: "allocatedOn: ngày phân bổ phải trong các năm \(year - 1)–\(year + 1)",
                                      en: "allocatedOn: the allocation date must be in \(year - 1)–\(year + 1)")
        }
        return Input(amount: amount, allocatedOn: date, decisionNo: try ProjectEditing.cleanText(body.decisionNo, field: "decisionNo", maxLength: 100))
    }

    /// A unit's allocations of a plan year, oldest first; with `on`, only those dated on or before that day.
    /// The plan page lists them with this.
    static func list(unitID: UnitID, year: Int, on date: CalendarDate? = nil, db: any Database) async throws -> [PlanAllocation] {
        var query = PlanAllocation.query(on: db).filter(\.$unitID == unitID).filter(\.$year == year)
            .filter(\.$source == .national)
        if let date { query = query.filter(\.$allocatedOn <= date.description) }
        return try await query.all().sorted { ($0.allocatedOn, $0.recordedAt ?? .distantPast) < ($1.allocatedOn, $1.recordedAt ?? .distantPast) }
    }

    /// The national approved total of a plan (the latest approved revision of each line: what the plan page shows).
    static func approvedTotal(_ plan: PlanContents) throws -> Money {
        try Money.sum(plan.source(.national).lines.compactMap(\.approvedAmount))
    }

    struct AuditAfter: Encodable { let amountVnd: Money; let allocatedOn: String; let decisionNo: String; let allocatedTotalVnd: Money; let approvedTotalVnd: Money }

    /// The ministry allocates part of a unit's approved national plan. One guarded write: under the lock it checks the
    /// right again (only the ministry officer: 403 for others, 404 out of scope), the annual report's lock, that the
    /// national plan is approved (409), and that the allocations stay within the approved total (422 naming amountVnd).
    @discardableResult
    static func allocate(_ key: PlanKey, _ input: Input, by user: User, on db: any Database) async throws -> PlanAllocation {
        try await GuardedWrite.run(on: db) { db in
            let decision = AccessPolicy.decide(user.principal, .ministryDecision, RecordScope(unitID: key.unit.id))
            guard decision == .allow else {
                throw decision == .notFound ? DomainError(.notFound, vi: "Không tìm thấy", en: "not found")
                    : DomainError(.forbidden, vi: "Chỉ Bộ Công Thương phân bổ dự toán", en: "only the ministry allocates budget estimates")
            }
            try await PeriodLocks.check(unitID: key.unit.id, planYear: key.year, date: nil, on: db)
            let plan = try await PlanContents.load(key, on: db)
            let national = plan.source(.national)
            guard national.status == .approved else {
                throw DomainError(.illegalTransition,
                                  vi: "Kế hoạch nguồn quốc gia đang ở trạng thái \"\(national.status.vietnameseName)\": chỉ phân bổ dự toán khi kế hoạch đã được phê duyệt",
                                  en: "the national plan is \(national.status.rawValue): budget estimates are allocated only on an approved plan")
            }
            if let approvedOn = national.record?.approvedOn, input.allocatedOn.description < approvedOn {
                throw DomainError.invalid(vi: "allocatedOn: ngày phân bổ không được trước ngày phê duyệt kế hoạch (\(VietnameseFormat.date(stored: approvedOn)))",
                                          en: "allocatedOn: the allocation cannot be dated before the plan's approval (\(approvedOn))")
            }
            let approved = try approvedTotal(plan)
            let earlier = try Money.sum(try await list(unitID: key.unit.id, year: key.year, db: db).map(\.amountVnd))
            let after = try earlier + input.amount
            guard after <= approved else {
                let left = try approved - earlier
                throw DomainError.invalid(
                    vi: "amountVnd: tổng phân bổ \(VietnameseFormat.dong(after)) vượt kế hoạch quốc gia đã duyệt \(VietnameseFormat.dong(approved)) (đã phân bổ \(VietnameseFormat.dong(earlier)), còn lại \(VietnameseFormat.dong(left < .zero ? .zero : left)))",
                    en: "amountVnd: allocations of \(after.dong) đồng would exceed the approved national plan of \(approved.dong) đồng (already allocated \(earlier.dong))")
            }
            let allocation = PlanAllocation(unitID: key.unit.id, year: key.year, amountVnd: input.amount,
                                            allocatedOn: input.allocatedOn.description, decisionNo: input.decisionNo, recordedBy: user.username)
            try await allocation.create(on: db)
            try await AuditTrail.record(actor: user.username, action: "allocate", recordType: "plan", recordID: key.recordID(.national),
                                        unitID: key.unit.id, before: nil as String?,
                                        after: AuditAfter(amountVnd: input.amount, allocatedOn: input.allocatedOn.description,
                                                          decisionNo: input.decisionNo, allocatedTotalVnd: after, approvedTotalVnd: approved),
                                        on: db)
            return allocation
        }
    }
}
