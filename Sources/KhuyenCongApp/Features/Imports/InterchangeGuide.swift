import Foundation
import KhuyenCongCore

/// What each column of the interchange tables means, in Vietnamese: the second sheet of a blank template, and the
/// names the XLSX export writes beside the codes.
struct InterchangeColumn: Sendable {
    let name: String
    let meaning: String
    let format: String
    /// The codes a cell may hold, with their Vietnamese names (empty: any value of the format).
    let allowed: [(code: String, name: String)]
    /// A valid value; the examples of a table's columns make one row that imports (after those of the tables before it).
    let example: String
    /// The header of the column of Vietnamese names the XLSX export puts right after this one ("Tên nguồn").
    let label: String?
}

extension InterchangeTable {
    /// The label columns' headers, as the importer compares them (lowercased): it skips these columns.
    var labelHeaders: Set<String> { Set(guide.compactMap { $0.label?.lowercased() }) }

    /// The table's columns in the order of `columns`, described.
    var guide: [InterchangeColumn] {
        columns.map { name in
            guard let column = Self.describe(name, in: self) else { preconditionFailure("column \(name) of \(rawValue) is not described") }
            return column
        }
    }

    /// Whether a column must hold a value.
    func isRequired(_ column: String) -> Bool { !optional.contains(column) }

    static let units = { AdminUnitCatalog.standard.units(in: nil, on: .today()).map { (code: $0.code.rawValue, name: $0.name) } }()
    static let sources = FundingSource.allCases.map { (code: $0.rawValue, name: $0.vietnameseName) }
    static let categories = ReferenceData.categories.map {
        (code: $0.code, name: $0.vietnameseName + ($0.validFrom.year > 2012 ? " (từ năm kế hoạch \($0.validFrom.year + 1))" : ""))
    }
    static let indicators = ReferenceData.indicators.map { (code: $0.code, name: "\($0.vietnameseName) (\($0.unitLabel))") }
    static let statuses = ProjectStatus.allCases.map { (code: $0.rawValue, name: $0.vietnameseName) }
    static let kinds = SupportRules.kinds.map { (code: $0.code, name: "\($0.vietnameseName) (nội dung \($0.category))") }
    static let marks = zip(BeneficiaryMarks.codes, ["Chủ cơ sở là nữ", "Chủ cơ sở là người dân tộc thiểu số", "Sử dụng lao động dân tộc thiểu số",
                                                    "Địa bàn khó khăn"]).map { (code: $0, name: $1) }
    static let bases = Basis.allCases.map { (code: $0.rawValue, name: $0.vietnameseName) }

    private static let date = "Ngày: YYYY-MM-DD hoặc DD/MM/YYYY; trong Excel có thể là ô kiểu ngày"
    private static let money = "Số nguyên đồng, không có phần lẻ (1500000000; cũng nhận 1.500.000.000)"
    private static let code = "Văn bản"

    // The examples make one coherent set: Thanh Hóa's (38) 2026 national plan line, its target, a project under it
    // (allocated, so that money and outputs may be recorded), an advance and an output of that project.
    private static func describe(_ name: String, in table: InterchangeTable) -> InterchangeColumn? {
        let dated = table == .disbursements || table == .outputs
        switch name {
        case "unit_code":
            return .init(name: name, meaning: "Mã đơn vị hành chính cấp tỉnh (2 chữ số) được giao kế hoạch hoặc quản lý đề án; mã của năm kế hoạch (trước năm 2026: mã của 63 tỉnh, thành phố cũ)",
                         format: "Văn bản 2 chữ số, giữ số 0 ở đầu (01, 38)", allowed: [], example: "38", label: "Tên đơn vị")
        case "year":
            return .init(name: name, meaning: "Năm kế hoạch", format: "Số nguyên 4 chữ số, từ 2000 đến 2100", allowed: [], example: "2026", label: nil)
        case "source":
            return .init(name: name, meaning: "Nguồn kinh phí khuyến công", format: code, allowed: sources, example: "national", label: "Tên nguồn")
        case "category":
            return .init(name: name, meaning: "Nội dung khuyến công (mã theo Nghị định 45/2012/NĐ-CP và 235/2025/NĐ-CP), phải có trong năm kế hoạch",
                         format: code, allowed: categories, example: "1", label: "Tên nội dung")
        case "amount_vnd" where table == .planLines:
            return .init(name: name, meaning: "Kinh phí kế hoạch theo quyết định (đồng); mỗi dòng là một lần giao hoặc điều chỉnh, dòng có ngày quyết định mới nhất là số đang áp dụng",
                         format: money, allowed: [], example: "1500000000", label: nil)
        case "amount_vnd":
            return .init(name: name, meaning: "Số tiền giải ngân (đồng)", format: money, allowed: [], example: "120000000", label: nil)
        case "approved_on" where table == .planLines:
            return .init(name: name, meaning: "Ngày ký quyết định giao hoặc điều chỉnh kế hoạch", format: date, allowed: [], example: "2025-12-15", label: nil)
        case "decision_no":
            return .init(name: name, meaning: "Số, ký hiệu quyết định giao kế hoạch (của Bộ Công Thương với nguồn quốc gia, của UBND tỉnh với nguồn địa phương)",
                         format: "Văn bản", allowed: [], example: "125/QĐ-BCT", label: nil)
        case "indicator":
            return .init(name: name, meaning: table == .planTargets ? "Chỉ tiêu kế hoạch (mã)" : "Chỉ tiêu mà kết quả được tính vào (mã)",
                         format: code, allowed: indicators, example: "establishments_supported", label: "Tên chỉ tiêu")
        case "quantity":
            return .init(name: name, meaning: table == .planTargets ? "Số lượng kế hoạch của chỉ tiêu" : "Số lượng kết quả đạt được",
                         format: "Số nguyên không âm", allowed: [], example: table == .planTargets ? "5" : "1", label: nil)
        case "code":
            return .init(name: name, meaning: "Mã đề án, duy nhất; nhập lại cùng mã thì cập nhật đề án đó", format: "Văn bản", allowed: [],
                         example: "KC-38-2026-01", label: nil)
        case "title":
            return .init(name: name, meaning: "Tên đề án", format: "Văn bản", allowed: [], example: "Hỗ trợ ứng dụng lò sấy chè tiết kiệm năng lượng", label: nil)
        case "implementing_unit":
            return .init(name: name, meaning: "Đơn vị thực hiện đề án", format: "Văn bản", allowed: [], example: "Trung tâm Khuyến công Thanh Hóa", label: nil)
        case "beneficiary_tax_code":
            return .init(name: name, meaning: "Mã số thuế của cơ sở thụ hưởng; đi cùng tên cơ sở", format: "Văn bản 10 hoặc 13 chữ số (0100109106, 0100109106-001)",
                         allowed: [], example: "0100109106", label: nil)
        case "beneficiary_name":
            return .init(name: name, meaning: "Tên cơ sở thụ hưởng; đi cùng mã số thuế", format: "Văn bản", allowed: [], example: "HTX chè Bát Mọt", label: nil)
        case "support_vnd":
            return .init(name: name, meaning: "Kinh phí khuyến công hỗ trợ (đồng): số được duyệt nếu đã duyệt, nếu chưa thì số đề nghị",
                         format: money, allowed: [], example: "300000000", label: nil)
        case "counterpart_vnd":
            return .init(name: name, meaning: "Vốn đối ứng của cơ sở (đồng); để trống là 0", format: money, allowed: [], example: "400000000", label: nil)
        case "status":
            return .init(name: name, meaning: "Trạng thái đề án; để trống thì giữ trạng thái đang có (đề án mới là dự thảo). Nhập trên trang web, trạng thái chỉ đổi qua các bước xử lý",
                         format: code, allowed: statuses, example: "in_progress", label: "Tên trạng thái")
        case "submitted_on":
            return .init(name: name, meaning: "Ngày nộp đề án (nhập trên trang web: để trống với đề án mới)", format: date, allowed: [], example: "2025-05-10", label: nil)
        case "approved_on":
            return .init(name: name, meaning: "Ngày phê duyệt đề án (nhập trên trang web: để trống với đề án mới)", format: date, allowed: [], example: "2026-01-10", label: nil)
        case "allocated_on":
            return .init(name: name, meaning: "Ngày phân bổ kinh phí (nhập trên trang web: để trống với đề án mới)", format: date, allowed: [], example: "2026-01-20", label: nil)
        case "support_kind":
            return .init(name: name, meaning: "Loại hỗ trợ của đề án, thuộc nội dung của đề án; để trống là loại mặc định của nội dung",
                         format: code, allowed: kinds, example: "machinery", label: "Tên loại hỗ trợ")
        case "beneficiary_support_kind":
            return .init(name: name, meaning: "Loại hỗ trợ riêng của cơ sở thụ hưởng; để trống là loại của đề án",
                         format: code, allowed: kinds, example: "machinery", label: "Tên loại hỗ trợ của cơ sở")
        case "beneficiary_priority_marks":
            return .init(name: name, meaning: "Đối tượng ưu tiên của cơ sở mới (Nghị định 235/2025/NĐ-CP), nhiều mã cách nhau bằng dấu chấm phẩy",
                         format: "Các mã cách nhau bằng ;", allowed: marks, example: "women_owned", label: "Tên đối tượng ưu tiên")
        case "project_code":
            return .init(name: name, meaning: "Mã đề án đã có (hoặc có trong bảng projects của cùng tệp), đã được phân bổ kinh phí",
                         format: "Văn bản", allowed: [], example: "KC-38-2026-01", label: "Tên đề án")
        case "date" where dated:
            return .init(name: name, meaning: table == .disbursements ? "Ngày giải ngân" : "Ngày ghi nhận kết quả", format: date, allowed: [],
                         example: table == .disbursements ? "2026-03-01" : "2026-06-30", label: nil)
        case "basis":
            return .init(name: name, meaning: "Cơ sở số liệu: số thực hiện, hoặc số ước thực hiện (trong một kỳ, số thực hiện thay cho số ước)",
                         format: code, allowed: bases, example: "actual", label: "Tên cơ sở số liệu")
        default:
            return nil
        }
    }

    /// The Vietnamese name of a code in a column, for the export's label columns ("" when the code is unknown).
    static func label(_ column: String, code: String) -> String {
        let list: [(code: String, name: String)]
        switch column {
        case "unit_code": list = units
        case "source": list = sources
        case "category": return ReferenceData.categories.first { $0.code == code }?.vietnameseName ?? ""
        case "indicator": return ReferenceData.indicators.first { $0.code == code }?.vietnameseName ?? ""
        case "status": list = statuses
        case "support_kind", "beneficiary_support_kind": return SupportRules.kinds.first { $0.code == code }?.vietnameseName ?? ""
        case "beneficiary_priority_marks":
            return code.split(separator: ";").map { part in marks.first { $0.code == part }?.name ?? String(part) }.joined(separator: "; ")
        case "basis": list = bases
        default: return ""
        }
        return list.first { $0.code == code }?.name ?? ""
    }
}

extension Basis {
    public var vietnameseName: String {
        switch self {
        case .actual: "Số thực hiện"
        case .estimate: "Số ước thực hiện"
        }
    }
}
