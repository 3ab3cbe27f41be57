import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// `post` and `get` of the JSON API with a bearer token, for the suites that drive the API by hand.
protocol BearerAPIRequests {}

extension BearerAPIRequests {
    func post(_ app: Application, _ path: String, _ json: String?, _ token: String) async throws -> TestingHTTPResponse {
        try await app.testing().sendRequest(.POST, path, headers: TestData.bearer(token), body: json.map { TestData.json($0) })
    }

    func get(_ app: Application, _ path: String, _ token: String) async throws -> TestingHTTPResponse {
        try await app.testing().sendRequest(.GET, path, headers: TestData.bearer(token))
    }
}
