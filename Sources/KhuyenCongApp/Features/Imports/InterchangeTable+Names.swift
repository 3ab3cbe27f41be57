/// A table of the interchange files as the export form names it (the file and sheet names stay the codes).
extension InterchangeTable {
    var vietnameseName: String {
        switch self {
        case .planLines: "Kế hoạch kinh phí"
        case .planTargets: "Chỉ tiêu kế hoạch"
        case .projects: "Đề án"
        case .disbursements: "Giải ngân"
        case .outputs: "Kết quả thực hiện"
        }
    }
}
