import Foundation

/// Display formatting, Vietnamese style: a dot groups thousands, a comma is the decimal sign.
/// This is the one place where numbers, money and dates become text.
public enum VietnameseFormat {
    /// "170,8 tỷ đồng" (one decimal, half away from zero).
    public static func billions(_ money: Money, decimals: Int = 1) -> String {
        scaled(money.dong, unitDigits: 9, decimals: decimals) + " tỷ đồng"
    }

    /// "53,6 triệu đồng".
    public static func millions(_ money: Money, decimals: Int = 1) -> String {
        scaled(money.dong, unitDigits: 6, decimals: decimals) + " triệu đồng"
    }

    /// "1.234.567 đ".
    public static func dong(_ money: Money) -> String { grouped(Int128(money.dong)) + " đ" }

    /// The largest unit that reads naturally: tỷ from one billion, triệu from one million, else đồng.
    public static func money(_ money: Money) -> String {
        let size = money.dong.magnitude
        if size >= 1_000_000_000 { return billions(money) }
        if size >= 1_000_000 { return millions(money) }
        return dong(money)
    }

    /// "20,3%"; nil ratio (a percentage of zero) shows as "–".
    public static func percent(_ ratio: Ratio?, decimals: Int = 1) -> String {
        guard let ratio else { return "–" }
        return decimal(ratio.roundedPercent(decimals: decimals), decimals: decimals) + "%"
    }

    /// A signed change: "+10,3%", "−8,5%".
    public static func change(_ ratio: Ratio?, decimals: Int = 1) -> String {
        guard let ratio else { return "–" }
        let scaled = ratio.roundedPercent(decimals: decimals)
        let sign = scaled > 0 ? "+" : (scaled < 0 ? "−" : "")
        return sign + decimal(scaled.magnitude, decimals: decimals) + "%"
    }

    /// "29/11/2026".
    public static func date(_ date: CalendarDate) -> String {
        pad(date.day) + "/" + pad(date.month) + "/" + String(date.year)
    }

    /// A stored "YYYY-MM-DD" (or nothing) as "29/11/2026"; "–" when there is no valid date.
    public static func date(stored text: String?) -> String {
        text.flatMap { try? CalendarDate(parsing: $0) }.map(date) ?? "–"
    }

    /// A moment as officials read it, in Vietnam's time (UTC+7, no daylight saving): "29/11/2026 19:52".
    public static func timestamp(secondsSince1970 moment: Int) -> String {
        let seconds = moment + 7 * 3600
        let day = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let inDay = seconds - day * 86_400
        return date(CalendarDate(dayNumber: day)) + " " + pad(inDay / 3600) + ":" + pad(inDay % 3600 / 60)
    }

    /// "1.234" for counts.
    public static func count(_ value: Int64) -> String { grouped(Int128(value)) }

    // MARK: - Helpers

    static func scaled(_ value: Int64, unitDigits: Int, decimals: Int) -> String {
        var divisor: Int128 = 1
        for _ in 0..<(unitDigits - decimals) { divisor *= 10 }
        let rounded = Ratio.divideRoundingHalfAwayFromZero(Int128(value), divisor)
        return decimal(rounded, decimals: decimals)
    }

    /// A number given in units of 10^-decimals: decimal(203, decimals: 1) is "20,3".
    public static func decimal<T: BinaryInteger>(_ scaled: T, decimals: Int) -> String {
        let value = Int128(scaled)
        guard decimals > 0 else { return grouped(value) }
        var unit: Int128 = 1
        for _ in 0..<decimals { unit *= 10 }
        let (whole, fraction) = value.magnitude.quotientAndRemainder(dividingBy: unit.magnitude)
        var fractionText = String(fraction)
        while fractionText.count < decimals { fractionText = "0" + fractionText }
        return (value < 0 ? "-" : "") + grouped(Int128(whole)) + "," + fractionText
    }

    static func grouped(_ value: Int128) -> String {
        let digits = Array(String(value.magnitude))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out.append(".") }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }

    static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }

    // MARK: - English forms (pages read in English)

    /// The English forms of the same figures: a comma groups thousands, a point is the decimal sign, "VND" for đồng
    /// ("170.8 billion VND", "53.6 million VND", "1,234,567 VND", "20.3%", "+10.3%"). Dates stay day-first
    /// (29/11/2026), as the forms, the decisions' numbers and the law the pages quote write them, and as British
    /// English reads them.
    public static func billions(_ money: Money, decimals: Int = 1, in language: Language) -> String {
        language == .vi ? billions(money, decimals: decimals) : english(scaled(money.dong, unitDigits: 9, decimals: decimals)) + " billion VND"
    }

    public static func millions(_ money: Money, decimals: Int = 1, in language: Language) -> String {
        language == .vi ? millions(money, decimals: decimals) : english(scaled(money.dong, unitDigits: 6, decimals: decimals)) + " million VND"
    }

    public static func dong(_ money: Money, in language: Language) -> String {
        language == .vi ? dong(money) : english(grouped(Int128(money.dong))) + " VND"
    }

    public static func money(_ money: Money, in language: Language) -> String { shown(Self.money(money), in: language) }
    public static func percent(_ ratio: Ratio?, decimals: Int = 1, in language: Language) -> String { shown(percent(ratio, decimals: decimals), in: language) }
    public static func change(_ ratio: Ratio?, decimals: Int = 1, in language: Language) -> String { shown(change(ratio, decimals: decimals), in: language) }
    public static func count(_ value: Int64, in language: Language) -> String { shown(count(value), in: language) }

    /// A text as shown in `language`: in English, the figures this enum wrote in their Vietnamese form (inside any
    /// text: "Kế hoạch 170,8 tỷ đồng", a table cell "20,3%") in their English form; Vietnamese unchanged. The pages
    /// build their texts once, in Vietnamese (what the caches keep and the records store), and an English page shows
    /// them through this (with the message catalog's words).
    public static func shown(_ text: String, in language: Language) -> String {
        guard language == .en, text.contains(where: \.isNumber) else { return text }
        let source = text as NSString
        var out = ""
        var last = 0
        for match in figure.matches(in: text, range: NSRange(location: 0, length: source.length)) {
            out += source.substring(with: NSRange(location: last, length: match.range.location - last))
            out += english(source.substring(with: match.range(at: 1)))
            let unit = match.range(at: 2).location == NSNotFound ? "" : source.substring(with: match.range(at: 2))
            switch unit {
            case " tỷ đồng": out += " billion VND"
            case " triệu đồng": out += " million VND"
            case " đồng", " đ": out += " VND"
            default: break
            }
            last = match.range.location + match.range.length
        }
        return out + source.substring(from: last)
    }

    /// A figure in the Vietnamese form, with its unit: "1.234.567 đ", "170,8 tỷ đồng", "20,3", "500 đ". Not inside a
    /// code or a date (a letter, a digit, "/", "." or "," just before; a digit, "/" or ".digit" just after).
    private static let figure = try! NSRegularExpression(pattern:
        #"(?<![\p{L}\d/.,])(\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+|\d+(?= (?:tỷ đồng|triệu đồng|đồng|đ)(?!\p{L})))(?![\d/]|[.,]\d)( tỷ đồng| triệu đồng| đồng(?!\p{L})| đ(?!\p{L}))?"#)

    /// "1.234,5" as "1,234.5".
    static func english(_ vietnamese: String) -> String {
        String(vietnamese.map { $0 == "." ? "," : $0 == "," ? "." : $0 })
    }
}
