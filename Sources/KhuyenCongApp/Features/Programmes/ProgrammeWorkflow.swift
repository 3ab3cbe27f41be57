import Fluent
import Foundation
import KhuyenCongCore

/// The one write of a programme, a guarded write (DESIGN.md, "one guarded path"): under the write lock it checks the
/// caller's right again (the ministry decides the national programme; a province officer records their province's
/// People's Committee decision), compares the version, replaces the decision and the targets, and writes the audit row.
enum ProgrammeWorkflow {
    /// What the programme was before and after, for the audit row.
    struct Snapshot: Encodable {
        let decisionNo: String; let decidedOn: String; let signer: String
        let nationalVnd: Money?; let localVnd: Money?; let targets: [String: Int64]; let version: Int
    }

    /// The action a write of this scope needs.
    static func action(_ scope: ProgrammeScope) -> AccessAction {
        switch scope {
        case .country: .ministryDecision
        case .province: .editRecord
        }
    }

    static func record(_ scope: ProgrammeScope) -> RecordScope? { scope.unit.map { RecordScope(unitID: $0.id) } }

    /// Records or replaces the programme; true when it was created.
    @discardableResult
    static func save(_ scope: ProgrammeScope, term: ProgrammeTerm, _ edit: ProgrammeInput.Edit, by user: User,
                     on db: any Database) async throws -> Bool {
        try await GuardedWrite.run(on: db) { db in
            let decision = AccessPolicy.decide(user.principal, action(scope), record(scope))
            guard decision == .allow else {
                throw decision == .notFound ? DomainError(.notFound, vi: "Không tìm thấy", en: "not found")
                    : DomainError(.forbidden, vi: "Không có quyền thực hiện thao tác này", en: "you may not do this")
            }
            let existing = try await ProgrammeRecord.query(on: db).filter(\.$scopeKey == scope.key)
                .filter(\.$firstYear == term.firstYear).first()
            let current = existing?.version ?? 0
            if let version = edit.version, version != current {
                throw DomainError(.conflict,
                                  vi: "Chương trình đã được thay đổi sau khi bạn mở (phiên bản \(version), nay là \(current)); hãy tải lại và nhập lại",
                                  en: "the programme changed since you read it (version \(version), now \(current)); reload and try again")
            }
            let before = try await existing.asyncMap { try await snapshot($0, on: db) }
            let programme = existing ?? ProgrammeRecord()
            if existing == nil {
                programme.scopeKey = scope.key
                programme.unitID = scope.unit?.id
                programme.firstYear = term.firstYear
                programme.lastYear = term.lastYear
                programme.version = 0
            }
            programme.decisionNo = edit.decisionNo
            programme.decidedOn = edit.decidedOn.description
            programme.signer = edit.signer
            programme.nationalVnd = edit.money[.national]
            programme.localVnd = edit.money[.local]
            programme.version += 1
            programme.updatedBy = user.username
            try await programme.save(on: db)
            let id = try programme.requireID()
            try await ProgrammeTargetRecord.query(on: db).filter(\.$programmeID == id).delete()
            for (indicator, quantity) in edit.targets.sorted(by: { $0.key < $1.key }) {
                try await ProgrammeTargetRecord(programmeID: id, indicatorCode: indicator, quantity: quantity).create(on: db)
            }
            try await AuditTrail.record(actor: user.username, action: existing == nil ? "record_programme" : "revise_programme",
                                        recordType: "programme", recordID: "\(scope.key)/\(term.segment)", unitID: scope.unit?.id,
                                        before: before, after: try await snapshot(programme, on: db), on: db)
            return existing == nil
        }
    }

    private static func snapshot(_ record: ProgrammeRecord, on db: any Database) async throws -> Snapshot {
        let targets = try await ProgrammeTargetRecord.query(on: db).filter(\.$programmeID == (try record.requireID())).all()
        return Snapshot(decisionNo: record.decisionNo, decidedOn: record.decidedOn, signer: record.signer, nationalVnd: record.nationalVnd,
                        localVnd: record.localVnd, targets: Dictionary(targets.map { ($0.indicatorCode, $0.quantity) }, uniquingKeysWith: { a, _ in a }),
                        version: record.version)
    }
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
