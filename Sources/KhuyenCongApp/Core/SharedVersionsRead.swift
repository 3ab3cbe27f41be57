import Fluent
import NIOConcurrencyHelpers
import Vapor

/// The data and accounts versions for reading requests, one statement shared by the requests that arrive together.
/// A request never takes the answer of a read that started before it arrived: it joins the next read, which starts
/// when the running one ends. So every answer it gets was read after it arrived, and sees every write committed
/// before it (on this instance or another), exactly as its own statement would; under load one statement serves a
/// batch of requests instead of one each (on SQLite each statement is also a hop to the blocking pool and back).
final class SharedVersionsRead: Sendable {
    private struct State {
        var running = false
        var next: [CheckedContinuation<Versions, any Error>] = []
    }
    private let state = NIOLockedValueBox(State())
    private let database: @Sendable () -> any Database

    init(database: @escaping @Sendable () -> any Database) { self.database = database }

    func read() async throws -> Versions {
        try await withCheckedThrowingContinuation { continuation in
            let start = state.withLockedValue { state -> Bool in
                state.next.append(continuation)
                guard !state.running else { return false }
                state.running = true
                return true
            }
            if start { Task { await self.run() } }
        }
    }

    /// Reads for the requests waiting now, then for those that arrived meanwhile, until none waits.
    private func run() async {
        while true {
            let batch = state.withLockedValue { state -> [CheckedContinuation<Versions, any Error>] in
                let batch = state.next
                state.next = []
                if batch.isEmpty { state.running = false }
                return batch
            }
            if batch.isEmpty { return }
            let result: Result<Versions, any Error>
            do { result = .success(try await Versions.read(on: database())) } catch { result = .failure(error) }
            for waiting in batch { waiting.resume(with: result) }
        }
    }
}

extension Application {
    private struct SharedVersionsReadKey: StorageKey { typealias Value = SharedVersionsRead }
    private static let sharedVersionsReadLock = NIOLock()

    /// One per application, made on first use.
    var sharedVersionsRead: SharedVersionsRead {
        Self.sharedVersionsReadLock.withLock {
            if let known = storage[SharedVersionsReadKey.self] { return known }
            let made = SharedVersionsRead { [unowned self] in self.db }
            storage[SharedVersionsReadKey.self] = made
            return made
        }
    }
}
