import Foundation
import KhuyenCongCore
import Testing
import Vapor
@testable import KhuyenCongApp

/// The report's narrative in English: the same figures as the Vietnamese, in their English form, and no Vietnamese
/// left but names, for the country, a region and a province.
@Suite("The narrative in English")
struct NarrativeLanguageTests {
    @Test func theNarrativeReadsInEnglishWithTheSameFigures() async throws {
        try await TestApp.run(seeded: true) { app in
            let data = try await LanguageTests.storedTexts(app)
            let scopes = [("north", nil, false), (nil, "38", false), (nil, nil, true)] as [(String?, String?, Bool)]
            for (region, unit, country) in scopes {
                let scope = try ReportScope.parse(region: region, unit: unit, country: country, year: 2026, period: "H1", source: nil,
                                                  restate: false, asOf: nil)
                let figures = try await ReportNarrative.figures(scope, on: app.db)
                let vietnamese = ReportNarrative.paragraphs(figures, scope: scope)
                #expect(vietnamese == ReportNarrative.paragraphs(figures, scope: scope, in: .vi))
                #expect(try await ReportNarrative.compose(scope, on: app.db) == vietnamese)
                _ = MessageCatalog.Missing.take()
                let english = ReportNarrative.paragraphs(figures, scope: scope, in: .en)
                #expect(MessageCatalog.Missing.take().isEmpty)
                #expect(english.count == vietnamese.count)
                let left = PageWords.vietnamese(inPage: english.map { "<p>\($0)</p>" }.joined(), data: data)
                #expect(left.isEmpty, "\(region ?? unit ?? "country"): \(left)")
                // The same plan figure, in each language's form.
                let plan = figures.all.plan.amountVnd
                #expect(vietnamese[0].contains(VietnameseFormat.money(plan)))
                #expect(english[0].contains(VietnameseFormat.money(plan, in: .en)))
                #expect(english[0].hasPrefix("The approved 2026 industrial promotion budget"))
            }
        }
    }
}
