/// A Vietnamese tax code (mã số thuế): 10 digits for an enterprise, 13 for a branch (10 + 3, often written
/// with a dash), or 12 for a person (the citizen ID number, which carries no check digit).
public struct TaxCode: Hashable, Codable, Sendable, CustomStringConvertible {
    /// Digits only, no dash.
    public let digits: String

    static let weights = [31, 29, 23, 19, 17, 13, 7, 5, 3]

    public init(_ text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.replacingOccurrences(of: "-", with: "")
        func refuse(_ vi: String, _ en: String) -> DomainError {
            .invalid(vi: "Mã số thuế \"\(trimmed)\" không hợp lệ: \(vi)", en: "tax code \"\(trimmed)\" is invalid: \(en)")
        }
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw refuse("chỉ được gồm chữ số", "digits only") }
        guard [10, 12, 13].contains(digits.count) else {
            throw refuse("phải có 10, 12 hoặc 13 chữ số", "10, 12 or 13 digits expected")
        }
        if digits.count != 12 {
            let values = digits.prefix(10).map { Int(String($0))! }
            guard let expected = TaxCode.checkDigit(values.prefix(9)), expected == values[9] else {
                throw refuse("sai chữ số kiểm tra", "wrong check digit")
            }
            if digits.count == 13 && digits.suffix(3) == "000" {
                throw refuse("mã đơn vị phụ thuộc không được là 000", "branch number 000 is not allowed")
            }
        }
        self.digits = digits
    }

    /// The tenth digit of the General Department of Taxation's rule: 10 − (Σ dᵢ·wᵢ mod 11); 10 is never issued.
    public static func checkDigit<S: Collection>(_ first9: S) -> Int? where S.Element == Int {
        let sum = zip(first9, weights).reduce(0) { $0 + $1.0 * $1.1 }
        let digit = 10 - sum % 11
        return digit == 10 ? nil : digit
    }

    /// "0100109106" or "0100109106-001".
    public var description: String {
        digits.count == 13 ? "\(digits.prefix(10))-\(digits.suffix(3))" : digits
    }

    public init(from decoder: any Decoder) throws { try self.init(try decoder.singleValueContainer().decode(String.self)) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

import Foundation
