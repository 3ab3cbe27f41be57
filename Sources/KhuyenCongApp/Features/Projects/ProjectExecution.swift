import Fluent
import Foundation
import KhuyenCongCore
import Vapor

/// Recording what a project spends and delivers: advances, payments, the settlement payment, and outputs.
enum ProjectExecution {
    struct DisbursementInput: Content {
        let date: String
        let amountVnd: Money
        var basis: String?
        /// advance | payment | settlement
        let kind: String
    }

    struct OutputInput: Content {
        let date: String
        let indicator: String
        let quantity: Int64
        var basis: String?
    }

    static let payingStatuses: Set<ProjectStatus> = [.allocated, .contracted, .inProgress, .accepted]
    static let deliveringStatuses: Set<ProjectStatus> = [.contracted, .inProgress, .accepted, .settled]

    enum Measure { case money, output }

    /// The rules of a payment or an output that need no other row: the project's status, no actual figure in the
    /// future, no payment before the allocation. The page, the API and a user's import apply the same; the column
    /// is where an import file says it.
    static func refusal(_ measure: Measure, status: ProjectStatus, allocatedOn: String?, date: CalendarDate, basis: Basis,
                        today: CalendarDate) -> (column: String, error: DomainError)? {
        let open = measure == .money ? payingStatuses : deliveringStatuses
        guard open.contains(status) else {
            return ("project_code", measure == .money
                ? DomainError(.conflict, vi: "Chỉ giải ngân khi đề án đã được phân bổ kinh phí và chưa quyết toán",
                              en: "money is paid only between allocation and settlement")
                : DomainError(.conflict, vi: "Chỉ ghi kết quả khi đề án đang thực hiện", en: "outputs are recorded while the project is carried out"))
        }
        if basis == .actual && date > today {
            return ("date", .invalid(vi: "Số thực hiện không thể mang ngày trong tương lai", en: "an actual figure cannot be dated in the future"))
        }
        if measure == .money, let allocated = allocatedOn.flatMap({ try? CalendarDate(parsing: $0) }), date < allocated {
            return ("date", .invalid(vi: "Ngày giải ngân trước ngày phân bổ kinh phí (\(VietnameseFormat.date(allocated)))",
                                     en: "the date is before the allocation (\(allocated))"))
        }
        return nil
    }

    /// Records a disbursement through the guarded write: under the write lock it reads the project, its payments
    /// and the period locks again, checks them all, and writes the row, the summary tables and the audit row.
    static func recordDisbursement(_ input: DisbursementInput, on loaded: Project, by user: User, today: CalendarDate = .today(),
                                   on db: any Database) async throws {
        let date = try CalendarDate(parsing: input.date)
        let basis = try Basis(parsing: input.basis ?? "actual")
        let amount = try input.amountVnd.requireNonNegative(field: "amountVnd")
        guard amount > 0 else { throw DomainError.invalid(vi: "Số tiền phải lớn hơn 0", en: "the amount must be positive") }
        let kind = try DisbursementKind(parsing: input.kind)
        let projectID = try loaded.requireID()
        try await GuardedWrite.run(on: db) { db in
            let project = try await Project.current(projectID, for: .editRecord, by: user, on: db)
            if let refusal = refusal(.money, status: project.status, allocatedOn: project.allocatedOn, date: date, basis: basis, today: today) {
                throw refusal.error
            }
            if kind == .settlement && project.status != .accepted {
                throw DomainError(.conflict, vi: "Thanh toán quyết toán chỉ sau nghiệm thu", en: "the settlement payment comes after acceptance")
            }
            try await PeriodLocks.check(unitID: project.unitID, planYear: project.year, date: date, on: db)
            let approved = project.supportApprovedVnd ?? .zero
            let paid = try await Disbursement.query(on: db).filter(\.$project.$id == projectID).filter(\.$basis == .actual).all()
            if basis == .actual {
                let total = try Money.sum(paid.map(\.amountVnd)) + amount
                guard total <= approved else {
                    throw DomainError.invalid(vi: "Tổng giải ngân \(VietnameseFormat.money(total)) vượt kinh phí được duyệt \(VietnameseFormat.money(approved))",
                                              en: "total paid \(total.dong) exceeds the approved support \(approved.dong)")
                }
            }
            if kind == .advance {
                let advanced = try Money.sum(paid.filter { $0.kind == .advance }.map(\.amountVnd)) + amount
                try await ProjectRules.checkAdvance(project, advanced: advanced, approved: approved, paidOn: date, on: db)
            }
            let row = Disbursement(projectID: projectID, onDate: date.description, amountVnd: amount, basis: basis, kind: kind)
            try await DatedRecords.insert(row, of: project, on: db)
            try await AuditTrail.record(actor: user.username, action: "record_disbursement", recordType: "disbursement",
                                        recordID: try row.requireID().uuidString, unitID: project.unitID, before: Nothing?.none,
                                        after: ["project": project.code, "date": row.onDate, "amountVnd": String(row.amountVnd.dong),
                                                "basis": row.basis.rawValue, "kind": row.kind.rawValue], on: db)
        }
    }

    /// Records an output through the guarded write, as `recordDisbursement` does.
    static func recordOutput(_ input: OutputInput, on loaded: Project, by user: User, today: CalendarDate = .today(),
                             on db: any Database) async throws {
        let date = try CalendarDate(parsing: input.date)
        let basis = try Basis(parsing: input.basis ?? "actual")
        _ = try ReferenceData.indicator(code: input.indicator)
        let quantity = try Bounds.quantity(input.quantity, field: "quantity")
        guard quantity > 0 else { throw DomainError.invalid(vi: "Số lượng phải lớn hơn 0", en: "the quantity must be positive") }
        let projectID = try loaded.requireID()
        try await GuardedWrite.run(on: db) { db in
            let project = try await Project.current(projectID, for: .editRecord, by: user, on: db)
            if let refusal = refusal(.output, status: project.status, allocatedOn: project.allocatedOn, date: date, basis: basis, today: today) {
                throw refusal.error
            }
            try await PeriodLocks.check(unitID: project.unitID, planYear: project.year, date: date, on: db)
            let row = OutputRecord(projectID: projectID, onDate: date.description, indicatorCode: input.indicator,
                                   quantity: quantity, basis: basis)
            try await DatedRecords.insert(row, of: project, on: db)
            try await AuditTrail.record(actor: user.username, action: "record_output", recordType: "output",
                                        recordID: try row.requireID().uuidString, unitID: project.unitID, before: Nothing?.none,
                                        after: ["project": project.code, "date": row.onDate, "indicator": row.indicatorCode,
                                                "quantity": String(row.quantity), "basis": row.basis.rawValue], on: db)
        }
    }
}
