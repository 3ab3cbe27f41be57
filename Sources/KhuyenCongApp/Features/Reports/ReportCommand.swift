import Foundation
import KhuyenCongCore
import Vapor

/// `khuyencong report summary --region R | --unit CODE | --country --year Y --period P [--source S] [--restate]
/// [--as-of DATE] --format text|json`.
struct ReportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "kind", help: "summary | narrative | quality | document") var kind: String
        @Option(name: "region", help: "north | central | south") var region: String?
        @Option(name: "unit", help: "mã đơn vị / unit code") var unit: String?
        @Flag(name: "country", help: "cả nước / the whole country") var country: Bool
        @Option(name: "year", help: "năm kế hoạch / plan year") var year: Int?
        @Option(name: "period", help: "Q1–Q4, H1, H2, 9M, FY") var period: String?
        @Option(name: "source", help: "national | local") var source: String?
        @Flag(name: "restate", help: "quy đổi theo đơn vị hành chính hiện nay / restate onto today's units") var restate: Bool
        @Option(name: "as-of", help: "YYYY-MM-DD") var asOf: String?
        @Option(name: "figures", help: "latest | approved (H1, FY)") var figures: String?
        @Option(name: "format", help: "text | json | csv | xlsx; document: docx | pdf") var format: String?
        @Option(name: "output", help: "tệp kết quả cho csv, xlsx / output file for csv, xlsx") var output: String?
        @Option(name: "repeat", help: "đo thời gian: tính N lần, in p50/p99 / time N computations, print p50/p99") var repeatCount: Int?
    }
    var help: String { "Báo cáo tổng hợp / summary report" }

    func run(using context: CommandContext, signature: Signature) async throws {
        if signature.kind == "quality" { return try await QualityFindings.run(using: context, signature: signature) }   // Features/Quality
        let scope = try ReportCommand.scope(from: signature)
        let db = context.application.db
        switch signature.kind {
        case "summary": break
        case "narrative":
            context.console.print(try await ReportNarrative.compose(scope, on: db).joined(separator: "\n\n"))
            return
        case "document":
            return try await ReportDocumentCommand.run(scope, format: signature.format, output: signature.output, context: context)
        default:
            throw DomainError.invalid(vi: "Loại báo cáo \"\(signature.kind)\" không có (summary, narrative, quality, document)",
                                      en: "report kind \"\(signature.kind)\" does not exist (summary, narrative, quality, document)")
        }
        if let count = signature.repeatCount, count > 0 {
            var times: [Double] = []
            for _ in 0..<count {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try await ReportSummary.compute(scope, on: db)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
            }
            times.sort()
            let p50 = times[times.count / 2], p99 = times[min(times.count - 1, Int(Double(times.count) * 0.99))]
            context.console.print(String(format: "runs %d p50 %.1f ms p99 %.1f ms", count, p50, p99))
            return
        }
        let summary = try await ReportSummary.compute(scope, on: db)
        switch signature.format ?? "text" {
        case "json":
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            context.console.print(String(decoding: try encoder.encode(summary), as: UTF8.self))
        case "text":
            context.console.print(SummaryText.render(summary))
        case "csv", "xlsx":
            let data = signature.format == "csv" ? SummaryExport.csv(SummaryExport.sheets(summary))
                : try XLSXWriter.write(SummaryExport.workbook(try await ReportNarrative.figures(scope, on: db), scope: scope))
            guard let path = signature.output else {
                throw DomainError.invalid(vi: "Định dạng \(signature.format ?? "") cần --output TỆP", en: "format \(signature.format ?? "") needs --output FILE")
            }
            try data.write(to: URL(fileURLWithPath: path))
            context.console.print("Đã ghi / written: \(path) (\(data.count) byte)")
        case let other:
            throw DomainError.invalid(vi: "Định dạng \"\(other)\" không hỗ trợ (text, json, csv, xlsx)",
                                      en: "format \"\(other)\" is not supported (text, json, csv, xlsx)")
        }
    }

    static func scope(from signature: Signature) throws -> ReportScope {
        try ReportScope.parse(region: signature.region, unit: signature.unit, country: signature.country, year: signature.year,
                              period: signature.period, source: signature.source, restate: signature.restate, asOf: signature.asOf,
                              figures: signature.figures)
    }
}
