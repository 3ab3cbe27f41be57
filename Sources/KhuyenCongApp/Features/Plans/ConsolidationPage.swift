import Foundation
import KhuyenCongCore
import Vapor

/// The consolidation page's context: every figure formatted, every permission decided; a refused allocation form
/// comes back with its error and what was typed, on its own row.
struct ConsolidationPage: Encodable {
    struct Row: Encodable {
        let anchor: String; let code: UnitCode; let name: String; let planLink: String; let registrationLink: String
        let status: String; let submitted: String; let late: String; let decision: String
        let projects: String; let support: String; let asked: String; let approved: String; let allocated: String; let notAllocated: String
        /// The allocation form (the ministry officer, on an approved plan with something left to allocate).
        let canAllocate: Bool; let allocateAction: String
        let error: String?; let typedAmount: String; let typedDate: String; let typedDecision: String
    }
    struct Totals: Encodable {
        let label: String; let projects: String; let support: String; let asked: String; let approved: String; let allocated: String; let notAllocated: String
    }
    struct Group: Encodable { let name: String; let rows: [Row]; let subtotal: Totals }
    struct Year: Encodable { let label: String; let link: String; let current: Bool }
    struct Late: Encodable { let text: String }

    let title: String
    let layout: PageLayout
    let csrf: String
    let heading: String
    let note: String
    let years: [Year]
    let xlsxLink: String
    let groups: [Group]
    let total: Totals
    let late: [Late]
    let error: String?

    /// What a refused allocation form sent: the unit it was for and the fields as typed.
    struct Sent { var unitCode: UnitCode = ""; var fields: [String: String] = [:]; var error: String? = nil }

    static func build(_ data: Consolidation, user: User, req: Request, sent: Sent = .init()) -> ConsolidationPage {
        let money = { (amount: Money) in VietnameseFormat.money(amount) }
        let date = VietnameseFormat.date(stored:)
        func totals(_ label: String, _ t: Consolidation.Totals) -> Totals {
            Totals(label: label, projects: VietnameseFormat.count(Int64(t.registeredProjects)), support: money(t.supportRequestedVnd),
                   asked: money(t.askedVnd), approved: money(t.approvedVnd), allocated: money(t.allocatedVnd), notAllocated: money(t.notAllocatedVnd))
        }
        let groups = data.regions.map { group in
            Group(name: group.name, rows: group.rows.map { row -> Row in
                let status = row.status
                let canAllocate = AccessPolicy.decide(user.principal, .ministryDecision, RecordScope(unitID: row.unitID)) == .allow
                    && status == .approved && row.notAllocatedVnd > 0
                let mine = sent.unitCode == row.unitCode
                let late: String
                if let days = row.daysLate { late = row.submittedOn == nil ? "Chưa trình, quá hạn \(days) ngày" : "Muộn \(days) ngày" } else { late = "–" }
                return Row(anchor: "unit-\(row.unitCode)", code: row.unitCode, name: row.unitName,
                           planLink: Links.plan(unitCode: row.unitCode, year: data.year),
                           registrationLink: Links.registration(unitCode: row.unitCode, year: data.year),
                           status: status.vietnameseName, submitted: row.submittedOn.map { date($0) } ?? "–", late: late,
                           decision: row.decisionNo.map { "\($0), ngày \(date(row.approvedOn))" } ?? "–",
                           projects: VietnameseFormat.count(Int64(row.registeredProjects)), support: money(row.supportRequestedVnd),
                           asked: money(row.askedVnd), approved: money(row.approvedVnd), allocated: money(row.allocatedVnd),
                           notAllocated: money(row.notAllocatedVnd),
                           canAllocate: canAllocate || (mine && sent.error != nil),
                           allocateAction: Links.allocations(unitCode: row.unitCode, year: data.year),
                           error: mine ? sent.error : nil, typedAmount: mine ? sent.fields["amountVnd"] ?? "" : "",
                           typedDate: mine ? sent.fields["allocatedOn"] ?? "" : "", typedDecision: mine ? sent.fields["decisionNo"] ?? "" : "")
            }, subtotal: totals("Cộng \(group.name)", group.subtotal))
        }
        let late = data.rows.filter { $0.daysLate != nil }.map { row in
            Late(text: row.submittedOn.map { "\(row.unitName): trình Bộ ngày \(date($0)), muộn \(row.daysLate!) ngày" }
                 ?? "\(row.unitName): chưa trình Bộ, đã quá hạn \(row.daysLate!) ngày")
        }
        let thisYear = CalendarDate.today().year
        return ConsolidationPage(
            title: "Tổng hợp kế hoạch khuyến công quốc gia năm \(data.year)", layout: PageLayout(req), csrf: CSRF.token(for: req),
            heading: "Tổng hợp đăng ký kế hoạch khuyến công quốc gia năm \(data.year)",
            note: "Hạn đơn vị thực hiện gửi Sở Công Thương: \(date(data.registrationDeadline)); hạn Sở Công Thương gửi Bộ Công Thương: \(date(data.ministryDeadline)) (Điều 10 Thông tư 36/2013/TT-BCT). Số liệu đến ngày \(date(data.asOf)).",
            years: ((thisYear - 2)...(thisYear + 1)).map { Year(label: String($0), link: Links.consolidation(year: $0), current: $0 == data.year) },
            xlsxLink: Links.consolidation(year: data.year) + ".xlsx",
            groups: groups, total: totals("Cả nước", data.total), late: late, error: sent.unitCode.rawValue.isEmpty ? sent.error : nil)
    }

    /// The same table as a sheet: a row per province, a subtotal per region and the country total; numbers as numbers.
    static func sheet(_ data: Consolidation) -> Spreadsheet {
        var sheet = Spreadsheet(name: "Tong hop \(data.year)", columns: [
            ("Mã", 8), ("Tỉnh, thành phố", 28), ("Khu vực", 16), ("Trạng thái kế hoạch quốc gia", 24), ("Ngày trình Bộ", 14),
            ("Số ngày muộn", 12), ("Quyết định phê duyệt", 28), ("Số đề án đăng ký", 12), ("Kinh phí đề nghị hỗ trợ (đồng)", 20),
            ("Kế hoạch đề nghị, chưa duyệt (đồng)", 20), ("Kế hoạch được duyệt (đồng)", 20), ("Đã phân bổ (đồng)", 20),
            ("Duyệt nhưng chưa phân bổ (đồng)", 20),
        ])
        func totals(_ label: String, _ t: Consolidation.Totals) -> [Spreadsheet.Cell] {
            [.text(label), .empty, .empty, .empty, .empty, .empty, .empty, .integer(Int64(t.registeredProjects)), .money(t.supportRequestedVnd),
             .money(t.askedVnd), .money(t.approvedVnd), .money(t.allocatedVnd), .money(t.notAllocatedVnd)]
        }
        for group in data.regions {
            for row in group.rows {
                sheet.rows.append([
                    .text(row.unitCode.rawValue), .text(row.unitName), .text(group.name),
                    .text(row.status.vietnameseName),
                    row.submittedOn.map { .text(VietnameseFormat.date(stored: $0)) } ?? .empty,
                    row.daysLate.map { .integer(Int64($0)) } ?? .empty,
                    row.decisionNo.map { .text("\($0), ngày \(VietnameseFormat.date(stored: row.approvedOn))") } ?? .empty,
                    .integer(Int64(row.registeredProjects)), .money(row.supportRequestedVnd), .money(row.askedVnd),
                    .money(row.approvedVnd), .money(row.allocatedVnd), .money(row.notAllocatedVnd),
                ])
            }
            sheet.rows.append(totals("Cộng \(group.name)", group.subtotal))
        }
        sheet.rows.append(totals("Cả nước", data.total))
        return sheet
    }
}

extension Links {
    /// The ministry's consolidation of the national plans of a year.
    static func consolidation(year: Int) -> String { SiteRoute.consolidation(year: year).path }
    /// Where the allocation form of a unit's plan posts.
    static func allocations(unitCode: UnitCode, year: Int) -> String { SiteRoute.planPart(unitCode: unitCode, year: year, .allocations).path }
}
