import Foundation
import KhuyenCongCore
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// The demo roles with known passwords, for tests.
enum TestUsers {
    static func password(_ username: String) -> String { "mat-khau-\(username)-2026" }

    static func createAll(_ app: Application) async throws {
        for spec in DemoUsers.specs {
            _ = try await UserAdmin.create(username: spec.username, displayName: spec.name, role: spec.role, unitCode: spec.unit,
                                           region: spec.region, password: password(spec.username), actor: "test", app: app)
        }
    }

    static func token(_ app: Application, _ username: String) async throws -> String {
        var body = ByteBuffer()
        body.writeString(#"{"username":"\#(username)","password":"\#(password(username))"}"#)
        let response = try await app.testing().sendRequest(.POST, "/api/v1/auth/token", headers: ["Content-Type": "application/json"], body: body)
        struct Token: Decodable { let token: String }
        return try JSONDecoder().decode(Token.self, from: Data(response.body.readableBytesView)).token
    }
}

/// A browser session against the test application: keeps the session cookie, sends the CSRF token with forms.
struct TestBrowser {
    let app: Application
    var cookie: String?

    init(_ app: Application) { self.app = app }

    static func signedIn(_ app: Application, as username: String) async throws -> TestBrowser {
        var browser = TestBrowser(app)
        let response = try await browser.post("/login", ["username": username, "password": TestUsers.password(username)])
        guard response.status == .seeOther else { throw Abort(.unauthorized, reason: "sign-in failed: \(response.status)") }
        return browser
    }

    mutating func get(_ path: String) async throws -> TestingHTTPResponse {
        let response = try await app.testing().sendRequest(.GET, path, headers: headers())
        remember(response)
        return response
    }

    /// Posts a form with the session's CSRF token (fetched from the login page if there is no session yet).
    mutating func post(_ path: String, _ fields: [String: String], csrf: String? = nil) async throws -> TestingHTTPResponse {
        let token: String
        if let csrf { token = csrf } else { token = try await csrfToken() }
        var form = fields
        form["csrf"] = token
        let body = form.map { "\(escape($0.key))=\(escape($0.value))" }.joined(separator: "&")
        var headers = headers()
        headers.contentType = .urlEncodedForm
        let response = try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
        remember(response)
        return response
    }

    /// Posts a multipart form (fields and files) with the session's CSRF token, as a browser sends a form with a file.
    mutating func postMultipart(_ path: String, _ fields: [String: String], files: [(name: String, filename: String, data: String)])
        async throws -> TestingHTTPResponse {
        let boundary = "kc-test-boundary-7d1f"
        var parts = fields
        parts["csrf"] = try await csrfToken()
        var body = ""
        for (name, value) in parts.sorted(by: { $0.key < $1.key }) {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        for file in files {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; filename=\"\(file.filename)\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n\(file.data)\r\n"
        }
        body += "--\(boundary)--\r\n"
        var headers = headers()
        headers.add(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        let response = try await app.testing().sendRequest(.POST, path, headers: headers, body: ByteBuffer(string: body))
        remember(response)
        return response
    }

    mutating func csrfToken() async throws -> String {
        let page = try await get("/login")   // the sign-in form carries the session's token, signed in or not
        let html = page.body.string
        guard let range = html.range(of: #"name="csrf" value=""#) else { throw Abort(.internalServerError, reason: "no csrf field") }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    private func headers() -> HTTPHeaders {
        var headers = HTTPHeaders()
        if let cookie { headers.add(name: .cookie, value: "kc_session=\(cookie)") }
        return headers
    }

    private mutating func remember(_ response: TestingHTTPResponse) {
        for header in response.headers[.setCookie] where header.hasPrefix("kc_session=") {
            let value = String(header.dropFirst("kc_session=".count).prefix { $0 != ";" })
            cookie = value.isEmpty ? nil : value
        }
    }

    private func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }
}
