import Foundation
import KhuyenCongCore

/// The summary as tables for CSV and XLSX: the same figures as the JSON, one table per part.
enum SummaryExport {
    /// The tables for CSV: sheet names and source codes as machines read them.
    static func sheets(_ s: ReportSummary) -> [Spreadsheet] { tables(s, workbook: false) }

    /// The XLSX workbook: the same tables under Vietnamese sheet names with the names beside the codes, then the
    /// narrative and the monitoring findings on sheets of their own (what the report document holds).
    static func workbook(_ f: ReportNarrative.Figures, scope: ReportScope) -> [Spreadsheet] {
        var sheets = tables(f.all, workbook: true)
        let narrative = ReportNarrative.paragraphs(f, scope: scope).filter { !$0.hasPrefix("Theo dõi, giám sát:") }
        let prose = Spreadsheet(name: "Tình hình thực hiện", columns: [("Tình hình thực hiện – " + scope.period.vietnameseName(year: scope.year)
                                                                          + " – " + f.all.scope.name, 120)],
                                rows: narrative.map { [.wrapped($0)] })
        var monitoring = Spreadsheet(name: "Theo dõi, giám sát", columns: [("Nội dung theo dõi", 48), ("Đơn vị, đề án, chi tiết", 100)])
        for (title, lines) in ReportDocument.findings(f.monitoring, period: scope.period.vietnameseName(year: scope.year)) {
            guard !lines.isEmpty else { monitoring.rows.append([.wrapped(title), .label("Không có")]); continue }
            for (index, line) in lines.enumerated() { monitoring.rows.append([index == 0 ? .wrapped(title) : .empty, .wrapped(line)]) }
        }
        sheets.append(prose)
        sheets.append(monitoring)
        return sheets
    }

    private static func tables(_ s: ReportSummary, workbook: Bool) -> [Spreadsheet] {
        func pct(_ value: Double?) -> Spreadsheet.Cell { value.map { .decimal($0) } ?? .empty }
        let overview = Spreadsheet(name: workbook ? "Tổng hợp" : "tong_hop", columns: [("Chỉ tiêu", 44), ("Giá trị", 22)], rows: [
            [.text("Phạm vi"), .text(s.scope.name)],
            [.text("Năm kế hoạch"), .plain(Int64(s.scope.year))],
            [.text("Kỳ"), .text(workbook ? s.scope.period.vietnameseName(year: s.scope.year) : s.scope.period.rawValue)],
            [.text("Nguồn"), .text(s.scope.source.map { workbook ? $0.vietnameseName : $0.rawValue } ?? "tất cả")],
            [.text("Số liệu đến ngày"), (try? CalendarDate(parsing: s.scope.asOf)).map { .date($0) } ?? .text(s.scope.asOf)],
            [.text("Kế hoạch (đồng)"), .money(s.plan.amountVnd)],
            [.text("Kế hoạch năm trước (đồng)"), .money(s.plan.previousYearVnd)],
            [.text("Tăng/giảm kế hoạch (%)"), pct(s.plan.changePct)],
            [.text("Thực hiện (đồng)"), .money(s.realised.amountVnd)],
            [.text("Thực hiện/kế hoạch (%)"), pct(s.realised.pctOfPlan)],
            [.text("Cùng kỳ năm trước (đồng)"), .money(s.realised.samePeriodPreviousYearVnd)],
            [.text("Tăng/giảm so với cùng kỳ (%)"), pct(s.realised.changePct)],
        ])
        let categories = Spreadsheet(name: workbook ? "Nội dung" : "noi_dung",
                                     columns: [("Mã", 6), ("Nội dung", 60), ("Kế hoạch (đồng)", 20), ("Tỷ trọng (%)", 12), ("Thực hiện (đồng)", 20)],
                                     rows: s.byCategory.map { [.text($0.category), .text($0.name), .money($0.planVnd), pct($0.sharePct), .money($0.realisedVnd)] })
        let sources = workbook
            ? Spreadsheet(name: "Nguồn kinh phí", columns: [("Nguồn", 14), ("Tên nguồn", 26), ("Kế hoạch (đồng)", 20), ("Thực hiện (đồng)", 20), ("% kế hoạch", 12)],
                          rows: s.bySource.map { [.text($0.source.rawValue), .text($0.source.vietnameseName), .money($0.planVnd), .money($0.realisedVnd), pct($0.pctOfPlan)] })
            : Spreadsheet(name: "nguon", columns: [("Nguồn", 14), ("Kế hoạch (đồng)", 20), ("Thực hiện (đồng)", 20), ("% kế hoạch", 12)],
                          rows: s.bySource.map { [.text($0.source.rawValue), .money($0.planVnd), .money($0.realisedVnd), pct($0.pctOfPlan)] })
        let targets = Spreadsheet(name: workbook ? "Chỉ tiêu" : "chi_tieu", columns: [("Mã chỉ tiêu", 26), ("Chỉ tiêu", 60), ("Kế hoạch", 12), ("Thực hiện", 12)],
                                  rows: s.targets.map { [.text($0.indicator), .text($0.name), .integer($0.planned), .integer($0.realised)] })
        let units = Spreadsheet(name: workbook ? "Đơn vị" : "don_vi",
                                columns: [("Hạng", 8), ("Mã", 6), ("Đơn vị", 30), ("Kế hoạch (đồng)", 20), ("Thực hiện (đồng)", 20), ("% kế hoạch", 12)],
                                rows: s.byUnit.map { [.plain(Int64($0.rank)), .text($0.unitCode.rawValue), .text($0.name), .money($0.planVnd), .money($0.realisedVnd), pct($0.pctOfPlan)] })
        return [overview, categories, sources, targets, units]
    }

    /// One CSV holding every table one after another, each under a line with its name.
    static func csv(_ sheets: [Spreadsheet]) -> Data {
        var data = Data([0xEF, 0xBB, 0xBF])
        for sheet in sheets {
            data += Data("# \(sheet.name)\r\n".utf8)
            data += sheet.csv().dropFirst(3)
            data += Data("\r\n".utf8)
        }
        return data
    }
}
