/// Vietnamese names for the demo data set: products, establishments, communes, project titles.
enum DemoNames {
    static let products = [
        "chè", "miến dong", "mây tre đan", "gốm sứ", "đồ gỗ mỹ nghệ", "cơ khí nông cụ", "chế biến nông sản",
        "dệt thổ cẩm", "bánh đa nem", "nước mắm", "gạch không nung", "chế biến gỗ rừng trồng", "thêu ren",
        "chế biến dược liệu", "mộc dân dụng", "chế biến thức ăn chăn nuôi", "may mặc", "chế biến thủy sản",
    ]
    static let establishmentForms = [
        ("Hợp tác xã", "Hợp tác xã"), ("Công ty TNHH", "Doanh nghiệp nhỏ và vừa"), ("Hộ kinh doanh", "Hộ kinh doanh"),
        ("Công ty cổ phần", "Doanh nghiệp nhỏ và vừa"), ("Doanh nghiệp tư nhân", "Doanh nghiệp nhỏ và vừa"),
    ]
    static let givenNames = [
        "Phú Vinh", "Hòa Bình", "Tân Tiến", "Minh Phát", "Thành Công", "Hưng Thịnh", "An Khang", "Đại Phong",
        "Bảo Ngọc", "Quang Trung", "Sơn Hà", "Việt Tiến", "Trường Xuân", "Hồng Lĩnh", "Kim Sơn", "Thái Hòa",
        "Phúc Lộc", "Nam Thắng", "Đồng Tâm", "Hải Đăng", "Lam Sơn", "Bắc Hà", "Ngọc Lan", "Tuấn Anh",
    ]
    static let communes = [
        "xã Tân Lập", "xã Hòa An", "xã Quảng Phú", "xã Đông Sơn", "xã Thanh Lâm", "xã Yên Phong", "xã Minh Đức",
        "xã Phú Cường", "xã Tiên Du", "xã Hương Sơn", "xã Kim Bảng", "xã Vĩnh Tường", "xã Lạc Thủy", "xã Mai Châu",
    ]

    static func title(category: String, product: String, establishment: String, unitName: String, random: inout SeededRandom) -> String {
        switch category {
        case "1": random.pick([
            "Hỗ trợ ứng dụng máy móc thiết bị tiên tiến vào sản xuất \(product) tại \(establishment)",
            "Xây dựng mô hình trình diễn kỹ thuật sản xuất \(product)",
            "Chuyển giao công nghệ, ứng dụng dây chuyền \(product) tại \(establishment)"])
        case "2": random.pick([
            "Hỗ trợ xây dựng hệ thống xử lý nước thải cho cơ sở sản xuất \(product)",
            "Tư vấn đánh giá sản xuất sạch hơn cho các cơ sở \(product)",
            "Xây dựng mô hình thí điểm áp dụng sản xuất sạch hơn trong sản xuất \(product)"])
        case "3": random.pick([
            "Hỗ trợ tham gia Hội chợ hàng công nghiệp nông thôn tiêu biểu khu vực phía Bắc",
            "Bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp tỉnh \(unitName)",
            "Hỗ trợ thiết kế mẫu mã, bao bì sản phẩm \(product)"])
        case "4": "Hỗ trợ lập quy hoạch chi tiết, đầu tư hạ tầng cụm công nghiệp \(establishment)"
        case "5": random.pick([
            "Đào tạo nghề, truyền nghề \(product) cho lao động nông thôn",
            "Tập huấn nâng cao năng lực quản lý cho cơ sở công nghiệp nông thôn \(unitName)"])
        case "6": random.pick([
            "Xây dựng chuyên mục khuyến công trên Đài Phát thanh và Truyền hình \(unitName)",
            "Xuất bản bản tin khuyến công và cập nhật cơ sở dữ liệu khuyến công \(unitName)"])
        default: "Tập huấn nghiệp vụ khuyến công cho cán bộ khuyến công cấp huyện, xã \(unitName)"
        }
    }
}
