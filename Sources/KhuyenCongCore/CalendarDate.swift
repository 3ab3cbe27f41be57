import Foundation

/// A calendar date with no time and no zone. Stored and exchanged as "YYYY-MM-DD", which sorts correctly as text
/// in SQLite and PostgreSQL alike.
public struct CalendarDate: Hashable, Comparable, Codable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(year: Int, month: Int, day: Int) throws {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...CalendarDate.daysIn(month: month, year: year)).contains(day) else {
            throw DomainError.invalid(vi: "Ngày không tồn tại: \(day)/\(month)/\(year)",
                                      en: "impossible date: \(year)-\(month)-\(day)")
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// For literals in code and tests that are known to be valid.
    public init(_ year: Int, _ month: Int, _ day: Int) {
        precondition((1...12).contains(month) && (1...CalendarDate.daysIn(month: month, year: year)).contains(day))
        self.year = year
        self.month = month
        self.day = day
    }

    /// Accepts "YYYY-MM-DD" and, as on import, "DD/MM/YYYY".
    public init(parsing text: String) throws {
        // The stored form, read on every report row: parsed without Foundation.
        let bytes = Array(text.utf8)
        if bytes.count == 10, bytes[4] == 0x2D, bytes[7] == 0x2D {
            func number(_ range: Range<Int>) -> Int? {
                var value = 0
                for byte in bytes[range] {
                    guard byte >= 0x30 && byte <= 0x39 else { return nil }
                    value = value * 10 + Int(byte - 0x30)
                }
                return value
            }
            if let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) {
                try self.init(year: year, month: month, day: day)
                return
            }
        }
        let trimmed = text.trimmingSpaces
        let iso = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        let vietnamese = trimmed.split(separator: "/", omittingEmptySubsequences: false)
        let parts: (String, String, String)?
        if iso.count == 3, iso[0].count == 4 { parts = (String(iso[0]), String(iso[1]), String(iso[2])) }
        else if vietnamese.count == 3, vietnamese[2].count == 4 {
            parts = (String(vietnamese[2]), String(vietnamese[1]), String(vietnamese[0]))
        } else { parts = nil }
        guard let (y, m, d) = parts, let year = Int(y), let month = Int(m), let day = Int(d),
              m.count <= 2, d.count <= 2 else {
            throw DomainError.invalid(vi: "Ngày \"\(trimmed)\" không đúng dạng YYYY-MM-DD hoặc DD/MM/YYYY",
                                      en: "date \"\(trimmed)\" is not YYYY-MM-DD or DD/MM/YYYY")
        }
        try self.init(year: year, month: month, day: day)
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    /// "YYYY-MM-DD".
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
        }
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (civil-from-days algorithm), for differences such as "days late".
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func - (a: CalendarDate, b: CalendarDate) -> Int { a.dayNumber - b.dayNumber }

    public init(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    public func adding(days: Int) -> CalendarDate { CalendarDate(dayNumber: dayNumber + days) }

    /// Today in Vietnam (UTC+7), which is the calendar the programme runs on.
    public static func today(now: Date = Date()) -> CalendarDate {
        CalendarDate(dayNumber: Int((now.timeIntervalSince1970 + 7 * 3600) / 86_400))
    }

    public init(from decoder: any Decoder) throws {
        try self.init(parsing: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
