import Foundation
import NIOConcurrencyHelpers

/// Sign-in bookkeeping for one account, one attempt at a time on this instance. Attempts that arrive together
/// wait here (holding no database connection) instead of all queueing for the pool; once one of them learns the
/// account is locked, the others still waiting get that answer without touching the database. A flood of 120
/// guesses on one account then costs a handful of statements instead of hundreds, and other people's sign-ins
/// are not stuck behind it. What was learned lives only while attempts are queued, so the next attempt after
/// the flood (or after an administrator's unlock) reads the database again.
final class AccountTurns: Sendable {
    private struct Entry {
        var waiting: [CheckedContinuation<Void, Never>] = []
        var lockedUntil: Date?
    }

    private let entries = NIOLockedValueBox<[String: Entry]>([:])

    /// Runs `body` when no other attempt on `account` runs here. `body` gets the lock the attempts before it learned
    /// (nil when none) and returns its result with the lock it learned, if any.
    func take<T>(_ account: String, _ body: (_ knownLock: Date?) async throws -> (T, learnedLock: Date?)) async throws -> T {
        await wait(for: account)
        let known = entries.withLockedValue { $0[account]?.lockedUntil }
        do {
            let (result, learned) = try await body(known)
            leave(account, learned: learned)
            return result
        } catch {
            leave(account, learned: nil)
            throw error
        }
    }

    /// How many accounts have an attempt running or waiting (for tests: nothing is left behind).
    var busyAccounts: Int { entries.withLockedValue { $0.count } }

    private func wait(for account: String) async {
        await withCheckedContinuation { (turn: CheckedContinuation<Void, Never>) in
            let free = entries.withLockedValue { entries -> Bool in
                guard entries[account] != nil else { entries[account] = Entry(); return true }
                entries[account]?.waiting.append(turn)
                return false
            }
            if free { turn.resume() }
        }
    }

    /// Hands the turn to the next waiting attempt, with what was learned, or forgets the account when none waits.
    private func leave(_ account: String, learned: Date?) {
        let next = entries.withLockedValue { entries -> CheckedContinuation<Void, Never>? in
            guard var entry = entries[account], !entry.waiting.isEmpty else { entries[account] = nil; return nil }
            if let learned { entry.lockedUntil = learned }
            let next = entry.waiting.removeFirst()
            entries[account] = entry
            return next
        }
        next?.resume()
    }
}
