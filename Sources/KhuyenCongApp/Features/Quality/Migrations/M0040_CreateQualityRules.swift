import Fluent
import Foundation

/// The data-quality rules as data (dated rows: what a rule is called, how severe it is, what it says in
/// Vietnamese, where it applies, and its limit), and the comments a unit writes on a warning before it submits.
struct M0040_CreateQualityRules: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("quality_rules")
            .id()
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("severity", .string, .required)
            .field("explanation", .string, .required)
            .field("scope", .string, .required)
            .field("limit_value", .int64)
            .field("valid_from", .string, .required)
            .field("valid_to", .string)
            .unique(on: "code", "valid_from")
            .create()
        try await database.schema("quality_comments")
            .id()
            .field("unit_id", .string, .required, .references("admin_units", "id"))
            .field("year", .int, .required)
            .field("period", .string, .required)
            .field("rule_code", .string, .required)
            .field("subject", .string, .required)
            .field("comment", .string, .required)
            .field("written_by", .string, .required)
            .field("written_at", .datetime)
            .unique(on: "unit_id", "year", "period", "rule_code", "subject")
            .create()
        for rule in Self.seed {
            try await QualityRuleRecord(code: rule.code, name: rule.name, severity: rule.severity, explanation: rule.explanation,
                                        scope: rule.scope, limitValue: rule.limit, validFrom: "2020-01-01").create(on: database)
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema("quality_comments").delete()
        try await database.schema("quality_rules").delete()
    }

    struct Seed { let code, name, severity, explanation, scope: String; let limit: Int64? }

    static let seed: [Seed] = [
        .init(code: "overpaid", name: "Giải ngân vượt kinh phí được duyệt", severity: "error",
              explanation: "Tổng số tiền thực chi cho đề án vượt kinh phí khuyến công được phê duyệt (hoặc số quyết toán).",
              scope: "project", limit: nil),
        .init(code: "advance_over_share", name: "Tạm ứng vượt tỷ lệ cho phép", severity: "error",
              explanation: "Tổng tạm ứng vượt tỷ lệ tạm ứng tối đa trên kinh phí được duyệt của nội dung này.",
              scope: "project", limit: nil),
        .init(code: "output_without_money", name: "Có kết quả nhưng chưa chi tiền", severity: "warning",
              explanation: "Đề án ghi nhận kết quả trong kỳ nhưng đến hết kỳ chưa có khoản giải ngân nào (thực chi hoặc ước).",
              scope: "project", limit: nil),
        .init(code: "money_without_output", name: "Đã chi tiền nhưng không có kết quả", severity: "warning",
              explanation: "Đề án đã nghiệm thu và đã chi tiền nhưng không có kết quả (chỉ tiêu đầu ra) nào được ghi nhận.",
              scope: "project", limit: nil),
        .init(code: "accepted_without_record", name: "Nghiệm thu không có biên bản", severity: "error",
              explanation: "Đề án ở trạng thái đã nghiệm thu / quyết toán nhưng không có bước nghiệm thu được ghi nhận.",
              scope: "project", limit: nil),
        .init(code: "settled_with_estimates", name: "Đã quyết toán nhưng số chi vẫn là số ước", severity: "warning",
              explanation: "Đề án đã quyết toán nhưng số giải ngân cả năm vẫn chỉ là số ước, chưa có số thực chi.",
              scope: "project", limit: nil),
        .init(code: "realised_over_plan", name: "Thực hiện vượt kế hoạch", severity: "warning",
              explanation: "Số thực hiện của một nội dung (hoặc của cả đơn vị) vượt kế hoạch được giao.",
              scope: "unit", limit: nil),
        .init(code: "double_funding", name: "Một cơ sở được hỗ trợ trùng", severity: "error",
              explanation: "Cùng một cơ sở (mã số thuế) được hỗ trợ cùng một nội dung trong cùng năm bởi hai đề án hoặc hai tỉnh.",
              scope: "project", limit: nil),
        .init(code: "stale_estimate", name: "Số ước chưa được thay bằng số thực hiện", severity: "warning",
              explanation: "Số ước của 6 tháng đầu năm vẫn chưa được thay bằng số thực hiện dù báo cáo 6 tháng đã được phê duyệt.",
              scope: "project", limit: nil),
        // limit: |z| × 10 (35 = 3,5)
        .init(code: "unit_cost_outlier", name: "Chi phí đơn vị bất thường", severity: "warning",
              explanation: "Kinh phí đã chi trên một cơ sở / học viên / mô hình trình diễn khác xa các đề án cùng nội dung, cùng năm trên cả nước (trung vị và MAD trên thang logarit, |z| > 3,5).",
              scope: "project", limit: 35),
        // limit: the factor (5 = gấp 5 lần hoặc còn dưới 1/5)
        .init(code: "year_on_year_jump", name: "Biến động bất thường so với năm trước", severity: "warning",
              explanation: "Kế hoạch hoặc số thực hiện của đơn vị tăng hoặc giảm quá số lần cho phép so với cùng kỳ năm trước.",
              scope: "unit", limit: 5),
    ]
}
