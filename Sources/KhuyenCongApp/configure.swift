import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Leaf
import Vapor

/// Sets up an application: database, migrations, views, middleware, routes and commands. Used by the
/// executable and by the tests alike.
public func configure(_ app: Application, config: AppConfig) async throws {
    app.directory = DirectoryConfiguration(workingDirectory: config.rootDirectory.hasSuffix("/")
                                           ? config.rootDirectory : config.rootDirectory + "/")
    app.http.server.configuration.hostname = config.host
    app.http.server.configuration.port = config.port

    // The application's own blocking pool (SQLite's calls run there), larger than the process-wide one of one thread
    // per core: a connection waiting for SQLite's write lock holds its thread, and the writer it waits for needs another.
    app.threadPool = NIOThreadPool(numberOfThreads: max(8, System.coreCount * 4))
    switch config.database {
    // SQLite has one writer at a time and one connection per event loop: a burst of requests waits for a connection
    // longer than the driver's 10 seconds before anyone should see an error.
    case .sqliteFile(let path):
        app.databases.use(.sqlite(.file(path), connectionPoolTimeout: .seconds(30)), as: .sqlite)
    case .sqliteMemory:
        app.databases.use(.sqlite(.memory, connectionPoolTimeout: .seconds(30)), as: .sqlite)
    case .postgres(let url, let searchPath):
        var postgres = try SQLPostgresConfiguration(url: url)
        if let searchPath { postgres.searchPath = [searchPath] }
        // As on SQLite: a burst waits for a connection up to 30 s before it is refused, and a new connection may take as
        // long to open (the driver's 10 s ran out in a test run while the server created databases for parallel tests).
        postgres.coreConfiguration.options.connectTimeout = .seconds(30)
        app.databases.use(.postgres(configuration: postgres, connectionPoolTimeout: .seconds(30)), as: .psql)
    }
    app.migrations.add(Migrations.all)
    app.reportCache = ReportCache()
    app.recordCache = ReportCache(capacity: 4096)
    AppMetrics.bootstrap()
    if let host = config.metricsHost, let port = config.metricsPort { app.metricsAddress = (host, port) }
    app.setUpNotifications(config)

    app.passwords.use(.bcrypt(cost: config.bcryptCost))
    // Sessions in the database, read through the accounts cache and written back only when changed (Accounts/AccountsCache.swift).
    app.accountsCache = AccountsCache()
    app.sessions.use { app in CachedSessions(stored: app.fluent.sessions.driver()) }
    app.sessions.configuration = SessionsConfiguration(cookieName: "kc_session") { id in
        HTTPCookies.Value(string: id.string, expires: Date().addingTimeInterval(SessionUserAuthenticator.maximumAge),
                          maxAge: Int(SessionUserAuthenticator.maximumAge), path: "/", isSecure: config.secureCookies,
                          isHTTPOnly: true, sameSite: .lax)
    }

    app.useLeafWithTemplateCache()   // Core/TemplateCache.swift
    app.setUpLocalization()
    // Order matters: headers on everything, errors rendered inside them, static files before sessions.
    app.middleware = Middlewares()
    app.middleware.use(RequestIdMiddleware())
    app.middleware.use(SecurityHeadersMiddleware())
    app.middleware.use(PageErrorMiddleware())
    app.middleware.use(FileMiddleware(publicDirectory: app.directory.publicDirectory))
    app.middleware.use(app.sessions.middleware)
    app.middleware.use(SessionUserAuthenticator())
    app.middleware.use(TokenAuthenticator())
    app.middleware.use(RegionsInForceMiddleware())
    app.middleware.use(RouteAccessMiddleware())
    app.middleware.use(NotificationBellMiddleware())
    app.middleware.use(NotificationOutboxMiddleware())
    app.middleware.use(IdempotencyMiddleware())
    app.middleware.use(CSRF.Middleware())

    app.asyncCommands.use(MigrateCommand(), as: "migrate")
    app.asyncCommands.use(SeedCommand(), as: "seed")
    app.asyncCommands.use(ReportCommand(), as: "report")
    app.asyncCommands.use(UserCommand(), as: "user")
    app.asyncCommands.use(ImportCommand(), as: "import")
    app.asyncCommands.use(ExportCommand(), as: "export")
    app.asyncCommands.use(BackupCommand(), as: "backup")
    app.asyncCommands.use(RestoreCommand(), as: "restore")
    app.asyncCommands.use(NotifyCommand(), as: "notify")

    try routes(app)
}

/// Brings the schema and the reference data up to date. Safe to run on every start.
public func migrate(_ app: Application) async throws {
    if app.databases.configuration(for: .sqlite) != nil, let sqlite = app.db as? any SQLDatabase {
        // WAL lets the pages read while a write is in progress; ignored by in-memory databases.
        try await sqlite.raw("PRAGMA journal_mode=WAL").run()
    }
    try await app.autoMigrate()
    try await ReferenceDataLoader.load(on: app.db)
}
