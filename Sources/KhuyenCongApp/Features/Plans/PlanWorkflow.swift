import Fluent
import Foundation
import KhuyenCongCore

/// Every write to a plan, each one guarded write (DESIGN.md, "one guarded path"): under the write lock it reads the
/// plan's status again, checks the period lock, the version, the move and the rights, then writes the rows, the
/// status and the audit row in the same transaction. Drafts go to `plan_drafts`/`plan_draft_targets`; only an
/// approval or a decided revision writes the rows the reports read (`plan_line_revisions`, `plan_targets`).
enum PlanWorkflow {
    /// A line typed in: into the draft; on an approved plan, a revision with its decision, counting from its date.
    static func saveLine(_ key: PlanKey, _ edit: PlanInput.LineEdit, by user: User, on db: any Database) async throws {
        try await GuardedWrite.run(on: db) { db in
            let step = try await begin(key, edit.source, .edit, version: edit.version, by: user, on: db)
            if step.from == .approved {
                let decision = try revisionDecision(edit.decision, after: step.record.approvedOn)
                guard let reason = edit.reason else {
                    throw DomainError.invalid(vi: "reason: cần lý do điều chỉnh kế hoạch đã duyệt", en: "reason: a revision of an approved plan needs a reason")
                }
                let line = try await planLine(key, edit.source, edit.category, on: db)
                try await PlanLineRevision(planLineID: try line.requireID(), amountVnd: edit.amount, approvedOn: decision.date.description,
                                           decisionNo: decision.number, reason: reason).create(on: db)
            } else if let draft = try await PlanDraft.query(on: db).filter(\.$unitID == key.unit.id).filter(\.$year == key.year)
                .filter(\.$source == edit.source).filter(\.$categoryCode == edit.category).first() {
                draft.amountVnd = edit.amount
                draft.reason = edit.reason
                draft.updatedBy = user.username
                try await draft.save(on: db)
            } else {
                try await PlanDraft(unitID: key.unit.id, year: key.year, source: edit.source, categoryCode: edit.category,
                                    amountVnd: edit.amount, reason: edit.reason, updatedBy: user.username).create(on: db)
            }
            try await finish(step, key, edit.source, action: step.from == .approved ? "revise_line" : "draft_line",
                             change: Change(category: edit.category, amountVnd: edit.amount, reason: edit.reason,
                                            decisionNo: step.from == .approved ? edit.decision?.number : nil,
                                            approvedOn: step.from == .approved ? edit.decision?.date.description : nil),
                             by: user, on: db)
        }
    }

    /// A target typed in: into the draft; on an approved plan, straight into `plan_targets` under its decision.
    static func saveTarget(_ key: PlanKey, _ edit: PlanInput.TargetEdit, by user: User, on db: any Database) async throws {
        try await GuardedWrite.run(on: db) { db in
            let step = try await begin(key, edit.source, .edit, version: edit.version, by: user, on: db)
            if step.from == .approved {
                _ = try revisionDecision(edit.decision, after: step.record.approvedOn)
                try await upsertTarget(key, edit.source, edit.category, edit.indicator, edit.quantity, on: db)
            } else if let draft = try await PlanDraftTarget.query(on: db).filter(\.$unitID == key.unit.id).filter(\.$year == key.year)
                .filter(\.$source == edit.source).filter(\.$categoryCode == edit.category)
                .filter(\.$indicatorCode == edit.indicator).first() {
                draft.quantity = edit.quantity
                draft.updatedBy = user.username
                try await draft.save(on: db)
            } else {
                try await PlanDraftTarget(unitID: key.unit.id, year: key.year, source: edit.source, categoryCode: edit.category,
                                          indicatorCode: edit.indicator, quantity: edit.quantity, updatedBy: user.username).create(on: db)
            }
            try await finish(step, key, edit.source, action: step.from == .approved ? "revise_target" : "draft_target",
                             change: Change(category: edit.category, indicator: edit.indicator, quantity: edit.quantity,
                                            decisionNo: step.from == .approved ? edit.decision?.number : nil,
                                            approvedOn: step.from == .approved ? edit.decision?.date.description : nil),
                             by: user, on: db)
        }
    }

    static func submit(_ key: PlanKey, _ source: FundingSource, version: Int?, by user: User, today: CalendarDate = .today(),
                       on db: any Database) async throws {
        try await GuardedWrite.run(on: db) { db in
            let step = try await begin(key, source, .submit, version: version, by: user, on: db)
            let lines = try await drafts(key, source, on: db)
            let targets = try await draftTargets(key, source, on: db)
            guard !lines.isEmpty || !targets.isEmpty else {
                throw DomainError(.conflict, vi: "Kế hoạch chưa có dòng kinh phí hay chỉ tiêu nào để trình", en: "the plan has no line or target to submit")
            }
            step.record.submittedOn = today.description
            step.record.returnReason = nil
            try await finish(step, key, source, action: "submit", change: nil, by: user, on: db)
        }
    }

    /// The decision approving a submitted plan: every draft becomes a revision dated `approvedOn` (so the reports
    /// count it from that day on), every draft target a target; the drafts are then gone.
    static func approve(_ key: PlanKey, _ source: FundingSource, _ decision: PlanInput.Decision, file: ProjectWorkflow.Upload? = nil,
                        version: Int?, by user: User, on db: any Database) async throws {
        try await GuardedWrite.run(on: db) { db in
            let step = try await begin(key, source, .approve, version: version, by: user, on: db)
            for draft in try await drafts(key, source, on: db) {
                let line = try await planLine(key, source, draft.categoryCode, on: db)
                try await PlanLineRevision(planLineID: try line.requireID(), amountVnd: draft.amountVnd, approvedOn: decision.date.description,
                                           decisionNo: decision.number, reason: draft.reason).create(on: db)
                try await draft.delete(on: db)
            }
            for draft in try await draftTargets(key, source, on: db) {
                try await upsertTarget(key, source, draft.categoryCode, draft.indicatorCode, draft.quantity, on: db)
                try await draft.delete(on: db)
            }
            step.record.decisionNo = decision.number
            step.record.approvedOn = decision.date.description
            step.record.approvedBy = user.username
            step.record.signer = decision.signer
            // The decision's file is stored only with the decision it belongs to, in the same transaction.
            if let file { try await PlanDecisionFile.store(file, key: key, source: source, decisionNo: decision.number, by: user, on: db) }
            try await finish(step, key, source, action: "approve",
                             change: Change(decisionNo: decision.number, approvedOn: decision.date.description, signer: decision.signer),
                             by: user, on: db)
        }
    }

    static func returnForChanges(_ key: PlanKey, _ source: FundingSource, reason: String, version: Int?, by user: User,
                                 on db: any Database) async throws {
        let text = try ProjectEditing.cleanText(reason, field: "reason", maxLength: 2000)
        try await GuardedWrite.run(on: db) { db in
            let step = try await begin(key, source, .return, version: version, by: user, on: db)
            step.record.returnReason = text
            try await finish(step, key, source, action: "return", change: Change(reason: text), by: user, on: db)
        }
    }

    // MARK: - The guard

    struct Step {
        let record: PlanStatusRecord
        let before: Snapshot?
        let from: PlanCycle.Status
        let to: PlanCycle.Status
    }

    struct Snapshot: Encodable { let status: PlanCycle.Status; let version: Int; let decisionNo: String?; let approvedOn: String?; let returnReason: String? }

    /// What a write changed, for the audit row.
    struct Change: Encodable {
        var category: String? = nil
        var indicator: String? = nil
        var amountVnd: Money? = nil
        var quantity: Int64? = nil
        var reason: String? = nil
        var decisionNo: String? = nil
        var approvedOn: String? = nil
        var signer: String? = nil
    }

    struct AuditAfter: Encodable { let plan: Snapshot; let change: Change? }

    /// Under the write lock: the status as it is now, the annual report's lock, the version, the move, the rights.
    private static func begin(_ key: PlanKey, _ source: FundingSource, _ step: PlanCycle.Step, version: Int?, by user: User,
                              on db: any Database) async throws -> Step {
        let decision = AccessPolicy.decide(user.principal, PlanCycle.action(step, source: source), RecordScope(unitID: key.unit.id))
        guard decision == .allow else {
            throw decision == .notFound ? DomainError(.notFound, vi: "Không tìm thấy", en: "not found")
                : DomainError(.forbidden, vi: "Không có quyền thực hiện thao tác này", en: "you may not do this")
        }
        try await PeriodLocks.check(unitID: key.unit.id, planYear: key.year, date: nil, on: db)
        let existing = try await PlanStatusRecord.query(on: db).filter(\.$unitID == key.unit.id).filter(\.$year == key.year)
            .filter(\.$source == source).first()
        let current = existing?.version ?? 0
        if let version, version != current {
            throw DomainError(.conflict,
                              vi: "Kế hoạch đã được thay đổi sau khi bạn mở (phiên bản \(version), nay là \(current)); hãy tải lại và nhập lại",
                              en: "the plan changed since you read it (version \(version), now \(current)); reload and try again")
        }
        let hasApproved = existing == nil ? try await hasApprovedLines(key, source, on: db) : false
        let from = PlanContents.status(existing, hasApprovedLines: hasApproved)
        let to = try PlanCycle.move(step, from: from)
        let record = existing ?? PlanStatusRecord(unitID: key.unit.id, year: key.year, source: source, status: from,
                                                  updatedBy: user.username)
        record.status = to
        return Step(record: record, before: existing.map(snapshot), from: from, to: to)
    }

    private static func finish(_ step: Step, _ key: PlanKey, _ source: FundingSource, action: String, change: Change?, by user: User,
                               on db: any Database) async throws {
        step.record.version += 1
        step.record.updatedBy = user.username
        try await step.record.save(on: db)
        try await AuditTrail.record(actor: user.username, action: action, recordType: "plan", recordID: key.recordID(source),
                                    unitID: key.unit.id, before: step.before, after: AuditAfter(plan: snapshot(step.record), change: change),
                                    on: db)
    }

    private static func snapshot(_ record: PlanStatusRecord) -> Snapshot {
        Snapshot(status: record.status, version: record.version, decisionNo: record.decisionNo, approvedOn: record.approvedOn,
                 returnReason: record.returnReason)
    }

    /// A change to an approved plan is a revision: it needs its decision, dated no earlier than the plan's approval.
    private static func revisionDecision(_ decision: PlanInput.Decision?, after approvedOn: String?) throws -> PlanInput.Decision {
        guard let decision else {
            throw DomainError.invalid(vi: "decisionNo: kế hoạch đã được phê duyệt; điều chỉnh cần số và ngày quyết định (decisionNo, approvedOn)",
                                      en: "decisionNo: the plan is approved; a revision needs the decision's number and date (decisionNo, approvedOn)")
        }
        if let approvedOn, decision.date.description < approvedOn {
            throw DomainError.invalid(vi: "approvedOn: quyết định điều chỉnh không được trước ngày phê duyệt kế hoạch (\(VietnameseFormat.date(stored: approvedOn)))",
                                      en: "approvedOn: a revision cannot be dated before the plan's approval (\(approvedOn))")
        }
        return decision
    }

    // MARK: - Rows

    private static func drafts(_ key: PlanKey, _ source: FundingSource, on db: any Database) async throws -> [PlanDraft] {
        try await PlanDraft.query(on: db).filter(\.$unitID == key.unit.id).filter(\.$year == key.year)
            .filter(\.$source == source).sort(\.$categoryCode).all()
    }

    private static func draftTargets(_ key: PlanKey, _ source: FundingSource, on db: any Database) async throws -> [PlanDraftTarget] {
        try await PlanDraftTarget.query(on: db).filter(\.$unitID == key.unit.id).filter(\.$year == key.year)
            .filter(\.$source == source).sort(\.$categoryCode).sort(\.$indicatorCode).all()
    }

    private static func hasApprovedLines(_ key: PlanKey, _ source: FundingSource, on db: any Database) async throws -> Bool {
        let lines = try await PlanLine.query(on: db).filter(\.$unitID == key.unit.id).filter(\.$year == key.year)
            .filter(\.$source == source).with(\.$revisions).all()
        return lines.contains { !$0.revisions.isEmpty }
    }

    /// The plan line of (unit, year, source, category), created the first time it is decided.
    private static func planLine(_ key: PlanKey, _ source: FundingSource, _ category: String, on db: any Database) async throws -> PlanLine {
        if let line = try await PlanLine.query(on: db).filter(\.$unitID == key.unit.id).filter(\.$year == key.year)
            .filter(\.$source == source).filter(\.$categoryCode == category).first() { return line }
        let line = PlanLine(id: UUID(), unitID: key.unit.id, year: key.year, source: source, categoryCode: category)
        try await line.create(on: db)
        return line
    }

    private static func upsertTarget(_ key: PlanKey, _ source: FundingSource, _ category: String, _ indicator: String, _ quantity: Int64,
                                     on db: any Database) async throws {
        if let target = try await PlanTarget.query(on: db).filter(\.$unitID == key.unit.id).filter(\.$year == key.year)
            .filter(\.$source == source).filter(\.$categoryCode == category).filter(\.$indicatorCode == indicator).first() {
            target.quantity = quantity
            try await target.save(on: db)
        } else {
            try await PlanTarget(unitID: key.unit.id, year: key.year, source: source, categoryCode: category,
                                 indicatorCode: indicator, quantity: quantity).create(on: db)
        }
    }
}
