import Fluent
import Foundation
import KhuyenCongCore
import SQLKit
import Testing
import VaporTesting
@testable import KhuyenCongApp

/// The seeds fill the summary tables and the register's word index set-based (`ReportTotals.rebuild`: a work table
/// per project and measure; `ProjectSearchText.rebuildWords`: the by-project index built after the postings). Both
/// must hold exactly what the paths of single writes hold: the running totals of `ReportTotals.Changes` fed every
/// raw row, and `ProjectSearchText.update` for every project.
@Suite("Synthetic seed: set-based tables")
struct SyntheticSeedRebuildTests {
    /// The search texts, postings and vocabulary as sorted text lines.
    static func searchIndex(_ sql: any SQLDatabase) async throws -> [String] {
        let texts = try await sql.raw("SELECT project_id, search_text FROM project_search").all().map {
            "text \(try $0.decode(column: "project_id", as: UUID.self)) \(try $0.decode(column: "search_text", as: String.self))"
        }
        let postings = try await sql.raw("SELECT word, code, project_id FROM project_search_words").all().map {
            "posting \(try $0.decode(column: "word", as: String.self)) \(try $0.decode(column: "code", as: String.self)) "
                + "\(try $0.decode(column: "project_id", as: UUID.self))"
        }
        let vocabulary = try await sql.raw("SELECT word, projects FROM search_words").all().map {
            "word \(try $0.decode(column: "word", as: String.self)) \(try $0.decode(column: "projects", as: Int.self))"
        }
        return (texts + postings + vocabulary).sorted()
    }

    @Test func theSeedsSetBasedTablesEqualWhatSingleWritesKeep() async throws {
        try await TestApp.run { app in
            let result = try await SyntheticSeed.run(years: 2, scale: .small, lastYear: 2026, on: app.db)
            let sql = TestApp.sql(app)
            let seededTotals = try await ReportTotalsTests.snapshot(app)
            #expect(seededTotals.count > 1_000)
            let seededIndex = try await Self.searchIndex(sql)
            #expect(seededIndex.filter { $0.hasPrefix("text ") }.count == result.projects)
            // The by-project index of the postings is there again after the seed.
            let indexes = sql.dialect.name == "postgresql"
                ? "SELECT COUNT(*) AS n FROM pg_indexes WHERE indexname = 'idx_project_search_words_project'"
                : "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'index' AND name = 'idx_project_search_words_project'"
            #expect(try await sql.raw("\(unsafeRaw: indexes)").first()?.decode(column: "n", as: Int.self) == 1)

            let projects = try await Project.query(on: app.db).all()
            try await app.db.transaction { db in
                let sql = db as! any SQLDatabase
                for table in ["period_totals", "project_period_totals", "project_search_words", "search_words", "project_search"] {
                    try await sql.raw("DELETE FROM \(ident: table)").run()
                }
                let attributions = Dictionary(uniqueKeysWithValues: try projects.map { (try $0.requireID(), try ReportTotals.Attribution($0)) })
                var changes = ReportTotals.Changes()
                func add(_ row: some DatedRecord) throws {
                    try changes.add(attributions[row.projectID]!, date: try CalendarDate(parsing: row.datedOn), measure: row.measure,
                                    value: row.figure, basis: row.basisValue)
                }
                for row in try await Disbursement.query(on: db).all() { try add(row) }
                for row in try await OutputRecord.query(on: db).all() { try add(row) }
                try await changes.apply(on: db)
                try await ProjectSearchText.update(projectIDs: try projects.map { try $0.requireID() }, on: db)
            }
            #expect(try await ReportTotalsTests.snapshot(app) == seededTotals)
            #expect(try await Self.searchIndex(sql) == seededIndex)
        }
    }
}
