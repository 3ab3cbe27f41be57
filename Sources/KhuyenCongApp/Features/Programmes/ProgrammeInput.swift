import Foundation
import KhuyenCongCore
import Vapor

/// What a programme write carries, checked at the door: every refusal names its field (422).
enum ProgrammeInput {
    struct Edit: Sendable {
        let decisionNo: String
        let decidedOn: CalendarDate
        let signer: String
        let money: [FundingSource: Money]
        /// Indicator code → quantity; at least one.
        let targets: [String: Int64]
        let version: Int?
    }

    // The API's body (the form sends the same names, with one `target_<indicator>` field per indicator).
    struct Body: Content {
        struct Target: Codable, Sendable { let indicator: String; let quantity: Int64 }
        let decisionNo: String
        let decidedOn: String
        let signer: String
        let nationalVnd: Money?
        let localVnd: Money?
        let targets: [Target]
        let version: Int?
    }

    static func edit(_ body: Body, term: ProgrammeTerm) throws -> Edit {
        var targets: [String: Int64] = [:]
        for (index, target) in body.targets.enumerated() {
            let code = try PlanInput.named("targets[\(index)].indicator") {
                try ReferenceData.indicator(code: target.indicator.trimmingCharacters(in: .whitespaces)).code
            }
            guard targets[code] == nil else {
                throw DomainError.invalid(vi: "targets[\(index)].indicator: chỉ tiêu \"\(code)\" nhập hai lần",
                                          en: "targets[\(index)].indicator: indicator \"\(code)\" given twice")
            }
            targets[code] = try Bounds.quantity(target.quantity, field: "targets[\(index)].quantity")
        }
        return try edit(decisionNo: body.decisionNo, decidedOn: body.decidedOn, signer: body.signer,
                        money: [.national: body.nationalVnd, .local: body.localVnd],
                        targets: targets, version: body.version, term: term)
    }

    /// The form's fields as typed: amounts and quantities with dots ("1.500.000.000"), empty for none.
    static func edit(form typed: [String: String], term: ProgrammeTerm) throws -> Edit {
        var money: [FundingSource: Money?] = [:]
        for source in FundingSource.allCases {
            let field = moneyField(source)
            let text = (typed[field] ?? "").trimmingCharacters(in: .whitespaces)
            money[source] = text.isEmpty ? nil : try amount(typed: text, field: field)
        }
        var targets: [String: Int64] = [:]
        for indicator in ReferenceData.indicators {
            let field = targetField(indicator.code)
            let text = (typed[field] ?? "").trimmingCharacters(in: .whitespaces)
            if !text.isEmpty { targets[indicator.code] = try PlanInput.quantity(typed: text, field: field) }
        }
        let version: Int?
        if let text = typed["version"], !text.isEmpty {
            guard let value = Int(text) else { throw DomainError.invalid(vi: "version: không hợp lệ", en: "version: invalid") }
            version = value
        } else { version = nil }
        return try edit(decisionNo: typed["decisionNo"] ?? "", decidedOn: typed["decidedOn"] ?? "", signer: typed["signer"] ?? "",
                        money: money, targets: targets, version: version, term: term)
    }

    /// Five years of a programme add up to more than any one amount may carry (`Bounds.maximumAmount`, 1.000 tỷ): the
    /// national programme is about 300 tỷ a year. 100.000 tỷ is far above any programme and far below overflow.
    static let maximumAmount = Money(dong: 100_000_000_000_000)

    static func checked(_ amount: Money, field: String) throws -> Money {
        guard amount.dong >= 0 else {
            throw DomainError.invalid(vi: "\(field): số tiền không được âm (\(amount.dong))", en: "\(field): amount must not be negative (\(amount.dong))")
        }
        guard amount <= maximumAmount else {
            throw DomainError.invalid(vi: "\(field): số tiền \(amount.dong) vượt giới hạn \(VietnameseFormat.billions(maximumAmount, decimals: 0))",
                                      en: "\(field): amount \(amount.dong) is above the limit of \(maximumAmount.dong) đồng")
        }
        return amount
    }

    /// An amount as officers type it: "1.500.000.000.000", "1 500 000 000 000" or "1500000000000".
    static func amount(typed text: String, field: String) throws -> Money {
        let digits = text.filter { $0 != "." && $0 != " " && $0 != "\u{00A0}" }
        guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int64(digits) else {
            throw DomainError.invalid(vi: "\(field): \"\(text.prefix(24))\" không phải số tiền (đồng, ví dụ 1.500.000.000)",
                                      en: "\(field): \"\(text.prefix(24))\" is not an amount in đồng")
        }
        return try checked(Money(dong: value), field: field)
    }

    static func moneyField(_ source: FundingSource) -> String { source == .national ? "nationalVnd" : "localVnd" }
    static func targetField(_ indicator: String) -> String { "target_\(indicator)" }

    /// A programme's decision date: a date in the two years before its term or during it; any other year is a typing
    /// mistake (the programme form and the settings page's correction both check it here).
    static func decisionDate(typed: String, term: ProgrammeTerm) throws -> CalendarDate {
        let date = try PlanInput.named("decidedOn") { try CalendarDate(parsing: typed.trimmingCharacters(in: .whitespaces)) }
        guard (term.firstYear - 2...term.lastYear).contains(date.year) else {
            throw DomainError.invalid(vi: "decidedOn: ngày quyết định phải trong các năm \(term.firstYear - 2)–\(term.lastYear)",
                                      en: "decidedOn: the decision date must be in \(term.firstYear - 2)–\(term.lastYear)")
        }
        return date
    }

    private static func edit(decisionNo: String, decidedOn: String, signer: String, money: [FundingSource: Money?],
                             targets: [String: Int64], version: Int?, term: ProgrammeTerm) throws -> Edit {
        let number = try ProjectEditing.cleanText(decisionNo, field: "decisionNo", maxLength: 100)
        let date = try decisionDate(typed: decidedOn, term: term)
        let signer = try ProjectEditing.cleanText(signer, field: "signer", maxLength: 200)
        var amounts: [FundingSource: Money] = [:]
        for (source, amount) in money {
            if let amount { amounts[source] = try checked(amount, field: moneyField(source)) }
        }
        guard !targets.isEmpty else {
            throw DomainError.invalid(vi: "targets: cần ít nhất một chỉ tiêu của chương trình", en: "targets: the programme needs at least one target")
        }
        if let version, version < 0 { throw DomainError.invalid(vi: "version: không được âm", en: "version: must not be negative") }
        return Edit(decisionNo: number, decidedOn: date, signer: signer, money: amounts, targets: targets, version: version)
    }
}
