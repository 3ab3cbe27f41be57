import Foundation
import KhuyenCongCore
import Vapor

extension QualityFindings {
    /// `khuyencong report quality --region R | --unit CODE | --country --year Y --period H1|FY --format text|json
    /// [--repeat N]`: the findings as the API gives them (json), or one line per finding in Vietnamese (text).
    static func run(using context: CommandContext, signature: ReportCommand.Signature) async throws {
        let scope = try parse(region: signature.region, unit: signature.unit, country: signature.country, year: signature.year, period: signature.period)
        let db = context.application.db
        if let count = signature.repeatCount, count > 0 {
            var times: [Double] = []
            for _ in 0..<count {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try await list(scope, on: db)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
            }
            times.sort()
            let p50 = times[times.count / 2], p99 = times[min(times.count - 1, Int(Double(times.count) * 0.99))]
            context.console.print(String(format: "runs %d p50 %.1f ms p99 %.1f ms", count, p50, p99))
            return
        }
        let findings = try await list(scope, on: db)
        switch signature.format ?? "text" {
        case "json":
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            context.console.print(String(decoding: try encoder.encode(Document(findings)), as: UTF8.self))
        case "text":
            let errors = findings.filter { $0.severity == "error" }.count
            context.console.print("Chất lượng số liệu \(scope.period.vietnameseName(year: scope.year)): \(errors) lỗi, \(findings.count - errors) cảnh báo")
            for finding in findings {
                context.console.print("- [\(finding.severity == "error" ? "Lỗi" : "Cảnh báo")] \(finding.ruleName): \(finding.message)"
                                      + (finding.comment.map { " Giải trình: \($0)" } ?? ""))
            }
        case let other:
            throw DomainError.invalid(vi: "Định dạng \"\(other)\" không hỗ trợ (text, json)", en: "format \"\(other)\" is not supported (text, json)")
        }
    }
}
