import Fluent
import KhuyenCongCore
import Vapor

/// An administrator's new dated rule rows: a cap or a first-advance share. History is never overwritten: a new row
/// rules from its valid-from date on, the older rows still rule before it (`RuleBook.cap`). The right is
/// `.manageUsers` (the admin only: a new access action would mean the same role), re-checked under the write lock.
enum RuleAdmin {
    /// The form's (or a client's) new cap, all text as typed.
    struct CapInput: Content {
        var kind: String
        var source: String
        var unitCode: String?
        var maxSharePercent: String
        var maxAmountVnd: String
        var per: String?
        var validFrom: String
        var validUntil: String?
        var legalBasis: String
    }

    struct AdvanceInput: Content {
        var kind: String
        var firstAdvancePercent: String
        var validFrom: String
        var legalBasis: String
    }

    static func checkRight(_ user: User) throws {
        guard AccessPolicy.decide(user.principal, .manageUsers, nil) == .allow else {
            throw DomainError(.forbidden, vi: "Chỉ quản trị hệ thống thêm quy định", en: "only an administrator adds rules")
        }
    }

    /// Under the write lock: the account as it is now (its role may have changed, it may be disabled).
    static func recheck(_ user: User, on db: any Database) async throws {
        guard let fresh = try await User.find(user.requireID(), on: db), !fresh.disabled else {
            throw DomainError(.forbidden, vi: "Tài khoản không còn hiệu lực", en: "the account is no longer active")
        }
        try checkRight(fresh)
    }

    static func legalBasis(_ text: String) throws -> String {
        let cleaned = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (3...500).contains(cleaned.count) else {
            throw DomainError.invalid(vi: "legalBasis: cần căn cứ pháp lý (số, tên văn bản, điều khoản)", en: "legalBasis: the legal basis is required")
        }
        return cleaned
    }

    static func date(_ text: String?, field: String) throws -> CalendarDate? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        do { return try CalendarDate(parsing: text) } catch {
            throw DomainError.invalid(vi: "\(field): ngày \"\(text)\" không hợp lệ", en: "\(field): \"\(text)\" is not a date")
        }
    }

    /// Every check that needs no database, all at once.
    static func cap(_ input: CapInput, book: RuleBook) throws -> CapRule {
        var problems: [DomainError] = []
        func check<T>(_ body: () throws -> T) -> T? {
            do { return try body() } catch let error as DomainError { problems.append(error); return nil } catch { return nil }
        }
        let kind = check { () -> String in
            guard book.kind(input.kind) != nil else {
                throw DomainError.invalid(vi: "kind: loại hỗ trợ \"\(input.kind)\" không có", en: "kind: support kind \"\(input.kind)\" does not exist")
            }
            return input.kind
        }
        let source = check { try FundingSource(parsing: input.source) }
        let unitCode = check { () -> String? in
            let code = input.unitCode?.trimmingCharacters(in: .whitespaces) ?? ""
            switch (source, code.isEmpty) {
            case (.national?, false):
                throw DomainError.invalid(vi: "unitCode: quy định nguồn quốc gia không gắn với tỉnh", en: "unitCode: a national rule has no province")
            case (.local?, true):
                throw DomainError.invalid(vi: "unitCode: quy định nguồn địa phương cần mã tỉnh", en: "unitCode: a local rule needs the province's code")
            case (.local?, false):
                guard AdminUnitCatalog.standard.units.contains(where: { $0.code == code }) else {
                    throw DomainError.invalid(vi: "unitCode: không có tỉnh mã \"\(code)\"", en: "unitCode: no province \"\(code)\"")
                }
                return code
            default: return nil
            }
        }
        let share = check { try RuleBook.basisPoints(parsing: input.maxSharePercent, field: "maxSharePercent") }
        let amount = check { () -> Money in
            let money: Money
            // "1.000.000.000" as typed on the page, or the bare digits.
            let typed = input.maxAmountVnd.trimmingCharacters(in: .whitespaces)
            let grouped = typed.range(of: "^[0-9]{1,3}([. ][0-9]{3})+$", options: .regularExpression) != nil
            let digits = grouped ? typed.filter(\.isNumber) : typed
            do { money = try Money(parsing: digits) } catch {
                throw DomainError.invalid(vi: "maxAmountVnd: số tiền \"\(input.maxAmountVnd)\" không hợp lệ", en: "maxAmountVnd: not an amount")
            }
            guard money.dong > 0 else { throw DomainError.invalid(vi: "maxAmountVnd: phải lớn hơn 0", en: "maxAmountVnd: must be positive") }
            return money
        }
        let per = check { () -> CapBasis in
            guard let per = CapBasis(rawValue: input.per ?? "establishment") else {
                throw DomainError.invalid(vi: "per: chỉ \"establishment\" hoặc \"model\"", en: "per: establishment or model")
            }
            return per
        }
        let from = check { try date(input.validFrom, field: "validFrom") }
        let until = check { try date(input.validUntil, field: "validUntil") }
        let basis = check { try legalBasis(input.legalBasis) }
        if from.flatMap({ $0 }) == nil && !problems.contains(where: { $0.english.hasPrefix("validFrom") }) {
            problems.append(.invalid(vi: "validFrom: cần ngày bắt đầu áp dụng", en: "validFrom: required"))
        }
        if let from = from.flatMap({ $0 }), let until = until.flatMap({ $0 }), until <= from {
            problems.append(.invalid(vi: "validUntil: phải sau ngày bắt đầu áp dụng", en: "validUntil: must be after validFrom"))
        }
        guard problems.isEmpty, let kind, let source, let share, let amount, let per, let from = from.flatMap({ $0 }), let basis else {
            throw DomainError(.invalidInput, vi: problems.map(\.vietnamese).joined(separator: "; "), en: problems.map(\.english).joined(separator: "; "))
        }
        return CapRule(kind: kind, source: source, unitCode: unitCode.flatMap { $0 }, maxShareBasisPoints: share, maxAmount: amount,
                       per: per, validFrom: from, validUntil: until.flatMap { $0 }, legalBasis: basis)
    }

    /// Adds a cap row through the guarded write, with its audit row.
    @discardableResult
    static func addCap(_ input: CapInput, by user: User, on db: any Database) async throws -> CapRule {
        try checkRight(user)
        return try await GuardedWrite.run(on: db) { db in
            try await recheck(user, on: db)
            let rule = try cap(input, book: try await RuleBook.load(on: db))
            let row = CapRecord(rule, recordedBy: user.username)
            try await row.create(on: db)
            try await AuditTrail.record(actor: user.username, action: "add_rule", recordType: "rule_cap",
                                        recordID: try row.requireID().uuidString, unitID: nil, before: Nothing?.none,
                                        after: auditFields(rule), on: db)
            return rule
        }
    }

    static func auditFields(_ rule: CapRule) -> [String: String] {
        ["kind": rule.kind, "source": rule.source.rawValue, "unitCode": rule.unitCode ?? "", "maxSharePercent": RuleBook.percent(rule.maxShareBasisPoints),
         "maxAmountVnd": String(rule.maxAmount.dong), "per": rule.per.rawValue, "validFrom": rule.validFrom.description,
         "validUntil": rule.validUntil?.description ?? "", "legalBasis": rule.legalBasis]
    }

    /// Adds a first-advance row through the guarded write, with its audit row.
    @discardableResult
    static func addAdvance(_ input: AdvanceInput, by user: User, on db: any Database) async throws -> AdvanceRule {
        try checkRight(user)
        return try await GuardedWrite.run(on: db) { db in
            try await recheck(user, on: db)
            let book = try await RuleBook.load(on: db)
            var problems: [DomainError] = []
            if book.kind(input.kind) == nil {
                problems.append(.invalid(vi: "kind: loại hỗ trợ \"\(input.kind)\" không có", en: "kind: support kind \"\(input.kind)\" does not exist"))
            }
            var share: Int64?, from: CalendarDate?, basis: String?
            do { share = try RuleBook.basisPoints(parsing: input.firstAdvancePercent, field: "firstAdvancePercent") } catch let e as DomainError { problems.append(e) }
            do { from = try date(input.validFrom, field: "validFrom") } catch let e as DomainError { problems.append(e) }
            do { basis = try legalBasis(input.legalBasis) } catch let e as DomainError { problems.append(e) }
            if from == nil && !problems.contains(where: { $0.english.hasPrefix("validFrom") }) {
                problems.append(.invalid(vi: "validFrom: cần ngày bắt đầu áp dụng", en: "validFrom: required"))
            }
            guard problems.isEmpty, let share, let from, let basis else {
                throw DomainError(.invalidInput, vi: problems.map(\.vietnamese).joined(separator: "; "), en: problems.map(\.english).joined(separator: "; "))
            }
            let rule = AdvanceRule(kind: input.kind, firstAdvanceBasisPoints: share, validFrom: from, legalBasis: basis)
            let row = AdvanceRecord(rule, recordedBy: user.username)
            try await row.create(on: db)
            try await AuditTrail.record(actor: user.username, action: "add_rule", recordType: "rule_advance",
                                        recordID: try row.requireID().uuidString, unitID: nil, before: Nothing?.none,
                                        after: ["kind": rule.kind, "firstAdvancePercent": RuleBook.percent(share),
                                                "validFrom": from.description, "legalBasis": basis], on: db)
            return rule
        }
    }
}
