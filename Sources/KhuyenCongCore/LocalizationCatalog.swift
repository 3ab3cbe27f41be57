import Foundation

/// The languages of the pages: Vietnamese by default, English as a choice.
public enum Language: String, Sendable, CaseIterable, Codable {
    case vi, en

    /// The choice as named in its own language, for the switch in the page frame.
    public var ownName: String { self == .vi ? "Tiếng Việt" : "English" }

    /// The preferred of the two from an `Accept-Language` header ("en-GB,en;q=0.9,vi;q=0.8"): the one with the
    /// highest weight, Vietnamese when neither is named or on a tie.
    public static func preferred(acceptLanguage header: String?) -> Language? {
        guard let header, !header.isEmpty else { return nil }
        var best: (language: Language, weight: Double)?
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";").map { String($0).trimmingSpaces }
            guard let tag = parts.first?.lowercased() else { continue }
            let primary = tag.split(separator: "-").first.map(String.init) ?? tag
            guard let language = Language(rawValue: primary) else { continue }
            var weight = 1.0
            for parameter in parts.dropFirst() where parameter.hasPrefix("q=") {
                weight = Double(parameter.dropFirst(2)) ?? 0
            }
            guard weight > 0 else { continue }
            if best == nil || weight > best!.weight || (weight == best!.weight && language == .vi && best!.language != .vi) {
                best = (language, weight)
            }
        }
        return best?.language
    }
}

/// The message catalog, gettext-style: keyed by the Vietnamese text the pages are written in, so a Vietnamese page
/// needs no lookup, and a text without an English entry shows in Vietnamese rather than not at all.
public enum MessageCatalog {
    /// The text in `language`: the Vietnamese key itself, or its English entry (the key when there is none).
    public static func text(_ vietnamese: String, in language: Language) -> String {
        guard language != .vi else { return vietnamese }
        if let found = english[vietnamese] { return found }
        Missing.note(vietnamese)
        return vietnamese
    }

    /// A value shown as text (a status, a name built in Swift, or data): its English entry when there is one (also an
    /// entry with values that fits it), else as it is with its figures in the English form (`VietnameseFormat.shown`);
    /// not noted as missing (a province's or a project's name has none).
    public static func value(_ text: String, in language: Language) -> String {
        guard language != .vi else { return text }
        if let found = english[text] { return found }
        if let found = fromPattern(text) { return found }
        // A list of names ("Chủ cơ sở là nữ; Địa bàn khó khăn", "Nghệ An; Khu vực phía Bắc"): those with an entry in English.
        if text.contains("; ") {
            let parts = text.components(separatedBy: "; ")
            if parts.contains(where: { english[$0] != nil }) { return parts.map { english[$0] ?? $0 }.joined(separator: "; ") }
        }
        return VietnameseFormat.shown(text, in: .en)
    }

    /// A text built from an entry with values ("Kế hoạch khuyến công năm 2026 – Thanh Hóa" from "Kế hoạch khuyến công năm
    /// {0} – {1}"): the entry's English with the values, each in English where the catalog knows it; nil when no
    /// entry fits. Only texts with a Vietnamese letter are tried.
    static func fromPattern(_ text: String) -> String? {
        guard text.unicodeScalars.contains(where: { $0.value > 0x7F && $0.properties.isAlphabetic }) else { return nil }
        let range = NSRange(text.startIndex..., in: text)
        for pattern in patterns where text.hasPrefix(pattern.prefix) && text.hasSuffix(pattern.suffix) {
            guard let match = pattern.regex.firstMatch(in: text, range: range) else { continue }
            var values = Array(repeating: "", count: pattern.order.count)
            for (group, index) in pattern.order.enumerated() {
                guard let captured = Range(match.range(at: group + 1), in: text) else { continue }
                values[index] = value(String(text[captured]), in: .en)
            }
            return Self.text(pattern.key, in: .en, values)
        }
        return nil
    }

    /// The entries with values, most specific (longest fixed text) first.
    private static let patterns: [(key: String, prefix: String, suffix: String, regex: NSRegularExpression, order: [Int])] = {
        english.keys.filter { $0.contains("{0}") }.compactMap { key -> (key: String, prefix: String, suffix: String, regex: NSRegularExpression, order: [Int], fixed: Int)? in
            var regex = "^", order: [Int] = [], rest = Substring(key), fixed = 0
            while let open = rest.range(of: "{"), let close = rest[open.upperBound...].range(of: "}"),
                  let index = Int(rest[open.upperBound..<close.lowerBound]) {
                regex += NSRegularExpression.escapedPattern(for: String(rest[..<open.lowerBound])) + "(.+?)"
                fixed += rest.distance(from: rest.startIndex, to: open.lowerBound)
                order.append(index)
                rest = rest[close.upperBound...]
            }
            regex += NSRegularExpression.escapedPattern(for: String(rest)) + "$"
            fixed += rest.count
            guard fixed >= 3, let compiled = try? NSRegularExpression(pattern: regex, options: [.dotMatchesLineSeparators]) else { return nil }
            let prefix = String(key[..<(key.range(of: "{")!.lowerBound)])
            let suffix = key.hasSuffix("}") ? "" : String(key[(key.range(of: "}", options: .backwards)!.upperBound)...])
            return (key, prefix, suffix, compiled, order, fixed)
        }.sorted { ($0.fixed, $0.key.count) > ($1.fixed, $1.key.count) }.map { ($0.key, $0.prefix, $0.suffix, $0.regex, $0.order) }
    }()

    /// The texts asked for in English that the catalog lacks, since the last `take()`: what the language test
    /// reports. Only texts with a letter outside ASCII (Vietnamese) are noted.
    public enum Missing {
        nonisolated(unsafe) private static var texts: Set<String> = []
        private static let lock = NSLock()
        static func note(_ text: String) {
            guard text.unicodeScalars.contains(where: { $0.value > 0x7F && $0.properties.isAlphabetic }) else { return }
            lock.lock(); if texts.count < 10_000 { texts.insert(text) }; lock.unlock()   // bounded in a long-running server
        }
        /// The texts noted so far, emptying the list.
        public static func take() -> Set<String> {
            lock.lock(); defer { lock.unlock() }
            let taken = texts
            texts = []
            return taken
        }
    }

    /// A text with values: "{0}", "{1}" … in the Vietnamese key and in its English entry stand for `values`.
    public static func text(_ vietnamese: String, in language: Language, _ values: [String]) -> String {
        var result = text(vietnamese, in: language)
        for (index, value) in values.enumerated() { result = result.replacingOccurrences(of: "{\(index)}", with: value) }
        return result
    }

    /// Whether the catalog has an English entry for this Vietnamese text.
    public static func hasEnglish(_ vietnamese: String) -> Bool { english[vietnamese] != nil }

    /// Vietnamese → English. Keep entries short, one per text shown; the page frame, the sign-in page, the home
    /// page, the work list, the error pages and the status names.
    public static let english: [String: String] = [
        // The frame
        "Khuyến công": "Industrial promotion",
        "Hệ thống quản lý chương trình khuyến công": "Industrial promotion programme management system",
        "Báo cáo": "Reports",
        "Thông báo": "Notifications",
        "Việc của tôi": "My work",
        "Tỉnh của tôi": "My province",
        "Đề án": "Projects",
        "Đề án mới": "New project",
        "Nhập/xuất": "Import/export",
        "Báo cáo kỳ": "Period reports",
        "Nhật ký": "Audit trail",
        "Quy định": "Rules",
        "Người dùng": "Users",
        "Đổi mật khẩu": "Change password",
        "Đăng xuất": "Sign out",
        "Đăng nhập": "Sign in",
        "Ngôn ngữ": "Language",
        "Bộ Công Thương – Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công":
            "Ministry of Industry and Trade – Agency for Innovation, Green Transition and Industrial Promotion",
        // Sign-in
        "Tên đăng nhập": "User name",
        "Mật khẩu": "Password",
        "Quên mật khẩu?": "Forgot your password?",
        "Đã đổi mật khẩu": "Password changed",
        "Mật khẩu hiện tại": "Current password",
        "Mật khẩu mới (ít nhất 10 ký tự)": "New password (at least 10 characters)",
        "Nhập lại mật khẩu mới": "The new password again",
        "Đổi mật khẩu – Khuyến công": "Change password – Industrial promotion",
        "Đăng nhập – Khuyến công": "Sign in – Industrial promotion",
        "Nhập, xuất dữ liệu": "Import and export",
        "Tệp bị từ chối, không có dữ liệu nào được ghi:": "File refused, nothing was written:",
        // Error pages
        "Lỗi": "Error",
        "Về trang chủ": "Back to the home page",
        "Mã yêu cầu": "Request id",
        "Yêu cầu không hợp lệ": "Bad request",
        "Chưa đăng nhập": "Not signed in",
        "Không có quyền": "Forbidden",
        "Không tìm thấy": "Not found",
        "Không có trang này": "There is no such page",
        "Phương thức không được phép": "Method not allowed",
        "Trang này không nhận yêu cầu kiểu này": "This page does not accept this kind of request",
        "Xung đột dữ liệu": "Conflict",
        "Không còn": "Gone",
        "Tệp hoặc biểu mẫu quá lớn": "Payload too large",
        "Kiểu dữ liệu không được hỗ trợ": "Unsupported media type",
        "Dữ liệu không hợp lệ": "Unprocessable content",
        "Đã khóa": "Locked",
        "Quá nhiều yêu cầu; xin thử lại sau": "Too many requests; please try again later",
        "Lỗi hệ thống": "Internal server error",
        "Hệ thống tạm thời không phục vụ được; xin thử lại sau": "The service is unavailable; please try again later",
        "Đã có lỗi trong hệ thống; xin thử lại sau": "Something went wrong; please try again later",
        "Yêu cầu không đọc được": "The request cannot be read",
        // Home page
        "Khu vực": "Region",
        "Số liệu đến ngày": "Figures as of",
        "Kế hoạch": "Plan",
        "Thực hiện": "Realised",
        "so với": "compared with",
        "kế hoạch": "of plan",
        "thực hiện": "realised",
        "Mã": "Code",
        "Tỉnh, thành phố": "Province or city",
        "% KH": "% of plan",
        "Số liệu năm {0} được quy đổi theo đơn vị hành chính từ 01/07/2025 (Nghị quyết 202/2025/QH15).":
            "The {0} figures are restated to the administrative units in force from 01/07/2025 (Resolution 202/2025/QH15).",
        "Tổng hợp kế hoạch khuyến công quốc gia năm {0}": "Consolidation of the {0} national industrial promotion plans",
        "Chương trình khuyến công quốc gia 2026–2030: kết quả thực hiện": "National industrial promotion programme 2026–2030: results to date",
    ].merging(Region.allCases.map { ($0.vietnameseName, $0.englishName) }, uniquingKeysWith: { a, _ in a })
     .merging(pagesEnglish, uniquingKeysWith: { a, _ in a })
     .merging(namesEnglish, uniquingKeysWith: { a, _ in a })
     .merging(qualityEnglish, uniquingKeysWith: { a, _ in a })
     .merging(narrativeEnglish, uniquingKeysWith: { a, _ in a })
}
