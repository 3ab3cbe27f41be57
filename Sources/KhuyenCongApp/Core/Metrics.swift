import CoreMetrics
import Prometheus
import Vapor

/// The instruments of a running instance, in Prometheus' text format at `/metrics` (an administrator's token or
/// session) and, when `METRICS_HOST` and `METRICS_PORT` are set, without a token on that address (`MetricsListener`).
///
/// Requests are counted by the framework itself once `swift-metrics` has a backend: `http_requests_total` and the
/// `http_request_duration_seconds` histogram, labelled by method, the matched route's pattern (`/api/v1/projects/:code`,
/// never the raw path; a request no route matches is `vapor_route_undefined`) and status. The application adds the
/// report cache's hits and misses, report computations with their time, the data version check (the one database
/// query nearly every report request makes) and imported rows.
///
/// One registry per process: `swift-metrics` has a single, process-wide backend, so several applications in one
/// process (the tests) share it.
enum AppMetrics {
    static let registry = PrometheusCollectorRegistry()

    private static let bootstrapped: Bool = {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = durationBuckets
        MetricsSystem.bootstrap(factory)
        return true
    }()

    /// From 1 ms: the pages and the API answer in a few milliseconds, so the default buckets (from 5 ms) say little.
    static let durationBuckets: [Duration] = [
        .milliseconds(1), .microseconds(2_500), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .microseconds(2_500_000), .seconds(5), .seconds(10),
    ]

    /// Gives `swift-metrics` (and so the framework's request metrics) this registry; once per process.
    static func bootstrap() { _ = bootstrapped }

    /// The text a scraper reads.
    static func response() -> Response {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16_384)
        registry.emit(into: &buffer)
        return Response(status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8", "Cache-Control": "no-store"],
                        body: .init(data: Data(buffer)))
    }

    static let path = "metrics"

    // MARK: What the application counts

    private static var cacheLookups: MetricNameDescriptor { .init(metricName: "report_cache_lookups", unitName: "total",
        helpText: "Report cache lookups by kind of figures and result (hit: reused at an unchanged data version; miss: computed)") }
    private static var computations: MetricNameDescriptor { .init(metricName: "report_computations", unitName: "total",
        helpText: "Report figures computed (cache misses) by kind") }
    private static var computationTime: MetricNameDescriptor { .init(metricName: "report_computation_duration", unitName: "seconds",
        helpText: "Time to compute report figures, mostly reading rows from the database, by kind") }
    private static var queryTime: MetricNameDescriptor { .init(metricName: "db_query_duration", unitName: "seconds",
        helpText: "Time of the database queries the application measures, by query") }
    private static var importRows: MetricNameDescriptor { .init(metricName: "import_rows", unitName: "total",
        helpText: "Rows of committed imports by interchange table and outcome (created, updated, unchanged)") }
    private static var imports: MetricNameDescriptor { .init(metricName: "imports", unitName: "total",
        helpText: "Imports by result (committed, checked without writing, refused)") }

    static func reportCache(kind: String, hit: Bool) {
        registry.makeCounter(descriptor: cacheLookups, labels: [("kind", kind), ("result", hit ? "hit" : "miss")]).increment()
    }

    /// Runs `compute`, counting it and recording its time under `kind`.
    static func reportComputation<T>(kind: String, _ compute: () async throws -> T) async throws -> T {
        let clock = ContinuousClock()
        let start = clock.now
        let value = try await compute()
        registry.makeCounter(descriptor: computations, labels: [("kind", kind)]).increment()
        registry.makeDurationHistogram(descriptor: computationTime, labels: [("kind", kind)], buckets: durationBuckets)
            .record(clock.now - start)
        return value
    }

    /// Runs the database query `body` and records its time under `query`.
    static func timedQuery<T>(_ query: String, _ body: () async throws -> T) async throws -> T {
        let clock = ContinuousClock()
        let start = clock.now
        let value = try await body()
        registry.makeDurationHistogram(descriptor: queryTime, labels: [("query", query)], buckets: durationBuckets)
            .record(clock.now - start)
        return value
    }

    /// A committed import's rows.
    static func imported(_ report: ImportReport) {
        for table in report.tables {
            for (outcome, count) in [("created", table.created), ("updated", table.updated), ("unchanged", table.unchanged)] where count > 0 {
                registry.makeCounter(descriptor: importRows, labels: [("table", table.table), ("outcome", outcome)])
                    .increment(by: Int64(count))
            }
        }
        importFinished("committed")
    }

    static func importFinished(_ result: String) {
        registry.makeCounter(descriptor: imports, labels: [("result", result)]).increment()
    }
}

extension Application {
    private struct MetricsAddressKey: StorageKey { typealias Value = (host: String, port: Int) }

    /// Where `serve` also answers `/metrics` without a token (`METRICS_HOST`, `METRICS_PORT`); nil: nowhere.
    var metricsAddress: (host: String, port: Int)? {
        get { storage[MetricsAddressKey.self] }
        set { storage[MetricsAddressKey.self] = newValue }
    }
}

/// `/metrics` alone, without a token, on its own address (for a scraper on a private network): a second, bare
/// application sharing the process' registry, started by `serve` and shut down with the main one.
enum MetricsListener {
    /// Starts the listener when the configuration names an address; port 0 picks a free one (tests).
    @discardableResult
    static func start(_ app: Application) async throws -> Application? {
        guard let (host, port) = app.metricsAddress else { return nil }
        let listener = try await Application.make(Environment(name: app.environment.name, arguments: ["metrics"]))
        listener.logger = app.logger
        listener.http.server.configuration.hostname = host
        listener.http.server.configuration.port = port
        listener.http.server.configuration.reportMetrics = false
        // The framework's error answers (a plain 404 elsewhere), without a log line per scrape.
        listener.middleware = Middlewares()
        listener.middleware.use(ErrorMiddleware.default(environment: listener.environment))
        listener.get(.constant(AppMetrics.path)) { _ in AppMetrics.response() }
        do {
            try await listener.server.start(address: .hostname(host, port: port))
        } catch {
            try? await listener.asyncShutdown()
            throw error
        }
        app.lifecycle.use(Stopper(listener: listener))
        app.logger.notice("/metrics: \(host):\(listener.http.server.shared.localAddress?.port ?? port)")
        return listener
    }

    private struct Stopper: LifecycleHandler {
        let listener: Application
        func shutdownAsync(_ application: Application) async {
            await listener.server.shutdown()
            try? await listener.asyncShutdown()
        }
    }
}
