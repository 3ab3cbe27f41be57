import NIOConcurrencyHelpers
import Vapor

/// Whether the instance is ready for its users: `serve` on an empty database listens as soon as the schema is there
/// and loads the demo data set and its accounts meanwhile, in one transaction (the pages show none of it until it is
/// all committed). `/health` answers "ok" only when ready, 503 before: scripts and load balancers wait for it.
final class Readiness: Sendable {
    enum State: Sendable, Equatable { case ready, loadingDemoData, failed(String) }

    private let box = NIOLockedValueBox(State.ready)

    var state: State {
        get { box.withLockedValue { $0 } }
        set { box.withLockedValue { $0 = newValue } }
    }

    /// `/health`'s answer: "ok", or 503 with what the instance is waiting for (and a hint to retry).
    func healthResponse() -> Response {
        switch state {
        case .ready:
            return Response(status: .ok, headers: ["Content-Type": "text/plain; charset=utf-8"], body: .init(staticString: "ok"))
        case .loadingDemoData:
            return Response(status: .serviceUnavailable, headers: ["Content-Type": "text/plain; charset=utf-8", "Retry-After": "1"],
                            body: .init(string: "starting: loading the demo data set"))
        case .failed(let reason):
            return Response(status: .serviceUnavailable, headers: ["Content-Type": "text/plain; charset=utf-8"],
                            body: .init(string: "the demo data set was not loaded: \(reason)"))
        }
    }
}

extension Application {
    private struct ReadinessKey: StorageKey { typealias Value = Readiness }
    private static let readinessLock = NIOLock()

    /// One per application, made on first use; ready unless `prepareForServing` is loading the demo data.
    var readiness: Readiness {
        Self.readinessLock.withLock {
            if let known = storage[ReadinessKey.self] { return known }
            let made = Readiness()
            storage[ReadinessKey.self] = made
            return made
        }
    }
}
