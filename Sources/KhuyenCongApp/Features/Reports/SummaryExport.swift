import Foundation
import KhuyenCongCore

/// The summary as tables for CSV and XLSX: the same figures as the JSON, one table per part.
enum SummaryExport {
    static func sheets(_ s: ReportSummary) -> [Spreadsheet] {
        func pct(_ value: Double?) -> Spreadsheet.Cell { value.map { .decimal($0) } ?? .empty }
        let overview = Spreadsheet(name: "tong_hop", columns: [("Chỉ tiêu", 44), ("Giá trị", 22)], rows: [
            [.text("Phạm vi"), .text(s.scope.name)],
            [.text("Năm kế hoạch"), .integer(Int64(s.scope.year))],
            [.text("Kỳ"), .text(s.scope.period)],
            [.text("Nguồn"), .text(s.scope.source ?? "tất cả")],
            [.text("Số liệu đến ngày"), (try? CalendarDate(parsing: s.scope.asOf)).map { .date($0) } ?? .text(s.scope.asOf)],
            [.text("Kế hoạch (đồng)"), .integer(s.plan.amountVnd)],
            [.text("Kế hoạch năm trước (đồng)"), .integer(s.plan.previousYearVnd)],
            [.text("Tăng/giảm kế hoạch (%)"), pct(s.plan.changePct)],
            [.text("Thực hiện (đồng)"), .integer(s.realised.amountVnd)],
            [.text("Thực hiện/kế hoạch (%)"), pct(s.realised.pctOfPlan)],
            [.text("Cùng kỳ năm trước (đồng)"), .integer(s.realised.samePeriodPreviousYearVnd)],
            [.text("Tăng/giảm so với cùng kỳ (%)"), pct(s.realised.changePct)],
        ])
        let categories = Spreadsheet(name: "noi_dung", columns: [("Mã", 6), ("Nội dung", 60), ("Kế hoạch (đồng)", 20), ("Tỷ trọng (%)", 12), ("Thực hiện (đồng)", 20)],
                                     rows: s.byCategory.map { [.text($0.category), .text($0.name), .integer($0.planVnd), pct($0.sharePct), .integer($0.realisedVnd)] })
        let sources = Spreadsheet(name: "nguon", columns: [("Nguồn", 14), ("Kế hoạch (đồng)", 20), ("Thực hiện (đồng)", 20), ("% kế hoạch", 12)],
                                  rows: s.bySource.map { [.text($0.source), .integer($0.planVnd), .integer($0.realisedVnd), pct($0.pctOfPlan)] })
        let targets = Spreadsheet(name: "chi_tieu", columns: [("Mã chỉ tiêu", 26), ("Chỉ tiêu", 60), ("Kế hoạch", 12), ("Thực hiện", 12)],
                                  rows: s.targets.map { [.text($0.indicator), .text($0.name), .integer($0.planned), .integer($0.realised)] })
        let units = Spreadsheet(name: "don_vi", columns: [("Hạng", 8), ("Mã", 6), ("Đơn vị", 30), ("Kế hoạch (đồng)", 20), ("Thực hiện (đồng)", 20), ("% kế hoạch", 12)],
                                rows: s.byUnit.map { [.integer(Int64($0.rank)), .text($0.unitCode), .text($0.name), .integer($0.planVnd), .integer($0.realisedVnd), pct($0.pctOfPlan)] })
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
