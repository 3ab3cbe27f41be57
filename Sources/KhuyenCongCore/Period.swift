/// A reporting period inside a plan year.
/// Written as its stored text ("FY", "9M") wherever it is interpolated, never as the case's name.
public enum Period: String, CaseIterable, Codable, Sendable, CustomStringConvertible {
    case q1 = "Q1", q2 = "Q2", q3 = "Q3", q4 = "Q4", h1 = "H1", h2 = "H2", nineMonths = "9M", fullYear = "FY"

    /// The first and last month of the period.
    public var months: ClosedRange<Int> {
        switch self {
        case .q1: 1...3
        case .q2: 4...6
        case .q3: 7...9
        case .q4: 10...12
        case .h1: 1...6
        case .h2: 7...12
        case .nineMonths: 1...9
        case .fullYear: 1...12
        }
    }

    /// The inclusive date range of the period in a year.
    public func dates(in year: Int) -> ClosedRange<CalendarDate> {
        let last = months.upperBound
        return CalendarDate(year, months.lowerBound, 1)...CalendarDate(year, last, CalendarDate.daysIn(month: last, year: year))
    }

    public var description: String { rawValue }

    public init(parsing text: String) throws {
        guard let period = Period(rawValue: text.uppercased()) else {
            throw DomainError.invalid(vi: "Kỳ báo cáo \"\(text)\" không hợp lệ (Q1–Q4, H1, H2, 9M, FY)",
                                      en: "period \"\(text)\" is invalid (Q1–Q4, H1, H2, 9M, FY)")
        }
        self = period
    }

    /// "6 tháng đầu năm 2024", as the ministry writes it.
    public func vietnameseName(year: Int) -> String {
        switch self {
        case .q1, .q2, .q3, .q4: "Quý \(months.upperBound / 3) năm \(year)"
        case .h1: "6 tháng đầu năm \(year)"
        case .h2: "6 tháng cuối năm \(year)"
        case .nineMonths: "9 tháng năm \(year)"
        case .fullYear: "Cả năm \(year)"
        }
    }
}
