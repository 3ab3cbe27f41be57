import Fluent
import KhuyenCongCore
import Vapor

/// `GET /establishments/{taxCode}` (the page) and `GET /api/v1/establishments/{taxCode}`: every project supporting the
/// establishment in the caller's scope, 404 when none is; a tax code that is not one is a 422 naming `taxCode`.
struct EstablishmentsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.establishment(), use: page).access(.signedIn)
        routes.get(.api(.establishment()), use: show).access(.signedIn)
    }

    static func load(_ req: Request) async throws -> EstablishmentHistory {
        let user = try req.requireUser()
        let text = try req.parameters.require("taxCode")
        let taxCode: TaxCode
        do { taxCode = try TaxCode(text) } catch let error as DomainError {
            throw DomainError.invalid(vi: "taxCode: \(error.vietnamese)", en: "taxCode: \(error.english)")
        }
        guard let history = try await EstablishmentHistory.load(taxCode: taxCode, for: user.principal, on: req.db) else {
            throw DomainError(.notFound, vi: "Không tìm thấy cơ sở có mã số thuế \(taxCode) trong phạm vi của bạn",
                              en: "no establishment with tax code \(taxCode.digits) in your scope")
        }
        return history
    }

    struct DTO: Content {
        struct Project: Content {
            let code: String
            let year: Int
            let unitCode: UnitCode
            let category: String
            let supportVnd: Money
            let status: ProjectStatus
            let title: String
            let unitName: String
            let source: FundingSource
        }
        let taxCode: String
        let name: String
        let projects: [Project]
        /// The content categories in which two or more live projects support the establishment.
        let doubleFundingCategories: [String]
    }

    @Sendable func show(req: Request) async throws -> DTO {
        let history = try await Self.load(req)
        return DTO(taxCode: history.taxCode.digits, name: history.name, projects: history.rows.map { row in
            .init(code: row.code, year: row.year, unitCode: row.unitCode, category: row.category, supportVnd: row.supportVnd,
                  status: row.status, title: row.title, unitName: row.unitName, source: row.source)
        }, doubleFundingCategories: history.doubleFunding.map(\.category))
    }

    @Sendable func page(req: Request) async throws -> View {
        let history = try await Self.load(req)
        return try await req.view.render("establishments/show", EstablishmentPage(history, layout: PageLayout(req)))
    }
}

/// The establishment page's context, every string formatted.
struct EstablishmentPage: Encodable {
    struct Row: Encodable {
        let code: String; let link: String; let title: String; let year: Int; let unit: String; let unitLink: String
        let source: String; let category: String; let status: String; let support: String; let doubleFunded: Bool
    }
    let title: String
    let layout: PageLayout
    let name: String
    let taxCode: String
    let commune: String
    let total: String
    let rows: [Row]
    /// One sentence per content category supported twice or more.
    let warnings: [String]

    init(_ history: EstablishmentHistory, layout: PageLayout) {
        let money = { (amount: Money) in VietnameseFormat.money(amount) }
        let doubled = history.doubleFunding
        let doubledCodes = Set(doubled.flatMap { $0.rows.map(\.code) })
        title = "\(history.name) – Khuyến công"
        self.layout = layout
        name = history.name
        taxCode = history.taxCode.description
        commune = history.commune
        total = money(history.totalSupportVnd)
        rows = history.rows.map { row in
            Row(code: row.code, link: Links.project(row.code), title: row.title, year: row.year, unit: row.unitName, unitLink: Links.unit(row.unitID),
                source: row.source.vietnameseName,
                category: EstablishmentHistory.categoryName(row.category),
                status: row.status.vietnameseName,
                support: money(row.supportVnd), doubleFunded: doubledCodes.contains(row.code))
        }
        warnings = doubled.map { group in
            "Cơ sở được hỗ trợ \(group.rows.count) lần cho cùng nội dung \(EstablishmentHistory.categoryName(group.category)): "
                + group.rows.map { "\($0.code) (\($0.year), \($0.unitName), \(money($0.supportVnd)))" }.joined(separator: "; ")
                + ". Không được hỗ trợ trùng lặp từ ngân sách nhà nước cho cùng một nội dung (Thông tư liên tịch 26/2014/TTLT-BTC-BCT, Điều 7)."
        }
    }
}
