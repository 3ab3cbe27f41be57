import Fluent
import KhuyenCongCore
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// Report figures computed once per change of the data, for the pages and the API. Each entry remembers the
/// report data version it was computed at: a counter that triggers in the database raise with every write to
/// the tables reports read, inside the writer's transaction (M0024). An entry is reused only while the counter
/// is unchanged, so several instances, each with its own cache, never serve figures older than the data.
/// The version is read before computing: a write that lands meanwhile makes the entry merely look old.
final class ReportCache: Sendable {
    struct Key: Hashable, Sendable {
        let kind: String
        let scope: ReportScope?
        var detail: String = ""
    }

    private let entries = NIOLockedValueBox<[Key: (version: Int64, value: any Sendable)]>([:])
    private let capacity: Int

    init(capacity: Int = 512) { self.capacity = capacity }

    func value<T: Sendable>(_ key: Key, on db: any Database, compute: () async throws -> T) async throws -> T {
        // Counted and timed for /metrics (Core/Metrics.swift): the version check, hits and misses, each computation.
        let version = try await AppMetrics.timedQuery("report_version") { try await Self.version(on: db) }
        return try await value(key, version: version, compute: compute)
    }

    /// The same, with the version the request has read (`Request.versions()`: at most one query per GET request for
    /// this cache and the accounts' together; afresh for a request that may write).
    func value<T: Sendable>(_ key: Key, for request: Request, compute: () async throws -> T) async throws -> T {
        try await value(key, version: try await request.versions().data, compute: compute)
    }

    /// `version` must have been read before anything `compute` reads.
    func value<T: Sendable>(_ key: Key, version: Int64, compute: () async throws -> T) async throws -> T {
        if let entry = entries.withLockedValue({ $0[key] }), entry.version == version, let value = entry.value as? T {
            AppMetrics.reportCache(kind: key.kind, hit: true)
            return value
        }
        AppMetrics.reportCache(kind: key.kind, hit: false)
        let value = try await AppMetrics.reportComputation(kind: key.kind, compute)
        entries.withLockedValue { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = (version, value)
        }
        return value
    }

    static func version(on db: any Database) async throws -> Int64 {
        try await (db as! any SQLDatabase).raw("SELECT version FROM report_version WHERE id = 1").first()?
            .decode(column: "version", as: Int64.self) ?? 0
    }
}

extension Application {
    private struct ReportCacheKey: StorageKey { typealias Value = ReportCache }

    /// Set up in `configure`; one per running instance.
    var reportCache: ReportCache {
        get { storage[ReportCacheKey.self] ?? ReportCache() }
        set { storage[ReportCacheKey.self] = newValue }
    }

    private struct RecordCacheKey: StorageKey { typealias Value = ReportCache }

    /// Single records' encoded answers (a project's JSON) by the same data version: every write to what they show is a
    /// guarded write (`GuardedWrite` raises the version). Apart from the reports, so that many records do not push
    /// the reports out.
    var recordCache: ReportCache {
        get { storage[RecordCacheKey.self] ?? ReportCache() }
        set { storage[RecordCacheKey.self] = newValue }
    }
}

/// A record's answer as the API sends it, with the unit its access is decided on.
struct EncodedRecord: Sendable {
    let unitID: UnitID
    let body: ByteBuffer
}
