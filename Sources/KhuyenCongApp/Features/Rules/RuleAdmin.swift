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
        var unitCode: UnitCode?
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

    struct DeadlineInput: Content {
        var year: String
        var step: String
        var date: String?
        var daysAfter: String?
        var legalBasis: String
    }

    /// Every step of a plan year (`DeadlineBook.steps`); `settlement_file` counts days after the final acceptance, the
    /// others are dates. A new row of a registration step or of the H1/FY report is mirrored into `plan_years`, which
    /// the plan pages, work lists and reminders read (the rows stay the history).
    static let deadlineSteps = DeadlineBook.steps

    /// Adds a deadline row for a plan year and step through the guarded write, with its audit row; the latest row of
    /// a year and step is the one in force, the earlier stay.
    @discardableResult
    static func addDeadline(_ input: DeadlineInput, by user: User, on db: any Database) async throws -> DeadlineRule {
        try checkRight(user)
        return try await GuardedWrite.run(on: db) { db in
            try await recheck(user, on: db)
            var problems: [DomainError] = []
            let year = Int(input.year.trimmingCharacters(in: .whitespaces))
            if year == nil || !(2000...2100).contains(year!) {
                problems.append(.invalid(vi: "year: năm kế hoạch \"\(input.year)\" không hợp lệ", en: "year: not a plan year"))
            }
            if !deadlineSteps.contains(input.step) {
                problems.append(.invalid(vi: "step: bước \"\(input.step)\" không có", en: "step: unknown step \"\(input.step)\""))
            }
            var date: CalendarDate?, days: Int?, basis: String?
            if input.step == "settlement_file" {
                days = Int(input.daysAfter?.trimmingCharacters(in: .whitespaces) ?? "")
                if days == nil || !(1...366).contains(days!) {
                    problems.append(.invalid(vi: "daysAfter: số ngày sau nghiệm thu phải từ 1 đến 366", en: "daysAfter: 1 to 366 days"))
                }
            } else if deadlineSteps.contains(input.step) {
                do { date = try Self.date(input.date, field: "date") } catch let e as DomainError { problems.append(e) }
                if date == nil && !problems.contains(where: { $0.english.hasPrefix("date") }) {
                    problems.append(.invalid(vi: "date: cần ngày hạn", en: "date: required"))
                }
            }
            do { basis = try legalBasis(input.legalBasis) } catch let e as DomainError { problems.append(e) }
            guard problems.isEmpty, let year, let basis else {
                throw DomainError(.invalidInput, vi: problems.map(\.vietnamese).joined(separator: "; "), en: problems.map(\.english).joined(separator: "; "))
            }
            let rule = DeadlineRule(year: year, step: input.step, date: date, daysAfter: days, legalBasis: basis)
            let row = DeadlineRecord(rule, recordedBy: user.username)
            try await row.create(on: db)
            if let date, DeadlineBook.planYearSteps.contains(input.step) { try await mirror(year: year, step: input.step, date: date, on: db) }
            try await AuditTrail.record(actor: user.username, action: "add_rule", recordType: "rule_deadline",
                                        recordID: try row.requireID().uuidString, unitID: nil, before: Nothing?.none,
                                        after: ["year": String(year), "step": input.step, "date": date?.description ?? "",
                                                "daysAfter": days.map(String.init) ?? "", "legalBasis": basis], on: db)
            return rule
        }
    }

    /// The plan year's row in `plan_years` follows a new registration or H1/FY deadline (created with the law's
    /// defaults when the year has none).
    private static func mirror(year: Int, step: String, date: CalendarDate, on db: any Database) async throws {
        let setting = try await PlanYearSetting.find(year, on: db)
            ?? PlanYearSetting(year: year, registrationDeadline: ReferenceData.defaultRegistrationDeadline(planYear: year).description,
                               h1ReportDue: ReferenceData.defaultReportDue(period: .h1, year: year)?.description,
                               fyReportDue: ReferenceData.defaultReportDue(period: .fullYear, year: year)?.description,
                               ministryDeadline: ReferenceData.defaultMinistryDeadline(planYear: year).description)
        switch step {
        case "registration_department": setting.registrationDeadline = date.description
        case "registration_ministry": setting.ministryDeadline = date.description
        case "report_h1": setting.h1ReportDue = date.description
        default: setting.fyReportDue = date.description
        }
        try await setting.save(on: db)
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
        let unitCode = check { () -> UnitCode? in
            let code = UnitCode(input.unitCode?.rawValue.trimmingCharacters(in: .whitespaces) ?? "")
            switch (source, code.rawValue.isEmpty) {
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
            do { money = try Money(typed: input.maxAmountVnd) } catch {
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
            // The pending projects it changes, as the preview showed them, kept with the change.
            let affected = try await RulePreview.affected(by: rule, on: db)
            let row = CapRecord(rule, recordedBy: user.username)
            try await row.create(on: db)
            var fields = auditFields(rule)
            fields["affectedPendingProjects"] = affected.map { $0.code + ($0.newBreaches.isEmpty ? "" : " (vượt mức mới)") }.joined(separator: ", ")
            try await AuditTrail.record(actor: user.username, action: "add_rule", recordType: "rule_cap",
                                        recordID: try row.requireID().uuidString, unitID: nil, before: Nothing?.none,
                                        after: fields, on: db)
            return rule
        }
    }

    static func auditFields(_ rule: CapRule) -> [String: String] {
        ["kind": rule.kind, "source": rule.source.rawValue, "unitCode": rule.unitCode?.rawValue ?? "", "maxSharePercent": RuleBook.percent(rule.maxShareBasisPoints),
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
