import Fluent
import Foundation
import KhuyenCongCore
import SQLKit

/// How the register answers a text search from the word index (M0053, `ProjectSearchText`): an exact code by the code
/// index; else, from the vocabulary's counts, the rarest word's candidates, the scope read through the filters' index,
/// or the projects read in the page's order through the sort's index until the page is full (bounded).
extension ProjectRegister {
    /// How a text search is answered: `.automatic` in the application; tests force each way and compare the pages.
    enum Strategy: Sendable, Equatable {
        case automatic
        /// The word index: the rarest word's posting list in code order (`.ordered`) or its candidates sorted.
        case index
        /// Every word checked on each project read (in the page's order or through the filters' index).
        case check
        /// The projects read in the page's order, at most `rows` of them, the words checked on each; the candidates
        /// when the page is not full by then.
        case walk(rows: Int)
    }

    /// How a search's words are answered.
    indirect enum TextPlan {
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
        /// The projects read in the page's order through the sort's index, every word checked on each (the condition),
        /// at most `rows` of them: the page stops when it is full; when it is not full by the last of those rows, the
        /// fallback answers.
        case walk(SQLQueryString, rows: Int, fallback: TextPlan)
    }

    /// Above this many candidates (the smallest posting-list union of a search's words), the words are checked on the
    /// projects read in the page's order (common words: the page fills after a few rows), unbounded.
    static let denseMatches = 20_000

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
    /// with the smallest sum (the candidates) drives. Which way is cheapest, from those counts:
    /// - code order and the driver one vocabulary word: its posting list in code order, the page stops when full;
    /// - more than `denseMatches` candidates: every word checked on the projects read in the page's order;
    /// - filters whose projects are fewer than the candidates (a province's officer): the filters' projects, checked;
    /// - the page expected to fill within fewer rows of the page's order than there are candidates (the matches, as
    ///   the counts of the other words predict them, are dense enough): the projects read in the page's order through
    ///   the sort's index, checked, at most twice the expected rows, then the candidates if the page is not full;
    /// - else the candidates read from the index, the other words checked on them, and only they sorted.
    /// No way counts the matches, so the cost follows the rarest word or the page, not the number of projects.
    static func textPlan(_ words: [String], read: Read, strategy: Strategy) async throws -> TextPlan {
        let sql = read.sql
        let sqlite = read.sqlite
        func contains(_ column: String, _ word: String) -> SQLQueryString {
            sqlite ? "instr(\(unsafeRaw: column), \(bind: word)) > 0" : "strpos(\(unsafeRaw: column), \(bind: word)) > 0"
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
        let counts = try words.indices.map { try row.decode(column: "e\($0)", as: Int?.self) ?? 0 }
        guard let driver = sizes.indices.min(by: { sizes[$0] < sizes[$1] }), sizes[driver] > 0 else { return .nothing }
        let candidates = sizes[driver]

        // The vocabulary words of the driver (for its candidates) and of every word with few of them (checked on the
        // postings), in one statement.
        let expanded = words.indices.filter { $0 == driver ? counts[$0] <= 500 : counts[$0] <= postingProbes }
        var expansions: [Int: [String]] = [:]
        if !expanded.isEmpty {
            let selects: [SQLQueryString] = expanded.map {
                "SELECT \(literal: $0) AS i, v.word FROM search_words v WHERE \(contains("v.word", words[$0]))"
            }
            for row in try await sql.raw("\(selects.joined(separator: " UNION ALL "))").all() {
                expansions[try row.decode(column: "i", as: Int.self), default: []].append(try row.decode(column: "word", as: String.self))
            }
        }
        // The words' conditions on the project `p`, the rarest first: a word with at most `postingProbes` vocabulary
        // words by its postings (`(word, code)`, the code read from the index that delivers the projects, so a project
        // that fails costs no read of its row); the others together on the stored text (`instr`/`strpos`).
        func checked(_ indices: [Int]) -> SQLQueryString? {
            var conditions: [SQLQueryString] = []
            var onText: [String] = []
            var textPosition = 0
            for index in indices.sorted(by: { sizes[$0] < sizes[$1] }) {
                if counts[index] <= postingProbes, let list = expansions[index] {
                    conditions.append("EXISTS (SELECT 1 FROM project_search_words x WHERE x.word IN (\(binds: list)) AND x.code = p.code)")
                } else {
                    if onText.isEmpty { textPosition = conditions.count }
                    onText.append(words[index])
                }
            }
            if !onText.isEmpty {
                conditions.insert("""
                    (SELECT 1 FROM project_search s WHERE s.project_id = p.id AND \(onText.map { contains("s.search_text", $0) }.joined(separator: " AND "))) = 1
                    """, at: textPosition)
            }
            return conditions.isEmpty ? nil : "\(conditions.joined(separator: " AND "))"
        }
        let everyWord = checked(Array(words.indices))!
        if strategy == .check { return .check(everyWord) }
        let othersChecked = checked(words.indices.filter { $0 != driver })
        let walking: Int? = if case let .walk(rows) = strategy { rows } else { nil }
        if read.sort == .code, walking == nil, counts[driver] == 1, let word = try row.decode(column: "x\(driver)", as: String?.self) {
            return .ordered(word, othersChecked)
        }
        guard let driverWords = expansions[driver], strategy != .automatic || candidates <= denseMatches else { return .check(everyWord) }
        let join = sqlite ? "CROSS JOIN" : "JOIN"   // on SQLite, CROSS JOIN keeps the candidates as the outer loop
        let fromCandidates = TextPlan.candidates("""
            (SELECT DISTINCT w.project_id FROM project_search_words w WHERE w.word IN (\(binds: driverWords))) m
            \(unsafeRaw: join) projects p ON p.id = m.project_id
            """, othersChecked)
        if let walking { return .walk(everyWord, rows: walking, fallback: fromCandidates) }
        guard strategy == .automatic, candidates > read.limit * 4 else { return fromCandidates }

        // The filters' projects, counted up to the number of candidates (through the filters' index: no more rows
        // than the candidates would read): fewer, and they are read and checked instead.
        var scope: Int?
        if !read.filters.isEmpty {
            let counted = try await sql.raw("""
                SELECT COUNT(*) AS n FROM (SELECT 1 FROM projects p \(Read.whereClause(read.filters)) LIMIT \(literal: candidates)) c
                """).first()?.decode(column: "n", as: Int.self) ?? 0
            if counted < candidates { return .check(everyWord) }
            scope = counted
        }
        // The rows the page's order needs to fill the page: the matches expected among all projects (the candidates,
        // times the share of projects holding each other word), spread over the sort's index; with filters, only the
        // share of projects inside them matches (at least `scope` of them, known only up to the count's cap). A row
        // read in order costs a few index probes, a candidate its row and a sort: the walk is tried when it should
        // read fewer than `walkPerCandidate` rows per candidate, and stops at twice the rows expected.
        let total = Double(max(try await projectEstimate(sql), candidates))
        let matches = sizes.indices.filter { $0 != driver }.reduce(Double(candidates)) { $0 * min(1, Double(sizes[$1]) / total) }
        let inside = scope.map { Double($0) / total } ?? 1
        let expectedRows = Double(read.limit) * total / max(1, matches * inside)
        guard expectedRows < Double(candidates * walkPerCandidate) else { return fromCandidates }
        return .walk(everyWord, rows: Int(2 * expectedRows) + read.limit, fallback: fromCandidates)
    }

    /// A word with at most this many vocabulary words is checked on its postings (one probe each), a word with more on
    /// the stored text (one read of it for all such words).
    static let postingProbes = 8

    /// How many rows read in the page's order cost about as much as one candidate read and sorted.
    static let walkPerCandidate = 4

    /// About how many projects there are, from what the database keeps (0 when it keeps nothing yet): SQLite's
    /// largest rowid, PostgreSQL's planner estimate.
    static func projectEstimate(_ sql: any SQLDatabase) async throws -> Int {
        let statement: SQLQueryString = sql.dialect.name == "sqlite" ? "SELECT MAX(rowid) AS n FROM projects"
            : "SELECT CAST(reltuples AS BIGINT) AS n FROM pg_class WHERE oid = 'projects'::regclass"
        return max(0, try await sql.raw(statement).first()?.decode(column: "n", as: Int?.self) ?? 0)
    }
}

extension ProjectRegister.Read {
    /// The rows of a text plan.
    func rows(of plan: ProjectRegister.TextPlan) async throws -> [ProjectRegister.Row] {
        switch plan {
        case .nothing:
            return []
        case let .check(condition):
            return try await rows(conditions: [condition])
        case let .candidates(from, condition):
            return try await rows(from: from, conditions: condition.map { [$0] } ?? [])
        case let .ordered(word, condition):
            let from: SQLQueryString = "project_search_words w \(unsafeRaw: sqlite ? "CROSS JOIN" : "JOIN") projects p ON p.id = w.project_id"
            return try await rows(from: from, conditions: ["w.word = \(bind: word)"] + (condition.map { [$0] } ?? []), codeColumn: "w.code")
        case let .walk(condition, bound, fallback):
            // Through the sort's index on SQLite even under filters, whose own index the planner would rather use.
            let from: SQLQueryString = sqlite && !filters.isEmpty && sort.index != nil
                ? "projects p INDEXED BY \(unsafeRaw: sort.index!)" : "projects p"
            // The `bound`-th project of the page's order from the cursor on: the walk reads up to it, no further.
            let last = try await sql.raw("""
                SELECT \(unsafeRaw: sort.expression) AS sort_key, p.code FROM \(from) \(Self.whereClause(filters + keyset()))
                ORDER BY \(order()) LIMIT 1 OFFSET \(literal: max(0, bound - 1))
                """).first()
            let range = try last.map { position(key: try sortKey($0), code: try $0.decode(column: "code", as: String.self), descending ? ">=" : "<=") } ?? []
            let found = try await rows(from: from, conditions: range + [condition])
            guard found.count < limit, last != nil else { return found }
            return try await rows(of: fallback)
        }
    }
}

extension ProjectRegister.Sort {
    /// The index of M0038 that delivers the projects in this order (the code's unique index for the code).
    var index: String? {
        switch self {
        case .code: nil
        case .year: "idx_projects_year_code"
        case .title: "idx_projects_title_code"
        case .support: "idx_projects_support_code"
        case .status: "idx_projects_status_code"
        case .submitted: "idx_projects_submitted_code"
        }
    }
}
