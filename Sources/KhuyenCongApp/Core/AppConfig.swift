import Foundation
import FluentPostgresDriver

/// The configuration, read once from the environment. Every bad setting is reported at once, one line each.
public struct AppConfig: Sendable {
    public enum DatabaseChoice: Sendable, Equatable {
        case sqliteFile(path: String)
        case sqliteMemory
        /// `searchPath` puts every table in one PostgreSQL schema (used to give each test its own).
        case postgres(url: String, searchPath: String?)
    }

    public var database: DatabaseChoice
    public var host: String
    public var port: Int
    /// The folder holding `Resources/Views` and `Public`.
    public var rootDirectory: String
    /// Behind HTTPS (`PUBLIC_URL=https://…`): session cookies are marked `Secure`.
    public var secureCookies: Bool
    /// bcrypt's work factor; tests lower it to stay fast.
    public var bcryptCost: Int
    /// Notifications (Features/Notifications): `SMTP_URL` (smtp://host:port; none: in-app only), `SMTP_FROM`,
    /// `NOTIFY_DAYS_BEFORE` (reminders N days before a deadline, 7), `NOTIFY_DAILY=1` (`serve` makes them daily).
    public var smtpURL: String? = nil
    public var smtpFrom: String? = nil
    public var reminderDaysBefore = 7
    public var notifyDaily = false
    /// `METRICS_HOST` and `METRICS_PORT` (both or neither): `serve` also answers `/metrics` there, without a token.
    public var metricsHost: String? = nil
    public var metricsPort: Int? = nil

    public init(database: DatabaseChoice, host: String = "127.0.0.1", port: Int = 8080, rootDirectory: String,
                secureCookies: Bool = false, bcryptCost: Int = 12) {
        self.database = database
        self.host = host
        self.port = port
        self.rootDirectory = rootDirectory
        self.secureCookies = secureCookies
        self.bcryptCost = bcryptCost
    }

    public struct Invalid: Error, CustomStringConvertible {
        public let problems: [String]
        public var description: String { problems.joined(separator: "\n") }
    }

    /// `DATABASE_URL` (postgres://…) wins over `DATABASE_PATH` (SQLite file, default ./khuyencong.sqlite);
    /// `HOST` and `PORT` set where `serve` listens; `KHUYENCONG_ROOT` where views and public files are.
    public static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) throws -> AppConfig {
        var problems: [String] = []
        var database = DatabaseChoice.sqliteFile(path: env["DATABASE_PATH"].flatMap { $0.isEmpty ? nil : $0 } ?? "./khuyencong.sqlite")
        if let url = env["DATABASE_URL"], !url.isEmpty {
            if let problem = postgresURLProblem(url) { problems.append(problem) }
            database = .postgres(url: url, searchPath: nil)
        }
        var port = 8080
        if let text = env["PORT"], !text.isEmpty {
            if let value = Int(text), (1...65_535).contains(value) { port = value } else {
                problems.append("PORT=\(text): phải là số cổng 1–65535 / must be a port number 1–65535")
            }
        }
        let host = env["HOST"].flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1"
        let root = env["KHUYENCONG_ROOT"].flatMap { $0.isEmpty ? nil : $0 } ?? FileManager.default.currentDirectoryPath
        if !FileManager.default.fileExists(atPath: root + "/Resources/Views") {
            problems.append("KHUYENCONG_ROOT=\(root): không có thư mục Resources/Views / has no Resources/Views folder (run from the checkout)")
        }
        var secure = false
        if let publicURL = env["PUBLIC_URL"], !publicURL.isEmpty {
            if publicURL.hasPrefix("https://") { secure = true } else if !publicURL.hasPrefix("http://") {
                problems.append("PUBLIC_URL=\(publicURL): phải bắt đầu bằng https:// hoặc http:// / must start with https:// or http://")
            }
        }
        let smtpURL = env["SMTP_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if let smtpURL, SMTPServer(url: smtpURL) == nil {
            problems.append("SMTP_URL=\(redacted(smtpURL)): phải có dạng smtp://máy-chủ:cổng / must be smtp://host:port")
        }
        let smtpFrom = env["SMTP_FROM"].flatMap { $0.isEmpty ? nil : $0 }
        if let smtpFrom, (try? UserContact.validated(smtpFrom)) == nil {
            problems.append("SMTP_FROM=\(smtpFrom): không phải địa chỉ thư điện tử / is not an e-mail address")
        }
        var daysBefore = 7
        if let text = env["NOTIFY_DAYS_BEFORE"], !text.isEmpty {
            if let value = Int(text), (0...365).contains(value) { daysBefore = value } else {
                problems.append("NOTIFY_DAYS_BEFORE=\(text): phải là số ngày 0–365 / must be a number of days 0–365")
            }
        }
        let daily = ["1", "true", "yes"].contains(env["NOTIFY_DAILY"]?.lowercased() ?? "")
        let metricsHost = env["METRICS_HOST"].flatMap { $0.isEmpty ? nil : $0 }
        var metricsPort: Int?
        if let text = env["METRICS_PORT"], !text.isEmpty {
            if let value = Int(text), (1...65_535).contains(value) { metricsPort = value } else {
                problems.append("METRICS_PORT=\(text): phải là số cổng 1–65535 / must be a port number 1–65535")
            }
        }
        if (metricsHost == nil) != (env["METRICS_PORT"].flatMap { $0.isEmpty ? nil : $0 } == nil) {
            problems.append("METRICS_HOST và METRICS_PORT phải đặt cùng nhau / METRICS_HOST and METRICS_PORT go together")
        }
        if let problem = LogFormat.problem(env) { problems.append(problem) }
        guard problems.isEmpty else { throw Invalid(problems: problems) }
        var config = AppConfig(database: database, host: host, port: port, rootDirectory: root, secureCookies: secure)
        config.smtpURL = smtpURL
        config.smtpFrom = smtpFrom
        config.reminderDaysBefore = daysBefore
        config.notifyDaily = daily
        config.metricsHost = metricsHost
        config.metricsPort = metricsPort
        return config
    }

    /// One line saying what is wrong with a PostgreSQL URL, or nil when it is usable.
    static func postgresURLProblem(_ url: String) -> String? {
        let shown = redacted(url)
        guard let components = URLComponents(string: url) else {
            return "DATABASE_URL=\(shown): không phải URL hợp lệ / is not a valid URL"
        }
        guard ["postgres", "postgresql"].contains(components.scheme ?? "") else {
            return "DATABASE_URL=\(shown): phải bắt đầu bằng postgres:// / must start with postgres://"
        }
        guard components.user?.isEmpty == false else {
            return "DATABASE_URL=\(shown): thiếu tên người dùng / has no user name (postgres://user:password@host:5432/db)"
        }
        guard components.host?.isEmpty == false else {
            return "DATABASE_URL=\(shown): thiếu máy chủ / has no host"
        }
        guard components.path.count > 1 else {
            return "DATABASE_URL=\(shown): thiếu tên cơ sở dữ liệu / has no database name"
        }
        let tlsModes = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full", "true", "false"]
        if let mode = components.queryItems?.last(where: { ["sslmode", "tlsmode", "ssl", "tls"].contains($0.name.lowercased()) })?.value,
           !tlsModes.contains(mode) {
            return "DATABASE_URL=\(shown): sslmode=\(mode) không hợp lệ / is not usable (sslmode: \(tlsModes.joined(separator: ", ")))"
        }
        // The driver's own parser has the last word; its error would repeat the password, so it is not shown.
        guard (try? SQLPostgresConfiguration(url: url)) != nil else {
            return "DATABASE_URL=\(shown): không dùng được / is not usable"
        }
        return nil
    }

    /// The URL with its password hidden, for messages and logs.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "***"
        return components.string ?? url
    }
}
