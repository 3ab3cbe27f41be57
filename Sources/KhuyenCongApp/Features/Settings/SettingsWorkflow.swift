import Fluent
import Foundation
import KhuyenCongCore
import Vapor

/// The administrator's settings: a plan year's deadlines (new dated rows through `RuleAdmin.addDeadline`, the one
/// path of the rules page), the agency's name (a new dated row), the programmes' decision numbers. Every change is a
/// guarded write that re-checks the administrator's right under the lock and writes its audit row; a refusal names
/// the field (422) and leaves nothing half written.
enum SettingsWorkflow {
    /// A year's deadlines as typed: step → a date ("2026-06-15") or, for `settlement_file`, a number of days. Steps left
    /// empty or unchanged add nothing.
    struct DeadlinesInput: Content {
        var year: Int
        var values: [String: String]
        var legalBasis: String
    }

    struct AgencyNameInput: Content {
        var name: String
        var shortName: String
        var validFrom: String
        var legalBasis: String
    }

    /// `scope`: "country" or a province's code; `version` as read (a stale one is refused with 409).
    struct ProgrammeDecisionInput: Content {
        var scope: String
        var decisionNo: String
        var decidedOn: String
        var signer: String?
        var version: Int?
    }

    static func problems(_ list: [DomainError]) -> DomainError {
        DomainError(.invalidInput, vi: list.map(\.vietnamese).joined(separator: "; "), en: list.map(\.english).joined(separator: "; "))
    }

    /// Adds a row for every step whose value changed; refuses when none did. Returns the steps changed.
    @discardableResult
    static func setDeadlines(_ input: DeadlinesInput, by user: User, on db: any Database) async throws -> [String] {
        try RuleAdmin.checkRight(user)
        return try await GuardedWrite.run(on: db) { db in
            try await RuleAdmin.recheck(user, on: db)
            guard (2000...2100).contains(input.year) else {
                throw DomainError.invalid(vi: "year: năm kế hoạch \(input.year) không hợp lệ", en: "year: not a plan year")
            }
            let book = try await DeadlineBook.load(on: db, year: input.year)
            var errors: [DomainError] = []
            var changes: [(step: String, input: RuleAdmin.DeadlineInput)] = []
            var dates: [String: CalendarDate] = [:]
            for step in input.values.keys.sorted() where !DeadlineBook.steps.contains(step) {
                errors.append(.invalid(vi: "\(step): không có bước thời hạn này", en: "\(step): unknown deadline step"))
            }
            for step in DeadlineBook.steps {
                let current = book.entry(input.year, step)
                guard let text = input.values[step]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
                    if let date = current.date { dates[step] = date }
                    continue
                }
                if step == "settlement_file" {
                    guard let days = Int(text), (1...366).contains(days) else {
                        errors.append(.invalid(vi: "\(step): số ngày sau nghiệm thu \"\(text)\" phải từ 1 đến 366", en: "\(step): 1 to 366 days"))
                        continue
                    }
                    if days != current.daysAfter {
                        changes.append((step, .init(year: String(input.year), step: step, date: nil, daysAfter: String(days), legalBasis: input.legalBasis)))
                    }
                    continue
                }
                guard let date = try? CalendarDate(parsing: text) else {
                    errors.append(.invalid(vi: "\(step): ngày \"\(text.prefix(20))\" không hợp lệ", en: "\(step): not a date"))
                    continue
                }
                // A deadline of a plan year falls between the year before and the year after it.
                guard (input.year - 1...input.year + 1).contains(date.year) else {
                    errors.append(.invalid(vi: "\(step): ngày \(VietnameseFormat.date(date)) không thuộc năm \(input.year - 1)–\(input.year + 1)",
                                           en: "\(step): the date must fall in \(input.year - 1)–\(input.year + 1)"))
                    continue
                }
                dates[step] = date
                if date != current.date {
                    changes.append((step, .init(year: String(input.year), step: step, date: date.description, daysAfter: nil, legalBasis: input.legalBasis)))
                }
            }
            do { _ = try RuleAdmin.legalBasis(input.legalBasis) } catch let e as DomainError { errors.append(e) }
            if let department = dates["registration_department"], let ministry = dates["registration_ministry"], ministry < department {
                errors.append(.invalid(vi: "registration_ministry: hạn Sở Công Thương gửi Bộ phải từ hạn đơn vị gửi Sở (\(VietnameseFormat.date(department))) trở đi",
                                       en: "registration_ministry: must not be before registration_department"))
            }
            if errors.isEmpty && changes.isEmpty {
                errors.append(.invalid(vi: "values: không có thời hạn nào thay đổi", en: "values: no deadline changed"))
            }
            guard errors.isEmpty else { throw problems(errors) }
            for change in changes { try await RuleAdmin.addDeadline(change.input, by: user, on: db) }
            return changes.map(\.step)
        }
    }

    static func agencyName(_ input: AgencyNameInput) throws -> AgencyName {
        var errors: [DomainError] = []
        var name: String?, short: String?, from: CalendarDate?, basis: String?
        do { name = try ProjectEditing.cleanText(input.name, field: "name", maxLength: 200) } catch let e as DomainError { errors.append(e) }
        if let text = name, text.count < 5 {
            errors.append(.invalid(vi: "name: tên cơ quan quá ngắn", en: "name: too short")); name = nil
        }
        do {
            let text = try ProjectEditing.cleanText(input.shortName, field: "shortName", maxLength: 20)
            if text.contains(where: { $0.isWhitespace || $0 == "/" }) {
                errors.append(.invalid(vi: "shortName: ký hiệu viết liền, không có dấu cách hay \"/\"", en: "shortName: one word, no spaces or slashes"))
            } else { short = text }
        } catch let e as DomainError { errors.append(e) }
        do {
            from = try RuleAdmin.date(input.validFrom, field: "validFrom")
            if from == nil { errors.append(.invalid(vi: "validFrom: cần ngày bắt đầu dùng tên", en: "validFrom: required")) }
        } catch let e as DomainError { errors.append(e) }
        if let date = from, !(2000...2100).contains(date.year) {
            errors.append(.invalid(vi: "validFrom: năm \(date.year) không hợp lệ", en: "validFrom: year out of range")); from = nil
        }
        do { basis = try RuleAdmin.legalBasis(input.legalBasis) } catch let e as DomainError { errors.append(e) }
        guard errors.isEmpty, let name, let short, let from, let basis else { throw problems(errors) }
        return AgencyName(name: name, shortName: short, validFrom: from, legalBasis: basis)
    }

    /// Adds a dated name; the earlier rows stay and name the agency before its date.
    @discardableResult
    static func addAgencyName(_ input: AgencyNameInput, by user: User, on db: any Database) async throws -> AgencyName {
        try RuleAdmin.checkRight(user)
        let name = try agencyName(input)
        return try await GuardedWrite.run(on: db) { db in
            try await RuleAdmin.recheck(user, on: db)
            let before = try await AgencyNames.inForce(on: name.validFrom, db: db)
            let row = AgencyNameRecord(name, recordedBy: user.username)
            try await row.create(on: db)
            try await AuditTrail.record(actor: user.username, action: "add_setting", recordType: "agency_name",
                                        recordID: try row.requireID().uuidString, unitID: nil,
                                        before: ["nameInForceThen": before.name],
                                        after: ["name": name.name, "shortName": name.shortName, "validFrom": name.validFrom.description,
                                                "legalBasis": name.legalBasis], on: db)
            return name
        }
    }

    /// Corrects the decision (number, date, signer) of a recorded programme of the current term; its targets and money
    /// stay. The programme's version rises, so a form opened before is refused as stale.
    static func reviseProgrammeDecision(_ input: ProgrammeDecisionInput, term: ProgrammeTerm = .current, by user: User,
                                        on db: any Database) async throws {
        try RuleAdmin.checkRight(user)
        var errors: [DomainError] = []
        var number: String?, date: CalendarDate?, signer: String?
        do { number = try ProjectEditing.cleanText(input.decisionNo, field: "decisionNo", maxLength: 100) } catch let e as DomainError { errors.append(e) }
        do { date = try ProgrammeInput.decisionDate(typed: input.decidedOn, term: term) } catch let e as DomainError { errors.append(e) }
        if let text = input.signer, !text.trimmingCharacters(in: .whitespaces).isEmpty {
            do { signer = try ProjectEditing.cleanText(text, field: "signer", maxLength: 200) } catch let e as DomainError { errors.append(e) }
        }
        let scope = input.scope.trimmingCharacters(in: .whitespaces)
        let scopeKey: String
        if scope == "country" { scopeKey = "country" } else if let unit = try? AdminUnitCatalog.standard.resolve(code: UnitCode(scope), planYear: term.firstYear) {
            scopeKey = unit.id.rawValue
        } else {
            errors.append(.invalid(vi: "scope: \"\(scope.prefix(20))\" không phải \"country\" hay mã tỉnh", en: "scope: country or a province code"))
            scopeKey = ""
        }
        guard errors.isEmpty, let number, let date else { throw problems(errors) }
        let newSigner = signer
        try await GuardedWrite.run(on: db) { db in
            try await RuleAdmin.recheck(user, on: db)
            guard let programme = try await ProgrammeRecord.query(on: db).filter(\.$scopeKey == scopeKey)
                .filter(\.$firstYear == term.firstYear).first() else {
                throw DomainError.invalid(vi: "scope: chưa ghi nhận chương trình \(term.label) này; Bộ Công Thương (hoặc Sở) ghi nhận tại trang Chương trình",
                                          en: "scope: no programme \(term.segment) recorded for it")
            }
            if let version = input.version, version != programme.version {
                throw DomainError(.conflict, vi: "Chương trình đã được thay đổi sau khi bạn mở (phiên bản \(version), nay là \(programme.version)); hãy tải lại",
                                  en: "the programme changed since you read it (version \(version), now \(programme.version))")
            }
            let before = ["decisionNo": programme.decisionNo, "decidedOn": programme.decidedOn, "signer": programme.signer,
                          "version": String(programme.version)]
            programme.decisionNo = number
            programme.decidedOn = date.description
            if let newSigner { programme.signer = newSigner }
            programme.version += 1
            programme.updatedBy = user.username
            try await programme.save(on: db)
            try await AuditTrail.record(actor: user.username, action: "revise_programme_decision", recordType: "programme",
                                        recordID: "\(scopeKey)/\(term.segment)", unitID: programme.unitID, before: before,
                                        after: ["decisionNo": programme.decisionNo, "decidedOn": programme.decidedOn, "signer": programme.signer,
                                                "version": String(programme.version)], on: db)
        }
    }
}
