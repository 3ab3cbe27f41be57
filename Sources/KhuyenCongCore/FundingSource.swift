/// Who pays: the ministry's national programme or the province's own budget.
public enum FundingSource: String, CaseIterable, Codable, Sendable {
    case national, local

    public init(parsing text: String) throws {
        guard let source = FundingSource(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            throw DomainError.invalid(vi: "Nguồn kinh phí \"\(text)\" không hợp lệ (national, local)",
                                      en: "funding source \"\(text)\" is invalid (national, local)")
        }
        self = source
    }

    public var vietnameseName: String {
        switch self {
        case .national: "Khuyến công quốc gia"
        case .local: "Khuyến công địa phương"
        }
    }
}

import Foundation
