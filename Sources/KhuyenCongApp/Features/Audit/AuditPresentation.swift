import Foundation
import KhuyenCongCore

/// An audit row as a person reads it: the action, the record and the fields by name in the reader's language (the
/// catalog's audit contexts), the time in Vietnam's time, and the change as "field: before → after" lines instead of
/// the stored JSON.
enum AuditPresentation {
    /// "29/11/2026 19:52", Vietnam's time.
    static func time(_ moment: Date) -> String {
        VietnameseFormat.timestamp(secondsSince1970: Int(moment.timeIntervalSince1970.rounded(.down)))
    }

    static func action(_ code: String, in language: Language = .vi) -> String {
        actions[code].map { MessageCatalog.text($0, context: .auditAction, in: language) } ?? code.replacingOccurrences(of: "_", with: " ")
    }

    static func record(type: String, id: String, in language: Language = .vi) -> String {
        let name = recordTypes[type].map { MessageCatalog.text($0, context: .auditRecord, in: language) } ?? type
        return "\(name) \(type == "database" && id == "demo" ? MessageCatalog.text("mẫu", context: .auditRecord, in: language) : id)"
    }

    /// What changed, one line per field. A field present only after (a creation) shows its value alone.
    static func changes(before: String?, after: String?, in language: Language = .vi) -> [String] {
        var old = flatten(before, in: language)
        let new = flatten(after, in: language)
        // A workflow that records the record's state before and, after, that state beside what changed ({"plan": …,
        // "change": …}) is compared state with state.
        if let state = Set(new.keys.compactMap { $0.split(separator: ".").first.map(String.init) }).first(where: { prefix in
            !old.isEmpty && old.keys.allSatisfy { !$0.contains(".") && new[prefix + "." + $0] != nil }
        }) {
            old = Dictionary(uniqueKeysWithValues: old.map { (state + "." + $0.key, $0.value) })
        }
        let keys = (Set(old.keys).union(new.keys)).sorted { (order(of: $0), $0) < (order(of: $1), $1) }
        return keys.compactMap { key in
            let was = old[key], now = new[key]
            guard was != now else { return nil }
            let label = self.label(key, in: language)
            switch (was, now) {
            case (nil, let now?): return "\(label): \(now)"
            case (let was?, nil): return "\(label): \(was) → –"
            case (let was?, let now?): return "\(label): \(was) → \(now)"
            default: return nil
            }
        }
    }

    /// A JSON object as "path → readable value"; anything else as one value.
    static func flatten(_ json: String?, in language: Language = .vi) -> [String: String] {
        guard let json, let value = try? JSONDecoder().decode(JSONValue.self, from: Data(json.utf8)) else { return [:] }
        var result: [String: String] = [:]
        func walk(_ value: JSONValue, _ path: String) {
            switch value {
            case .object(let object): for (key, inner) in object { walk(inner, path.isEmpty ? key : path + "." + key) }
            case .array(let array): result[path] = array.map { readable($0, key: path, in: language) }.joined(separator: "; ")
            default: result[path] = readable(value, key: path, in: language)
            }
        }
        walk(value, "")
        return result
    }

    /// Values as officials read them: dates dd/mm/yyyy, amounts in đồng with grouping, statuses by name. In English:
    /// amounts and counts in their English form, names (statuses, roles, regions, sources, categories) by the
    /// catalog's English; what a person typed as it is.
    static func readable(_ value: JSONValue, key: String, in language: Language = .vi) -> String {
        let last = key.split(separator: ".").last.map(String.init) ?? key
        switch value {
        case .null: return "–"
        case .bool(let flag): return MessageCatalog.text(flag ? "có" : "không", context: .auditValue, in: language)
        case .integer(let integer):
            return last.lowercased().hasSuffix("vnd") ? VietnameseFormat.dong(Money(dong: integer), in: language) : VietnameseFormat.count(integer, in: language)
        case .array(let array): return array.map { readable($0, key: key, in: language) }.joined(separator: "; ")
        case .object(let object):
            return object.keys.sorted().map { "\(label($0, in: language)) \(readable(object[$0]!, key: $0, in: language))" }.joined(separator: ", ")
        case .text(let text): return named(text, key: last, in: language)
        }
    }

    /// A text value: a date, a moment, or a name for a code (a status, a role …); else as it is.
    private static func named(_ text: String, key last: String, in language: Language = .vi) -> String {
        guard language == .vi else {
            if ["status", "to", "from"].contains(last), ProjectStatus(rawValue: text) == nil, let status = statuses[text] {
                return MessageCatalog.text(status, context: .auditValue, in: language)
            }
            if last == "language" { return Language(rawValue: text)?.ownName ?? text }
            let shown = named(text, key: last)
            return shown == text ? text : MessageCatalog.value(shown, in: language)
        }
        if text.count == 10, let date = try? CalendarDate(parsing: text) { return VietnameseFormat.date(date) }
        if text.count == 20, let moment = ISO8601DateFormatter().date(from: text) { return time(moment) }
        if last == "role" { return Role(rawValue: text)?.vietnameseName ?? text }
        if last == "language" { return Language(rawValue: text)?.ownName ?? text }
        if last == "regionCode" || last == "region" { return Region(rawValue: text)?.vietnameseName ?? text }
        if last == "unitID" { return AdminUnitCatalog.standard.unit(id: UnitID(text))?.name ?? text }
        if last == "category" { return UnitPage.categoryName(text) }
        if ["status", "to", "from"].contains(last) { return ProjectStatus(rawValue: text)?.vietnameseName ?? statuses[text] ?? text }
        if last == "source" { return FundingSource(rawValue: text)?.vietnameseName ?? text }
        return text
    }

    /// Any JSON the audit rows hold. Whole numbers stay exact (money is never read through a Double).
    enum JSONValue: Decodable {
        case null, bool(Bool), integer(Int64), text(String), array([JSONValue]), object([String: JSONValue])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null }
            else if let flag = try? container.decode(Bool.self) { self = .bool(flag) }
            else if let integer = try? container.decode(Int64.self) { self = .integer(integer) }
            else if let text = try? container.decode(String.self) { self = .text(text) }
            else if let array = try? container.decode([JSONValue].self) { self = .array(array) }
            else if let object = try? container.decode([String: JSONValue].self) { self = .object(object) }
            else { self = .text(String(describing: try container.decode(Decimal.self))) }
        }
    }

    /// A field's name ("plan.status": "Kế hoạch › Trạng thái"); a field without one by its code.
    static func label(_ key: String, in language: Language = .vi) -> String {
        key.split(separator: ".").map { part in
            labels[String(part)].map { MessageCatalog.text($0, context: .auditField, in: language) } ?? String(part)
        }.joined(separator: " › ")
    }

    private static func order(of key: String) -> Int { key.hasPrefix("status") ? 0 : 1 }

    static let actions: [String: String] = [
        "create": "Tạo mới", "update": "Sửa", "transition": "Chuyển bước", "add_beneficiary": "Thêm cơ sở thụ hưởng",
        "appraise": "Chấm điểm thẩm định", "appraisal_refused_conflict": "Từ chối chấm điểm (xung đột lợi ích)",
        "attach": "Đính kèm tệp", "record_disbursement": "Ghi giải ngân", "record_output": "Ghi kết quả",
        "import": "Nhập dữ liệu từ tệp", "import_update": "Cập nhật khi nhập tệp", "seed": "Nạp dữ liệu mẫu",
        "submit": "Trình, nộp", "approve": "Phê duyệt", "return": "Trả lại", "unlock": "Mở khóa",
        "draft_line": "Nhập dự thảo dòng kinh phí", "revise_line": "Điều chỉnh dòng kinh phí",
        "draft_target": "Nhập dự thảo chỉ tiêu", "revise_target": "Điều chỉnh chỉ tiêu", "allocate": "Phân bổ dự toán",
        "record_programme": "Ghi chương trình 5 năm", "revise_programme": "Điều chỉnh chương trình 5 năm",
        "change_password": "Đổi mật khẩu", "reset_password": "Đặt lại mật khẩu", "create_token": "Tạo mã truy cập API",
        "revoke_token": "Thu hồi mã truy cập API", "sign_in_failed": "Đăng nhập không thành công",
        "disable": "Khóa tài khoản", "enable": "Mở tài khoản",
        "update_beneficiary": "Sửa cơ sở thụ hưởng", "update_disbursement": "Sửa khoản giải ngân", "update_output": "Sửa kết quả",
        "remove_beneficiary": "Xóa cơ sở thụ hưởng khỏi đề án", "remove_disbursement": "Xóa khoản giải ngân", "remove_output": "Xóa kết quả",
        "change_scope": "Đổi vai trò, phạm vi", "issue_reset_link": "Cấp liên kết đặt mật khẩu",
        "reset_password_by_link": "Đặt mật khẩu qua liên kết", "set_email": "Đặt địa chỉ thư điện tử", "add_rule": "Thêm quy định mới",
        "quality_comment": "Giải trình cảnh báo chất lượng số liệu",
        "change_language": "Đổi ngôn ngữ hiển thị", "add_setting": "Thêm cài đặt mới",
        "revise_programme_decision": "Sửa quyết định phê duyệt chương trình",
    ]

    static let recordTypes: [String: String] = [
        "project": "Đề án", "plan": "Kế hoạch", "plan_target": "Chỉ tiêu kế hoạch", "period_report": "Báo cáo kỳ",
        "attachment": "Tệp đính kèm", "disbursement": "Giải ngân", "output": "Kết quả", "import": "Lần nhập tệp",
        "user": "Tài khoản", "api_token": "Mã truy cập API", "database": "Cơ sở dữ liệu", "programme": "Chương trình 5 năm",
        "agency_name": "Tên cơ quan", "deadline": "Thời hạn", "quality_comment": "Giải trình chất lượng số liệu",
        "rule_advance": "Quy định tạm ứng", "rule_appraisal_criteria": "Tiêu chí thẩm định", "rule_cap": "Mức hỗ trợ tối đa",
        "rule_deadline": "Thời hạn theo quy định", "rule_region": "Khu vực của tỉnh",
    ]

    static let statuses: [String: String] = [
        "draft": "Dự thảo", "submitted": "Đã nộp", "approved": "Đã phê duyệt", "returned": "Trả lại", "unlocked": "Đã mở khóa",
    ]

    static let labels: [String: String] = [
        "projects": "Đề án", "language": "Ngôn ngữ", "status": "Trạng thái", "from": "Từ", "to": "Sang", "note": "Ghi chú", "decisionNo": "Số quyết định",
        "approvedOn": "Ngày phê duyệt", "submittedOn": "Ngày nộp", "allocatedOn": "Ngày phân bổ", "date": "Ngày",
        "amountVnd": "Số tiền", "supportRequestedVnd": "Kinh phí đề nghị", "supportApprovedVnd": "Kinh phí được duyệt",
        "supportVnd": "Kinh phí hỗ trợ", "counterpartVnd": "Vốn đối ứng", "finalAmountVnd": "Quyết toán", "title": "Tên",
        "implementingUnit": "Đơn vị thực hiện", "category": "Nội dung", "indicator": "Chỉ tiêu", "quantity": "Số lượng",
        "reason": "Lý do", "returnReason": "Lý do trả lại", "unlockReason": "Lý do mở khóa", "version": "Phiên bản",
        "plan": "Kế hoạch", "change": "Thay đổi", "signer": "Người ký", "filename": "Tệp", "size": "Dung lượng (byte)",
        "project": "Đề án", "kind": "Loại", "basis": "Căn cứ số liệu", "score": "Điểm", "opinion": "Ý kiến",
        "source": "Nguồn", "coverNote": "Ghi chú kèm báo cáo", "approvedBy": "Người phê duyệt", "code": "Mã",
        "year": "Năm", "username": "Tài khoản", "role": "Vai trò", "allocatedTotalVnd": "Tổng đã phân bổ",
        "approvedTotalVnd": "Tổng kế hoạch được duyệt", "taxCode": "Mã số thuế", "name": "Tên",
        "displayName": "Tên hiển thị", "disabled": "Đã khóa", "unitID": "Đơn vị", "regionCode": "Khu vực", "region": "Khu vực",
        "expiresAt": "Hết hạn", "locked": "Khóa số liệu", "decidedOn": "Ngày quyết định", "nationalVnd": "Kinh phí nguồn quốc gia",
        "localVnd": "Kinh phí nguồn địa phương", "targets": "Chỉ tiêu", "allocated": "Đã phân bổ",
    ]
}
