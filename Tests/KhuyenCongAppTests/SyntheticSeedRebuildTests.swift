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

    /// Every foreign key of the schema as a text line: table, columns and what they refer to.
    static func foreignKeys(_ sql: any SQLDatabase) async throws -> [String] {
        let query: SQLQueryString = sql.dialect.name == "postgresql"
            ? "SELECT conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid) AS line FROM pg_constraint WHERE contype = 'f'"
            : "SELECT m.name || ' ' || f.\"from\" || ' ' || f.\"table\" || ' ' || f.\"to\" AS line FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table'"
        return try await sql.raw(query).all().map { try $0.decode(column: "line", as: String.self) }.sorted()
    }

    @Test func theSeedsSetBasedTablesEqualWhatSingleWritesKeep() async throws {
        try await TestApp.run { app in
            let sql = TestApp.sql(app)
            let keys = try await Self.foreignKeys(sql)
            #expect(keys.contains { $0.hasPrefix("disbursements ") })
            let result = try await SyntheticSeed.run(years: 2, scale: .small, lastYear: 2026, on: app.db)
            // The foreign keys set aside for the load on PostgreSQL are all back, as they were.
            #expect(try await Self.foreignKeys(sql) == keys)
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

    /// A payment whose project does not exist, written while the foreign keys are set aside, fails the load when
    /// they come back (on SQLite, at once): nothing of the load stays, and the keys are in place. The same load with
    /// the project there goes in.
    @Test func anOrphanRowFailsTheBulkLoadAndLeavesNothing() async throws {
        try await TestApp.run(seeded: true) { app in
            let sql = TestApp.sql(app)
            let keys = try await Self.foreignKeys(sql)
            let project = try #require(try await Project.query(on: app.db).first()).requireID()
            func load(_ projects: [UUID]) async throws {
                try await app.db.transaction { db in
                    try await ForeignKeys.setAside(of: ["disbursements"], on: db) {
                        for id in projects {
                            try await (db as! any SQLDatabase).raw("""
                                INSERT INTO disbursements (id, project_id, on_date, amount_vnd, basis, kind)
                                VALUES (\(bind: UUID()), \(bind: id), '2026-03-01', 1234567, 'actual', 'payment')
                                """).run()
                        }
                    }
                }
            }
            func loaded() async throws -> Int? {
                try await sql.raw("SELECT COUNT(*) AS n FROM disbursements WHERE amount_vnd = 1234567").first()?.decode(column: "n", as: Int.self)
            }
            try await load([project])
            #expect(try await loaded() == 1)
            await #expect(throws: (any Error).self) { try await load([project, UUID()]) }
            #expect(try await loaded() == 1)
            #expect(try await Self.foreignKeys(sql) == keys)
        }
    }
}
