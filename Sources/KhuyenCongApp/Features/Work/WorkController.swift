import Fluent
import Foundation
import KhuyenCongCore
import Vapor

/// `GET /me/work` (the page; also what `/` shows a signed-in person with work to do) and `GET /api/v1/me/work`.
struct WorkController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.myWork, use: page).access(.signedIn)
        routes.get(.api(.meWork), use: list).access(.signedIn)
    }

    struct ListDTO: Content {
        struct Item: Content {
            let kind: String
            let title: String
            let href: String
            /// ISO date (YYYY-MM-DD), or null.
            let due: String?

            /// `due` is always there: null when the work has no deadline.
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(kind, forKey: .kind)
                try container.encode(title, forKey: .title)
                try container.encode(href, forKey: .href)
                try container.encode(due, forKey: .due)
            }
        }
        let items: [Item]
    }

    @Sendable func list(req: Request) async throws -> ListDTO {
        let user = try req.requireUser()
        let items = try await WorkList.items(for: user.principal, on: req.db)
        return ListDTO(items: items.map { .init(kind: $0.kind.rawValue, title: $0.title, href: $0.href, due: $0.due?.description) })
    }

    @Sendable func page(req: Request) async throws -> View {
        try await Self.render(req)
    }

    static func render(_ req: Request) async throws -> View {
        let user = try req.requireUser()
        let today = CalendarDate.today()
        let items = try await WorkList.items(for: user.principal, today: today, on: req.db)
        req.storage[WorkCountMiddleware.Key.self] = items.count   // the frame's count is this page's, not a minute old
        return try await req.view.render("work/index", WorkPage.build(items, user: user, layout: PageLayout(req), today: today))
    }
}

/// The "Việc của tôi" page: the items grouped by kind, each with its deadline, and the places a role starts from.
struct WorkPage: Encodable {
    struct Row: Encodable { let title: String; let href: String; let due: String?; let overdue: Bool }
    struct Group: Encodable { let kind: String; let name: String; let count: Int; let rows: [Row]; let more: String? }

    /// The most items a group shows; the rest are counted (the register and the report lists hold them all).
    static let rowsShown = 100
    struct Link: Encodable { let name: String; let href: String; let id: String }

    let title = "Việc của tôi – Khuyến công"
    let layout: PageLayout
    let heading: String
    let summary: String
    let groups: [Group]
    /// Where this role starts from besides the list: their province, the register, the period reports, the programme.
    let links: [Link]

    static func build(_ items: [WorkList.Item], user: User, layout: PageLayout, today: CalendarDate) -> WorkPage {
        let principal = user.principal
        let groups = WorkList.Kind.allCases.compactMap { kind -> Group? in
            let rows = items.filter { $0.kind == kind }.map { item in
                Row(title: item.title, href: item.href, due: item.due.map(VietnameseFormat.date), overdue: item.due.map { $0 < today } ?? false)
            }
            return rows.isEmpty ? nil : Group(kind: kind.rawValue, name: kind.vietnameseName, count: rows.count, rows: Array(rows.prefix(rowsShown)),
                                              more: rows.count > rowsShown ? "… và \(rows.count - rowsShown) việc khác" : nil)
        }
        var links: [Link] = []
        if let province = Links.myProvince(principal) {
            links.append(Link(name: "Tỉnh của tôi", href: province, id: "my-province"))
        }
        if principal.role != .viewer { links.append(Link(name: "Danh sách đề án", href: Links.projectRegister, id: "register")) }
        if principal.role == .provinceOfficer || AccessPolicy.decide(principal, .ministryStep) == .allow {
            links.append(Link(name: "Báo cáo kỳ", href: Links.periodReports, id: "period-reports"))
        }
        if AccessPolicy.decide(principal, .ministryStep) == .allow {
            links.append(Link(name: "Tổng hợp kế hoạch khuyến công quốc gia năm \(today.year + 1)", href: Links.consolidation(year: today.year + 1), id: "consolidation-link"))
        }
        links.append(Link(name: "Chương trình khuyến công quốc gia 2026–2030: kết quả thực hiện", href: Links.programme(unitCode: nil), id: "programme-link"))
        links.append(Link(name: "Tổng quan khu vực", href: Links.overview(region: principal.region ?? Region.defaultHome), id: "overview-link"))
        return WorkPage(
            layout: layout, heading: "Việc của tôi",
            summary: items.isEmpty ? "Hiện không có việc nào đang chờ bạn." : "\(items.count) việc đang chờ \(user.displayName).",
            groups: groups, links: links)
    }
}

extension Links {
    /// The region overview (the public home page), with the region always named so that a signed-in person reaches it.
    static func overview(region: Region) -> String { SiteRoute.home.path(query: "region=\(region.rawValue)") }

    /// A province officer's unit page (today's unit, with its predecessors' history).
    static func myProvince(_ principal: Principal) -> String? {
        guard principal.role == .provinceOfficer, let code = principal.unitCode,
              let unit = AdminUnitCatalog.standard.units.first(where: { $0.code == code && $0.validUntil == nil }) else { return nil }
        return Links.unit(unit.id)
    }
}
