import Fluent
import SQLKit

/// The project register's search: the folded search text of each project (`ProjectSearchText`) with a substring
/// index over it, and indexes for the register's filters and sort orders (each ending in the code, the keyset's
/// tie-breaker). Existing projects get their text.
/// - SQLite: `project_search` with an FTS5 trigram table over it (external content, kept by triggers), which answers
///   `LIKE '%word%'` for words of three letters or more from the index.
/// - PostgreSQL: `project_search` with a GIN index of pg_trgm (in the `public` schema, shared by every schema of the
///   database); where the extension cannot be created the search still answers, by reading the table.
struct M0038_CreateProjectSearch: AsyncMigration {
    static let indexes = [
        ("idx_projects_unit_code", "projects", "unit_id, code"),
        ("idx_projects_year_code", "projects", "year, code"),
        ("idx_projects_title_code", "projects", "title, code"),
        ("idx_projects_status_code", "projects", "status, code"),
        ("idx_projects_support_code", "projects", "(COALESCE(support_approved_vnd, support_requested_vnd)), code"),
        ("idx_projects_submitted_code", "projects", "(COALESCE(submitted_on, '')), code"),
        ("idx_project_beneficiaries_beneficiary", "project_beneficiaries", "beneficiary_id"),
    ]

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            try await sql.raw("CREATE TABLE project_search (project_id UUID PRIMARY KEY, search_text TEXT NOT NULL)").run()
            if let schema = try await Self.trigramSchema(sql) {
                try await sql.raw("""
                    CREATE INDEX idx_project_search_trgm ON project_search USING gin (search_text \(ident: schema).gin_trgm_ops)
                    """).run()
            }
        } else {
            // `project_id` declared as Fluent declares `projects.id` (UUID: the same affinity), so that a join on it uses the index.
            try await sql.raw("CREATE TABLE project_search (seq INTEGER PRIMARY KEY, project_id UUID NOT NULL UNIQUE, search_text TEXT NOT NULL)").run()
            try await sql.raw("""
                CREATE VIRTUAL TABLE project_search_fts USING fts5(search_text, content='project_search', content_rowid='seq', tokenize='trigram')
                """).run()
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
        for (name, table, columns) in Self.indexes {
            try await sql.raw("CREATE INDEX \(unsafeRaw: name) ON \(unsafeRaw: table) (\(unsafeRaw: columns))").run()
        }
        try await ProjectSearchText.rebuildTexts(on: database)   // the word index follows in M0053
    }

    /// The schema holding pg_trgm, created in `public` if it is not there yet; nil where it cannot be.
    static func trigramSchema(_ sql: any SQLDatabase) async throws -> String? {
        func installed() async throws -> String? {
            try await sql.raw("SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm'")
                .first()?.decode(column: "schema", as: String.self)
        }
        if let schema = try await installed() { return schema }
        guard try await sql.raw("SELECT 1 AS one FROM pg_available_extensions WHERE name = 'pg_trgm'").first() != nil else { return nil }
        // Two schemas migrating at once may both try: the loser finds the winner's.
        try? await sql.raw("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public").run()
        return try await installed()
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        for (name, _, _) in Self.indexes { try await sql.raw("DROP INDEX \(unsafeRaw: name)").run() }
        if sql.dialect.name != "postgresql" {
            for trigger in ["project_search_ai", "project_search_ad", "project_search_au"] { try await sql.raw("DROP TRIGGER \(unsafeRaw: trigger)").run() }
            try await sql.raw("DROP TABLE project_search_fts").run()
        }
        try await sql.raw("DROP TABLE project_search").run()
    }
}
