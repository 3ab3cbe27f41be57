/// What a disbursement pays: an advance (tạm ứng), a payment (thanh toán) or the settlement payment (quyết toán).
/// Stored and sent as the same words ("advance", "payment", "settlement").
public enum DisbursementKind: String, CaseIterable, Codable, Sendable {
    case advance, payment, settlement

    /// A typed word; an unknown one is refused naming the field (422).
    public init(parsing text: String) throws {
        guard let kind = DisbursementKind(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw DomainError.invalid(vi: "kind: loại giải ngân \"\(text)\" không có (advance, payment, settlement)",
                                      en: "kind: disbursement kind \"\(text)\" does not exist (advance, payment, settlement)")
        }
        self = kind
    }

    public var vietnameseName: String {
        switch self {
        case .advance: "Tạm ứng"
        case .payment: "Thanh toán"
        case .settlement: "Quyết toán"
        }
    }
}
