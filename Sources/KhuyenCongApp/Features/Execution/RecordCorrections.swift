import Fluent
import Foundation
import KhuyenCongCore
import Vapor

/// Correcting a payment or an output that was typed wrong: edit it, or remove it with a reason. The same guarded path
/// as recording one (`ProjectExecution`): under the write lock the project, its payments and the period locks are read
/// again; the lifecycle must still allow recording (a settled project's payments stay as they are); the period of the
/// row as it was and as it becomes must both be open (423 otherwise); the summary tables follow in the same
/// transaction (`DatedRecords`), with the audit row of the old and new values.
enum RecordCorrections {
    /// Absent fields stay as they are.
    struct DisbursementPatch: Content {
        var date: String?
        var amountVnd: Money?
        var basis: String?
        var kind: String?
    }

    struct OutputPatch: Content {
        var date: String?
        var indicator: String?
        var quantity: Int64?
        var basis: String?
    }

    struct Removal: Content { var reason: String? }

    static func disbursement(_ id: UUID, of projectID: UUID, on db: any Database) async throws -> Disbursement {
        guard let row = try await Disbursement.query(on: db).filter(\.$id == id).filter(\.$project.$id == projectID).first() else {
            throw DomainError(.notFound, vi: "Không có khoản giải ngân này trong đề án", en: "no such disbursement of this project")
        }
        return row
    }

    static func output(_ id: UUID, of projectID: UUID, on db: any Database) async throws -> OutputRecord {
        guard let row = try await OutputRecord.query(on: db).filter(\.$id == id).filter(\.$project.$id == projectID).first() else {
            throw DomainError(.notFound, vi: "Không có kết quả này trong đề án", en: "no such output of this project")
        }
        return row
    }

    /// The lifecycle's rule for a measure whatever the date: recording (and so correcting) is open in these statuses.
    static func requireOpen(_ measure: ProjectExecution.Measure, _ project: Project) throws {
        let open = measure == .money ? ProjectExecution.payingStatuses : ProjectExecution.deliveringStatuses
        guard open.contains(project.status) else {
            throw measure == .money
                ? DomainError(.conflict, vi: "Chỉ sửa giải ngân khi đề án đã được phân bổ kinh phí và chưa quyết toán",
                              en: "payments are corrected only between allocation and settlement")
                : DomainError(.conflict, vi: "Chỉ sửa kết quả khi đề án đang thực hiện", en: "outputs are corrected while the project is carried out")
        }
    }

    struct PaymentValues: Encodable, Equatable { let project: String; let date: String; let amountVnd: String; let basis: Basis; let kind: DisbursementKind }

    static func values(_ row: Disbursement, _ project: Project) -> PaymentValues {
        PaymentValues(project: project.code, date: row.onDate, amountVnd: String(row.amountVnd.dong), basis: row.basis, kind: row.kind)
    }

    static func updateDisbursement(_ id: UUID, of loaded: Project, _ patch: DisbursementPatch, by user: User, today: CalendarDate = .today(),
                                   on db: any Database) async throws {
        let projectID = try loaded.requireID()
        try await GuardedWrite.run(on: db) { db in
            let project = try await Project.current(projectID, for: .editRecord, by: user, on: db)
            try requireOpen(.money, project)
            let row = try await disbursement(id, of: projectID, on: db)
            let stored = Disbursement(projectID: projectID, onDate: row.onDate, amountVnd: row.amountVnd, basis: row.basis, kind: row.kind)
            stored.id = row.id
            let date = try patch.date.map(CalendarDate.init(parsing:)) ?? CalendarDate(parsing: row.onDate)
            let basis = try patch.basis.map(Basis.init(parsing:)) ?? row.basis
            let amount = try (patch.amountVnd ?? row.amountVnd).requireNonNegative(field: "amountVnd")
            guard amount > 0 else { throw DomainError.invalid(vi: "amountVnd: số tiền phải lớn hơn 0", en: "amountVnd: the amount must be positive") }
            let kind = try patch.kind.map(DisbursementKind.init(parsing:)) ?? row.kind
            if let refusal = ProjectExecution.refusal(.money, status: project.status, allocatedOn: project.allocatedOn, date: date,
                                                      basis: basis, today: today) {
                throw refusal.error
            }
            if kind == .settlement && kind != row.kind && project.status != .accepted {
                throw DomainError(.conflict, vi: "Thanh toán quyết toán chỉ sau nghiệm thu", en: "the settlement payment comes after acceptance")
            }
            try await PeriodLocks.check(unitID: project.unitID, planYear: project.year, date: try CalendarDate(parsing: row.onDate), on: db)
            try await PeriodLocks.check(unitID: project.unitID, planYear: project.year, date: date, on: db)
            let others = try await Disbursement.query(on: db).filter(\.$project.$id == projectID).filter(\.$id != id).all()
            let approved = project.supportApprovedVnd ?? .zero
            if basis == .actual {
                let total = try Money.sum(others.filter { $0.basis == .actual }.map(\.amountVnd)) + amount
                guard total <= approved else {
                    throw DomainError.invalid(vi: "amountVnd: tổng giải ngân \(VietnameseFormat.money(total)) vượt kinh phí được duyệt \(VietnameseFormat.money(approved))",
                                              en: "amountVnd: total paid \(total.dong) exceeds the approved support \(approved.dong)")
                }
            }
            if kind == .advance {
                let advanced = try Money.sum(others.filter { $0.kind == .advance && $0.basis == .actual }.map(\.amountVnd)) + amount
                try await ProjectRules.checkAdvance(project, advanced: advanced, approved: approved, paidOn: date, on: db)
            }
            row.onDate = date.description
            row.amountVnd = amount
            row.basis = basis
            row.kind = kind
            guard values(row, project) != values(stored, project) else { return }
            try await DatedRecords.update(row, was: stored, of: project, on: db)
            try await AuditTrail.record(actor: user.username, action: "update_disbursement", recordType: "disbursement", recordID: id.uuidString,
                                        unitID: project.unitID, before: values(stored, project), after: values(row, project), on: db)
        }
    }

    static func removeDisbursement(_ id: UUID, of loaded: Project, reason: String?, by user: User, on db: any Database) async throws {
        try await remove(.disbursement, measure: .money, id, of: loaded, reason: reason, by: user, on: db, find: disbursement) { row in
            ["date": row.onDate, "amountVnd": String(row.amountVnd.dong), "basis": row.basis.rawValue, "kind": row.kind.rawValue]
        }
    }

    struct OutputValues: Encodable, Equatable { let project: String; let date: String; let indicator: String; let quantity: String; let basis: Basis }

    static func values(_ row: OutputRecord, _ project: Project) -> OutputValues {
        OutputValues(project: project.code, date: row.onDate, indicator: row.indicatorCode, quantity: String(row.quantity), basis: row.basis)
    }

    static func updateOutput(_ id: UUID, of loaded: Project, _ patch: OutputPatch, by user: User, today: CalendarDate = .today(),
                             on db: any Database) async throws {
        if let indicator = patch.indicator { _ = try ReferenceData.indicator(code: indicator) }
        let projectID = try loaded.requireID()
        try await GuardedWrite.run(on: db) { db in
            let project = try await Project.current(projectID, for: .editRecord, by: user, on: db)
            try requireOpen(.output, project)
            let row = try await output(id, of: projectID, on: db)
            let stored = OutputRecord(projectID: projectID, onDate: row.onDate, indicatorCode: row.indicatorCode, quantity: row.quantity, basis: row.basis)
            stored.id = row.id
            let date = try patch.date.map(CalendarDate.init(parsing:)) ?? CalendarDate(parsing: row.onDate)
            let basis = try patch.basis.map(Basis.init(parsing:)) ?? row.basis
            let quantity = try Bounds.quantity(patch.quantity ?? row.quantity, field: "quantity")
            guard quantity > 0 else { throw DomainError.invalid(vi: "quantity: số lượng phải lớn hơn 0", en: "quantity: the quantity must be positive") }
            if let refusal = ProjectExecution.refusal(.output, status: project.status, allocatedOn: project.allocatedOn, date: date,
                                                      basis: basis, today: today) {
                throw refusal.error
            }
            try await PeriodLocks.check(unitID: project.unitID, planYear: project.year, date: try CalendarDate(parsing: row.onDate), on: db)
            try await PeriodLocks.check(unitID: project.unitID, planYear: project.year, date: date, on: db)
            row.onDate = date.description
            row.indicatorCode = patch.indicator ?? row.indicatorCode
            row.quantity = quantity
            row.basis = basis
            guard values(row, project) != values(stored, project) else { return }
            try await DatedRecords.update(row, was: stored, of: project, on: db)
            try await AuditTrail.record(actor: user.username, action: "update_output", recordType: "output", recordID: id.uuidString,
                                        unitID: project.unitID, before: values(stored, project), after: values(row, project), on: db)
        }
    }

    static func removeOutput(_ id: UUID, of loaded: Project, reason: String?, by user: User, on db: any Database) async throws {
        try await remove(.output, measure: .output, id, of: loaded, reason: reason, by: user, on: db, find: output) { row in
            ["date": row.onDate, "indicator": row.indicatorCode, "quantity": String(row.quantity), "basis": row.basis.rawValue]
        }
    }

    /// A payment's or an output's removal, one path: the project open for such rows, the row's period not locked, the
    /// row deleted through `DatedRecords` (the summary tables follow) and recorded with its old values and the reason.
    private static func remove<Record: DatedRecord>(_ kind: RecordRemoval.Kind, measure: ProjectExecution.Measure, _ id: UUID,
                                                    of loaded: Project, reason: String?, by user: User, on db: any Database,
                                                    find: @escaping @Sendable (UUID, UUID, any Database) async throws -> Record,
                                                    values: @escaping @Sendable (Record) -> [String: String]) async throws {
        let reason = try RecordRemoval.cleanReason(reason)
        let projectID = try loaded.requireID()
        try await GuardedWrite.run(on: db) { db in
            let project = try await Project.current(projectID, for: .editRecord, by: user, on: db)
            try requireOpen(measure, project)
            let row = try await find(id, projectID, db)
            try await PeriodLocks.check(unitID: project.unitID, planYear: project.year, date: try CalendarDate(parsing: row.datedOn), on: db)
            try await DatedRecords.delete(row, of: project, on: db)
            try await RecordRemoval.record(kind, of: project, id: id, reason: reason, by: user, values: values(row), on: db)
        }
    }
}
