import Vapor

/// Gives every request an id that an officer can quote and an operator can find in the logs: the caller's
/// `X-Request-Id` when it is sane (at most 64 of A–Z, a–z, 0–9, `-`, `_`; the framework takes any value as
/// `request.id`), otherwise a new one. It is returned in the `X-Request-Id` header, carried as `request-id` in every
/// log line of the request, shown on the error pages ("Mã yêu cầu") and in the API's problem details (`requestId`).
/// First in the chain, so that every answer carries it, error pages included.
struct RequestIdMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let id = Self.isSane(request.id) ? request.id : UUID().uuidString
        request.storage[Key.self] = id
        request.logger[metadataKey: "request-id"] = .string(id)
        let response = try await next.respond(to: request)
        response.headers.replaceOrAdd(name: .xRequestId, value: id)
        return response
    }

    static func isSane(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 64 && id.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x2D || byte == 0x5F
        }
    }

    struct Key: StorageKey { typealias Value = String }
}

extension Request {
    /// The id shown to the user and logged (see `RequestIdMiddleware`).
    var requestID: String { storage[RequestIdMiddleware.Key.self] ?? id }
}
