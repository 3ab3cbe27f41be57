import Fluent
import Foundation
import SQLKit

/// The seeds' one large transaction on SQLite, made cheap:
/// - a page cache large enough for the indexes being filled (`LargePageCache`);
/// - the per-row triggers that raise the data versions (`report_version`, M0024; `unit_data_versions`, M0052) set
///   aside for the load (`RowTriggers`, Core/RowTriggers.swift); the versions are then raised once for every unit
///   holding data. Every other trigger (the search index's) runs as usual.
/// PostgreSQL's version triggers are statement triggers already (one update per statement): nothing to change there.
enum BulkLoad {
    static func run<T>(on db: any Database, _ body: () async throws -> T) async throws -> T {
        guard let sql = db as? any SQLDatabase, sql.dialect.name == "sqlite", db.inTransaction else { return try await body() }
        // 256 MiB of page cache for the indexes being filled (Core/LargePageCache.swift).
        return try await LargePageCache.run(on: db, kibibytes: 262_144) {
            try await RowTriggers.setAside({ $0.hasPrefix("report_version_") || $0.hasPrefix("unit_data_version_") }, on: db, body) { sql in
                try await sql.raw("UPDATE report_version SET version = version + 1 WHERE id = 1").run()
                try await sql.raw("""
                    INSERT INTO unit_data_versions (unit_id, version)
                    SELECT unit_id, 1 FROM (SELECT unit_id FROM projects UNION SELECT unit_id FROM plan_lines UNION SELECT unit_id FROM plan_targets
                                            UNION SELECT unit_id FROM period_reports UNION SELECT '*') WHERE true
                    ON CONFLICT (unit_id) DO UPDATE SET version = unit_data_versions.version + 1
                    """).run()
            }
        }
    }
}

/// How long each step of a load took, for the log and the seed command's summary.
struct PhaseClock: Sendable {
    private(set) var phases: [(name: String, seconds: Double)] = []
    private var last = Date()

    mutating func lap(_ name: String) {
        let now = Date()
        phases.append((name, now.timeIntervalSince(last)))
        last = now
    }

    var summary: String {
        phases.map { "\($0.name) \(String(format: "%.2f", $0.seconds)) s" }.joined(separator: ", ")
    }
}
