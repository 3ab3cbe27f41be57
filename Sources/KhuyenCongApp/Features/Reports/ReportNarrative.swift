import Fluent
import KhuyenCongCore

/// The report's prose in Vietnamese, in the sentences of the ministry's half-year report, from the same figures
/// as the summary (the summary of the whole scope, of categories 1 + 2, and of their local source), followed by
/// the monitoring findings.
enum ReportNarrative {
    static let keyCategories: Set<String> = ["1", "2"]

    struct Figures: Sendable {
        let all: ReportSummary
        let key: ReportSummary
        let localKey: ReportSummary
        let monitoring: Monitoring
    }

    static func figures(_ scope: ReportScope, on db: any Database) async throws -> Figures {
        var key = scope
        key.categories = keyCategories
        var localKey = key
        localKey.source = .local
        return Figures(all: try await ReportSummary.compute(scope, on: db), key: try await ReportSummary.compute(key, on: db),
                       localKey: try await ReportSummary.compute(localKey, on: db),
                       monitoring: try await Monitoring.compute(scope, on: db))
    }

    static func compose(_ scope: ReportScope, on db: any Database) async throws -> [String] {
        paragraphs(try await figures(scope, on: db), scope: scope)
    }

    static func paragraphs(_ f: Figures, scope: ReportScope) -> [String] {
        let s = f.all, year = scope.year
        let period = scope.period.vietnameseName(year: year)
        let area: String
        switch scope.area {
        case .country: area = "của \(s.byUnit.count) tỉnh, thành phố trên cả nước"
        case .region(let region): area = "của \(s.byUnit.count) tỉnh, thành phố \(region.vietnameseName.lowercasedFirst)"
        case .unit: area = "của \(s.scope.name)"
        }
        let whole = scope.area == .country ? "cả nước" : (scope.area == .unit(code: s.scope.unitCode ?? "") ? "toàn tỉnh" : "toàn vùng")
        var text: [String] = []

        text.append("Tổng kế hoạch kinh phí khuyến công năm \(year) được duyệt \(area) là \(money(s.plan.amountVnd)), "
            + "\(comparison(from: s.plan.previousYearVnd, to: s.plan.amountVnd, decimals: 1)) so với kế hoạch năm \(year - 1) "
            + "(\(money(s.plan.previousYearVnd))). \(period.capitalizedFirst), kinh phí \(whole) ước thực hiện đạt \(money(s.realised.amountVnd)), "
            + "đạt \(VietnameseFormat.percent(Ratio(s.realised.amountVnd, over: s.plan.amountVnd))) kế hoạch năm, "
            + "\(comparison(from: s.realised.samePeriodPreviousYearVnd, to: s.realised.amountVnd, decimals: 2)) so với cùng kỳ.")

        func planned(_ indicator: String, in summary: ReportSummary) -> String {
            VietnameseFormat.count(summary.targets.first { $0.indicator == indicator }?.planned ?? 0)
        }
        func realised(_ indicator: String, in summary: ReportSummary) -> String {
            VietnameseFormat.count(summary.targets.first { $0.indicator == indicator }?.realised ?? 0)
        }
        text.append("Theo kế hoạch năm \(year), các địa phương sẽ hỗ trợ xây dựng \(planned("demo_models", in: f.key)) mô hình trình diễn "
            + "kỹ thuật sản xuất sản phẩm mới, ứng dụng công nghệ mới và mô hình thí điểm áp dụng sản xuất sạch hơn; hỗ trợ "
            + "\(planned("establishments_supported", in: f.key)) cơ sở chuyển giao công nghệ, ứng dụng máy móc tiên tiến vào các khâu sản xuất "
            + "và nâng cấp hệ thống xử lý ô nhiễm môi trường; hỗ trợ đánh giá sản xuất sạch hơn cho \(planned("cp_assessments", in: f.key)) "
            + "cơ sở công nghiệp nông thôn. Tổng kinh phí hỗ trợ là \(money(f.key.plan.amountVnd)), chiếm "
            + "\(VietnameseFormat.percent(Ratio(f.key.plan.amountVnd, over: s.plan.amountVnd))) kinh phí khuyến công \(whole).")

        text.append("Ước thực hiện \(period), khuyến công địa phương hỗ trợ được \(realised("establishments_supported", in: f.localKey)) "
            + "cơ sở công nghiệp nông thôn ứng dụng máy móc thiết bị tiên tiến vào dây chuyền sản xuất công nghiệp - tiểu thủ công nghiệp và "
            + "\(realised("cp_assessments", in: f.localKey)) cơ sở được hỗ trợ đánh giá sản xuất sạch hơn. Kinh phí thực hiện "
            + "\(money(f.localKey.realised.amountVnd)), đạt \(VietnameseFormat.percent(Ratio(f.localKey.realised.amountVnd, over: f.localKey.plan.amountVnd))) kế hoạch năm.")

        let m = f.monitoring
        let waitingKey = m.waitingAllocation.filter { keyCategories.contains($0.category) }
        if !waitingKey.isEmpty {
            text.append("Đến nay, \(waitingKey.count) đề án khuyến công quốc gia về xây dựng mô hình trình diễn kỹ thuật, chuyển giao công nghệ, "
                + "ứng dụng máy móc tiên tiến và sản xuất sạch hơn (tổng \(money(waitingKey.reduce(0) { $0 + $1.approvedVnd }))) đã được phê duyệt "
                + "nhưng chưa được phân bổ kinh phí để triển khai thực hiện; đề án chờ lâu nhất đã \(waitingKey.map(\.daysWaiting).max() ?? 0) ngày.")
        }
        var findings: [String] = []
        if !m.lateSubmissions.isEmpty {
            let byUnit = Dictionary(grouping: m.lateSubmissions, by: \.unitName).sorted { $0.key < $1.key }
            findings.append("Đăng ký đề án khuyến công quốc gia chậm so với quy định: " + byUnit.map { name, rows in
                "\(name) (\(rows.count) đề án năm \(Set(rows.map(\.year)).sorted().map(String.init).joined(separator: ", ")), muộn đến \(rows.map(\.daysLate).max() ?? 0) ngày)"
            }.joined(separator: "; ") + ".")
        }
        if !m.silentUnits.isEmpty {
            findings.append("Không đăng ký đề án khuyến công quốc gia trong \(m.silentYears) năm gần đây: "
                + m.silentUnits.map(\.name).joined(separator: ", ") + ".")
        }
        let missing = m.periodReports.filter { $0.state == "missing" }, lateReports = m.periodReports.filter { $0.state == "late" }
        if !missing.isEmpty { findings.append("Chưa nộp báo cáo \(period): " + missing.map(\.name).joined(separator: ", ") + ".") }
        if !lateReports.isEmpty {
            findings.append("Nộp báo cáo \(period) muộn: " + lateReports.map { "\($0.name) (\($0.daysLate ?? 0) ngày)" }.joined(separator: ", ") + ".")
        }
        findings += m.deadlineFindings
        if !findings.isEmpty { text.append("Theo dõi, giám sát: " + findings.joined(separator: " ")) }
        return text
    }

    static func money(_ dong: Int64) -> String { VietnameseFormat.money(Money(dong: dong)) }

    /// "thấp hơn 8,5%", "cao hơn 10,25%", "bằng".
    static func comparison(from previous: Int64, to current: Int64, decimals: Int) -> String {
        guard let change = Ratio.change(from: previous, to: current) else { return "chưa có số liệu so sánh" }
        if change.numerator == 0 { return "bằng" }
        let magnitude = Ratio(abs(change.numerator), over: abs(change.denominator))
        return (change.numerator > 0 ? "cao hơn " : "thấp hơn ") + VietnameseFormat.percent(magnitude, decimals: decimals)
    }
}

extension String {
    var lowercasedFirst: String { prefix(1).lowercased() + dropFirst() }
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
