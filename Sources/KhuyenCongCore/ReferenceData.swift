/// A content category (nội dung khuyến công) with the span of time in which the law provides for it.
public struct ContentCategory: Hashable, Codable, Sendable {
    public let code: String
    public let vietnameseName: String
    public let englishName: String
    public let validFrom: CalendarDate
    public let validUntil: CalendarDate?

    public func isValid(on date: CalendarDate) -> Bool {
        validFrom <= date && (validUntil.map { date < $0 } ?? true)
    }
}

/// An output indicator: what a project delivers, counted in whole units.
public struct OutputIndicator: Hashable, Codable, Sendable {
    public let code: String
    public let vietnameseName: String
    public let englishName: String
    public let unitLabel: String
    public let validFrom: CalendarDate
    public let validUntil: CalendarDate?
}

/// The reference data loaded by `migrate`. Dated: categories of Decree 235/2025 start on 15 October 2025.
public enum ReferenceData {
    /// Decree 45/2012/NĐ-CP took effect on 5 July 2012 (issue 14), not 1 July.
    static let decree45 = CalendarDate(2012, 7, 5)
    static let decree235 = CalendarDate(2025, 10, 15)

    public static let categories: [ContentCategory] = [
        .init(code: "1", vietnameseName: "Mô hình trình diễn, chuyển giao công nghệ, máy móc tiên tiến",
              englishName: "Demonstration models, technology transfer, advanced machinery", validFrom: decree45, validUntil: nil),
        .init(code: "2", vietnameseName: "Sản xuất sạch hơn, xử lý ô nhiễm môi trường",
              englishName: "Cleaner production pilots and pollution treatment", validFrom: decree45, validUntil: nil),
        .init(code: "3", vietnameseName: "Phát triển sản phẩm công nghiệp nông thôn",
              englishName: "Rural industrial product development", validFrom: decree45, validUntil: nil),
        .init(code: "4", vietnameseName: "Liên kết, cụm liên kết, chuỗi giá trị, cụm công nghiệp",
              englishName: "Linkages, clusters, value chains, industrial clusters", validFrom: decree45, validUntil: nil),
        .init(code: "5", vietnameseName: "Nguồn nhân lực, năng lực quản lý, tư vấn",
              englishName: "Human resources, management capacity, consulting", validFrom: decree45, validUntil: nil),
        .init(code: "6", vietnameseName: "Thông tin, tuyên truyền",
              englishName: "Information and communication", validFrom: decree45, validUntil: nil),
        .init(code: "7", vietnameseName: "Nâng cao năng lực hệ thống khuyến công",
              englishName: "Capacity of the khuyến công system", validFrom: decree45, validUntil: nil),
        .init(code: "8", vietnameseName: "Chuyển đổi số",
              englishName: "Digital transformation", validFrom: decree235, validUntil: nil),
        .init(code: "9", vietnameseName: "Sản xuất bền vững",
              englishName: "Sustainable production", validFrom: decree235, validUntil: nil),
    ]

    public static let indicators: [OutputIndicator] = [
        .init(code: "demo_models", vietnameseName: "Mô hình trình diễn kỹ thuật, mô hình thí điểm sản xuất sạch hơn",
              englishName: "Demonstration and cleaner-production pilot models", unitLabel: "mô hình", validFrom: decree45, validUntil: nil),
        .init(code: "establishments_supported", vietnameseName: "Cơ sở được hỗ trợ chuyển giao công nghệ, máy móc, xử lý ô nhiễm",
              englishName: "Establishments supported", unitLabel: "cơ sở", validFrom: decree45, validUntil: nil),
        .init(code: "cp_assessments", vietnameseName: "Cơ sở được đánh giá sản xuất sạch hơn",
              englishName: "Cleaner-production assessments", unitLabel: "cơ sở", validFrom: decree45, validUntil: nil),
        .init(code: "trainees", vietnameseName: "Lượt người được đào tạo, tập huấn",
              englishName: "Trainees", unitLabel: "người", validFrom: decree45, validUntil: nil),
        .init(code: "products_recognised", vietnameseName: "Sản phẩm công nghiệp nông thôn tiêu biểu được công nhận",
              englishName: "Products recognised", unitLabel: "sản phẩm", validFrom: decree45, validUntil: nil),
        .init(code: "events", vietnameseName: "Hội chợ, hội thảo, sản phẩm truyền thông",
              englishName: "Fairs, workshops, communication products", unitLabel: "sự kiện", validFrom: decree45, validUntil: nil),
    ]

    /// The category a code means for a plan year (valid on 1 January of it).
    public static func category(code: String, planYear: Int) throws -> ContentCategory {
        let date = CalendarDate(planYear, 1, 1)
        guard let category = categories.first(where: { $0.code == code && $0.isValid(on: date) }) else {
            throw DomainError.invalid(vi: "Nội dung khuyến công \"\(code)\" không có trong năm kế hoạch \(planYear)",
                                      en: "content category \"\(code)\" does not exist for plan year \(planYear)")
        }
        return category
    }

    public static func indicator(code: String) throws -> OutputIndicator {
        guard let indicator = indicators.first(where: { $0.code == code }) else {
            throw DomainError.invalid(vi: "Chỉ tiêu \"\(code)\" không tồn tại", en: "indicator \"\(code)\" does not exist")
        }
        return indicator
    }

    /// When a unit's period report is due, unless configured: the half-year report on 15 July, the annual one on
    /// 15 January of the next year.
    public static func defaultReportDue(period: Period, year: Int) -> CalendarDate? {
        switch period {
        case .h1: CalendarDate(year, 7, 15)
        case .fullYear: CalendarDate(year + 1, 1, 15)
        default: nil
        }
    }

    /// The national registration deadline for a plan year: 20 May of the year before, unless configured.
    public static func defaultRegistrationDeadline(planYear: Int) -> CalendarDate { CalendarDate(planYear - 1, 5, 20) }

    /// The Department → ministry deadline of a plan year's national registration (Circular 36/2013 Art. 10):
    /// 15 June of the year before, unless configured.
    public static func defaultMinistryDeadline(planYear: Int) -> CalendarDate { CalendarDate(planYear - 1, 6, 15) }
}
