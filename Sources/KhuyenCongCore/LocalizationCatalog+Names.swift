/// The English of the names the pages show from Swift name tables: statuses, roles, funding sources, content
/// categories, indicators, kinds of support and periods. Keyed by the Vietnamese name, as the rest of the catalog.
extension MessageCatalog {
    /// The names the pages show from name tables: a project's status, a role, a funding source, a content category,
    /// an indicator, a kind of support, a period (with its year as a value).
    static let namesEnglish: [String: String] = {
        var names: [String: String] = [:]
        for status in ProjectStatus.allCases { names[status.vietnameseName] = status.englishName }
        for role in Role.allCases { names[role.vietnameseName] = role.englishName }
        for source in FundingSource.allCases { names[source.vietnameseName] = source.englishName }
        for category in ReferenceData.categories {
            names[category.vietnameseName] = category.englishName
            names["\(category.code). \(category.vietnameseName)"] = "\(category.code). \(category.englishName)"
        }
        for indicator in ReferenceData.indicators { names[indicator.vietnameseName] = indicator.englishName }
        for (vietnamese, english) in supportKindsEnglish { names[vietnamese] = english }
        for kind in SupportRules.kinds {
            if let english = supportKindsEnglish[kind.vietnameseName] { names["\(kind.category). \(kind.vietnameseName)"] = "\(kind.category). \(english)" }
        }
        for (vietnamese, english) in swiftTextsEnglish { names[vietnamese] = english }
        return names
    }()

    /// The kinds of support (`SupportRules.kinds`), by their Vietnamese names.
    static let supportKindsEnglish: [String: String] = [
        "Mô hình trình diễn kỹ thuật (công nghệ mới, sản phẩm mới)": "Technical demonstration model (new technology, new product)",
        "Ứng dụng máy móc thiết bị tiên tiến, chuyển giao công nghệ": "Advanced machinery and technology transfer",
        "Ứng dụng cả dây chuyền sản xuất": "A whole production line",
        "Mô hình thí điểm sản xuất sạch hơn": "Cleaner-production pilot model",
        "Tư vấn, đánh giá sản xuất sạch hơn": "Cleaner-production consulting and assessment",
        "Xử lý ô nhiễm môi trường tại cơ sở, cụm công nghiệp": "Pollution treatment at establishments and industrial clusters",
        "Phát triển sản phẩm công nghiệp nông thôn tiêu biểu": "Development of outstanding rural industrial products",
        "Hội chợ, triển lãm, phòng trưng bày sản phẩm": "Fairs, exhibitions, showrooms",
        "Liên kết, cụm liên kết ngành, chuỗi giá trị": "Linkages, industry clusters, value chains",
        "Đầu tư hạ tầng cụm công nghiệp": "Industrial cluster infrastructure",
        "Đào tạo nghề, truyền nghề, nâng cao năng lực quản lý": "Vocational training, craft transfer, management capacity",
        "Tư vấn, trợ giúp cơ sở công nghiệp nông thôn": "Consulting and help for rural industrial establishments",
        "Hỗ trợ thành lập doanh nghiệp": "Support for founding enterprises",
        "Thông tin, tuyên truyền": "Information and communication",
        "Nâng cao năng lực hệ thống khuyến công": "Capacity of the industrial promotion system",
        "Chuyển đổi số": "Digital transformation",
        "Sản xuất bền vững": "Sustainable production",
        "cơ sở": "establishment",
        "mô hình": "model",
    ]
}

extension ProjectStatus {
    public var englishName: String {
        switch self {
        case .draft: "Draft"
        case .submitted: "Submitted"
        case .appraisedProvince: "Appraised by the province"
        case .registered: "Registered with the Ministry"
        case .appraisedMinistry: "Appraised by the Ministry"
        case .approved: "Approved"
        case .allocated: "Budget allocated"
        case .contracted: "Contracted"
        case .inProgress: "In progress"
        case .accepted: "Accepted"
        case .settled: "Settled"
        case .closed: "Closed"
        case .returned: "Returned for changes"
        case .rejected: "Not approved"
        case .cancelled: "Cancelled"
        case .moved: "Moved to another year or source"
        }
    }
}

extension Role {
    public var englishName: String {
        switch self {
        case .admin: "System administrator"
        case .ministryOfficer: "Ministry of Industry and Trade officer"
        case .regionReviewer: "Region reviewer"
        case .provinceOfficer: "Provincial Department of Industry and Trade / Promotion Centre officer"
        case .appraiser: "Appraisal council member"
        case .viewer: "Viewer"
        }
    }
}

extension FundingSource {
    public var englishName: String {
        switch self {
        case .national: "National industrial promotion"
        case .local: "Local industrial promotion"
        }
    }
}
