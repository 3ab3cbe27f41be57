import Fluent
import Foundation
import KhuyenCongCore
import Vapor

extension Links {
    static let adminRuleCriteria = SiteRoute.adminRulePart(.criteria).path
}

/// An administrator's new dated set of appraisal criteria (issue 14): every criterion of the set is a new row valid from
/// its date; a criterion in force then but left out of the set gets a closing row (maximum 0, which
/// `AppraisalScoring.criteria` skips). Nothing is overwritten: appraisals before the date keep the set they were scored
/// on. The weights must add up to 100. Guarded and audited like the other rule rows (`RuleAdmin`).
enum AppraisalCriteriaAdmin {
    struct Row: Sendable, Equatable {
        var code: String
        var name: String
        var maxScore: String
        var weight: String
    }

    struct Input: Sendable {
        var validFrom: String
        var legalBasis: String
        var rows: [Row]
    }

    /// Rows the page offers: the set in force today, and two empty rows for new criteria.
    static let extraRows = 2

    /// The form's fields (`code0`, `name0`, `maxScore0`, `weight0`, …) as rows; rows left wholly empty are dropped.
    static func input(_ fields: [String: String]) -> Input {
        var rows: [Row] = []
        for index in 0..<50 {
            let row = Row(code: fields["code\(index)"] ?? "", name: fields["name\(index)"] ?? "",
                          maxScore: fields["maxScore\(index)"] ?? "", weight: fields["weight\(index)"] ?? "")
            if [row.code, row.name, row.maxScore, row.weight].allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
            rows.append(row)
        }
        return Input(validFrom: fields["validFrom"] ?? "", legalBasis: fields["legalBasis"] ?? "", rows: rows)
    }

    /// The set as typed, checked: each field names its row (`criteria[2].weight: …`), and the weights add up to 100.
    static func criteria(_ input: Input) throws -> (from: CalendarDate, basis: String, set: [AppraisalScoring.Criterion]) {
        var problems: [DomainError] = []
        var from: CalendarDate?, basis: String?
        do { from = try RuleAdmin.date(input.validFrom, field: "validFrom") } catch let error as DomainError { problems.append(error) }
        if from == nil && input.validFrom.trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(.invalid(vi: "validFrom: cần ngày áp dụng", en: "validFrom: required"))
        }
        do { basis = try RuleAdmin.legalBasis(input.legalBasis) } catch let error as DomainError { problems.append(error) }
        if input.rows.isEmpty {
            problems.append(.invalid(vi: "criteria: cần ít nhất một tiêu chí", en: "criteria: at least one criterion"))
        }
        var set: [AppraisalScoring.Criterion] = []
        var codes: Set<String> = []
        for (index, row) in input.rows.enumerated() {
            let field = "criteria[\(index + 1)]"
            let code = row.code.trimmingCharacters(in: .whitespaces).lowercased()
            let name = row.name.trimmingCharacters(in: .whitespacesAndNewlines)
            if code.range(of: "^[a-z][a-z0-9_]{1,39}$", options: .regularExpression) == nil {
                problems.append(.invalid(vi: "\(field).code: mã tiêu chí chỉ gồm a–z, 0–9, _ (2–40 ký tự)",
                                         en: "\(field).code: a–z, 0–9, _ (2–40 characters)"))
            } else if !codes.insert(code).inserted {
                problems.append(.invalid(vi: "\(field).code: mã tiêu chí \"\(code)\" trùng", en: "\(field).code: duplicate code \"\(code)\""))
            }
            if !(1...300).contains(name.count) {
                problems.append(.invalid(vi: "\(field).name: cần tên tiêu chí (tối đa 300 ký tự)", en: "\(field).name: 1–300 characters"))
            }
            let maxScore = Int(row.maxScore.trimmingCharacters(in: .whitespaces))
            if maxScore == nil || !(1...1000).contains(maxScore!) {
                problems.append(.invalid(vi: "\(field).maxScore: điểm tối đa phải là số nguyên từ 1 đến 1000",
                                         en: "\(field).maxScore: a whole number 1–1000"))
            }
            let weight = Int(row.weight.trimmingCharacters(in: .whitespaces))
            if weight == nil || !(1...100).contains(weight!) {
                problems.append(.invalid(vi: "\(field).weight: trọng số phải là số nguyên từ 1 đến 100", en: "\(field).weight: a whole number 1–100"))
            }
            if let maxScore, let weight {
                set.append(.init(code: code, name: name, maxScore: maxScore, weight: weight, position: index + 1))
            }
        }
        let total = set.reduce(0) { $0 + $1.weight }
        if set.count == input.rows.count && !set.isEmpty && total != 100 {
            problems.append(.invalid(vi: "weight: tổng trọng số các tiêu chí phải bằng 100 (đang là \(total))",
                                     en: "weight: the weights must add up to 100 (they add up to \(total))"))
        }
        guard problems.isEmpty, let from, let basis else {
            throw DomainError(.invalidInput, vi: problems.map(\.vietnamese).joined(separator: "; "), en: problems.map(\.english).joined(separator: "; "))
        }
        return (from, basis, set)
    }

    /// Adds the set through the guarded write, with its audit row; returns the set as it will rule from its date.
    @discardableResult
    static func add(_ input: Input, by user: User, on db: any Database) async throws -> [AppraisalScoring.Criterion] {
        try RuleAdmin.checkRight(user)
        let (from, basis, set) = try criteria(input)
        return try await GuardedWrite.run(on: db) { db in
            try await RuleAdmin.recheck(user, on: db)
            let before = try await AppraisalScoring.criteria(on: from, db: db)
            for criterion in set {
                try await AppraisalCriterionRecord(criterion, validFrom: from, legalBasis: basis, recordedBy: user.username).create(on: db)
            }
            // A criterion of the set in force then, left out of the new one, ends on the date (a row with maximum 0).
            for gone in before where !set.contains(where: { $0.code == gone.code }) {
                let closing = AppraisalScoring.Criterion(code: gone.code, name: gone.name, maxScore: 0, weight: 0, position: gone.position)
                try await AppraisalCriterionRecord(closing, validFrom: from, legalBasis: basis, recordedBy: user.username).create(on: db)
            }
            struct Audited: Encodable { let validFrom: String; let legalBasis: String; let criteria: [String: String] }
            func describe(_ set: [AppraisalScoring.Criterion]) -> [String: String] {
                Dictionary(uniqueKeysWithValues: set.map { ($0.code, "\($0.name): 0–\($0.maxScore), trọng số \($0.weight)") })
            }
            try await AuditTrail.record(actor: user.username, action: "add_rule", recordType: "rule_appraisal_criteria",
                                        recordID: from.description, unitID: nil,
                                        before: Audited(validFrom: from.description, legalBasis: "", criteria: describe(before)),
                                        after: Audited(validFrom: from.description, legalBasis: basis, criteria: describe(set)), on: db)
            return set
        }
    }

    /// The page's form: the rows as typed after a refusal, or else the set in force today and two empty rows.
    struct Form: Encodable {
        struct Field: Encodable { let index: Int; let code: String; let name: String; let maxScore: String; let weight: String }
        let action = Links.adminRuleCriteria
        let validFrom: String
        let legalBasis: String
        let rows: [Field]
    }

    static func form(typed: [String: String]?, on db: any Database) async throws -> Form {
        let rows = if let typed { input(typed).rows } else {
            try await AppraisalScoring.criteria(on: CalendarDate.today(), db: db)
                .map { Row(code: $0.code, name: $0.name, maxScore: String($0.maxScore), weight: String($0.weight)) }
        }
        let padded = rows + Array(repeating: Row(code: "", name: "", maxScore: "", weight: ""), count: extraRows)
        return Form(validFrom: typed?["validFrom"] ?? "", legalBasis: typed?["legalBasis"] ?? "", rows: padded.enumerated().map {
            Form.Field(index: $0.offset, code: $0.element.code, name: $0.element.name, maxScore: $0.element.maxScore, weight: $0.element.weight)
        })
    }
}
