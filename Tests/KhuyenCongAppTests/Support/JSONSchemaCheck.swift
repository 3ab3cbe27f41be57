import Foundation

/// A JSON value as the wire carries it: booleans, integers and fractions kept apart (JSONSerialization folds
/// them into NSNumber), object keys in any order.
indirect enum JSONValue: Decodable, Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        if var list = try? decoder.unkeyedContainer() {
            var items: [JSONValue] = []
            while !list.isAtEnd { items.append(try list.decode(JSONValue.self)) }
            self = .array(items)
            return
        }
        if let keyed = try? decoder.container(keyedBy: AnyKey.self) {
            var members: [String: JSONValue] = [:]
            for key in keyed.allKeys { members[key.stringValue] = try keyed.decode(JSONValue.self, forKey: key) }
            self = .object(members)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() { self = .null }
        else if let value = try? single.decode(Bool.self) { self = .bool(value) }
        else if let value = try? single.decode(Int64.self) { self = .integer(value) }
        else if let value = try? single.decode(Double.self) { self = .number(value) }
        else { self = .string(try single.decode(String.self)) }
    }

    static func parse(_ data: Data) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: data) }

    subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    var string: String? { if case .string(let text) = self { return text }; return nil }
    var array: [JSONValue]? { if case .array(let items) = self { return items }; return nil }
    var object: [String: JSONValue]? { if case .object(let members) = self { return members }; return nil }
    var bool: Bool? { if case .bool(let value) = self { return value }; return nil }

    var description: String {
        switch self {
        case .null: "null"
        case .bool(let value): "\(value)"
        case .integer(let value): "\(value)"
        case .number(let value): "\(value)"
        case .string(let text): "\"\(text)\""
        case .array(let items): "[\(items.count) items]"
        case .object(let members): "{\(members.keys.sorted().joined(separator: ", "))}"
        }
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// Checks a JSON value against a schema of the OpenAPI document, for the subset the document uses: `$ref`,
/// `allOf`, `oneOf`, `type`, `nullable`, `properties`, `required`, `items`, `enum`, `additionalProperties`,
/// `format` (date, date-time, uuid), `minimum`/`maximum`.
///
/// Stricter than OpenAPI on one point, on purpose: an object schema that lists `properties` and says nothing of
/// `additionalProperties` is closed, so a field a DTO gains or renames without the document fails the check.
struct JSONSchemaCheck {
    let document: JSONValue

    /// The problems found, each with its JSON path ("$.sources[0].status: …"); empty when the value conforms.
    func problems(_ value: JSONValue, _ schema: JSONValue, at path: String = "$") -> [String] {
        let schema = resolve(schema)
        if let parts = schema["allOf"]?.array {
            if value == .null, schema["nullable"]?.bool == true { return [] }
            return parts.flatMap { problems(value, $0, at: path) }
        }
        if let choices = schema["oneOf"]?.array {
            let matching = choices.filter { problems(value, $0, at: path).isEmpty }
            return matching.count == 1 ? [] : ["\(path): \(value) matches \(matching.count) of the oneOf choices, not exactly one"]
        }
        if value == .null {
            return schema["nullable"]?.bool == true || schema["type"]?.string == "null" ? [] : ["\(path): null where the document allows none"]
        }
        var found: [String] = []
        if let allowed = schema["enum"]?.array, !allowed.contains(value) {
            found.append("\(path): \(value) is not one of \(allowed.map(\.description).joined(separator: ", "))")
        }
        switch schema["type"]?.string {
        case nil: break
        case "string":
            guard case .string(let text) = value else { return found + ["\(path): \(value) is not a string"] }
            if let format = schema["format"]?.string, !Self.matches(text, format: format) {
                found.append("\(path): \"\(text)\" is not a \(format)")
            }
        case "integer":
            guard case .integer(let number) = value else { return found + ["\(path): \(value) is not an integer"] }
            found += bounds(Double(number), schema, path)
        case "number":
            switch value {
            case .integer(let number): found += bounds(Double(number), schema, path)
            case .number(let number): found += bounds(number, schema, path)
            default: found.append("\(path): \(value) is not a number")
            }
        case "boolean":
            if value.bool == nil { found.append("\(path): \(value) is not a boolean") }
        case "array":
            guard let items = value.array else { return found + ["\(path): \(value) is not an array"] }
            if let itemSchema = schema["items"] {
                for (index, item) in items.enumerated() { found += problems(item, itemSchema, at: "\(path)[\(index)]") }
            }
        case "object":
            guard let members = value.object else { return found + ["\(path): \(value) is not an object"] }
            let properties = schema["properties"]?.object ?? [:]
            for name in schema["required"]?.array?.compactMap(\.string) ?? [] where members[name] == nil {
                found.append("\(path): the required \"\(name)\" is missing")
            }
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                if let propertySchema = properties[name] {
                    found += problems(member, propertySchema, at: "\(path).\(name)")
                } else if let extra = schema["additionalProperties"] {
                    if extra.object != nil { found += problems(member, extra, at: "\(path).\(name)") }
                    else if extra == .bool(false) { found.append("\(path): \"\(name)\" is not in the document") }
                } else if !properties.isEmpty {
                    found.append("\(path): \"\(name)\" is not in the document (the schema lists \(properties.keys.sorted().joined(separator: ", ")))")
                }
            }
        case let other?:
            found.append("\(path): the schema's type \(other) is outside the checked subset")
        }
        return found
    }

    /// Follows `#/components/schemas/…` references.
    func resolve(_ schema: JSONValue) -> JSONValue {
        guard let reference = schema["$ref"]?.string else { return schema }
        var node = document
        for part in reference.dropFirst(2).split(separator: "/") {
            guard let next = node[String(part)] else { return .object([:]) }
            node = next
        }
        return resolve(node)
    }

    private func bounds(_ number: Double, _ schema: JSONValue, _ path: String) -> [String] {
        var found: [String] = []
        if let minimum = schema["minimum"].flatMap(Self.double), number < minimum { found.append("\(path): \(number) is below \(minimum)") }
        if let maximum = schema["maximum"].flatMap(Self.double), number > maximum { found.append("\(path): \(number) is above \(maximum)") }
        return found
    }

    private static func double(_ value: JSONValue) -> Double? {
        switch value {
        case .integer(let number): Double(number)
        case .number(let number): number
        default: nil
        }
    }

    static func matches(_ text: String, format: String) -> Bool {
        let pattern: String
        switch format {
        case "date": pattern = #"^\d{4}-\d{2}-\d{2}$"#
        case "date-time": pattern = #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"#
        case "uuid": pattern = #"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"#
        default: return true
        }
        return text.range(of: pattern, options: .regularExpression) != nil
    }
}
