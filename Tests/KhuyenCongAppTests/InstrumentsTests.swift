import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import NIOConcurrencyHelpers
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// The instruments an operator runs the system with: `/metrics` in Prometheus' text format (an administrator's token,
/// or a listener of its own), and a request id that the error page, the response header and the JSON log line share.
@Suite("Metrics and request ids")
struct InstrumentsTests {
    @Test func metricsAnswerOnlyAnAdministratorsToken() async throws {
        try await TestApp.run(users: true) { app in
            let anonymous = try await app.testing().sendRequest(.GET, "/metrics")
            #expect(anonymous.status == .unauthorized)
            let problem = try JSONDecoder().decode(PageErrorMiddleware.Problem.self, from: Data(anonymous.body.readableBytesView))
            #expect(problem.requestId == anonymous.headers.first(name: .xRequestId))
            for username in ["xem", "bo.congthuong", "thanhhoa"] {
                let response = try await Self.scrape(app, as: username)
                #expect(response.status == .forbidden, "\(username): \(response.status)")
            }
            let wrongToken = try await app.testing().sendRequest(.GET, "/metrics", headers: ["Authorization": "Bearer khong-phai-ma-that"])
            #expect(wrongToken.status == .unauthorized)
            let admin = try await Self.scrape(app, as: "admin")
            #expect(admin.status == .ok)
            #expect(admin.headers.contentType?.description.hasPrefix("text/plain") == true)
        }
    }

    @Test func countersMoveAfterRequests() async throws {
        try await TestApp.run(users: true) { app in
            let token = try await TestUsers.token(app, "admin")
            let before = try await Self.samples(app, token: token)
            // A project that does not exist: counted under the route's pattern, never the raw path.
            let missing = try await app.testing().sendRequest(.GET, "/api/v1/projects/KHONG-CO-DE-AN", headers: Self.bearer(token))
            #expect(missing.status == .notFound)
            // The same report twice: the second is answered from the cache.
            for _ in 0..<2 {
                let report = try await app.testing().sendRequest(.GET, "/api/v1/reports/summary?region=north&year=2026", headers: Self.bearer(token))
                #expect(report.status == .ok)
            }
            let after = try await Self.samples(app, token: token)

            let route = #"{method="GET",path="/api/v1/projects/:code",status="404"}"#
            #expect(after["http_requests_total" + route, default: 0] >= before["http_requests_total" + route, default: 0] + 1)
            #expect(after["http_request_duration_seconds_count" + route, default: 0] >= before["http_request_duration_seconds_count" + route, default: 0] + 1)
            #expect(after.keys.contains { $0.hasPrefix("http_request_duration_seconds_bucket{") && $0.contains(#"path="/api/v1/projects/:code""#) })
            #expect(!after.keys.contains { $0.contains("KHONG-CO-DE-AN") })
            let hit = #"report_cache_lookups_total{kind="summary-json",result="hit"}"#
            #expect(after[hit, default: 0] >= before[hit, default: 0] + 1)
            let computed = #"report_computations_total{kind="summary-json"}"#
            #expect(after[computed, default: 0] >= 1)
            // The versions the caches are checked against (the token's and the report's, one statement per request).
            #expect(after.keys.contains { $0.hasPrefix(#"db_query_duration_seconds_count{query="versions"}"#) })
        }
    }

    @Test func aFailedRequestsIdIsOnItsPageInItsHeaderAndInItsLogLine() async throws {
        try await TestApp.run(users: true) { app in
            let lines = NIOLockedValueBox<[String]>([])
            app.logger = Logger(label: "khuyencong.test") { label in
                JSONLogHandler(label: label, level: .info) { line in lines.withLockedValue { $0.append(line) } }
            }
            let page = try await app.testing().sendRequest(.GET, "/khong-co-trang-nay", headers: ["Accept": "text/html"])
            #expect(page.status == .notFound)
            let id = try #require(page.headers.first(name: .xRequestId))
            #expect(RequestIdMiddleware.isSane(id))
            #expect(page.body.string.contains("Mã yêu cầu</span>: <code>\(id)</code>"))

            let logged = lines.withLockedValue { $0 }
            #expect(logged.allSatisfy { $0.hasSuffix("}\n") && !$0.dropLast().contains("\n") })
            let objects = try logged.map { try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
            let refusal = try #require(objects.first { ($0["message"] as? String)?.contains("404") == true },
                                       "no log line of the refusal among \(logged)")
            #expect((refusal["metadata"] as? [String: Any])?["request-id"] as? String == id)
            #expect(refusal["level"] as? String == "notice")
            #expect((refusal["timestamp"] as? String)?.hasPrefix("20") == true)

            // The caller's id is kept when sane, replaced when not; the API's problem carries it too.
            let quoted = try await app.testing().sendRequest(.GET, "/api/v1/projects/KHONG-CO", headers: ["X-Request-Id": "can-bo_38-0001"])
            #expect(quoted.headers.first(name: .xRequestId) == "can-bo_38-0001")
            #expect(quoted.body.string.contains(#""requestId":"can-bo_38-0001""#))
            for insane in ["có dấu", String(repeating: "a", count: 65), "x\"}{"] {
                let response = try await app.testing().sendRequest(.GET, "/khong-co-trang-nay", headers: ["X-Request-Id": insane])
                let replaced = try #require(response.headers.first(name: .xRequestId))
                #expect(replaced != insane && RequestIdMiddleware.isSane(replaced))
                #expect(response.body.string.contains("<code>\(replaced)</code>"))
            }
        }
    }

    @Test func theMetricsListenerNeedsNoToken() async throws {
        try await TestApp.run { app in
            app.metricsAddress = ("127.0.0.1", 0)
            let listener = try #require(try await MetricsListener.start(app))
            let port = try #require(listener.http.server.shared.localAddress?.port)
            _ = try await app.testing().sendRequest(.GET, "/health")
            let (metrics, status) = try await Self.fetch("http://127.0.0.1:\(port)/metrics")
            #expect(status == 200)
            let samples = try Self.parse(metrics)
            #expect(samples[#"http_requests_total{method="GET",path="/health",status="200"}"#, default: 0] >= 1)
            // Only /metrics there.
            #expect(try await Self.fetch("http://127.0.0.1:\(port)/health").status == 404)
        }
    }

    @Test func aLogLineIsOneJSONObjectWhateverItCarries() throws {
        let message = "refused \"x\"\nline two\t\u{1}\\ Hà Nội"
        let line = JSONLogHandler.line(timestamp: Date(timeIntervalSince1970: 1_796_000_000), level: .warning, label: "codes.vapor.request",
                                       message: message, metadata: ["request-id": "abc", "nested": ["k": ["1", "2"]]], source: "KhuyenCongApp")
        #expect(line.hasSuffix("}\n") && line.filter { $0 == "\n" }.count == 1)
        let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["message"] as? String == message)
        #expect(object["level"] as? String == "warning")
        #expect(object["timestamp"] as? String == "2026-11-30T00:53:20.000Z")
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect(metadata["request-id"] as? String == "abc")
        #expect((metadata["nested"] as? [String: Any])?["k"] as? [String] == ["1", "2"])
    }

    @Test func theSettingsAreCheckedAtStart() throws {
        let root = ["KHUYENCONG_ROOT": TestApp.rootDirectory]
        let config = try AppConfig.fromEnvironment(root.merging(["METRICS_HOST": "10.0.0.5", "METRICS_PORT": "9464", "LOG_FORMAT": "json"]) { $1 })
        #expect(config.metricsHost == "10.0.0.5" && config.metricsPort == 9464)
        #expect(try AppConfig.fromEnvironment(root).metricsPort == nil)
        #expect(LogFormat.isJSON(["LOG_FORMAT": "JSON"]) && !LogFormat.isJSON([:]))
        do {
            _ = try AppConfig.fromEnvironment(root.merging(["METRICS_PORT": "70000", "LOG_FORMAT": "xml"]) { $1 })
            Issue.record("accepted a bad METRICS_PORT and LOG_FORMAT")
        } catch let invalid as AppConfig.Invalid {
            #expect(invalid.problems.contains { $0.hasPrefix("METRICS_PORT=70000") })
            #expect(invalid.problems.contains { $0.hasPrefix("METRICS_HOST và METRICS_PORT") })
            #expect(invalid.problems.contains { $0.hasPrefix("LOG_FORMAT=xml") })
        }
    }

    // MARK: Scraping

    /// A GET over the network, as a scraper does.
    static func fetch(_ url: String) async throws -> (body: String, status: Int) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: url)!)
        return (String(decoding: data, as: UTF8.self), (response as? HTTPURLResponse)?.statusCode ?? 0)
    }

    static func bearer(_ token: String) -> HTTPHeaders { ["Authorization": "Bearer \(token)"] }

    static func scrape(_ app: Application, as username: String) async throws -> TestingHTTPResponse {
        try await app.testing().sendRequest(.GET, "/metrics", headers: bearer(try await TestUsers.token(app, username)))
    }

    static func samples(_ app: Application, token: String) async throws -> [String: Double] {
        let response = try await app.testing().sendRequest(.GET, "/metrics", headers: bearer(token))
        try #require(response.status == .ok)
        return try parse(response.body.string)
    }

    struct NotPrometheus: Error { let line: String }

    /// Prometheus' text format: comment lines (`# HELP`, `# TYPE`) and samples `name{label="value",…} value`.
    /// Every sample line must parse; the result is keyed by name and labels as written.
    static func parse(_ text: String) throws -> [String: Double] {
        let sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*\})?) (\S+)$/
        var samples: [String: Double] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.isEmpty {
            guard let match = try sample.wholeMatch(in: String(line)) else { throw NotPrometheus(line: String(line)) }
            let value: Double? = match.2 == "+Inf" ? .infinity : Double(match.2)
            guard let value else { throw NotPrometheus(line: String(line)) }
            samples[String(match.1)] = value
        }
        #expect(!samples.isEmpty)
        return samples
    }
}
