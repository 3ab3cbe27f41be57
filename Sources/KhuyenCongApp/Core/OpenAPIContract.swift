import Foundation
import Vapor
import Yams

/// The API's contract is one checked-in file, `Sources/KhuyenCongApp/Resources/openapi.yaml` (a package resource):
/// served as written at `/api/openapi.yaml`, and as JSON at `/api/openapi.json` (converted once per process). Tests
/// hold it to the code both ways: `OpenAPITests` (its operations are the route table's under /api/v1) and
/// `OpenAPIContractTests` (every operation called on the demo data, each answer checked against its schema); CI
/// fuzzes it with schemathesis (scripts/e2e.sh). A new or changed /api/v1 operation is an edit of the YAML file.
enum OpenAPIContract {
    static func routes(_ app: Application) throws {
        let (yaml, json) = try served.get()
        app.get(.openAPI(.yaml)) { _ -> Response in
            Response(status: .ok, headers: ["Content-Type": "application/yaml; charset=utf-8"], body: .init(string: yaml))
        }.access(.public)
        app.get(.openAPI(.json)) { _ -> Response in
            Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: json))
        }.access(.public)
    }

    /// The file's text and its JSON form, read once: every application a test starts serves the same document.
    private static let served = Result<(String, Data), any Error> {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml") else {
            throw Abort(.internalServerError, reason: "openapi.yaml is missing from the application's resources")
        }
        let yaml = try String(contentsOf: url, encoding: .utf8)
        return (yaml, try json(fromYAML: yaml))
    }

    /// The YAML document as JSON, keys sorted. Scalars are typed as YAML 1.1 reads them (true, 12, 1.5, null), except
    /// that a date stays a string (`2027-01-05` is an example value, not a timestamp); a mapping key is always a string
    /// (a status code written `200` is the key "200").
    static func json(fromYAML yaml: String) throws -> Data {
        let resolver = Resolver.default.removing(.timestamp)
        guard let root = try Yams.compose(yaml: yaml, resolver) else {
            throw Abort(.internalServerError, reason: "openapi.yaml is empty")
        }
        return try JSONSerialization.data(withJSONObject: plain(root, resolver), options: [.sortedKeys, .withoutEscapingSlashes])
    }

    private static func plain(_ node: Node, _ resolver: Resolver) throws -> Any {
        switch node {
        case .scalar(let scalar):
            switch resolver.resolveTag(of: node) {
            case .null: return NSNull()
            case .bool: return node.bool ?? scalar.string
            case .int: return node.int ?? scalar.string
            case .float: return node.float ?? scalar.string
            default: return scalar.string
            }
        case .sequence(let items):
            return try items.map { try plain($0, resolver) }
        case .mapping(let members):
            var object: [String: Any] = [:]
            for (key, value) in members {
                guard case .scalar(let name) = key else { throw Abort(.internalServerError, reason: "openapi.yaml: a mapping key that is not a scalar") }
                object[name.string] = try plain(value, resolver)
            }
            return object
        }
    }
}
