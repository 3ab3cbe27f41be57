import KhuyenCongCore

/// One of the dashboard's monitoring lists: its count and its first lines on the dashboard, every line on its own
/// page (`SiteRoute.dashboardList`) for the same query. A region's lists at national scale hold thousands of lines
/// (overdue settlements, late forwarded projects): written out whole they made the dashboard about 1 MB. Encoded (the
/// dashboard's context) it is only what the dashboard shows (`Shown`).
struct MonitoringSection: Encodable, Sendable {
    /// A line of a list; for the overdue settlements a unit's line with its projects' lines (`details`).
    struct Line: Encodable, Sendable {
        let text: String
        var details: [String] = []
        /// How many of `details` are not shown (on the dashboard), written out ("1.204"); empty when all are.
        var moreDetails = ""
    }

    /// On the dashboard: this many lines of a list, this many units of the settlements each with this many projects.
    static let lines = 10, units = 5, projectsPerUnit = 3

    let list: SiteRoute.MonitoringList
    /// The list's heading (Vietnamese; shown through the catalog).
    let title: String
    /// What the heading counts: the lines, or for the settlements the projects.
    let count: Int
    /// Every line.
    var all: [Line]
    /// The lines are already in the page's language (built in Swift in both): shown as they are, not through the catalog.
    var translated = false
    /// The whole list for the dashboard's query.
    let link: String

    init(_ list: SiteRoute.MonitoringList, _ lines: [Line], count: Int? = nil, query: String, translated: Bool = false) {
        self.list = list
        title = Self.title(list)
        self.count = count ?? lines.count
        all = lines
        self.translated = translated
        link = Links.dashboardList(list, query: query)
    }

    init(_ list: SiteRoute.MonitoringList, texts: [String], query: String, translated: Bool = false) {
        self.init(list, texts.map { Line(text: $0) }, query: query, translated: translated)
    }

    /// The first lines, as the dashboard shows them.
    var shown: [Line] {
        guard list == .overdueSettlements else { return Array(all.prefix(Self.lines)) }
        return all.prefix(Self.units).map {
            Line(text: $0.text, details: Array($0.details.prefix(Self.projectsPerUnit)),
                 moreDetails: $0.details.count > Self.projectsPerUnit ? Self.number($0.details.count - Self.projectsPerUnit) : "")
        }
    }

    static func title(_ list: SiteRoute.MonitoringList) -> String {
        switch list {
        case .lateSubmissions: "Đăng ký đề án quốc gia muộn"
        case .silentUnits: "Không đăng ký đề án quốc gia 3 năm gần đây"
        case .waitingAllocation: "Đã phê duyệt, chưa phân bổ kinh phí"
        case .periodReports: "Báo cáo kỳ chưa nộp hoặc nộp muộn"
        case .latePlanRegistrations: "Kế hoạch quốc gia trình Bộ muộn"
        case .lateMinistryRegistrations: "Đề án Sở gửi Bộ muộn hoặc chưa gửi"
        case .overdueSettlements: "Quyết toán quá hạn"
        case .quarterlyReports: "Báo cáo quý chưa nộp hoặc nộp muộn"
        }
    }

    static func number(_ count: Int) -> String { VietnameseFormat.count(Int64(count)) }

    /// The dashboard's context of a list: the count, the first lines and how many are left ("" when none), with the
    /// link to them all. Counts are written out ("4.870").
    struct Shown: Encodable, Sendable {
        let id: String; let title: String; let total: Int; let totalText: String; let translated: Bool
        let lines: [Line]; let more: String; let link: String
    }

    var onDashboard: Shown {
        let shown = self.shown
        return Shown(id: list.rawValue, title: title, total: count, totalText: Self.number(count), translated: translated, lines: shown,
                     more: all.count > shown.count ? Self.number(all.count - shown.count) : "", link: link)
    }

    func encode(to encoder: any Encoder) throws { try onDashboard.encode(to: encoder) }
}

/// A monitoring list whole (`reports/monitoring-list`): every line, the scope it is for, and the way back.
struct MonitoringListPage: Encodable, Sendable {
    let title: String
    let layout: PageLayout
    /// The dashboard's heading: the scope and period ("Khu vực phía Bắc: 6 tháng đầu năm 2024").
    let scope: String
    let subheading: String
    let heading: String
    /// What the heading counts (as on the dashboard), and written out.
    let total: Int
    let totalText: String
    let translated: Bool
    let lines: [MonitoringSection.Line]
    let dashboardLink: String

    /// `page` in the reader's `language` (`DashboardPage.localized`).
    init(_ section: MonitoringSection, of page: DashboardPage, layout: PageLayout, in language: Language) {
        title = MessageCatalog.value(section.title, in: language) + " – " + page.heading
        self.layout = layout
        scope = page.heading
        subheading = page.subheading
        heading = section.title
        total = section.count
        totalText = MonitoringSection.number(section.count)
        translated = section.translated
        lines = section.all
        dashboardLink = page.dashboardLink
    }
}

extension Links {
    /// A dashboard's monitoring list whole, for the dashboard's query.
    static func dashboardList(_ list: SiteRoute.MonitoringList, query: String) -> String { SiteRoute.dashboardList(list).path(query: query) }
}
