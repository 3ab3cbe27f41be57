import Foundation
import KhuyenCongCore
import Vapor

/// `khuyencong report summary --region R | --unit CODE | --country --year Y --period P [--source S] [--restate]
/// [--as-of DATE] --format text|json`.
struct ReportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "kind", help: "summary") var kind: String
        @Option(name: "region", help: "north | central | south") var region: String?
        @Option(name: "unit", help: "mã đơn vị / unit code") var unit: String?
        @Flag(name: "country", help: "cả nước / the whole country") var country: Bool
        @Option(name: "year", help: "năm kế hoạch / plan year") var year: Int?
        @Option(name: "period", help: "Q1–Q4, H1, H2, 9M, FY") var period: String?
        @Option(name: "source", help: "national | local") var source: String?
        @Flag(name: "restate", help: "quy đổi theo đơn vị hành chính hiện nay / restate onto today's units") var restate: Bool
        @Option(name: "as-of", help: "YYYY-MM-DD") var asOf: String?
        @Option(name: "format", help: "text | json") var format: String?
    }
    var help: String { "Báo cáo tổng hợp / summary report" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.kind == "summary" else {
            throw DomainError.invalid(vi: "Loại báo cáo \"\(signature.kind)\" chưa có (summary)",
                                      en: "report kind \"\(signature.kind)\" is not available (summary)")
        }
        let scope = try ReportCommand.scope(from: signature)
        let summary = try await ReportSummary.compute(scope, on: context.application.db)
        switch signature.format ?? "text" {
        case "json":
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            context.console.print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        case "text":
            context.console.print(SummaryText.render(summary))
        case let other:
            throw DomainError.invalid(vi: "Định dạng \"\(other)\" không hỗ trợ (text, json)",
                                      en: "format \"\(other)\" is not supported (text, json)")
        }
    }

    static func scope(from signature: Signature) throws -> ReportScope {
        let chosen = [signature.region != nil, signature.unit != nil, signature.country].filter { $0 }.count
        guard chosen == 1 else {
            throw DomainError.invalid(vi: "Chọn đúng một phạm vi: --region, --unit hoặc --country",
                                      en: "choose exactly one scope: --region, --unit or --country")
        }
        let area: ReportScope.Area
        if let region = signature.region {
            guard let value = Region(rawValue: region) else {
                throw DomainError.invalid(vi: "Khu vực \"\(region)\" không có (north, central, south)",
                                          en: "region \"\(region)\" does not exist (north, central, south)")
            }
            area = .region(value)
        } else if let unit = signature.unit {
            area = .unit(code: unit)
        } else {
            area = .country
        }
        guard let year = signature.year else {
            throw DomainError.invalid(vi: "Thiếu năm kế hoạch --year", en: "--year is required")
        }
        return ReportScope(area: area, year: year, period: try Period(parsing: signature.period ?? "FY"),
                           source: try signature.source.map(FundingSource.init(parsing:)), restate: signature.restate,
                           asOf: try signature.asOf.map(CalendarDate.init(parsing:)) ?? .today())
    }
}
