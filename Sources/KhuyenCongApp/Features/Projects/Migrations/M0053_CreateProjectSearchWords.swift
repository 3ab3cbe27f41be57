import Fluent
import SQLKit

/// The register search's word index: every distinct word of each project's folded search text (`project_search_words`,
/// a posting list per word, in the order of the projects' codes, the register's default order) and the vocabulary with
/// the number of projects holding each word (`search_words`).
/// A query word (no spaces) is a substring of a project's text exactly when it is a substring of one of the project's
/// words, so the projects matching it are the union of the posting lists of the vocabulary words containing it: the
/// search reads the smallest such union instead of a trigram index's long lists, then sorts only what it found.
/// Kept by `ProjectSearchText` on every write (creation, edits, beneficiaries, moves, the import) and rebuilt set-based
/// by the seeds; built here from the stored search texts.
struct M0053_CreateProjectSearchWords: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        let rowid = sql.dialect.name == "sqlite" ? " WITHOUT ROWID" : ""
        // `project_id` declared as Fluent declares `projects.id` (UUID), so that a join on it uses the index.
        try await sql.raw("""
            CREATE TABLE project_search_words (word TEXT NOT NULL, code TEXT NOT NULL, project_id UUID NOT NULL,
                                               PRIMARY KEY (word, code))\(unsafeRaw: rowid)
            """).run()
        try await sql.raw("CREATE INDEX idx_project_search_words_project ON project_search_words (project_id, word)").run()
        try await sql.raw("CREATE TABLE search_words (word TEXT PRIMARY KEY, projects INTEGER NOT NULL)\(unsafeRaw: rowid)").run()
        try await ProjectSearchText.rebuildWords(on: database)
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("DROP TABLE search_words").run()
        try await sql.raw("DROP TABLE project_search_words").run()
    }
}
