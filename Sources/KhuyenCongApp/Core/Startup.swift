import Fluent
import KhuyenCongCore
import Vapor

/// What `serve` does before it listens: migrate; on an empty database, start loading the demo data set, so that a
/// fresh clone shows a working system with its first command. The load (the data set and its seven accounts, whose
/// bcrypt hashes take most of a second) runs while the server already answers: it is one transaction, so the pages
/// show either none of the demo data or all of it, and `/health` answers "ok" only once it is committed
/// (`Readiness`). `waitForDemoData` keeps the old order (the tests' and a caller's choice).
public func prepareForServing(_ app: Application, waitForDemoData: Bool = false) async throws {
    var clock = PhaseClock()
    do {
        try await FirstMigration.migrate(app)
    } catch {
        throw DomainError(.invalidInput,
            vi: "Không mở được cơ sở dữ liệu: \(String(reflecting: error))",
            en: "cannot open the database; check DATABASE_URL or DATABASE_PATH")
    }
    clock.lap("migrations and reference data")
    if try await Project.query(on: app.db).count() == 0 {
        app.readiness.state = .loadingDemoData
        let started = clock
        let load = Task {
            do {
                try await loadDemoData(app, clock: started)
                app.readiness.state = .ready
            } catch {
                app.logger.error("Không nạp được dữ liệu mẫu / the demo data set was not loaded: \(String(reflecting: error))")
                app.readiness.state = .failed(String(describing: error))
            }
        }
        if waitForDemoData { await load.value }
    }
    // The outbox's mail retried every minute, and with NOTIFY_DAILY=1 the day's deadline reminders (Features/Notifications).
    NotificationScheduler.start(app)
    // With METRICS_HOST and METRICS_PORT: /metrics without a token on that address, stopped with the application.
    try await MetricsListener.start(app)
}

/// The demo data set and its accounts (the passwords are hashed while the data set is written: DemoSeed.runWithAccounts).
private func loadDemoData(_ app: Application, clock started: PhaseClock) async throws {
    var clock = started
    do {
        let (result, accounts) = try await DemoSeed.runWithAccounts(app: app)
        clock.lap("demo data and accounts, while listening")
        app.logger.notice("Cơ sở dữ liệu trống: đã nạp dữ liệu mẫu / empty database: demo data loaded (\(result.projects) projects; \(clock.summary); \(result.phases))")
        print(DemoUsers.describe(accounts))
    } catch {
        // Another instance starting on the same empty database may have loaded it first.
        guard try await Project.query(on: app.db).count() > 0 else { throw error }
        app.logger.notice("Dữ liệu mẫu đã được phiên bản khác nạp / another instance loaded the demo data")
    }
}
