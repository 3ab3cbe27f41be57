import Fluent
import NIOConcurrencyHelpers
import Vapor
import KhuyenCongCore

extension AdminUnitCatalog {
    /// The catalog the access decisions of the running request use (`RecordScope(unitID:)`): the regions in force in
    /// `region_memberships`, set per signed-in request by `RegionsInForceMiddleware`; the file's outside a request.
    @TaskLocal static var inForce: AdminUnitCatalog = .standard
}

/// Gives a signed-in request the regions in force, so that a reviewer reads and approves the records of the provinces
/// their region has by the rule rows (a membership an administrator adds moves access with the reports). Kept per
/// instance while the data version is unchanged: a new membership is a guarded write, which raises it.
struct RegionsInForceMiddleware: AsyncMiddleware {
    final class Cache: Sendable {
        private let entry = NIOLockedValueBox<(version: Int64, catalog: AdminUnitCatalog)?>(nil)

        func catalog(for request: Request) async throws -> AdminUnitCatalog {
            let version = try await request.versions().data
            if let known = entry.withLockedValue({ $0 }), known.version == version { return known.catalog }
            let catalog = try await AdminUnitCatalog.load(on: request.db)
            entry.withLockedValue { $0 = (version, catalog) }
            return catalog
        }
    }

    /// One per application (the middleware is made once, in `configure`).
    let cache = Cache()

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.auth.has(User.self) else { return try await next.respond(to: request) }
        let catalog = try await cache.catalog(for: request)
        return try await AdminUnitCatalog.$inForce.withValue(catalog) { try await next.respond(to: request) }
    }
}
