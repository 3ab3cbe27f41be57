import Crypto
import Fluent
import Foundation
import KhuyenCongCore
import Vapor

/// `Idempotency-Key` on API writes: a payment retried on a weak connection is recorded once. The first request with a
/// key reserves it (one row per user and key, so two copies sent at once cannot both run); its successful answer is
/// kept for 24 hours and given again, unchanged, to every retry of the same request. A key sent with another
/// request is refused (422); a retry while the first is still running gets 409. Failed requests free their key.
struct IdempotencyMiddleware: AsyncMiddleware {
    static let header = "Idempotency-Key"
    static let lifetime: TimeInterval = 24 * 60 * 60

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let key = request.headers.first(name: Self.header), [.POST, .PATCH, .PUT, .DELETE].contains(request.method),
              request.isAPI, let user = request.user, let userID = user.id else {
            return try await next.respond(to: request)
        }
        guard (1...200).contains(key.utf8.count), key.unicodeScalars.allSatisfy({ $0.isASCII && $0.value > 32 && $0.value < 127 }) else {
            throw DomainError.invalid(vi: "Idempotency-Key phải gồm 1–200 ký tự ASCII in được", en: "Idempotency-Key must be 1–200 printable ASCII characters")
        }
        let body = try await request.body.collect(max: Attachment.maximumSize + 1_048_576).get()
        let digest = SHA256.hash(data: body.map { Data($0.readableBytesView) } ?? Data()).map { String(format: "%02x", $0) }.joined()
        let fingerprint = "\(request.method.rawValue) \(request.url.path) \(digest)"
        let now = Date()

        if let stored = try await IdempotencyRecord.query(on: request.db).filter(\.$userID == userID).filter(\.$key == key).first() {
            if stored.createdAt < now.addingTimeInterval(-Self.lifetime) {
                try await stored.delete(on: request.db)
            } else {
                return try replay(stored, fingerprint: fingerprint)
            }
        }
        let reservation = IdempotencyRecord(userID: userID, key: key, fingerprint: fingerprint, createdAt: now)
        do {
            try await reservation.create(on: request.db)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            throw Self.inProgress
        }
        try? await IdempotencyRecord.query(on: request.db).filter(\.$createdAt < now.addingTimeInterval(-Self.lifetime)).delete()

        let response: Response
        do {
            response = try await next.respond(to: request)
        } catch {
            try? await reservation.delete(on: request.db)
            throw error
        }
        guard (200..<300).contains(response.status.code), let data = response.body.data else {
            try? await reservation.delete(on: request.db)
            return response
        }
        reservation.status = Int(response.status.code)
        reservation.contentType = response.headers.first(name: .contentType)
        reservation.body = data
        try await reservation.save(on: request.db)
        return response
    }

    private func replay(_ stored: IdempotencyRecord, fingerprint: String) throws -> Response {
        guard stored.fingerprint == fingerprint else {
            throw DomainError.invalid(vi: "Idempotency-Key này đã được dùng cho một yêu cầu khác", en: "this Idempotency-Key was used with another request")
        }
        guard let status = stored.status else { throw Self.inProgress }
        var headers: HTTPHeaders = ["Idempotent-Replayed": "true"]
        if let type = stored.contentType { headers.replaceOrAdd(name: .contentType, value: type) }
        return Response(status: HTTPResponseStatus(statusCode: status), headers: headers, body: .init(data: stored.body ?? Data()))
    }

    static let inProgress = DomainError(.conflict, vi: "Một yêu cầu cùng Idempotency-Key đang được xử lý; hãy thử lại sau giây lát",
                                        en: "a request with this Idempotency-Key is still being processed; retry in a moment")
}
