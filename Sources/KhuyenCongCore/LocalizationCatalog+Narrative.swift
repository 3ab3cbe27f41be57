/// The English of the report's narrative (Features/Reports/ReportNarrative.swift and the monitoring's sentences), of the
/// five-year programme's notes (Features/Programmes/ProgrammeStanding.swift) and of the notifications' texts
/// (Features/Notifications/NotificationRules.swift, DeadlineReminders.swift). The narrative and the notes are built in
/// the reader's language from these entries (`MessageCatalog.text(_:in:_:)`: the Vietnamese key with its values is
/// the Vietnamese text, byte for byte); a notification is stored in Vietnamese when it is made and shown in the
/// reader's language through these entries with values (`#tx`, `MessageCatalog.value`).
extension MessageCatalog {
    static let narrativeEnglish: [String: String] = [
        // The narrative's paragraphs
        "Tổng kế hoạch kinh phí khuyến công năm {0} được duyệt {1} là {2}, {3} so với kế hoạch năm {4} ({5}). {6}, kinh phí {7} ước thực hiện đạt {8}, đạt {9} kế hoạch năm, {10} so với cùng kỳ.":
            "The approved {0} industrial promotion budget {1} is {2}, {3} the {4} plan ({5}). {6}: estimated spending {7} reached {8}, {9} of the year's plan, {10} the same period of the previous year.",
        "của {0} tỉnh, thành phố trên cả nước": "of the {0} provinces and cities of the country",
        "của {0} tỉnh, thành phố {1}": "of the {0} provinces and cities of the {1}",
        "của {0}": "of {0}",
        "cả nước": "across the country",
        "toàn tỉnh": "across the province",
        "toàn vùng": "across the region",
        "cao hơn {0}": "{0} higher than",
        "thấp hơn {0}": "{0} lower than",
        "bằng": "equal to",
        "chưa có số liệu so sánh": "not comparable with",
        "Theo kế hoạch năm {0}, các địa phương sẽ hỗ trợ xây dựng {1} mô hình trình diễn kỹ thuật sản xuất sản phẩm mới, ứng dụng công nghệ mới và mô hình thí điểm áp dụng sản xuất sạch hơn; hỗ trợ {2} cơ sở chuyển giao công nghệ, ứng dụng máy móc tiên tiến vào các khâu sản xuất và nâng cấp hệ thống xử lý ô nhiễm môi trường; hỗ trợ đánh giá sản xuất sạch hơn cho {3} cơ sở công nghiệp nông thôn. Tổng kinh phí hỗ trợ là {4}, chiếm {5} kinh phí khuyến công {6}.":
            "Under the {0} plans, the localities will support {1} demonstration models of techniques for new products and new technology and pilot models of cleaner production; help {2} establishments take up technology, apply advanced machinery in production and upgrade their pollution treatment; and fund cleaner production assessments for {3} rural industrial establishments. This support totals {4}, {5} of the industrial promotion budget {6}.",
        "Ước thực hiện {0}, khuyến công địa phương hỗ trợ được {1} cơ sở công nghiệp nông thôn ứng dụng máy móc thiết bị tiên tiến vào dây chuyền sản xuất công nghiệp - tiểu thủ công nghiệp và {2} cơ sở được hỗ trợ đánh giá sản xuất sạch hơn. Kinh phí thực hiện {3}, đạt {4} kế hoạch năm.":
            "Estimated for {0}: local industrial promotion helped {1} rural industrial establishments apply advanced machinery and equipment in their industrial and handicraft production lines, and {2} establishments had cleaner production assessments. Spending was {3}, {4} of the year's plan.",
        "Đến nay, {0} đề án khuyến công quốc gia về xây dựng mô hình trình diễn kỹ thuật, chuyển giao công nghệ, ứng dụng máy móc tiên tiến và sản xuất sạch hơn (tổng {1}) đã được phê duyệt nhưng chưa được phân bổ kinh phí để triển khai thực hiện; đề án chờ lâu nhất đã {2} ngày.":
            "To date, {0} national industrial promotion projects on demonstration models, technology transfer, advanced machinery and cleaner production (totalling {1}) have been approved but not yet given the funds to carry them out; the longest has waited {2} days.",
        "Theo dõi, giám sát: {0}": "Monitoring: {0}",
        "Đăng ký đề án khuyến công quốc gia chậm so với quy định: {0}.": "National industrial promotion projects registered later than the rules allow: {0}.",
        "{0} ({1} đề án năm {2}, muộn đến {3} ngày)": "{0} ({1} projects of {2}, up to {3} days late)",
        "Không đăng ký đề án khuyến công quốc gia trong {0} năm gần đây: {1}.": "No national industrial promotion project registered in the last {0} years: {1}.",
        "Chưa nộp báo cáo {0}: {1}.": "Report for {0} not submitted: {1}.",
        "Nộp báo cáo {0} muộn: {1}.": "Report for {0} submitted late: {1}.",
        "{0} ({1} ngày)": "{0} ({1} days)",
        // The monitoring's sentences (Monitoring.deadlineFindings)
        "Sở Công Thương gửi Bộ Công Thương muộn {0} đề án khuyến công quốc gia (sau hạn {1}): {2}.":
            "Departments of Industry and Trade forwarded {0} national industrial promotion projects to the Ministry late (after the deadline of {1}): {2}.",
        "Sở Công Thương gửi Bộ Công Thương muộn {0} đề án khuyến công quốc gia (sau hạn {1} và các hạn khác): {2}.":
            "Departments of Industry and Trade forwarded {0} national industrial promotion projects to the Ministry late (after the deadline of {1} and others): {2}.",
        "{0} đề án đã thẩm định cấp tỉnh chưa được gửi Bộ Công Thương dù đã quá hạn: {1}.":
            "{0} projects appraised by the province not yet forwarded to the Ministry of Industry and Trade although overdue: {1}.",
        "{0} đề án chưa quyết toán hoặc quyết toán muộn so với hạn sau nghiệm thu cuối cùng: {1}.":
            "{0} projects not settled, or settled after the deadline following their final acceptance: {1}.",
        "{0} đề án chưa quyết toán hoặc quyết toán sau hạn khóa sổ ngày 22 tháng 01 năm sau: {1}.":
            "{0} projects not settled, or settled after the books closed on 22 January of the following year: {1}.",
        "Báo cáo {0} (hạn {1}): {2}.": "Report for {0} (due {1}): {2}.",
        "{0} đơn vị chưa nộp ({1})": "{0} units have not submitted ({1})",
        "{0} đơn vị nộp muộn ({1})": "{0} units submitted late ({1})",
        "quý I": "Q1", "quý II": "Q2", "quý III": "Q3", "quý IV": "Q4",
        "theo đơn vị hành chính của năm kế hoạch": "by the plan year's administrative units",
        "quy đổi theo đơn vị hành chính hiện nay": "restated to today's administrative units",
        "số liệu mới nhất; {0}/{1} đơn vị đã được duyệt báo cáo ({2})": "latest figures; {0} of {1} units have their reports approved ({2})",
        // The charts and the filter
        "Xem": "Show",
        "KH": "Plan",
        // The five-year programme's notes (ProgrammeStanding.basisNote, throughNote)
        "tính các đề án khuyến công quốc gia": "counting national industrial promotion projects",
        "tính các đề án của cả hai nguồn kinh phí": "counting the projects of both funding sources",
        "So với Chương trình khuyến công quốc gia giai đoạn {0} ({1}); {2}.": "Against the National industrial promotion programme {0} ({1}); {2}.",
        "So với chương trình khuyến công giai đoạn {0} của {1} ({2}); {3}.": "Against the industrial promotion programme {0} of {1} ({2}); {3}.",
        "Chỉ tiêu là tổng chương trình giai đoạn {0} của {1}/{2} tỉnh, thành phố trong khu vực đã có chương trình ({3}); thực hiện tính trên các tỉnh, thành phố đó, {4}.":
            "The targets are the sum of the {0} programmes of the {1} of {2} provinces and cities of the region that have one ({3}); realisation counts those provinces and cities, {4}.",
        "Chưa tỉnh, thành phố nào trong khu vực nhập chương trình giai đoạn {0}: so với Chương trình khuyến công quốc gia ({1}), phần đóng góp của khu vực; {2}.":
            "No province or city of the region has entered its {0} programme: against the National industrial promotion programme ({1}), the region's share; {2}.",
        "Chưa có chương trình khuyến công giai đoạn {0} được nhập cho {1}; chỉ hiện kết quả thực hiện, {2}.":
            "No industrial promotion programme {0} has been entered for {1}; only what was realised is shown, {2}.",
        "Quyết định số {0} ngày {1}": "Decision {0} of {1}",
        "Chương trình bắt đầu từ năm {0}: chưa có năm nào được tính.": "The programme starts in {0}: no year counts yet.",
        "Lũy kế {0}; số liệu đến ngày {1}.": "To date: {0}; figures as of {1}.",
        // Notifications (NotificationRules, DeadlineReminders): stored in Vietnamese, shown in the reader's language
        "Đề án \"{0}\" (mã {1})": "Project \"{0}\" (code {1})",
        "Báo cáo {0} của {1} (mã đơn vị {2})": "Report for {0} of {1} (unit code {2})",
        "Kế hoạch {0} năm {1} của {2} (mã đơn vị {3})": "{0} plan {1} of {2} (unit code {3})",
        "khuyến công quốc gia": "national industrial promotion",
        "khuyến công địa phương": "local industrial promotion",
        "{0} đã được nộp": "{0} submitted",
        "{0} đã được đăng ký với Bộ Công Thương": "{0} registered with the Ministry of Industry and Trade",
        "{0} bị trả lại để chỉnh sửa": "{0} returned for changes",
        "{0} không được phê duyệt": "{0} not approved",
        "{0} đã được phê duyệt": "{0} approved",
        "{0} đã được phân bổ kinh phí": "{0} allocated its funds",
        "{0} đã được mở khóa": "{0} unlocked",
        "{0} đã được trình": "{0} submitted to the Ministry",
        "{0} đã được nộp, chờ xem xét. Đơn vị: {1}.": "{0} has been submitted and awaits review. Unit: {1}.",
        "{0} đã được đăng ký với Bộ Công Thương, chờ xem xét. Đơn vị: {1}.": "{0} has been registered with the Ministry of Industry and Trade and awaits review. Unit: {1}.",
        "{0} bị trả lại để chỉnh sửa. Đơn vị: {1}.": "{0} has been returned for changes. Unit: {1}.",
        "{0} không được phê duyệt. Đơn vị: {1}.": "{0} has not been approved. Unit: {1}.",
        "{0} đã được phê duyệt. Đơn vị: {1}.": "{0} has been approved. Unit: {1}.",
        "{0} đã được phê duyệt. Kinh phí hỗ trợ được duyệt: {1}. Đơn vị: {2}.": "{0} has been approved. Support approved: {1}. Unit: {2}.",
        "{0} đã được phân bổ kinh phí. Đơn vị: {1}.": "{0} has been allocated its funds. Unit: {1}.",
        "{0} đã được nộp, chờ xem xét và phê duyệt.": "{0} has been submitted and awaits review and approval.",
        "{0} bị trả lại để chỉnh sửa.": "{0} has been returned for changes.",
        "{0} đã được phê duyệt; số liệu của kỳ đã được khóa.": "{0} has been approved; the period's figures are locked.",
        "{0} đã được mở khóa để điều chỉnh.": "{0} has been unlocked for corrections.",
        "{0} đã được trình Bộ Công Thương, chờ phê duyệt.": "{0} has been submitted to the Ministry of Industry and Trade for approval.",
        "{0} đã được phê duyệt.": "{0} has been approved.",
        "(không ghi)": "(none given)",
        "Nhắc hạn: {0} – hạn {1} (còn {2} ngày)": "Reminder: {0} – due {1} ({2} days left)",
        "Quá hạn: {0} – hạn {1} đã qua": "Overdue: {0} – due {1}, passed",
        "{0} của {1} (mã đơn vị {2}) đến hạn ngày {3}, còn {4} ngày.": "{0} of {1} (unit code {2}) is due on {3}, {4} days from now.",
        "{0} của {1} (mã đơn vị {2}) đã quá hạn ngày {3} mà chưa hoàn thành.": "{0} of {1} (unit code {2}) was due on {3} and is not done.",
        "Nộp hồ sơ quyết toán đề án {0} (nghiệm thu cuối cùng ngày {1})": "Submit the settlement file of project {0} (final acceptance on {1})",
        "Đăng ký đề án khuyến công quốc gia năm {0}": "Register the national industrial promotion projects of {0}",
        "Trình kế hoạch khuyến công quốc gia năm {0} lên Bộ Công Thương": "Submit the {0} national industrial promotion plan to the Ministry of Industry and Trade",
        "Nộp báo cáo {0}": "Submit the report for {0}",
        "Quyết toán kinh phí khuyến công năm {0}": "Settle the {0} industrial promotion funds",
    ]
}
