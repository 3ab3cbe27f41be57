import KhuyenCongCore

/// The summary as a readable Vietnamese table for a terminal.
enum SummaryText {
    static func render(_ s: ReportSummary) -> String {
        let period = s.scope.period.vietnameseName(year: s.scope.year)
        var lines = [
            "\(s.scope.name) – \(period)\(s.scope.source.map { " – nguồn \($0.rawValue)" } ?? "")\(s.scope.restated ? " (quy đổi theo đơn vị hiện nay)" : "")",
            "Số liệu đến ngày \(VietnameseFormat.date(stored: s.scope.asOf))"
                + (s.approval?.note ?? ""),
            "",
            "Kế hoạch năm \(s.scope.year): \(money(s.plan.amountVnd)) (năm trước \(money(s.plan.previousYearVnd)), "
                + "\(VietnameseFormat.change(Ratio.change(from: s.plan.previousYearVnd, to: s.plan.amountVnd))))",
            "Thực hiện: \(money(s.realised.amountVnd)) = \(VietnameseFormat.percent(Ratio(s.realised.amountVnd, over: s.plan.amountVnd))) kế hoạch; "
                + "cùng kỳ \(money(s.realised.samePeriodPreviousYearVnd)) "
                + "(\(VietnameseFormat.change(Ratio.change(from: s.realised.samePeriodPreviousYearVnd, to: s.realised.amountVnd), decimals: 2)))",
            "",
            "Nội dung                                   Kế hoạch          Tỷ trọng   Thực hiện",
        ]
        for row in s.byCategory {
            lines.append(pad("\(row.category). \(row.name)", 42) + " " + pad(money(row.planVnd), 17) + " "
                         + pad(VietnameseFormat.percent(Ratio(row.planVnd, over: s.plan.amountVnd)), 10) + " " + money(row.realisedVnd))
        }
        lines += ["", "Nguồn                    Kế hoạch          Thực hiện         % KH"]
        for row in s.bySource {
            lines.append(pad(row.source.rawValue, 24) + " " + pad(money(row.planVnd), 17) + " " + pad(money(row.realisedVnd), 17) + " "
                         + VietnameseFormat.percent(Ratio(row.realisedVnd, over: row.planVnd)))
        }
        lines += ["", "Chỉ tiêu                   Kế hoạch   Thực hiện"]
        for row in s.targets {
            lines.append(pad(row.indicator, 26) + " " + pad(VietnameseFormat.count(row.planned), 10) + " " + VietnameseFormat.count(row.realised))
        }
        lines += ["", "Hạng  Mã  Đơn vị                        Kế hoạch          Thực hiện         % KH"]
        for row in s.byUnit {
            lines.append(pad(String(row.rank), 5) + " " + pad(row.unitCode.rawValue, 3) + " " + pad(row.name, 29) + " "
                         + pad(money(row.planVnd), 17) + " " + pad(money(row.realisedVnd), 17) + " "
                         + VietnameseFormat.percent(Ratio(row.realisedVnd, over: row.planVnd)))
        }
        return lines.joined(separator: "\n")
    }

    private static func money(_ dong: Money) -> String { VietnameseFormat.money(dong) }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? String(text.prefix(width)) : text + String(repeating: " ", count: width - text.count)
    }
}
