import KhuyenCongCore
import Vapor

/// The register page: the filter form (with what was typed), one page of projects, the next page and downloads.
struct ProjectRegisterPage: Encodable {
    struct Option: Encodable { let value: String; let name: String; let selected: Bool }
    struct Row: Encodable {
        let code: String
        let link: String
        let title: String
        let unit: String
        let year: Int
        let source: String
        let category: String
        let implementingUnit: String
        let support: String
        let status: String
        let submittedOn: String
    }

    let title = "Danh sách đề án – Khuyến công"
    let layout: PageLayout
    let action = Links.projectRegister
    let scope: String
    let q: String
    let taxCode: String
    let year: String
    let late: Bool
    let waiting: Bool
    let units: [Option]
    let sources: [Option]
    let categories: [Option]
    let statuses: [Option]
    let sorts: [Option]
    let rows: [Row]
    let nextLink: String?
    let firstLink: String?
    let csvLink: String?
    let xlsxLink: String?
    let error: String?

    init(_ req: Request, user: User, query: ProjectRegister.Query?, typed: [String: String], page: ProjectRegister.Page?, error: String?) {
        layout = PageLayout(req)
        let principal = user.principal
        let catalog = AdminUnitCatalog.standard
        let readable = ProjectRegister.readableUnitIDs(principal)
        scope = switch principal.role {
        case .provinceOfficer: principal.unitCode.flatMap { try? catalog.resolve(code: $0, on: .today()).name } ?? "Tỉnh của bạn"
        case .regionReviewer, .appraiser: principal.region?.vietnameseName ?? "Khu vực của bạn"
        case .viewer: "Không có đề án nào trong phạm vi xem"
        default: "Cả nước"
        }
        func text(_ name: String) -> String { typed[name] ?? "" }
        q = text("q")
        taxCode = text("taxCode")
        year = text("year")
        late = query?.late ?? false
        waiting = query?.waiting ?? false
        // Today's units whose projects (or predecessors' projects) the caller may read, by name.
        units = catalog.units(in: nil, on: .today()).filter { unit in
            guard let readable else { return true }
            return !(ProjectRegister.unitIDs(code: unit.code) ?? []).isDisjoint(with: readable)
        }.sorted { $0.name < $1.name }.map { Option(value: $0.code.rawValue, name: $0.name, selected: text("unit") == $0.code.rawValue) }
        sources = FundingSource.allCases.map { Option(value: $0.rawValue, name: $0.vietnameseName, selected: text("source") == $0.rawValue) }
        categories = ReferenceData.categories.map { Option(value: $0.code, name: "\($0.code). \($0.vietnameseName)", selected: text("category") == $0.code) }
        statuses = ProjectStatus.allCases.map { Option(value: $0.rawValue, name: $0.vietnameseName, selected: text("status") == $0.rawValue) }
        let sort = text("sort").isEmpty ? "code" : text("sort")
        sorts = ProjectRegister.Sort.allCases.flatMap { order in
            [Option(value: order.rawValue, name: "\(order.vietnameseName) (tăng dần)", selected: sort == order.rawValue),
             Option(value: "-" + order.rawValue, name: "\(order.vietnameseName) (giảm dần)", selected: sort == "-" + order.rawValue)]
        }
        rows = (page?.rows ?? []).map { row in
            Row(code: row.code, link: Links.project(row.code), title: row.title, unit: row.unitName, year: row.year, source: row.sourceName,
                category: row.categoryName, implementingUnit: row.implementingUnit, support: VietnameseFormat.money(row.supportVnd),
                status: row.statusName, submittedOn: row.submittedOn.map { VietnameseFormat.date(stored: $0) } ?? "–")
        }
        let parameters = query?.parameters ?? []
        nextLink = page?.next.map { Links.projectRegister(parameters + [("after", $0.encoded)]) }
        firstLink = query?.after != nil ? Links.projectRegister(parameters) : nil
        csvLink = query.map { _ in Links.projectRegister(parameters + [("format", "csv")]) }
        xlsxLink = query.map { _ in Links.projectRegister(parameters + [("format", "xlsx")]) }
        self.error = error
    }
}
