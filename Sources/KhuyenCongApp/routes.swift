import Vapor

/// Every route of the application, in one readable place.
func routes(_ app: Application) throws {
    try app.register(collection: HomeController())
    try app.register(collection: UnitsController())
    try app.register(collection: ProjectsController())
}
