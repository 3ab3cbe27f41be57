import KhuyenCongCore
import Vapor

/// The registration report's page: every figure already formatted; the template only loops.
/// The project has no duration field, so the report has no duration column.
struct RegistrationPage: Encodable {
    struct Row: Encodable {
        let code: String; let link: String; let title: String; let implementingUnit: String; let status: String
        let beneficiaries: String; let location: String
        let totalCost: String; let support: String; let counterpart: String
        let score: String; let opinions: [String]
    }
    struct Group: Encodable {
        let category: String; let rows: [Row]; let count: Int
        let totalCost: String; let support: String; let counterpart: String
    }

    let title: String
    let layout: PageLayout
    let heading: String
    let unitLink: String
    let unitName: String
    let planLink: String
    let xlsxLink: String
    let groups: [Group]
    let count: Int
    let totalCost: String
    let support: String
    let counterpart: String

    struct Sums { let totalCost: Money; let support: Money; let counterpart: Money }

    /// Checked sums of a set of rows: total cost, support requested, counterpart.
    static func sums(_ rows: [RegistrationReport.Row]) throws -> Sums {
        Sums(totalCost: try Money.sum(rows.map(\.supportRequested) + rows.map(\.counterpart)),
             support: try Money.sum(rows.map(\.supportRequested)),
             counterpart: try Money.sum(rows.map(\.counterpart)))
    }

    static func score(_ mean: Double?) -> String {
        mean.map { VietnameseFormat.decimal(Int64(($0 * 10).rounded()), decimals: 1) } ?? "–"
    }

    static func build(_ report: RegistrationReport, req: Request) throws -> RegistrationPage {
        let money = { (amount: Money) in VietnameseFormat.money(amount) }
        let groups = try report.byCategory.map { group -> Group in
            let sums = try sums(group.rows)
            return Group(category: report.categoryName(group.code), rows: try group.rows.map { row in
                Row(code: row.code, link: Links.project(row.code), title: row.title, implementingUnit: row.implementingUnit,
                    status: row.status.vietnameseName,
                    beneficiaries: row.beneficiaries.isEmpty ? "–" : row.beneficiaries.joined(separator: "; "),
                    location: row.communes.isEmpty ? "–" : row.communes.joined(separator: "; "),
                    totalCost: money(try row.supportRequested + row.counterpart),
                    support: money(row.supportRequested), counterpart: money(row.counterpart),
                    score: score(row.provinceScore), opinions: row.provinceOpinions)
            }, count: group.rows.count, totalCost: money(sums.totalCost), support: money(sums.support),
               counterpart: money(sums.counterpart))
        }
        let all = try sums(report.rows)
        let unit = report.key.unit
        return RegistrationPage(
            title: "Đăng ký đề án khuyến công quốc gia năm \(report.key.year) – \(unit.name)", layout: PageLayout(req),
            heading: "\(unit.name): danh mục đề án khuyến công quốc gia đăng ký năm \(report.key.year)",
            unitLink: Links.unit(unit.id), unitName: unit.name,
            planLink: Links.plan(unitCode: unit.code, year: report.key.year),
            xlsxLink: Links.registration(unitCode: unit.code, year: report.key.year) + ".xlsx",
            groups: groups, count: report.rows.count,
            totalCost: money(all.totalCost), support: money(all.support), counterpart: money(all.counterpart))
    }

    /// The same table as a sheet: one row per project, a subtotal row per category and a grand total; numbers as numbers.
    static func sheet(_ report: RegistrationReport) throws -> Spreadsheet {
        var sheet = Spreadsheet(name: "Dang ky \(report.key.year)", columns: [
            ("Mã đề án", 16), ("Tên đề án", 48), ("Đơn vị thực hiện", 30), ("Trạng thái", 22), ("Cơ sở thụ hưởng", 36),
            ("Địa điểm", 24), ("Nội dung", 40), ("Tổng kinh phí (đồng)", 18), ("Kinh phí khuyến công đề nghị (đồng)", 18),
            ("Vốn đối ứng (đồng)", 18), ("Điểm thẩm định cấp tỉnh", 12), ("Ý kiến thẩm định cấp tỉnh", 48),
        ])
        func totals(_ label: String, _ sums: Sums) -> [Spreadsheet.Cell] {
            [.text(label), .empty, .empty, .empty, .empty, .empty, .empty,
             .money(sums.totalCost), .money(sums.support), .money(sums.counterpart), .empty, .empty]
        }
        for group in report.byCategory {
            let category = report.categoryName(group.code)
            for row in group.rows {
                sheet.rows.append([
                    .text(row.code), .text(row.title), .text(row.implementingUnit), .text(row.status.vietnameseName),
                    .text(row.beneficiaries.joined(separator: "; ")), .text(row.communes.joined(separator: "; ")), .text(category),
                    .money(try row.supportRequested + row.counterpart),
                    .money(row.supportRequested), .money(row.counterpart),
                    row.provinceScore.map { .decimal($0) } ?? .empty, .text(row.provinceOpinions.joined(separator: "\n")),
                ])
            }
            sheet.rows.append(totals("Cộng nội dung \(group.code)", try sums(group.rows)))
        }
        sheet.rows.append(totals("Tổng cộng", try sums(report.rows)))
        return sheet
    }
}

extension Links {
    /// The national registration report of a unit (by its code on 1 January of the plan year) and year.
    static func registration(unitCode: UnitCode, year: Int) -> String { SiteRoute.planPart(unitCode: unitCode, year: year, .registration).path }
}
