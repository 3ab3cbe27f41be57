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

    /// The paragraphs in `language`: each sentence a catalog entry with its values (`MessageCatalog.text`), so the
    /// Vietnamese is the same text byte for byte and the English has the same figures in their English form.
    static func paragraphs(_ f: Figures, scope: ReportScope, in language: Language = .vi) -> [String] {
        let s = f.all, year = scope.year
        func t(_ key: String, _ values: [String] = []) -> String { MessageCatalog.text(key, in: language, values) }
        func money(_ amount: Money) -> String { VietnameseFormat.money(amount, in: language) }
        func percent(_ ratio: Ratio?) -> String { VietnameseFormat.percent(ratio, in: language) }
        func count(_ value: Int64) -> String { VietnameseFormat.count(value, in: language) }
        func name(_ text: String) -> String { MessageCatalog.value(text, in: language) }
        let periodName = scope.period.vietnameseName(year: year)
        // Inside a sentence: "6 tháng đầu năm 2026" as it is, "first half of 2026".
        let period = language == .vi ? periodName : name(periodName).lowercasedFirst
        let area: String
        switch scope.area {
        case .country: area = t("của {0} tỉnh, thành phố trên cả nước", [String(s.byUnit.count)])
        case .region(let region):
            area = t("của {0} tỉnh, thành phố {1}", [String(s.byUnit.count), language == .vi ? region.vietnameseName.lowercasedFirst : region.englishName])
        case .unit: area = t("của {0}", [name(s.scope.name)])
        }
        let whole = t(scope.area == .country ? "cả nước" : (scope.area == .unit(code: s.scope.unitCode ?? "") ? "toàn tỉnh" : "toàn vùng"))
        var text: [String] = []

        text.append(t("Tổng kế hoạch kinh phí khuyến công năm {0} được duyệt {1} là {2}, {3} so với kế hoạch năm {4} ({5}). {6}, kinh phí {7} ước thực hiện đạt {8}, đạt {9} kế hoạch năm, {10} so với cùng kỳ.", [
            String(year), area, money(s.plan.amountVnd), comparison(from: s.plan.previousYearVnd, to: s.plan.amountVnd, decimals: 1, in: language),
            String(year - 1), money(s.plan.previousYearVnd), language == .vi ? periodName.capitalizedFirst : name(periodName), whole,
            money(s.realised.amountVnd), percent(Ratio(s.realised.amountVnd, over: s.plan.amountVnd)),
            comparison(from: s.realised.samePeriodPreviousYearVnd, to: s.realised.amountVnd, decimals: 2, in: language)]))

        func planned(_ indicator: String, in summary: ReportSummary) -> String {
            count(summary.targets.first { $0.indicator == indicator }?.planned ?? 0)
        }
        func realised(_ indicator: String, in summary: ReportSummary) -> String {
            count(summary.targets.first { $0.indicator == indicator }?.realised ?? 0)
        }
        text.append(t("Theo kế hoạch năm {0}, các địa phương sẽ hỗ trợ xây dựng {1} mô hình trình diễn kỹ thuật sản xuất sản phẩm mới, ứng dụng công nghệ mới và mô hình thí điểm áp dụng sản xuất sạch hơn; hỗ trợ {2} cơ sở chuyển giao công nghệ, ứng dụng máy móc tiên tiến vào các khâu sản xuất và nâng cấp hệ thống xử lý ô nhiễm môi trường; hỗ trợ đánh giá sản xuất sạch hơn cho {3} cơ sở công nghiệp nông thôn. Tổng kinh phí hỗ trợ là {4}, chiếm {5} kinh phí khuyến công {6}.", [
            String(year), planned("demo_models", in: f.key), planned("establishments_supported", in: f.key), planned("cp_assessments", in: f.key),
            money(f.key.plan.amountVnd), percent(Ratio(f.key.plan.amountVnd, over: s.plan.amountVnd)), whole]))

        text.append(t("Ước thực hiện {0}, khuyến công địa phương hỗ trợ được {1} cơ sở công nghiệp nông thôn ứng dụng máy móc thiết bị tiên tiến vào dây chuyền sản xuất công nghiệp - tiểu thủ công nghiệp và {2} cơ sở được hỗ trợ đánh giá sản xuất sạch hơn. Kinh phí thực hiện {3}, đạt {4} kế hoạch năm.", [
            period, realised("establishments_supported", in: f.localKey), realised("cp_assessments", in: f.localKey),
            money(f.localKey.realised.amountVnd), percent(Ratio(f.localKey.realised.amountVnd, over: f.localKey.plan.amountVnd))]))

        let m = f.monitoring
        let waitingKey = m.waitingAllocation.filter { keyCategories.contains($0.category) }
        if !waitingKey.isEmpty {
            text.append(t("Đến nay, {0} đề án khuyến công quốc gia về xây dựng mô hình trình diễn kỹ thuật, chuyển giao công nghệ, ứng dụng máy móc tiên tiến và sản xuất sạch hơn (tổng {1}) đã được phê duyệt nhưng chưa được phân bổ kinh phí để triển khai thực hiện; đề án chờ lâu nhất đã {2} ngày.", [
                String(waitingKey.count), money(Money(dong: waitingKey.reduce(0) { $0 + $1.approvedVnd.dong })), String(waitingKey.map(\.daysWaiting).max() ?? 0)]))
        }
        var findings: [String] = []
        if !m.lateSubmissions.isEmpty {
            let byUnit = Dictionary(grouping: m.lateSubmissions, by: \.unitName).sorted { $0.key < $1.key }
            findings.append(t("Đăng ký đề án khuyến công quốc gia chậm so với quy định: {0}.", [byUnit.map { unit, rows in
                t("{0} ({1} đề án năm {2}, muộn đến {3} ngày)", [name(unit), String(rows.count), Set(rows.map(\.year)).sorted().map(String.init).joined(separator: ", "),
                                                              String(rows.map(\.daysLate).max() ?? 0)])
            }.joined(separator: "; ")]))
        }
        if !m.silentUnits.isEmpty {
            findings.append(t("Không đăng ký đề án khuyến công quốc gia trong {0} năm gần đây: {1}.", [String(m.silentYears), m.silentUnits.map { name($0.name) }.joined(separator: ", ")]))
        }
        let missing = m.periodReports.filter { $0.state == .missing }, lateReports = m.periodReports.filter { $0.state == .late }
        if !missing.isEmpty { findings.append(t("Chưa nộp báo cáo {0}: {1}.", [period, missing.map { name($0.name) }.joined(separator: ", ")])) }
        if !lateReports.isEmpty {
            findings.append(t("Nộp báo cáo {0} muộn: {1}.", [period, lateReports.map { t("{0} ({1} ngày)", [name($0.name), String($0.daysLate ?? 0)]) }.joined(separator: ", ")]))
        }
        findings += m.deadlineFindings(in: language)
        if !findings.isEmpty { text.append(t("Theo dõi, giám sát: {0}", [findings.joined(separator: " ")])) }
        return text
    }

    static func money(_ dong: Money) -> String { VietnameseFormat.money(dong) }

    /// "thấp hơn 8,5%", "cao hơn 10,25%", "bằng" ("8.5% lower than", "10.25% higher than", "equal to").
    static func comparison(from previous: Money, to current: Money, decimals: Int, in language: Language = .vi) -> String {
        guard let change = Ratio.change(from: previous, to: current) else { return MessageCatalog.text("chưa có số liệu so sánh", in: language) }
        if change.numerator == 0 { return MessageCatalog.text("bằng", in: language) }
        let magnitude = Ratio(abs(change.numerator), over: abs(change.denominator))
        return MessageCatalog.text(change.numerator > 0 ? "cao hơn {0}" : "thấp hơn {0}", in: language,
                                   [VietnameseFormat.percent(magnitude, decimals: decimals, in: language)])
    }
}

extension String {
    var lowercasedFirst: String { prefix(1).lowercased() + dropFirst() }
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
