/// The English of the audit trail (actions, records, fields and the values it names) and of the data-quality findings
/// (the rules' names and explanations, each kind of finding's message with its values), and the texts whose English
/// depends on where they stand (a context, like gettext's msgctxt).
extension MessageCatalog {
    /// A text whose English depends on where it stands: the Vietnamese is the same, the English is not ("Đề án" is
    /// "Projects" in the menu and "Project" before a record's code; "Thực hiện" is "Realised" over a column and "Carry
    /// out" on a button). The context's entry, else the text's own (noted as missing when it has neither).
    public static func text(_ vietnamese: String, context: Context, in language: Language) -> String {
        guard language != .vi else { return vietnamese }
        return englishInContext[context]?[vietnamese] ?? text(vietnamese, in: language)
    }

    /// A context's name as a template writes it (`#tc("nút", "Thực hiện")`), or nil when there is no such context.
    public static func context(named name: String) -> Context? { Context(rawValue: name) }

    public static func hasEnglish(_ vietnamese: String, context: Context) -> Bool {
        englishInContext[context]?[vietnamese] != nil || hasEnglish(vietnamese)
    }

    /// Where a text stands, when its English depends on it.
    public enum Context: String, Sendable, CaseIterable {
        /// A button that carries out what its form says.
        case button = "nút"
        /// An audit row's action, record type, field name, and a value's name.
        case auditAction = "nhật ký: thao tác"
        case auditRecord = "nhật ký: bản ghi"
        case auditField = "nhật ký: trường"
        case auditValue = "nhật ký: giá trị"
    }

    static let englishInContext: [Context: [String: String]] = [
        .button: [
            "Thực hiện": "Carry out",
        ],
        .auditAction: [
            "Tạo mới": "Created", "Sửa": "Edited", "Chuyển bước": "Workflow step", "Thêm cơ sở thụ hưởng": "Beneficiary added",
            "Chấm điểm thẩm định": "Appraisal scored", "Từ chối chấm điểm (xung đột lợi ích)": "Scoring refused (conflict of interest)",
            "Đính kèm tệp": "File attached", "Ghi giải ngân": "Disbursement recorded", "Ghi kết quả": "Result recorded",
            "Nhập dữ liệu từ tệp": "Imported from a file", "Cập nhật khi nhập tệp": "Updated by an import", "Nạp dữ liệu mẫu": "Demo data loaded",
            "Trình, nộp": "Submitted", "Phê duyệt": "Approved", "Trả lại": "Returned", "Mở khóa": "Unlocked",
            "Nhập dự thảo dòng kinh phí": "Budget line drafted", "Điều chỉnh dòng kinh phí": "Budget line revised",
            "Nhập dự thảo chỉ tiêu": "Target drafted", "Điều chỉnh chỉ tiêu": "Target revised", "Phân bổ dự toán": "Budget allocated",
            "Ghi chương trình 5 năm": "Five-year programme recorded", "Điều chỉnh chương trình 5 năm": "Five-year programme revised",
            "Đổi mật khẩu": "Password changed", "Đặt lại mật khẩu": "Password reset", "Tạo mã truy cập API": "API token created",
            "Thu hồi mã truy cập API": "API token revoked", "Đăng nhập không thành công": "Failed sign-in",
            "Khóa tài khoản": "Account disabled", "Mở tài khoản": "Account enabled",
            "Sửa cơ sở thụ hưởng": "Beneficiary edited", "Sửa khoản giải ngân": "Disbursement edited", "Sửa kết quả": "Result edited",
            "Xóa cơ sở thụ hưởng khỏi đề án": "Beneficiary removed from the project", "Xóa khoản giải ngân": "Disbursement removed",
            "Xóa kết quả": "Result removed", "Đổi vai trò, phạm vi": "Role and scope changed",
            "Cấp liên kết đặt mật khẩu": "Password link issued", "Đặt mật khẩu qua liên kết": "Password set by link",
            "Đặt địa chỉ thư điện tử": "E-mail address set", "Thêm quy định mới": "Rule added",
            "Giải trình cảnh báo chất lượng số liệu": "Data-quality warning explained", "Đổi ngôn ngữ hiển thị": "Display language changed",
            "Thêm cài đặt mới": "Setting added", "Sửa quyết định phê duyệt chương trình": "Programme decision edited",
        ],
        .auditRecord: [
            "Đề án": "Project", "Kế hoạch": "Plan", "Chỉ tiêu kế hoạch": "Plan target", "Báo cáo kỳ": "Period report",
            "Tệp đính kèm": "Attachment", "Giải ngân": "Disbursement", "Kết quả": "Result", "Lần nhập tệp": "Import",
            "Tài khoản": "Account", "Mã truy cập API": "API token", "Cơ sở dữ liệu": "Database", "Chương trình 5 năm": "Five-year programme",
            "Tên cơ quan": "Agency name", "Thời hạn": "Deadline", "Giải trình chất lượng số liệu": "Data-quality explanation",
            "Quy định tạm ứng": "Advance rule", "Tiêu chí thẩm định": "Appraisal criteria", "Mức hỗ trợ tối đa": "Support cap",
            "Thời hạn theo quy định": "Statutory deadline", "Khu vực của tỉnh": "Province's region", "mẫu": "demo",
        ],
        .auditField: [
            "Đề án": "Project", "Ngôn ngữ": "Language", "Trạng thái": "Status", "Từ": "From", "Sang": "To", "Ghi chú": "Note",
            "Số quyết định": "Decision number", "Ngày phê duyệt": "Approved on", "Ngày nộp": "Submitted on",
            "Ngày phân bổ": "Allocated on", "Ngày": "Date", "Số tiền": "Amount", "Kinh phí đề nghị": "Support requested",
            "Kinh phí được duyệt": "Support approved", "Kinh phí hỗ trợ": "Support", "Vốn đối ứng": "Counterpart funds",
            "Quyết toán": "Settled amount", "Tên": "Name", "Đơn vị thực hiện": "Implementing unit", "Nội dung": "Content",
            "Chỉ tiêu": "Indicator", "Số lượng": "Quantity", "Lý do": "Reason", "Lý do trả lại": "Reason for returning",
            "Lý do mở khóa": "Reason for unlocking", "Phiên bản": "Version", "Kế hoạch": "Plan", "Thay đổi": "Change",
            "Người ký": "Signatory", "Tệp": "File", "Dung lượng (byte)": "Size (bytes)", "Loại": "Kind",
            "Căn cứ số liệu": "Basis of the figures", "Điểm": "Score", "Ý kiến": "Opinion", "Nguồn": "Source",
            "Ghi chú kèm báo cáo": "Cover note", "Người phê duyệt": "Approved by", "Mã": "Code", "Năm": "Year",
            "Tài khoản": "Account", "Vai trò": "Role", "Tổng đã phân bổ": "Total allocated",
            "Tổng kế hoạch được duyệt": "Total approved plan", "Mã số thuế": "Tax code", "Tên hiển thị": "Display name",
            "Đã khóa": "Disabled", "Đơn vị": "Unit", "Khu vực": "Region", "Hết hạn": "Expires", "Khóa số liệu": "Figures locked",
            "Ngày quyết định": "Decision date", "Kinh phí nguồn quốc gia": "National-source budget",
            "Kinh phí nguồn địa phương": "Local-source budget", "Chỉ tiêu cả giai đoạn": "Targets", "Đã phân bổ": "Allocated",
        ],
        .auditValue: [
            "có": "yes", "không": "no",
            "Dự thảo": "Draft", "Đã nộp": "Submitted", "Đã phê duyệt": "Approved", "Trả lại": "Returned", "Đã mở khóa": "Unlocked",
        ],
    ]

    /// The data-quality rules' names and explanations (M0040's rows) and each kind of finding's message, with its
    /// values (`QualityFindings`, `QualityProjectRules`, `QualityCrossChecks`): the findings keep the Vietnamese (the
    /// API's `message`, the cache) and an English page shows them through the entry they fit.
    static let qualityEnglish: [String: String] = {
        var entries: [String: String] = [
            // The rules (quality_rules)
            "Giải ngân vượt kinh phí được duyệt": "Disbursed above the approved support",
            "Tổng số tiền thực chi cho đề án vượt kinh phí khuyến công được phê duyệt (hoặc số quyết toán).":
                "The project's actual spending exceeds the approved promotion support (or the settled amount).",
            "Tạm ứng vượt tỷ lệ cho phép": "Advance above the allowed share",
            "Tổng tạm ứng vượt tỷ lệ tạm ứng tối đa trên kinh phí được duyệt của nội dung này.":
                "The advances exceed this content's maximum advance share of the approved support.",
            "Có kết quả nhưng chưa chi tiền": "Results but no spending",
            "Đề án ghi nhận kết quả trong kỳ nhưng đến hết kỳ chưa có khoản giải ngân nào (thực chi hoặc ước).":
                "The project recorded results in the period but has no disbursement (actual or estimated) up to the period's end.",
            "Đã chi tiền nhưng không có kết quả": "Spending but no results",
            "Đề án đã nghiệm thu và đã chi tiền nhưng không có kết quả (chỉ tiêu đầu ra) nào được ghi nhận.":
                "The project was accepted and has spent money, but no result (output indicator) has been recorded.",
            "Nghiệm thu không có biên bản": "Acceptance without a record",
            "Đề án ở trạng thái đã nghiệm thu / quyết toán nhưng không có bước nghiệm thu được ghi nhận.":
                "The project is accepted or settled, but no acceptance step has been recorded.",
            "Đã quyết toán nhưng số chi vẫn là số ước": "Settled, but spending still estimated",
            "Đề án đã quyết toán nhưng số giải ngân cả năm vẫn chỉ là số ước, chưa có số thực chi.":
                "The project is settled, but its disbursements for the year are still estimates, with no actual spending.",
            "Thực hiện vượt kế hoạch": "Realised above plan",
            "Số thực hiện của một nội dung (hoặc của cả đơn vị) vượt kế hoạch được giao.":
                "The realised figure of a content (or of the whole unit) exceeds the plan assigned.",
            "Một cơ sở được hỗ trợ trùng": "An establishment supported twice",
            "Cùng một cơ sở (mã số thuế) được hỗ trợ cùng một nội dung trong cùng năm bởi hai đề án hoặc hai tỉnh.":
                "The same establishment (tax code) is supported for the same content in the same year by two projects or two provinces.",
            "Số ước chưa được thay bằng số thực hiện": "Estimate not replaced by actual figures",
            "Số ước của 6 tháng đầu năm vẫn chưa được thay bằng số thực hiện dù báo cáo 6 tháng đã được phê duyệt.":
                "The first-half estimates have not been replaced by actual figures, though the half-year report has been approved.",
            "Chi phí đơn vị bất thường": "Unusual unit cost",
            "Kinh phí đã chi trên một cơ sở / học viên / mô hình trình diễn khác xa các đề án cùng nội dung, cùng năm trên cả nước (trung vị và MAD trên thang logarit, |z| > 3,5).":
                "The spending per establishment / trainee / demonstration model is far from the country's projects of the same content and year (median and MAD on a log scale, |z| > 3.5).",
            "Biến động bất thường so với năm trước": "Unusual change from the previous year",
            "Kế hoạch hoặc số thực hiện của đơn vị tăng hoặc giảm quá số lần cho phép so với cùng kỳ năm trước.":
                "The unit's plan or realised figure rose or fell by more than the allowed factor against the same period of the previous year.",
            // The page
            "Các đơn vị được xem": "The units you may read",
            // The findings (one entry per kind of message)
            "Đề án {0} đã thực chi {1}, vượt kinh phí được duyệt {2}.": "Project {0} has spent {1}, above the approved support of {2}.",
            "Đề án {0} đã thực chi {1}, vượt số quyết toán {2}.": "Project {0} has spent {1}, above the settled amount of {2}.",
            "Đề án {0} đã tạm ứng {1}, vượt {2}% kinh phí được duyệt {3}.":
                "Project {0} has received advances of {1}, above {2}% of the approved support of {3}.",
            "Đề án {0} ghi nhận kết quả trong kỳ nhưng đến hết kỳ chưa có khoản giải ngân nào.":
                "Project {0} recorded results in the period but has no disbursement up to the period's end.",
            "Đề án {0} đã nghiệm thu, đã chi {1} nhưng không có kết quả nào được ghi nhận.":
                "Project {0} was accepted and has spent {1}, but no result has been recorded.",
            "Đề án {0} ở trạng thái \"{1}\" nhưng không có bước nghiệm thu được ghi nhận.":
                "Project {0} is \"{1}\", but no acceptance step has been recorded.",
            "Đề án {0} đã quyết toán nhưng số chi cả năm vẫn là số ước ({1}).":
                "Project {0} is settled, but its spending for the year is still an estimate ({1}).",
            "Đề án {0}: số ước giải ngân {1} của 6 tháng đầu năm chưa được thay bằng số thực hiện, dù báo cáo 6 tháng đã được phê duyệt.":
                "Project {0}: the first-half disbursement estimate ({1}) has not been replaced by actual figures, though the half-year report has been approved.",
            "Cơ sở mã số thuế {0} được đề án {1} hỗ trợ nội dung {2} năm {3}, đồng thời được hỗ trợ cùng nội dung bởi đề án {4}.":
                "The establishment with tax code {0} is supported by project {1} for content {2} in {3}, and for the same content also by project {4}.",
            "{0}: nội dung {1} ({2}) thực hiện {3}, vượt kế hoạch {4}.": "{0}: content {1} ({2}) realised {3}, above the plan of {4}.",
            "{0}: thực hiện {1}, vượt kế hoạch {2}.": "{0}: realised {1}, above the plan of {2}.",
            "{0}: kế hoạch năm {1} là {2}, năm trước {3} (chênh quá {4} lần).":
                "{0}: the {1} plan is {2}, the previous year's {3} (a change beyond {4} times).",
            "{0}: thực hiện {1} là {2}, cùng kỳ năm trước {3} (chênh quá {4} lần).":
                "{0}: realised in {1} is {2}, the same period of the previous year {3} (a change beyond {4} times).",
        ]
        // A finding that names an indicator or its unit: one entry each, so that the name is read as a whole.
        let unitsEnglish = ["mô hình": "model", "cơ sở": "establishment", "người": "person", "sản phẩm": "product", "sự kiện": "event"]
        for indicator in ReferenceData.indicators {
            entries["Đề án {0}: số ước kết quả \(indicator.vietnameseName.lowercased()) {1} của 6 tháng đầu năm chưa được thay bằng số thực hiện, dù báo cáo 6 tháng đã được phê duyệt."] =
                "Project {0}: the first-half estimate of \(indicator.englishName.lowercased()) ({1}) has not been replaced by actual figures, though the half-year report has been approved."
            let unit = unitsEnglish[indicator.unitLabel] ?? indicator.unitLabel
            entries["Đề án {0}: {1} cho mỗi \(indicator.unitLabel) ({2}), trong khi trung vị của nội dung {3} năm {4} trên cả nước là {5} (z = {6})."] =
                "Project {0}: {1} per \(unit) ({2}), while the country's median for content {3} in {4} is {5} (z = {6})."
        }
        return entries
    }()
}
