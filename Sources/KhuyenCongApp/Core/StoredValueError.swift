/// A value read from the database that is none of its type's values (a status, a basis, a role, a unit): a faulty
/// script or a hand edit wrote it past the models. It is an error naming the field and the value, never read as a
/// default; the request fails (500, logged) rather than showing the record as something it is not.
struct StoredValueError: Error, CustomStringConvertible {
    let field: String
    let value: String

    var description: String { "\(field): the stored value \"\(value)\" is not one of the allowed values" }

    /// The value of `type` stored as `text`, or this error naming `field` and the text.
    static func decode<Value: RawRepresentable>(_ type: Value.Type, _ text: String, field: String) throws -> Value where Value.RawValue == String {
        guard let value = Value(rawValue: text) else { throw StoredValueError(field: field, value: text) }
        return value
    }
}
