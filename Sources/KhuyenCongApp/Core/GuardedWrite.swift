import Fluent
import SQLKit

/// The one transaction every write of a dated row or a state goes through (DESIGN.md, "one guarded path"): its first
/// statement takes the write lock, so that what the write then reads and checks (the project, its payments, the
/// period locks) is what it lands on, and no other writer can change it before the commit.
/// - SQLite: a write as a transaction's first statement takes the database's write lock at once, like
///   `BEGIN IMMEDIATE` (the busy handler waits for the writer before), and every read after it sees all commits.
/// - PostgreSQL: it locks the row of `report_version`, which every writer of the tables these checks read takes
///   first as well (the statement triggers of M0024), so writers wait for each other in one order.
/// The counter it raises is the report cache's data version: a write that rolls back raises nothing.
/// Within one process the guarded writes also wait their turn in a queue before they take a connection: a writer
/// waiting for the database's lock would otherwise hold one of the pool's few connections (and, on SQLite, spin on a
/// thread), so that a burst of parallel payments would time the others out. Across processes the database lock rules.
enum GuardedWrite {
    /// `queued: false` leaves the in-process queue out, so that tests can show that the database lock alone holds.
    static func run<T: Sendable>(on db: any Database, queued: Bool = true,
                                 _ body: @escaping @Sendable (any Database) async throws -> T) async throws -> T {
        // A write inside another guarded write: its turn and its lock are already taken.
        if db.inTransaction {
            try await lock(db)
            return try await body(db)
        }
        let transaction = { try await db.transaction { db in try await lock(db); return try await body(db) } }
        guard queued else { return try await transaction() }
        await WriteQueue.shared.enter()
        do {
            let result = try await transaction()
            await WriteQueue.shared.leave()
            return result
        } catch {
            await WriteQueue.shared.leave()
            throw error
        }
    }

    /// Takes the write lock inside a transaction that is already open.
    static func lock(_ db: any Database) async throws {
        let sql = db as! any SQLDatabase
        if sql.dialect.name == "sqlite" {
            // SQLiteNIO's busy handler retries at once, forever, on a thread of the pool: a connection waiting for
            // another process's write would spin and starve the writer it waits for. SQLite's own timeout sleeps
            // between tries instead, and gives up with an error after 30 s.
            try await sql.raw("PRAGMA busy_timeout = 30000").run()
        }
        try await sql.raw("UPDATE report_version SET version = version + 1 WHERE id = 1").run()
    }
}

/// First come, first served: one guarded write of this process at a time.
actor WriteQueue {
    static let shared = WriteQueue()
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func enter() async {
        guard busy else { busy = true; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func leave() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}
