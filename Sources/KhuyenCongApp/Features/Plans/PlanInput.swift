import Foundation
import KhuyenCongCore
import Vapor

/// What a plan write carries, checked at the door: every refusal names its field (422).
enum PlanInput {
    /// A line's amount, or a target's quantity, as typed into a draft or decided as a revision.
    struct LineEdit: Sendable {
        let source: FundingSource
        let category: String
        let amount: Money
        let reason: String?
        let decision: Decision?
        let version: Int?
    }

    struct TargetEdit: Sendable {
        let source: FundingSource
        let category: String
        let indicator: String
        let quantity: Int64
        let decision: Decision?
        let version: Int?
    }

    struct Decision: Sendable, Encodable { let number: String; let date: CalendarDate; var signer: String? = nil }

    // The API's bodies (the pages send the same names as form fields).
    struct LineBody: Content {
        let source: String; let category: String; let amountVnd: Money; let reason: String?
        let decisionNo: String?; let approvedOn: String?; let version: Int?
    }
    struct TargetBody: Content {
        let source: String; let category: String; let indicator: String; let quantity: Int64
        let decisionNo: String?; let approvedOn: String?; let version: Int?
    }
    struct DecisionBody: Content { let decisionNo: String; let approvedOn: String; let signer: String?; let version: Int? }
    struct ReturnBody: Content { let reason: String; let version: Int? }
    struct SubmitBody: Content { let version: Int? }

    static func line(_ body: LineBody, year: Int) throws -> LineEdit {
        LineEdit(source: try source(body.source), category: try category(body.category, year: year),
                 amount: try body.amountVnd.requireNonNegative(field: "amountVnd"),
                 reason: try optionalText(body.reason, field: "reason", maxLength: 2000),
                 decision: try optionalDecision(number: body.decisionNo, date: body.approvedOn, year: year),
                 version: try version(body.version))
    }

    static func target(_ body: TargetBody, year: Int) throws -> TargetEdit {
        let indicator = try named("indicator") { try ReferenceData.indicator(code: body.indicator.trimmingCharacters(in: .whitespaces)).code }
        return TargetEdit(source: try source(body.source), category: try category(body.category, year: year), indicator: indicator,
                          quantity: try Bounds.quantity(body.quantity, field: "quantity"),
                          decision: try optionalDecision(number: body.decisionNo, date: body.approvedOn, year: year),
                          version: try version(body.version))
    }

    static func decision(number: String, date: String, signer: String? = nil, year: Int) throws -> Decision {
        let number = try ProjectEditing.cleanText(number, field: "decisionNo", maxLength: 100)
        let date = try named("approvedOn") { try CalendarDate(parsing: date.trimmingCharacters(in: .whitespaces)) }
        // A plan for year Y is decided in Y−1 or revised during Y; any other year is a typing mistake.
        guard (year - 1...year).contains(date.year) else {
            throw DomainError.invalid(vi: "approvedOn: ngày quyết định phải trong năm \(year - 1) hoặc \(year)",
                                      en: "approvedOn: the decision date must be in \(year - 1) or \(year)")
        }
        return Decision(number: number, date: date, signer: try optionalText(signer, field: "signer", maxLength: 200))
    }

    /// Both or neither: a revision needs the decision's number and date.
    static func optionalDecision(number: String?, date: String?, year: Int) throws -> Decision? {
        let number = number.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        let date = date.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        switch (number, date) {
        case (nil, nil): return nil
        case (let number?, let date?): return try decision(number: number, date: date, year: year)
        case (nil, _): throw DomainError.invalid(vi: "decisionNo: cần số quyết định kèm ngày quyết định", en: "decisionNo: required with approvedOn")
        case (_, nil): throw DomainError.invalid(vi: "approvedOn: cần ngày quyết định kèm số quyết định", en: "approvedOn: required with decisionNo")
        }
    }

    static func source(_ text: String) throws -> FundingSource { try named("source") { try FundingSource(parsing: text) } }

    static func category(_ text: String, year: Int) throws -> String {
        try named("category") { try ReferenceData.category(code: text.trimmingCharacters(in: .whitespaces), planYear: year).code }
    }

    static func optionalText(_ text: String?, field: String, maxLength: Int) throws -> String? {
        guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
        return try ProjectEditing.cleanText(text, field: field, maxLength: maxLength)
    }

    static func version(_ value: Int?) throws -> Int? {
        guard let value else { return nil }
        guard value >= 0 else { throw DomainError.invalid(vi: "version: không được âm", en: "version: must not be negative") }
        return value
    }

    /// An amount as officers type it: "1.500.000.000", "1 500 000 000" or "1500000000".
    static func amount(typed text: String, field: String) throws -> Money {
        try named(field) { try Money(typed: text) }
    }

    /// Runs `body`, prefixing the field's name to a refusal that does not name it yet.
    static func named<T>(_ field: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as DomainError where error.kind == .invalidInput {
            throw DomainError.invalid(vi: "\(field): \(error.vietnamese)", en: "\(field): \(error.english)")
        }
    }
}

extension PlanInput {
    /// A quantity as typed on a page ("1.200" or "1200").
    static func quantity(typed text: String, field: String) throws -> Int64 {
        let digits = text.filter { $0 != "." && $0 != " " && $0 != "\u{00A0}" }
        guard !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int64(digits) else {
            throw DomainError.invalid(vi: "\(field): \"\(text.prefix(24))\" không phải số nguyên không âm", en: "\(field): \"\(text.prefix(24))\" is not a whole non-negative number")
        }
        return try Bounds.quantity(value, field: field)
    }
}
