import Foundation
import Testing

/// Amounts of đồng cross features as `Money` (issue 16): a model field, a DTO or report struct property, a parameter
/// named for money (…Vnd, amount, support, budget, cost, total, paid, plan, realised…) is never a bare `Int64`.
/// A source scan, so that a new field written as `Int64` fails here rather than slipping past review.
@Suite("Typed values: money is Money")
struct MoneyTypeTests {
    /// Names that say money; a declaration `name: Int64` (or `Int64?`, `[Int64]`, `[Key: Int64]`) with one of them is refused.
    static let moneyWords = try! NSRegularExpression(
        pattern: "(vnd|amount|support|budget|cost|total|paid|money|price|plan|realised|approved|requested|counterpart|settled|allocated|advanced|spent)",
        options: [.caseInsensitive])
    static let declaration = try! NSRegularExpression(pattern: #"\b(\w+)\s*:\s*(?:\[[^\]:]*:\s*)?\[?Int64\b"#)

    /// Declarations whose name says money but whose value is not (or not only) đồng, each with its reason.
    static let allowed: Set<String> = [
        // A figure of the approved snapshot that changed: an amount or an indicator's quantity, as its name says.
        "PeriodReportWorkflow.swift approved",
        // Planned outputs: quantities per indicator, not money.
        "Project+API.swift plannedOutputs", "ProjectCreation.swift plannedOutputs",
        // The unit-cost statistics work on plain integers (`RobustStatistics`); the outliers they give are `Money`.
        "QualityCrossChecks.swift cost",
        // Targets: planned and realised quantities of an indicator (`TargetRow`, `Totals.Quantities`).
        "ReportSummary.swift planned", "ReportSummary.swift realised", "ReportSummary.swift plan",
        // The supersession rule sums money or quantities alike (`PeriodSums`, `DatedFigure`).
        "PeriodSums.swift realised",
    ]

    static var sources: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources")
    }

    @Test func noMoneyNamedDeclarationIsABareInt64() throws {
        var found: [String] = []
        let files = try #require(FileManager.default.enumerator(at: Self.sources, includingPropertiesForKeys: nil))
        for case let url as URL in files where url.pathExtension == "swift" {
            // The demo seeds draw random amounts as plain integers and wrap them as `Money` where they build the models.
            guard !url.path.contains("/Features/Seed/") else { continue }
            let lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
            for (number, line) in lines.enumerated() where line.contains("Int64") && !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") {
                let range = NSRange(line.startIndex..., in: line)
                for match in Self.declaration.matches(in: line, range: range) {
                    let name = String(line[Range(match.range(at: 1), in: line)!])
                    guard Self.moneyWords.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil,
                          !Self.allowed.contains("\(url.lastPathComponent) \(name)") else { continue }
                    found.append("\(url.lastPathComponent):\(number + 1): \(name): \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        #expect(found.isEmpty, "money declared as a bare Int64 (use Money):\n\(found.joined(separator: "\n"))")
    }

    /// Every stored amount column (`…_vnd`) is read into `Money` by its model.
    @Test func everyAmountColumnOfAModelIsMoney() throws {
        let field = try NSRegularExpression(pattern: #"@(?:Optional)?Field\(key: "(\w+_vnd)"\)\s*var\s+\w+\s*:\s*(\w+)"#)
        var columns = 0
        var found: [String] = []
        let files = try #require(FileManager.default.enumerator(at: Self.sources, includingPropertiesForKeys: nil))
        for case let url as URL in files where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            for match in field.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                columns += 1
                let type = String(text[Range(match.range(at: 2), in: text)!])
                if type != "Money" { found.append("\(url.lastPathComponent): \(text[Range(match.range(at: 1), in: text)!]) is \(type)") }
            }
        }
        #expect(columns >= 10, "the scan finds the models' amount columns (\(columns))")
        #expect(found.isEmpty, "amount columns not read as Money: \(found)")
    }
}
