import Foundation
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

@Suite("OpenAPI document")
struct OpenAPITests {
    @Test func theDocumentAndTheRouteTableNameTheSameOperations() async throws {
        try await TestApp.run { app in
            let response = try await app.testing().sendRequest(.GET, "/api/openapi.json")
            #expect(response.status == .ok)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            let apiRoutes = app.routes.all.filter { $0.path.first?.description == "api" && $0.path.count > 1 && $0.path[1].description == "v1" }
            #expect(apiRoutes.count >= 6)
            var served: Set<String> = []
            for route in apiRoutes {
                let path = "/" + route.path.map { component in
                    if case .parameter(let name) = component { return "{\(name)}" }
                    return component.description
                }.joined(separator: "/")
                served.insert("\(route.method.rawValue.lowercased()) \(path)")
                let operations = paths[path]
                #expect(operations?[route.method.rawValue.lowercased()] != nil, "\(route.method) \(path) is not in the OpenAPI document")
            }
            // And the other way: the document describes no operation the application does not serve.
            let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]
            for (path, operations) in paths {
                #expect(path.hasPrefix("/api/v1/"), "\(path) is outside /api/v1")
                for method in operations.keys where methods.contains(method) {
                    #expect(served.contains("\(method) \(path)"), "\(method.uppercased()) \(path) is in the OpenAPI document but not in the route table")
                }
            }
        }
    }
}
