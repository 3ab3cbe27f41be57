import Fluent
import Foundation
import KhuyenCongCore

/// The appraisal council's criteria as dated rule rows (`rule_appraisal_criteria`, issue 14): each criterion is scored
/// from 0 to its maximum and weighs `weight` points of the 100-point total. A later row of the same code rules from its
/// valid-from date on; the earlier rows stay for the appraisals before it.
final class AppraisalCriterionRecord: Model, @unchecked Sendable {
    static let schema = "rule_appraisal_criteria"

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "max_score") var maxScore: Int
    @Field(key: "weight") var weight: Int
    @Field(key: "position") var position: Int
    @Field(key: "valid_from") var validFrom: String
    @OptionalField(key: "valid_until") var validUntil: String?
    @Field(key: "legal_basis") var legalBasis: String
    @Field(key: "recorded_by") var recordedBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(_ criterion: AppraisalScoring.Criterion, validFrom: CalendarDate, legalBasis: String, recordedBy: String) {
        code = criterion.code
        name = criterion.name
        maxScore = criterion.maxScore
        weight = criterion.weight
        position = criterion.position
        self.validFrom = validFrom.description
        self.legalBasis = legalBasis
        self.recordedBy = recordedBy
    }
}

/// The criteria in force and the weighted total, computed here and nowhere else.
enum AppraisalScoring {
    struct Criterion: Sendable, Equatable, Encodable {
        let code: String
        let name: String
        let maxScore: Int
        let weight: Int
        let position: Int
        var legalBasis = ""
    }

    /// The seed: the four criteria the councils have scored since the programme's start, 25 points each. No primary
    /// text with this scale was found; it is kept as data with that said beside it, for an administrator to correct.
    static let seedBasis = "Thông tư 36/2013/TT-BCT (thẩm định đề án khuyến công); thang điểm của Hội đồng thẩm định, chưa đối chiếu được với văn bản gốc"
    static let seedFrom = CalendarDate(2012, 7, 5)
    static let seed: [Criterion] = [
        Criterion(code: "necessity", name: "Sự cần thiết, phù hợp với chương trình khuyến công", maxScore: 25, weight: 25, position: 1),
        Criterion(code: "feasibility", name: "Tính khả thi của nội dung và tiến độ", maxScore: 25, weight: 25, position: 2),
        Criterion(code: "budget", name: "Tính hợp lý của dự toán kinh phí", maxScore: 25, weight: 25, position: 3),
        Criterion(code: "impact", name: "Hiệu quả, khả năng nhân rộng", maxScore: 25, weight: 25, position: 4),
    ]

    /// The criteria in force on `date`: per code, the row with the latest valid-from on or before it (and not ended).
    static func criteria(on date: CalendarDate, db: any Database) async throws -> [Criterion] {
        let day = date.description
        var latest: [String: AppraisalCriterionRecord] = [:]
        for row in try await AppraisalCriterionRecord.query(on: db).filter(\.$validFrom <= day).sort(\.$validFrom).sort(\.$createdAt).all() {
            latest[row.code] = row
        }
        return latest.values.filter { $0.validUntil.map { $0 > day } ?? true && $0.maxScore > 0 }
            .sorted { ($0.position, $0.code) < ($1.position, $1.code) }
            .map { Criterion(code: $0.code, name: $0.name, maxScore: $0.maxScore, weight: $0.weight, position: $0.position, legalBasis: $0.legalBasis) }
    }

    /// Checks every criterion against its range (all must be scored, none unknown) and returns the weighted total on
    /// 100 points: Σ score × weight ÷ maximum, exactly, rounded half up to a whole point.
    static func total(_ scores: [String: Int], criteria: [Criterion]) throws -> Int {
        var problems: [DomainError] = []
        for code in scores.keys.sorted() where !criteria.contains(where: { $0.code == code }) {
            problems.append(.invalid(vi: "criteria.\(code): tiêu chí \"\(code)\" không có", en: "criteria.\(code): no such criterion"))
        }
        for criterion in criteria {
            guard let score = scores[criterion.code] else {
                problems.append(.invalid(vi: "criteria.\(criterion.code): chưa chấm tiêu chí \"\(criterion.name)\"",
                                         en: "criteria.\(criterion.code): not scored"))
                continue
            }
            if !(0...criterion.maxScore).contains(score) {
                problems.append(.invalid(vi: "criteria.\(criterion.code): điểm tiêu chí \"\(criterion.name)\" phải từ 0 đến \(criterion.maxScore)",
                                         en: "criteria.\(criterion.code): must be 0–\(criterion.maxScore)"))
            }
        }
        guard problems.isEmpty else {
            throw DomainError(.invalidInput, vi: problems.map(\.vietnamese).joined(separator: "; "), en: problems.map(\.english).joined(separator: "; "))
        }
        // A common denominator (the product of the distinct maxima, small numbers) keeps the sum exact.
        let denominator = Set(criteria.map(\.maxScore)).reduce(1, *)
        let numerator = criteria.reduce(0) { $0 + scores[$1.code]! * $1.weight * (denominator / $1.maxScore) }
        return (2 * numerator + denominator) / (2 * denominator)
    }
}

/// The appraisal criteria as dated rules, seeded by `migrate` (the legacy `appraisal_criteria` table, without ranges or
/// dates, is no longer read).
struct M0043_CreateAppraisalCriteria: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("rule_appraisal_criteria")
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("max_score", .int, .required)
            .field("weight", .int, .required)
            .field("position", .int, .required)
            .field("valid_from", .string, .required)
            .field("valid_until", .string)
            .field("legal_basis", .string, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .datetime)
            .create()
        for criterion in AppraisalScoring.seed {
            try await AppraisalCriterionRecord(criterion, validFrom: AppraisalScoring.seedFrom, legalBasis: AppraisalScoring.seedBasis,
                                               recordedBy: "migrate").create(on: database)
        }
    }

    func revert(on database: any Database) async throws { try await database.schema("rule_appraisal_criteria").delete() }
}
