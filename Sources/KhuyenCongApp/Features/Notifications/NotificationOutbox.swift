import Fluent
import Foundation
import KhuyenCongCore
import SQLKit
import Vapor

/// The notification settings of an application (`SMTP_URL`, `SMTP_FROM`, `NOTIFY_DAYS_BEFORE`, `NOTIFY_DAILY`).
struct NotificationSettings: Sendable {
    /// nil: notifications stay in the application (no mail).
    var smtp: SMTPServer?
    var from: String = "khuyencong@localhost"
    var fromName: String = "Hệ thống Khuyến công"
    /// Reminders N days before a deadline (and on the day after it).
    var daysBefore: Int = 7
    /// `serve` makes the day's reminders itself, once a day.
    var daily: Bool = false
    /// How often `serve` retries the outbox.
    var retryInterval: Duration = .seconds(60)

    init() {}

    init(_ config: AppConfig) {
        smtp = config.smtpURL.flatMap(SMTPServer.init(url:))
        from = config.smtpFrom ?? from
        daysBefore = config.reminderDaysBefore
        daily = config.notifyDaily
    }
}

extension Application {
    private struct NotificationSettingsKey: StorageKey { typealias Value = NotificationSettings }
    private struct OutboxTasksKey: StorageKey { typealias Value = OutboxTasks }

    var notificationSettings: NotificationSettings {
        get { storage[NotificationSettingsKey.self] ?? NotificationSettings() }
        set { storage[NotificationSettingsKey.self] = newValue }
    }

    /// The background sends of this application, awaited when it shuts down (made by `setUpNotifications`).
    var outboxTasks: OutboxTasks { storage[OutboxTasksKey.self] ?? OutboxTasks() }

    /// Called once by `configure`: the settings, and the background sends awaited at shutdown.
    func setUpNotifications(_ config: AppConfig) {
        notificationSettings = NotificationSettings(config)
        let tasks = OutboxTasks()
        storage[OutboxTasksKey.self] = tasks
        lifecycle.use(OutboxTasks.Shutdown(tasks: tasks))
    }
}

/// Mail leaves from the outbox (the notifications with an address and no `mailed_at`), after the write that made them
/// has committed: a mail that fails never undoes a write, and is tried again after 5, 10, 20, … minutes (8 tries,
/// within 3 days).
enum NotificationOutbox {
    static let maxAttempts = 8
    static let maxAge: Int64 = 3 * 86_400
    /// A row taken by a sender that died is free again after this long.
    static let claimTimeout: Int64 = 300

    struct Result: Sendable, Equatable { var sent = 0; var failed = 0 }

    /// Sends what is waiting; each row is claimed first, so two senders (two instances, or a request's send and the
    /// retry loop) never send the same mail twice.
    @discardableResult
    static func flush(_ app: Application, now: Date = Date()) async -> Result {
        guard let server = app.notificationSettings.smtp else { return Result() }
        let settings = app.notificationSettings
        var result = Result()
        do {
            let epoch = Int64(now.timeIntervalSince1970)
            let waiting = try await UserNotification.query(on: app.db)
                .filter(\.$mailedAt == nil).filter(\.$mailTo != nil).filter(\.$mailAttempts < maxAttempts)
                .filter(\.$createdEpoch >= epoch - maxAge)
                .group(.or) { $0.filter(\.$mailClaimedEpoch == nil).filter(\.$mailClaimedEpoch < epoch - claimTimeout) }
                .sort(\.$createdEpoch).limit(100).all()
            for notification in waiting {
                guard let id = notification.id, let to = notification.mailTo,
                      try await claim(id, epoch: epoch, on: app.db) else { continue }
                let message = MailMessage(from: settings.from, fromName: settings.fromName, to: to,
                                          subject: "[Khuyến công] " + notification.title, body: mailBody(notification))
                do {
                    try await SMTPClient.send(message, via: server)
                    try await UserNotification.query(on: app.db).filter(\.$id == id)
                        .set(\.$mailedAt, to: Date()).set(\.$mailError, to: nil).update()
                    result.sent += 1
                } catch {
                    app.logger.warning("notification mail to \(to) failed: \(error)")
                    // Free again after the back-off: the claim looks taken until then.
                    let backoff = claimTimeout << Int64(min(notification.mailAttempts, 10))
                    try await UserNotification.query(on: app.db).filter(\.$id == id)
                        .set(\.$mailAttempts, to: notification.mailAttempts + 1)
                        .set(\.$mailError, to: String(String(describing: error).prefix(500)))
                        .set(\.$mailClaimedEpoch, to: epoch + backoff - claimTimeout).update()
                    result.failed += 1
                }
            }
        } catch {
            app.logger.error("notification outbox: \(error)")
        }
        return result
    }

    /// Takes a row for this sender: true only for the one whose update found it free.
    private static func claim(_ id: UUID, epoch: Int64, on db: any Database) async throws -> Bool {
        let sql = db as! any SQLDatabase
        let rows = try await sql.raw("""
            UPDATE notifications SET mail_claimed_epoch = \(bind: epoch)
            WHERE id = \(bind: id) AND mailed_at IS NULL
              AND (mail_claimed_epoch IS NULL OR mail_claimed_epoch < \(bind: epoch - claimTimeout))
            RETURNING id
            """).all()
        return !rows.isEmpty
    }

    static func mailBody(_ notification: UserNotification) -> String {
        var text = notification.body + "\n"
        if let link = notification.link {
            let base = Environment.get("PUBLIC_URL").flatMap { $0.isEmpty ? nil : $0 }.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
            text += "\nXem chi tiết: \(base.map { $0 + link } ?? link)\n"
        }
        text += "\n--\nThư tự động của Hệ thống quản lý chương trình khuyến công; vui lòng không trả lời thư này.\n"
        return text
    }

    /// Starts a send in the background (after a write's response: its transaction has committed by then).
    static func flushSoon(_ app: Application) {
        guard app.notificationSettings.smtp != nil else { return }
        app.outboxTasks.add(Task { _ = await flush(app) })
    }
}

/// Background sends still running, so that shutting the application down (or a test) waits for them.
final class OutboxTasks: @unchecked Sendable {
    private let lock = NSLock()
    private var tasks: [Task<Void, Never>] = []

    func add(_ task: Task<Void, Never>) {
        lock.withLock { tasks.append(task) }
    }

    func waitForAll() async {
        while true {
            let running: [Task<Void, Never>] = lock.withLock { defer { tasks = [] }; return tasks }
            if running.isEmpty { return }
            for task in running { await task.value }
        }
    }

    func cancelAll() {
        lock.withLock { for task in tasks { task.cancel() } }
    }

    struct Shutdown: LifecycleHandler {
        let tasks: OutboxTasks
        func shutdownAsync(_ application: Application) async {
            tasks.cancelAll()
            await tasks.waitForAll()
        }
    }
}

/// After a request that may have written (not GET/HEAD), the outbox is sent in the background.
struct NotificationOutboxMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        if request.method != .GET && request.method != .HEAD && response.status.code < 400 {
            NotificationOutbox.flushSoon(request.application)
        }
        return response
    }
}

/// What `serve` runs beside the server: the outbox retried every minute and, with `NOTIFY_DAILY=1`, the day's
/// deadline reminders once a day (Vietnam's calendar day).
enum NotificationScheduler {
    static func start(_ app: Application) {
        let settings = app.notificationSettings
        guard settings.smtp != nil || settings.daily else { return }
        let task = Task {
            var lastDay: CalendarDate?
            while !Task.isCancelled {
                let today = CalendarDate.today()
                if settings.daily && lastDay != today {
                    do {
                        let made = try await DeadlineReminders.run(app, on: today)
                        app.logger.notice("nhắc hạn / reminders for \(today): \(made)")
                        lastDay = today
                    } catch {
                        app.logger.error("deadline reminders: \(error)")
                    }
                }
                await NotificationOutbox.flush(app)
                try? await Task.sleep(for: settings.retryInterval)
            }
        }
        app.outboxTasks.add(task)
    }
}
