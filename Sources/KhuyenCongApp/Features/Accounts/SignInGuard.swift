import Foundation
import NIOConcurrencyHelpers
import Vapor

/// What stands between a password guesser and bcrypt: a count of failed checks per client address (in memory,
/// per instance), one attempt at a time per account, a bounded pool for the hashes and a short pause after each
/// refusal. The count per account lives in the database (`User.reserveAttempt`), so it holds across instances and
/// restarts; the one per address is only a second line against one address trying many accounts, so memory is
/// enough and an attack writes nothing for it.
final class SignInGuard: Sendable {
    struct Limits: Sendable {
        /// Failed (or in-flight) password checks one address may make per window.
        var checksPerAddress = 30
        var addressWindow: TimeInterval = 15 * 60
        /// Each refusal waits this long, without holding a thread.
        var pauseOnFailure: Duration = .milliseconds(300)
        /// Beyond this many addresses the oldest window is forgotten, so a flood cannot fill the memory.
        var trackedAddresses = 10_000
    }

    /// bcrypt runs on a pool of its own: the application's thread pool also runs every SQLite call, so a burst
    /// of hashes queued there starved the database until its connection requests timed out.
    static let hashingPool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: max(1, System.coreCount))
        pool.start()
        return pool
    }()

    let limits: Limits
    /// Attempts on one account wait for each other here (AccountTurns.swift).
    let turns = AccountTurns()
    private let checks = NIOLockedValueBox(0)
    private let lookups = NIOLockedValueBox(0)
    private let windows = NIOLockedValueBox<[String: Window]>([:])
    private struct Window { var start: Date; var count: Int }

    init(limits: Limits = Limits()) { self.limits = limits }

    /// How many passwords were compared with a hash since this instance started (for tests and the log).
    var passwordChecks: Int { checks.withLockedValue { $0 } }

    /// How many attempts read their account from the database (for tests: a flood on one account reads it a few times).
    var accountLookups: Int { lookups.withLockedValue { $0 } }

    func countLookup() { lookups.withLockedValue { $0 += 1 } }

    /// Compares a password with a bcrypt hash on the hashing pool, and counts it.
    func verify(_ password: String, created hash: String, using app: Application) async throws -> Bool {
        checks.withLockedValue { $0 += 1 }
        let hasher = app.password.sync
        return try await Self.hashingPool.runIfActive { try hasher.verify(password, created: hash) }
    }

    /// A new hash, on the hashing pool (not counted: only signed-in users and administrators make them).
    static func hash(_ password: String, using app: Application) async throws -> String {
        let hasher = app.password.sync
        return try await hashingPool.runIfActive { try hasher.hash(password) }
    }

    /// Takes one check from the address's allowance; false when it has none left.
    func reserve(address: String, now: Date = Date()) -> Bool {
        windows.withLockedValue { windows in
            var window = windows[address].flatMap { now.timeIntervalSince($0.start) < limits.addressWindow ? $0 : nil }
                ?? Window(start: now, count: 0)
            guard window.count < limits.checksPerAddress else { return false }
            window.count += 1
            if windows[address] == nil, windows.count >= limits.trackedAddresses { forgetOldest(&windows, now: now) }
            windows[address] = window
            return true
        }
    }

    /// Gives back a check that turned out not to be a failure (a right password, or an account already locked).
    func release(address: String) {
        windows.withLockedValue { windows in
            if let count = windows[address]?.count, count > 0 { windows[address]?.count = count - 1 }
        }
    }

    /// When the address may try again, if it may not now.
    func blockedUntil(address: String, now: Date = Date()) -> Date? {
        windows.withLockedValue { windows in
            guard let window = windows[address], now.timeIntervalSince(window.start) < limits.addressWindow,
                  window.count >= limits.checksPerAddress else { return nil }
            return window.start.addingTimeInterval(limits.addressWindow)
        }
    }

    func pause() async {
        try? await Task.sleep(for: limits.pauseOnFailure)
    }

    private func forgetOldest(_ windows: inout [String: Window], now: Date) {
        windows = windows.filter { now.timeIntervalSince($0.value.start) < limits.addressWindow }
        if windows.count >= limits.trackedAddresses, let oldest = windows.min(by: { $0.value.start < $1.value.start }) {
            windows[oldest.key] = nil
        }
    }
}

extension SignInGuard {
    /// The client's address: the peer of the connection, or, only when that peer is one of the proxies listed in
    /// `TRUSTED_PROXIES` (comma-separated addresses), the last address that proxy put in `X-Forwarded-For`.
    static func clientAddress(of req: Request) -> String {
        let peer = req.remoteAddress?.ipAddress ?? "unknown"
        guard trustedProxies.contains(peer),
              let forwarded = req.headers.first(name: .xForwardedFor)?.split(separator: ",").last?
                .trimmingCharacters(in: .whitespaces), !forwarded.isEmpty else { return peer }
        return forwarded
    }

    private static let trustedProxies: Set<String> = Set(
        (Environment.get("TRUSTED_PROXIES") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty })
}

extension Application {
    private struct SignInGuardKey: StorageKey { typealias Value = SignInGuard }
    private static let signInGuardLock = NIOLock()

    /// One per running instance, made on first use (tests may set their own limits before the first request).
    var signInGuard: SignInGuard {
        get {
            Self.signInGuardLock.withLock {
                if let existing = storage[SignInGuardKey.self] { return existing }
                let made = SignInGuard()
                storage[SignInGuardKey.self] = made
                return made
            }
        }
        set { Self.signInGuardLock.withLock { storage[SignInGuardKey.self] = newValue } }
    }
}
