import Fluent
import KhuyenCongCore
import Vapor

/// What `serve` does before it listens: migrate, and on an empty database load the demo data set, so that a
/// fresh clone shows a working system with its first command.
public func prepareForServing(_ app: Application) async throws {
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
        do {
            // The accounts' passwords are hashed while the data set is written (DemoSeed.runWithAccounts).
            let (result, accounts) = try await DemoSeed.runWithAccounts(app: app)
            clock.lap("demo data and accounts")
            app.logger.notice("Cơ sở dữ liệu trống: đã nạp dữ liệu mẫu / empty database: demo data loaded (\(result.projects) projects; \(clock.summary); \(result.phases))")
            print(DemoUsers.describe(accounts))
        } catch {
            // Another instance starting on the same empty database may have loaded it first.
            guard try await Project.query(on: app.db).count() > 0 else { throw error }
            app.logger.notice("Dữ liệu mẫu đã được phiên bản khác nạp / another instance loaded the demo data")
        }
    }
    // The outbox's mail retried every minute, and with NOTIFY_DAILY=1 the day's deadline reminders (Features/Notifications).
    NotificationScheduler.start(app)
    // With METRICS_HOST and METRICS_PORT: /metrics without a token on that address, stopped with the application.
    try await MetricsListener.start(app)
}
