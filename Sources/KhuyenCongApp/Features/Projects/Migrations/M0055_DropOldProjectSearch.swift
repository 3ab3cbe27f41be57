import Fluent
import SQLKit

/// The substring indexes of M0038 over the stored search text are no longer read: the register's search reads the word
/// index of M0053 (`ProjectRegister.textPlan`) and checks words on `project_search.search_text` by `instr`/`strpos`
/// row by row, which no trigram index serves. Dropped so that writes stop keeping them:
/// - SQLite: the FTS5 trigram table `project_search_fts` and the three triggers that copied every write of
///   `project_search` into it;
/// - PostgreSQL: the pg_trgm GIN index `idx_project_search_trgm` (the extension stays: other schemas may use it).
/// `project_search` itself stays (the search checks its words on it), and so do M0038's indexes for the sort orders.
/// The revert builds them again as M0038 did (and fills the FTS table from the stored texts), so that reverting M0038
/// after it finds what it drops.
struct M0055_DropOldProjectSearch: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            try await sql.raw("DROP INDEX IF EXISTS idx_project_search_trgm").run()
        } else {
            for trigger in ["project_search_ai", "project_search_ad", "project_search_au"] {
                try await sql.raw("DROP TRIGGER IF EXISTS \(unsafeRaw: trigger)").run()
            }
            try await sql.raw("DROP TABLE IF EXISTS project_search_fts").run()
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            if let schema = try await M0038_CreateProjectSearch.trigramSchema(sql) {
                try await sql.raw("""
                    CREATE INDEX idx_project_search_trgm ON project_search USING gin (search_text \(ident: schema).gin_trgm_ops)
                    """).run()
            }
        } else {
            try await sql.raw("""
                CREATE VIRTUAL TABLE project_search_fts USING fts5(search_text, content='project_search', content_rowid='seq', tokenize='trigram')
                """).run()
            try await sql.raw("INSERT INTO project_search_fts (project_search_fts) VALUES ('rebuild')").run()
            try await sql.raw("""
                CREATE TRIGGER project_search_ai AFTER INSERT ON project_search BEGIN
                  INSERT INTO project_search_fts (rowid, search_text) VALUES (new.seq, new.search_text); END
                """).run()
            try await sql.raw("""
                CREATE TRIGGER project_search_ad AFTER DELETE ON project_search BEGIN
                  INSERT INTO project_search_fts (project_search_fts, rowid, search_text) VALUES ('delete', old.seq, old.search_text); END
                """).run()
            try await sql.raw("""
                CREATE TRIGGER project_search_au AFTER UPDATE ON project_search BEGIN
                  INSERT INTO project_search_fts (project_search_fts, rowid, search_text) VALUES ('delete', old.seq, old.search_text);
                  INSERT INTO project_search_fts (rowid, search_text) VALUES (new.seq, new.search_text); END
                """).run()
        }
    }
}
