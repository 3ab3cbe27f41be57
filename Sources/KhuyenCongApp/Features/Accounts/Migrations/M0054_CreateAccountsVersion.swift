import Fluent
import Foundation
import SQLKit

/// The accounts version of `AccountsCache`: one counter, raised by triggers in the transaction of every write to the
/// users, their API tokens and their browser sessions, so that each instance may keep who a token or a session belongs
/// to while the counter is unchanged, and sees a sign-out, a revocation, a disabled user or a new password at once.
/// Inserting a token or a session raises nothing on sessions: a new row is in no cache (misses are not kept).
struct M0054_CreateAccountsVersion: AsyncMigration {
    /// Each table and the writes that raise the counter.
    static let triggers: [(table: String, events: [String])] = [
        ("users", ["INSERT", "UPDATE", "DELETE"]),
        ("api_tokens", ["INSERT", "UPDATE", "DELETE"]),
        ("_fluent_sessions", ["UPDATE", "DELETE"]),
    ]

    func prepare(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        try await sql.raw("CREATE TABLE accounts_version (id INTEGER PRIMARY KEY, version BIGINT NOT NULL)").run()
        try await sql.raw("INSERT INTO accounts_version (id, version) VALUES (1, 0)").run()
        if sql.dialect.name == "postgresql" {
            try await sql.raw("""
                CREATE FUNCTION raise_accounts_version() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN UPDATE accounts_version SET version = version + 1 WHERE id = 1; RETURN NULL; END $$
                """).run()
            for (table, events) in Self.triggers {
                try await sql.raw("""
                    CREATE TRIGGER accounts_version_\(unsafeRaw: Self.name(table)) BEFORE \(unsafeRaw: events.joined(separator: " OR ")) ON \(unsafeRaw: table)
                    FOR EACH STATEMENT EXECUTE FUNCTION raise_accounts_version()
                    """).run()
            }
        } else {
            for (table, events) in Self.triggers {
                for event in events {
                    try await sql.raw("""
                        CREATE TRIGGER accounts_version_\(unsafeRaw: Self.name(table))_\(unsafeRaw: event.lowercased()) AFTER \(unsafeRaw: event) ON \(unsafeRaw: table)
                        BEGIN UPDATE accounts_version SET version = version + 1 WHERE id = 1; END
                        """).run()
                }
            }
        }
    }

    func revert(on database: any Database) async throws {
        let sql = database as! any SQLDatabase
        if sql.dialect.name == "postgresql" {
            for (table, _) in Self.triggers {
                try await sql.raw("DROP TRIGGER accounts_version_\(unsafeRaw: Self.name(table)) ON \(unsafeRaw: table)").run()
            }
            try await sql.raw("DROP FUNCTION raise_accounts_version()").run()
        } else {
            for (table, events) in Self.triggers {
                for event in events {
                    try await sql.raw("DROP TRIGGER accounts_version_\(unsafeRaw: Self.name(table))_\(unsafeRaw: event.lowercased())").run()
                }
            }
        }
        try await sql.raw("DROP TABLE accounts_version").run()
    }

    private static func name(_ table: String) -> String { table.trimmingCharacters(in: CharacterSet(charactersIn: "_")) }
}
