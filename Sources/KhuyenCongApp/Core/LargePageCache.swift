import Fluent
import SQLKit

/// A large write on SQLite (an import, a seed) outgrows the default page cache of 2 MiB and spills pages to the WAL
/// and reads them back while its transaction is still open: the connection gets `kibibytes` of cache while `body`
/// runs, and its size before afterwards (also when `body` fails). PostgreSQL: `body` as it is.
enum LargePageCache {
    static func run<T>(on db: any Database, kibibytes: Int, _ body: () async throws -> T) async throws -> T {
        guard let sql = db as? any SQLDatabase, sql.dialect.name == "sqlite" else { return try await body() }
        let before = try await sql.raw("PRAGMA cache_size").first().map { try $0.decode(column: "cache_size", as: Int.self) } ?? -2_000
        try await sql.raw("PRAGMA cache_size = \(unsafeRaw: String(-kibibytes))").run()   // negative: KiB, used as pages are read
        let result: T
        do {
            result = try await body()
        } catch {
            try? await sql.raw("PRAGMA cache_size = \(unsafeRaw: String(before))").run()
            throw error
        }
        try await sql.raw("PRAGMA cache_size = \(unsafeRaw: String(before))").run()
        return result
    }
}

extension Array {
    /// The array in pieces of at most `size` elements (statements with bounded numbers of binds).
    func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
