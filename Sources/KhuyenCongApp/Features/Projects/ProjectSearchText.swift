import Fluent
import Foundation
import KhuyenCongCore
import SQLKit

/// The stored, folded search text of each project (table `project_search`, M0038): its code, title, implementing
/// unit and its beneficiaries' names and tax codes, through `SearchFolding`. Written by `update` only, which every
/// path that writes those fields calls in its own transaction (creation, editing, beneficiaries, a move, the import,
/// the seeds, the migration). With it, in the same statements, the word index of M0053: each project's distinct words
/// (`project_search_words`) and the vocabulary with the number of projects per word (`search_words`), which the
/// register's search reads (`ProjectRegister.textPlan`); the search checks its words on the stored text. The FTS5
/// (SQLite) and pg_trgm (PostgreSQL) indexes that M0038 kept over the text are gone since M0055 (nothing read them).
enum ProjectSearchText {
    /// The folded text of one project.
    static func text(code: String, title: String, implementingUnit: String, beneficiaries: [(name: String, taxCode: String)]) -> String {
        SearchFolding.fold(([code, title, implementingUnit] + beneficiaries.flatMap { [$0.name, $0.taxCode] }).joined(separator: " "))
    }

    static func update(projectID: UUID, on db: any Database) async throws {
        try await update(projectIDs: [projectID], on: db)
    }

    /// Recomputes the search text of these projects from what is stored now, and their words in the word index,
    /// set-based: a few statements per 500 projects, whatever their number.
    static func update(projectIDs: [UUID], on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        for chunk in Array(Set(projectIDs)).chunked(500) {
            var texts: [UUID: (code: String, text: String)] = [:]
            var beneficiaries: [UUID: [(name: String, taxCode: String)]] = [:]
            for row in try await sql.raw("""
                SELECT pb.project_id, b.name, b.tax_code FROM project_beneficiaries pb JOIN beneficiaries b ON b.id = pb.beneficiary_id
                WHERE pb.project_id IN (\(binds: chunk))
                """).all() {
                beneficiaries[try row.decode(column: "project_id", as: UUID.self), default: []]
                    .append((try row.decode(column: "name", as: String.self), try row.decode(column: "tax_code", as: String.self)))
            }
            var values: [SQLQueryString] = []
            for row in try await sql.raw("SELECT id, code, title, implementing_unit FROM projects WHERE id IN (\(binds: chunk))").all() {
                let id = try row.decode(column: "id", as: UUID.self), code = try row.decode(column: "code", as: String.self)
                let text = text(code: code, title: try row.decode(column: "title", as: String.self),
                                implementingUnit: try row.decode(column: "implementing_unit", as: String.self),
                                beneficiaries: (beneficiaries[id] ?? []).sorted { $0.taxCode < $1.taxCode })
                values.append("(\(bind: id), \(bind: text))")
                texts[id] = (code, text)
            }
            if !values.isEmpty {
                try await sql.raw("""
                    INSERT INTO project_search (project_id, search_text) VALUES \(values.joined(separator: ", "))
                    ON CONFLICT (project_id) DO UPDATE SET search_text = excluded.search_text
                    """).run()
            }
            try await updateWords(projectIDs: chunk, texts: texts, on: sql)
        }
    }

    /// The distinct words of a folded text, as the word index holds them.
    static func words(_ text: String) -> Set<String> {
        Set(text.split(separator: " ").map(String.init))
    }

    /// Brings the word index of these projects to `texts` (their codes and texts; a project missing there has no
    /// words): only the postings that changed are deleted or inserted, and the vocabulary's counts move by the same
    /// differences.
    static func updateWords(projectIDs: [UUID], texts: [UUID: (code: String, text: String)], on sql: any SQLDatabase) async throws {
        guard !projectIDs.isEmpty else { return }
        var old: [UUID: Set<String>] = [:]
        var oldCodes: [UUID: String] = [:]
        for row in try await sql.raw("SELECT project_id, word, code FROM project_search_words WHERE project_id IN (\(binds: projectIDs))").all() {
            let id = try row.decode(column: "project_id", as: UUID.self)
            old[id, default: []].insert(try row.decode(column: "word", as: String.self))
            oldCodes[id] = try row.decode(column: "code", as: String.self)
        }
        var removed: [(UUID, String)] = []
        var added: [(UUID, String, String)] = []
        var delta: [String: Int] = [:]
        for id in projectIDs {
            var before = old[id] ?? []
            let after = texts[id].map { words($0.text) } ?? []
            // A project whose code changed has every posting rewritten under the new code (the postings' order).
            if let code = oldCodes[id], code != texts[id]?.code {
                for word in before { removed.append((id, word)); delta[word, default: 0] -= 1 }
                before = []
            }
            for word in before.subtracting(after) { removed.append((id, word)); delta[word, default: 0] -= 1 }
            for word in after.subtracting(before) { added.append((id, word, texts[id]!.code)); delta[word, default: 0] += 1 }
        }
        for chunk in removed.chunked(500) {
            let pairs: [SQLQueryString] = chunk.map { "(project_id = \(bind: $0.0) AND word = \(bind: $0.1))" }
            try await sql.raw("DELETE FROM project_search_words WHERE \(pairs.joined(separator: " OR "))").run()
        }
        for chunk in added.chunked(2_000) {
            let rows: [SQLQueryString] = chunk.map { "(\(bind: $0.1), \(bind: $0.2), \(bind: $0.0))" }
            try await sql.raw("INSERT INTO project_search_words (word, code, project_id) VALUES \(rows.joined(separator: ", "))").run()
        }
        let changed = delta.filter { $0.value != 0 }.sorted { $0.key < $1.key }
        for chunk in changed.chunked(2_000) {
            let rows: [SQLQueryString] = chunk.map { "(\(bind: $0.key), \(bind: $0.value))" }
            try await sql.raw("""
                INSERT INTO search_words (word, projects) VALUES \(rows.joined(separator: ", "))
                ON CONFLICT (word) DO UPDATE SET projects = search_words.projects + excluded.projects
                """).run()
            try await sql.raw("DELETE FROM search_words WHERE projects <= 0 AND word IN (\(binds: chunk.map(\.key)))").run()
        }
    }

    /// The whole word index from the stored search texts, set-based (the words split in SQL): for the migration and
    /// the seeds. The postings go in word by word; their index by project is built afterwards in one sort
    /// (`SecondaryIndexes`, in a transaction: the seeds').
    static func rebuildWords(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        try await sql.raw("DELETE FROM project_search_words").run()
        try await sql.raw("DELETE FROM search_words").run()
        try await SecondaryIndexes.setAside(["idx_project_search_words_project"], on: db) { try await insertWords(on: sql) }
        try await sql.raw("INSERT INTO search_words (word, projects) SELECT word, COUNT(*) FROM project_search_words GROUP BY word").run()
    }

    private static func insertWords(on sql: any SQLDatabase) async throws {
        if sql.dialect.name == "postgresql" {
            try await sql.raw("""
                INSERT INTO project_search_words (word, code, project_id)
                SELECT DISTINCT w.word, p.code, s.project_id FROM project_search s JOIN projects p ON p.id = s.project_id,
                       unnest(string_to_array(s.search_text, ' ')) AS w(word) WHERE w.word <> ''
                """).run()
        } else {
            try await sql.raw("""
                INSERT OR IGNORE INTO project_search_words (word, code, project_id)
                WITH RECURSIVE split(project_id, code, word, rest) AS (
                  SELECT s.project_id, p.code, '', s.search_text || ' ' FROM project_search s JOIN projects p ON p.id = s.project_id
                  UNION ALL
                  SELECT project_id, code, substr(rest, 1, instr(rest, ' ') - 1), substr(rest, instr(rest, ' ') + 1) FROM split WHERE rest <> '')
                SELECT word, code, project_id FROM split WHERE word <> '' ORDER BY word, code
                """).run()
        }
    }

    /// Every project's search text and the word index: for the seeds, whose rows went in without `update`.
    static func rebuildAll(on db: any Database) async throws {
        try await rebuildTexts(on: db)
        try await rebuildWords(on: db)
    }

    /// Every project's search text, without the word index (M0038, before the index exists): the projects and their
    /// beneficiaries read in one pass each, the texts written again in multi-row statements (`BulkInsert`).
    static func rebuildTexts(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        var beneficiaries: [UUID: [(name: String, taxCode: String)]] = [:]
        for row in try await sql.raw("""
            SELECT pb.project_id, b.name, b.tax_code FROM project_beneficiaries pb JOIN beneficiaries b ON b.id = pb.beneficiary_id
            """).all() {
            beneficiaries[try row.decode(column: "project_id", as: UUID.self), default: []]
                .append((try row.decode(column: "name", as: String.self), try row.decode(column: "tax_code", as: String.self)))
        }
        let projects = try await sql.raw("SELECT id, code, title, implementing_unit FROM projects").all()
        try await sql.raw("DELETE FROM project_search").run()
        var insert = BulkInsert("project_search", ["project_id", "search_text"])
        for row in projects {
            let id = try row.decode(column: "id", as: UUID.self)
            let text = text(code: try row.decode(column: "code", as: String.self), title: try row.decode(column: "title", as: String.self),
                            implementingUnit: try row.decode(column: "implementing_unit", as: String.self),
                            beneficiaries: (beneficiaries[id] ?? []).sorted { $0.taxCode < $1.taxCode })
            try await insert.add([.uuid(id), .text(text)], on: db)
        }
        try await insert.flush(on: db)
    }
}
