import Vapor

/// The route table's entry point: every controller is registered here, in order, with the few routes that have no
/// controller (health, metrics, the OpenAPI document); each controller's `boot` registers its routes by `SiteRoute`
/// case (Core/SiteRoute.swift, the one list of paths, the API's under `.api`). Each route declares
/// its access rule (`RouteAccess`), and RouteAccessTests holds every route's expected answer per role by hand.
func routes(_ app: Application) throws {
    try app.register(collection: HomeController())
    try app.register(collection: UnitsController())
    try app.register(collection: ProjectsController())
    try app.register(collection: AuthController())
    try app.register(collection: LanguageController())
    try app.register(collection: AuditController())
    try app.register(collection: DashboardController())
    try app.register(collection: ReportDocumentController())
    try app.register(collection: ImportsController())
    try app.register(collection: PeriodReportsController())
    try app.register(collection: PeriodReportsAPIController())
    try app.register(collection: QualityController())
    try app.register(collection: QualityAPIController())
    try app.register(collection: TokenController())
    try app.register(collection: ProjectsAPIController())
    try app.register(collection: ProjectCorrectionsController())
    try app.register(collection: ProjectRegisterController())
    try app.register(collection: ReportsAPIController())
    try app.register(collection: PlansAPIController())
    try app.register(collection: PlansController())
    try app.register(collection: RegistrationController())
    try app.register(collection: ProgrammesController())
    try app.register(collection: ProgrammesAPIController())
    try app.register(collection: ConsolidationController())
    try app.register(collection: RulesAPIController())
    try app.register(collection: RulesAdminController())
    try app.register(collection: SettingsController())
    try app.register(collection: SettingsAPIController())
    try app.register(collection: NotificationsController())
    try app.register(collection: WorkController())
    try app.register(collection: EstablishmentsController())
    // After sign-in and access checks (configure adds those first): the work count of the frame's "Việc của tôi".
    app.middleware.use(WorkCountMiddleware())
    // The agency's name in force today, for the frame's footer.
    app.middleware.use(AgencyNameMiddleware())
    try app.register(collection: UsersAdminController())
    try app.register(collection: UsersAPIController())
    try OpenAPIContract.routes(app)
    // For load balancers and as the framework's ceiling in the benchmarks: "ok" once ready (Core/Readiness.swift: 503
    // while a first start loads the demo data set).
    app.get(.health) { req in req.application.readiness.healthResponse() }.access(.public)
    // Prometheus' text format (Core/Metrics.swift), for an administrator's token; without one only on METRICS_HOST:METRICS_PORT.
    app.get(.metrics) { _ in AppMetrics.response() }.access(.action(.manageUsers))
}
