import Foundation
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// The contract file, `Sources/KhuyenCongApp/Resources/openapi.yaml`, against the route table and against itself.
/// (`OpenAPIContractTests` calls every operation and checks each answer against the file's schemas.)
@Suite("OpenAPI document")
struct OpenAPITests {
    static let file = TestApp.rootDirectory + "/Sources/KhuyenCongApp/Resources/openapi.yaml"

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
                #expect(operations?[route.method.rawValue.lowercased()] != nil, "\(route.method) \(path) is not in openapi.yaml")
            }
            // And the other way: the document describes no operation the application does not serve.
            let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]
            for (path, operations) in paths {
                #expect(path.hasPrefix("/api/v1/"), "\(path) is outside /api/v1")
                for method in operations.keys where methods.contains(method) {
                    #expect(served.contains("\(method) \(path)"), "\(method.uppercased()) \(path) is in openapi.yaml but not in the route table")
                }
            }
        }
    }

    /// `/api/openapi.yaml` is the checked-in file byte for byte, and `/api/openapi.json` is the same document.
    @Test func theYAMLIsServedAsWrittenAndTheJSONIsItsTranslation() async throws {
        try await TestApp.run { app in
            let yaml = try await app.testing().sendRequest(.GET, "/api/openapi.yaml")
            #expect(yaml.status == .ok)
            #expect(yaml.headers.first(name: .contentType)?.hasPrefix("application/yaml") == true)
            let written = try String(contentsOfFile: Self.file, encoding: .utf8)
            #expect(yaml.body.string == written, "/api/openapi.yaml is not the file Sources/KhuyenCongApp/Resources/openapi.yaml")

            let json = try await app.testing().sendRequest(.GET, "/api/openapi.json")
            #expect(json.headers.contentType == .json)
            let served = try JSONValue.parse(Data(json.body.readableBytesView))
            #expect(served == (try JSONValue.parse(try OpenAPIContract.json(fromYAML: written))))
            // The scalars keep their YAML types (true, 100), and a few spellings that YAML could read as other types
            // stay what the document means (a version, a tax code with its leading zero, a status code as a key).
            let score = served["components"]?["schemas"]?["AppraisalInput"]?["properties"]?["score"]
            #expect(score?["maximum"] == .integer(100) && score?["type"] == .string("integer"))
            #expect(served["components"]?["schemas"]?["QualityFinding"]?["properties"]?["comment"]?["nullable"] == .bool(true))
            #expect(served["openapi"] == .string("3.0.3"))
            #expect(served["paths"]?["/api/v1/establishments/{taxCode}"]?["parameters"]?.array?.first?["example"] == .string("0100109106"))
            #expect(served["paths"]?["/api/v1/me"]?["get"]?["responses"]?["200"] != nil)
        }
    }

    /// A hand edit that breaks the document fails here rather than in schemathesis: operation ids are unique, every
    /// `$ref` names something that exists, every path parameter is declared, every schema and shared response is used.
    @Test func theDocumentHoldsTogether() throws {
        let document = try JSONValue.parse(try OpenAPIContract.json(fromYAML: try String(contentsOfFile: Self.file, encoding: .utf8)))
        let check = JSONSchemaCheck(document: document)
        var referenced: Set<String> = []
        func walk(_ node: JSONValue, _ at: String) {
            switch node {
            case .object(let members):
                if let reference = members["$ref"]?.string {
                    referenced.insert(reference)
                    #expect(reference.hasPrefix("#/components/") && check.resolve(node) != .object([:]), "\(at): \(reference) names nothing")
                }
                for (key, value) in members { walk(value, at + "." + key) }
            case .array(let items):
                for (index, item) in items.enumerated() { walk(item, "\(at)[\(index)]") }
            default: break
            }
        }
        walk(document, "$")

        var ids: [String: String] = [:]
        let methods: Set<String> = ["get", "put", "post", "delete", "patch"]
        for (path, item) in try #require(document["paths"]?.object) {
            let shared = item["parameters"]?.array ?? []
            for (method, operation) in item.object ?? [:] where methods.contains(method) {
                let label = "\(method.uppercased()) \(path)"
                let id = try #require(operation["operationId"]?.string, "\(label) has no operationId")
                #expect(ids[id] == nil, "\(id) names both \(ids[id] ?? "") and \(label)")
                ids[id] = label
                #expect(operation["summary"]?.string?.isEmpty == false, "\(label) has no summary")
                let responses = operation["responses"]?.object ?? [:]
                #expect(responses.keys.contains { $0.hasPrefix("2") }, "\(label) documents no success")
                let parameters = (shared + (operation["parameters"]?.array ?? [])).map(check.resolve)
                let declared = Set(parameters.filter { $0["in"] == .string("path") }.compactMap { $0["name"]?.string })
                let named = Set(path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) })
                #expect(declared == named, "\(label): path parameters \(named.sorted()), declared \(declared.sorted())")
            }
        }
        #expect(ids.count >= 50)
        for kind in ["schemas", "responses"] {
            for name in document["components"]?[kind]?.object?.keys.sorted() ?? [] {
                #expect(referenced.contains("#/components/\(kind)/\(name)"), "components/\(kind)/\(name) is used by no operation")
            }
        }
    }
}
