import Fluent
import Foundation
import KhuyenCongCore
import SQLKit

/// How the register answers a text search from the word index (M0053, `ProjectSearchText`): an exact code by the code
/// index, else the rarest word drives (its posting list read in code order, or its candidates read and sorted).
extension ProjectRegister {
    /// How a search's words are answered.
    enum TextPlan {
        /// A word is in no project's text: nothing matches.
        case nothing
        /// Every word checked on each project read (`instr`/`strpos` on the stored text).
        case check(SQLQueryString)
        /// The projects of the word with the fewest candidates drive (the `FROM` clause, the projects as `p`); the
        /// other words are checked on them.
        case candidates(SQLQueryString, SQLQueryString?)
        /// In code order, when the word with the fewest candidates is one vocabulary word: its posting list (`w`) is
        /// read in code order from the cursor on, the other words checked on each, and the page stops when it is full.
        case ordered(String, SQLQueryString?)
    }

    /// A query that is exactly a project's code (as typed or in capitals) finds that project by the code's unique
    /// index, not the projects whose texts contain its parts.
    static func exactCode(_ text: String, on sql: any SQLDatabase) async throws -> String? {
        let typed = text.trimmingCharacters(in: .whitespaces)
        guard !typed.isEmpty, typed.count <= 60, !typed.contains(" ") else { return nil }
        return try await sql.raw("SELECT code FROM projects WHERE code IN (\(binds: Array(Set([typed, typed.uppercased()]))))").first()?
            .decode(column: "code", as: String.self)
    }

    /// Every word must be a substring of the project's folded search text. A word (no spaces) is a substring of the
    /// text exactly when it is a substring of one of its words, so the projects holding a word are the union of the
    /// posting lists (`project_search_words`, M0053) of the vocabulary words containing it (`search_words`, with their
    /// number of projects). One pass over the vocabulary sums, for each query word, the sizes of those lists; the word
    /// with the smallest sum drives: its candidates are read from the index and the other words checked on them, so
    /// the cost follows the rarest word, not the number of projects, and no count of the matches is made per page.
    static func textPlan(_ words: [String], byCode: Bool, denseMatches: Int, on sql: any SQLDatabase) async throws -> TextPlan {
        let sqlite = sql.dialect.name == "sqlite"
        func contains(_ column: String, _ word: String) -> SQLQueryString {
            sqlite ? "instr(\(unsafeRaw: column), \(bind: word)) > 0" : "strpos(\(unsafeRaw: column), \(bind: word)) > 0"
        }
        func check(_ words: [String], _ id: String) -> SQLQueryString {
            "(SELECT 1 FROM project_search s WHERE s.project_id = \(unsafeRaw: id) AND \(words.map { contains("s.search_text", $0) }.joined(separator: " AND "))) = 1"
        }
        // Per word: the candidates (the sum of its vocabulary words' counts), how many vocabulary words, and one of them.
        let sums: [SQLQueryString] = words.enumerated().map { index, word in
            let i = String(index)
            return "SUM(CASE WHEN \(contains("v.word", word)) THEN v.projects ELSE 0 END) AS u\(unsafeRaw: i), "
                + "SUM(CASE WHEN \(contains("v.word", word)) THEN 1 ELSE 0 END) AS e\(unsafeRaw: i), "
                + "MAX(CASE WHEN \(contains("v.word", word)) THEN v.word END) AS x\(unsafeRaw: i)"
        }
        guard let row = try await sql.raw("SELECT \(sums.joined(separator: ", ")) FROM search_words v").first() else { return .nothing }
        let sizes = try words.indices.map { try row.decode(column: "u\($0)", as: Int?.self) ?? 0 }
        guard let driver = sizes.indices.min(by: { sizes[$0] < sizes[$1] }), sizes[driver] > 0 else { return .nothing }
        let others = words.enumerated().filter { $0.offset != driver }.map(\.element)
        let othersChecked = others.isEmpty ? nil : check(others, "p.id")
        if byCode, denseMatches > 0, try row.decode(column: "e\(driver)", as: Int?.self) == 1,
           let word = try row.decode(column: "x\(driver)", as: String?.self) {
            return .ordered(word, othersChecked)
        }
        guard sizes[driver] <= denseMatches, try row.decode(column: "e\(driver)", as: Int?.self) ?? 0 <= 500 else {
            return .check(check(words, "p.id"))
        }
        // The driver's vocabulary words as values, so that the planner (PostgreSQL's above all) sees a few index ranges.
        let expansions = try await sql.raw("SELECT v.word FROM search_words v WHERE \(contains("v.word", words[driver]))").all()
            .map { try $0.decode(column: "word", as: String.self) }
        guard !expansions.isEmpty else { return .nothing }
        let join = sqlite ? "CROSS JOIN" : "JOIN"   // on SQLite, CROSS JOIN keeps the candidates as the outer loop
        let candidates: SQLQueryString = """
            (SELECT DISTINCT w.project_id FROM project_search_words w WHERE w.word IN (\(binds: expansions))) m
            \(unsafeRaw: join) projects p ON p.id = m.project_id
            """
        return .candidates(candidates, othersChecked)
    }
}
