import Fluent
import Foundation
import KhuyenCongCore

/// The period report as an administrative document (Decree 30/2020/NĐ-CP): national name and motto, agency,
/// number and symbol, place and date, title, body (the narrative, the tables, the monitoring findings),
/// recipients and signature block. Every figure comes from `ReportNarrative.figures`, whose `all` is the
/// summary `report summary` prints: nothing is computed here.
enum ReportDocument {
    typealias P = WordDocument.Paragraph
    typealias Cell = WordDocument.Cell

    static let nationalName = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    static let motto = "Độc lập - Tự do - Hạnh phúc"

    /// Who issues the document and signs it: the provincial Department of Industry and Trade for a unit,
    /// the ministry's khuyến công agency for a region or the country.
    struct Issuer: Equatable {
        let parent: String
        let agency: String
        let symbol: String
        let place: String
        let signer: String
        let recipients: [String]

        /// `agency`: the ministry's agency as named on the report's as-of date (`AgencyNames`, settings page).
        static func of(_ scope: ReportScope, summary: ReportSummary, agency: AgencyName) -> Issuer {
            guard case .unit = scope.area else {
                return Issuer(parent: "BỘ CÔNG THƯƠNG", agency: agency.headerLines,
                              symbol: "BC-" + agency.shortName, place: "Hà Nội", signer: "CỤC TRƯỞNG",
                              recipients: ["- Bộ trưởng (để báo cáo);", "- Các Thứ trưởng;",
                                           "- Sở Công Thương các tỉnh, thành phố" + (scope.area == .country ? "" : " trong khu vực") + ";",
                                           "- Lưu: VT, \(agency.shortName)."])
            }
            let name = summary.scope.name
            let city = name.hasPrefix("Thành phố ")
            let place = city ? String(name.dropFirst("Thành phố ".count)) : name
            return Issuer(parent: "ỦY BAN NHÂN DÂN " + (city ? name : "Tỉnh " + name).uppercased(), agency: "SỞ CÔNG THƯƠNG",
                          symbol: "BC-SCT", place: place, signer: "GIÁM ĐỐC",
                          recipients: ["- Bộ Công Thương (\(agency.name));",
                                       "- UBND " + (city ? "thành phố" : "tỉnh") + " (để báo cáo);", "- Lưu: VT, KC."])
        }
    }

    /// The figures of `scope` (the same as `report summary`) and the document built from them.
    static func build(_ scope: ReportScope, on db: any Database) async throws -> (figures: ReportNarrative.Figures, document: WordDocument) {
        let figures = try await ReportNarrative.figures(scope, on: db)
        return (figures, document(figures, scope: scope, agency: try await AgencyNames.inForce(on: scope.asOf, db: db)))
    }

    static func document(_ f: ReportNarrative.Figures, scope: ReportScope, agency: AgencyName) -> WordDocument {
        let s = f.all, m = f.monitoring
        let period = scope.period.vietnameseName(year: scope.year)
        let issuer = Issuer.of(scope, summary: s, agency: agency)
        let whose: String
        switch scope.area {
        case .country: whose = "trên phạm vi cả nước"
        case .region(let region): whose = region.vietnameseName.firstLowercased
        case .unit: whose = s.scope.name.hasPrefix("Thành phố ") ? s.scope.name.firstLowercased : "tỉnh " + s.scope.name
        }
        var doc = WordDocument()
        doc.asOf = scope.asOf   // the same report, the same bytes
        doc.footer = (scope.area == .unit(code: s.scope.unitCode ?? "") ? "" : "Bộ Công Thương – \(agency.name) – ")
            + "Báo cáo khuyến công – \(s.scope.name) – \(period) – số liệu đến ngày \(VietnameseFormat.date(scope.asOf))"

        // National name and motto beside the agency; number and symbol beside place and date.
        let small = 12.0
        doc.add(WordDocument.Table(widths: [6.6, 9.9], rows: [[
            Cell([P(issuer.parent, size: small, alignment: .center, after: 0),
                  P(issuer.agency, bold: true, size: small, alignment: .center, after: 0),
                  // The short solid line under the agency's name.
                  P("────────", size: 8, alignment: .center, after: 4),
                  P("Số:        /\(issuer.symbol)", alignment: .center, after: 0)]),
            Cell([P(nationalName, bold: true, size: small, alignment: .center, after: 0),
                  P([.init(motto, bold: true, underline: true)], alignment: .center, after: 6),
                  P("\(issuer.place), ngày \(pad(scope.asOf.day)) tháng \(scope.asOf.month < 3 ? pad(scope.asOf.month) : String(scope.asOf.month)) năm \(scope.asOf.year)",
                    italic: true, alignment: .center, after: 0)]),
        ]], headerRows: 0, borders: false))

        doc.add(P("BÁO CÁO", bold: true, size: 14, alignment: .center, before: 18, after: 0, keepWithNext: true))
        doc.add(P("Tình hình thực hiện công tác khuyến công \(period.firstLowercased)\n\(whose)", bold: true, size: 14,
                  alignment: .center, after: 4, keepWithNext: true))
        doc.add(P("(Số liệu đến ngày \(VietnameseFormat.date(scope.asOf))"
                  + (scope.source.map { ", nguồn \($0.vietnameseName.firstLowercased)" } ?? "")
                  + (scope.restate ? ", quy đổi theo đơn vị hành chính hiện nay" : "")
                  + (s.approval?.note ?? "")
                  + ")", italic: true, alignment: .center, after: 12))

        func heading(_ text: String) { doc.add(P(text, bold: true, before: 6, after: 6, keepWithNext: true)) }
        func body(_ text: String) { doc.add(P(text, after: 6, indent: 1)) }

        heading("I. TÌNH HÌNH THỰC HIỆN")
        for paragraph in ReportNarrative.paragraphs(f, scope: scope) where !paragraph.hasPrefix("Theo dõi, giám sát:") { body(paragraph) }

        heading("II. SỐ LIỆU TỔNG HỢP")
        var tableNumber = 0
        func table(_ title: String, widths: [Double], header: [String], rows: [[String]], total: [String]? = nil, numeric: Set<Int>) {
            tableNumber += 1
            doc.add(P([.init("Bảng \(tableNumber). ", bold: true), .init(title, bold: true)], alignment: .left, before: 6, after: 2, keepWithNext: true))
            doc.add(P("Đơn vị tính: đồng", italic: true, size: 11, alignment: .right, after: 2, keepWithNext: true))
            let size = 11.0
            func row(_ cells: [String], bold: Bool) -> [Cell] {
                cells.enumerated().map { Cell($1, bold: bold, size: size, alignment: numeric.contains($0) ? .right : .left) }
            }
            var rows = [header.map { Cell($0, bold: true, size: size, alignment: .center) }] + rows.map { row($0, bold: false) }
            if let total { rows.append(row(total, bold: true)) }
            doc.add(WordDocument.Table(widths: widths, rows: rows))
        }
        let amount = { (vnd: Money) in VietnameseFormat.count(vnd.dong) }
        let pct = { (part: Money, whole: Money) in VietnameseFormat.percent(Ratio(part, over: whole)) }

        table("Kế hoạch và thực hiện", widths: [6.1, 3.7, 3.7, 3.0],
              header: ["Chỉ tiêu", "Năm \(scope.year)", "Năm \(scope.year - 1)", "Tăng/giảm"],
              rows: [["Kế hoạch kinh phí cả năm", amount(s.plan.amountVnd), amount(s.plan.previousYearVnd),
                      VietnameseFormat.change(Ratio.change(from: s.plan.previousYearVnd, to: s.plan.amountVnd))],
                     ["Thực hiện \(scope.period.vietnameseName(year: scope.year).firstLowercased) và cùng kỳ", amount(s.realised.amountVnd),
                      amount(s.realised.samePeriodPreviousYearVnd),
                      VietnameseFormat.change(Ratio.change(from: s.realised.samePeriodPreviousYearVnd, to: s.realised.amountVnd), decimals: 2)],
                     ["Tỷ lệ thực hiện so với kế hoạch năm", pct(s.realised.amountVnd, s.plan.amountVnd),
                      pct(s.realised.samePeriodPreviousYearVnd, s.plan.previousYearVnd), ""]],
              numeric: [1, 2, 3])
        table("Kế hoạch và thực hiện theo nội dung khuyến công", widths: [1.0, 4.2, 3.5, 2.0, 3.5, 2.3],
              header: ["TT", "Nội dung", "Kế hoạch", "Tỷ trọng", "Thực hiện", "% KH"],
              rows: s.byCategory.map { [$0.category, $0.name, amount($0.planVnd), pct($0.planVnd, s.plan.amountVnd), amount($0.realisedVnd), pct($0.realisedVnd, $0.planVnd)] },
              total: ["", "Tổng cộng", amount(s.plan.amountVnd), pct(s.plan.amountVnd, s.plan.amountVnd), amount(s.realised.amountVnd), pct(s.realised.amountVnd, s.plan.amountVnd)],
              numeric: [2, 3, 4, 5])
        table("Kế hoạch và thực hiện theo nguồn kinh phí", widths: [6.1, 3.7, 3.7, 3.0],
              header: ["Nguồn kinh phí", "Kế hoạch", "Thực hiện", "% KH"],
              rows: s.bySource.map { row in
                  [row.source.vietnameseName, amount(row.planVnd), amount(row.realisedVnd), pct(row.realisedVnd, row.planVnd)]
              },
              numeric: [1, 2, 3])
        if !s.targets.isEmpty {
            tableNumber += 1
            doc.add(P([.init("Bảng \(tableNumber). ", bold: true), .init("Chỉ tiêu và kết quả", bold: true)], alignment: .left, before: 6, after: 2, keepWithNext: true))
            var rows = [["TT", "Chỉ tiêu", "Kế hoạch", "Thực hiện", "% KH"].map { Cell($0, bold: true, size: 11, alignment: .center) }]
            for (index, row) in s.targets.enumerated() {
                rows.append([Cell(String(index + 1), size: 11), Cell(row.name, size: 11),
                             Cell(VietnameseFormat.count(row.planned), size: 11, alignment: .right),
                             Cell(VietnameseFormat.count(row.realised), size: 11, alignment: .right),
                             Cell(VietnameseFormat.percent(Ratio(row.realised, over: row.planned)), size: 11, alignment: .right)])
            }
            doc.add(WordDocument.Table(widths: [1.0, 8.5, 2.4, 2.4, 2.2], rows: rows))
        }
        if scope.area != .unit(code: s.scope.unitCode ?? "") {
            table("Xếp hạng đơn vị theo tỷ lệ thực hiện", widths: [1.6, 5.4, 3.6, 3.6, 2.3],
                  header: ["Hạng", "Đơn vị", "Kế hoạch", "Thực hiện", "% KH"],
                  rows: s.byUnit.map { [String($0.rank), $0.name, amount($0.planVnd), amount($0.realisedVnd), pct($0.realisedVnd, $0.planVnd)] },
                  numeric: [0, 2, 3, 4])
        }
        if !m.pipeline.isEmpty {
            table("Đề án khuyến công quốc gia theo trạng thái", widths: [5.3, 2.0, 3.6, 3.6, 2.0],
                  header: ["Trạng thái", "Số đề án", "Kinh phí đề nghị", "Kinh phí duyệt", "Chờ TB (ngày)"],
                  rows: m.pipeline.map { [$0.name, String($0.count), amount($0.requestedVnd), amount($0.approvedVnd), $0.averageDaysInStatus.map(String.init) ?? "–"] },
                  numeric: [1, 2, 3, 4])
        }

        heading("III. THEO DÕI, GIÁM SÁT")
        let findings = Self.findings(m, period: period)
        for (index, finding) in findings.enumerated() {
            doc.add(P("\(index + 1). \(finding.0)" + (finding.1.isEmpty ? ": không có." : ":"), italic: true, after: 3, indent: 1,
                      keepWithNext: !finding.1.isEmpty))
            for (number, line) in finding.1.enumerated() {
                doc.add(P("- " + line + (number == finding.1.count - 1 ? "." : ";"), alignment: .left, after: 2, indent: 1))
            }
        }
        // The closing sentence stays on the page of the signature.
        doc.add(P("Trên đây là báo cáo tình hình thực hiện công tác khuyến công \(period.firstLowercased) \(whose)./.", after: 6, indent: 1, keepWithNext: true))

        // Recipients beside the signature block.
        doc.add(WordDocument.Table(widths: [8.0, 8.5], rows: [[
            Cell([P([.init("Nơi nhận:", bold: true, italic: true, size: 12)], alignment: .left, before: 12, after: 0)]
                 + issuer.recipients.map { P($0, size: 11, alignment: .left, after: 0) }),
            Cell([P(issuer.signer, bold: true, alignment: .center, before: 12, after: 0)]
                 + Array(repeating: P("", after: 12), count: 4)),
        ]], headerRows: 0, borders: false))
        return doc
    }

    /// The monitoring findings, each a title and its lines: part III of the document, a sheet of the XLSX export.
    static func findings(_ m: Monitoring, period: String) -> [(String, [String])] {
        let money = { (amount: Money) in VietnameseFormat.money(amount) }
        return [
            ("Đăng ký đề án khuyến công quốc gia muộn", m.lateSubmissions.map {
                "\($0.unitName): đề án \($0.projectCode) (năm \($0.year)) nộp ngày \(VietnameseFormat.date(stored: $0.submittedOn)), muộn \($0.daysLate) ngày"
            }),
            ("Không đăng ký đề án khuyến công quốc gia trong \(m.silentYears) năm gần đây", m.silentUnits.map {
                $0.name + ($0.lastNationalYear.map { ", lần gần nhất năm \($0)" } ?? "")
            }),
            ("Đề án đã phê duyệt, chưa được phân bổ kinh phí", m.waitingAllocation.map {
                "\($0.projectCode) – \($0.unitName): \(money($0.approvedVnd)), phê duyệt ngày \(VietnameseFormat.date(stored: $0.approvedOn)), đã chờ \($0.daysWaiting) ngày"
            }),
            ("Báo cáo \(period) chưa nộp hoặc nộp muộn", m.periodReports.map {
                "\($0.name): " + ($0.state == .missing ? "chưa nộp" : "nộp muộn") + ($0.daysLate.map { " \($0) ngày" } ?? "")
            }),
            ("Kế hoạch khuyến công quốc gia trình Bộ muộn", m.latePlanRegistrations.map {
                "\($0.unitName): kế hoạch năm \($0.year) " + ($0.submittedOn.map { "trình Bộ ngày \(VietnameseFormat.date(stored: $0)), muộn" } ?? "chưa trình Bộ, đã quá hạn")
                    + " \($0.daysLate) ngày (hạn \(VietnameseFormat.date(stored: $0.deadline)))"
            }),
            ("Đề án khuyến công quốc gia Sở Công Thương gửi Bộ muộn hoặc chưa gửi", m.lateMinistryRegistrations.map(\.line)),
            // One line per unit and per quarter (a region holds hundreds of such projects): the dashboard and the API list each.
            ("Đề án chưa quyết toán hoặc quyết toán muộn", Monitoring.settlementsByUnit(m.overdueSettlements).map(\.line)),
            ("Báo cáo quý chưa nộp hoặc nộp muộn", Monitoring.quarterLines(m.quarterlyReports)),
        ]
    }

    /// Decree 30: days below 10 and months below 3 take a leading zero ("ngày 05 tháng 02", "tháng 11").
    static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }

    /// "bao-cao-khuyen-cong-north-2026-H1.docx", like the dashboard's downloads.
    static func fileName(_ summary: ReportSummary, ext: String) -> String {
        "bao-cao-khuyen-cong-\(summary.scope.region.flatMap { summary.scope.unitCode == nil ? $0.rawValue : nil } ?? summary.scope.unitCode?.rawValue ?? "ca-nuoc")-\(summary.scope.year)-\(summary.scope.period.rawValue).\(ext)"
    }
}

private extension String {
    var firstLowercased: String { prefix(1).lowercased() + dropFirst() }
}
