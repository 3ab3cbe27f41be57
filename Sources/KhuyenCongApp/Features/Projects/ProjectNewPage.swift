import KhuyenCongCore
import Vapor

/// The new-project form: a province officer registers a draft of their province.
struct ProjectNewPage: Encodable {
    struct Form: Content {
        let code: String?; let title: String; let unitCode: UnitCode; let year: String; let source: String; let category: String
        let implementingUnit: String; let beneficiaryTaxCode: String?; let beneficiaryName: String?
        let supportVnd: String; let counterpartVnd: String?
        var supportKind: String? = nil
        var confirmExisting: String? = nil
        /// The plan year the officer confirmed using although its annual report is approved (locked).
        var confirmLockedYear: String? = nil
    }
    struct Option: Encodable { let value: String; let label: String; let selected: Bool }

    let title = "Đề án mới – Khuyến công"
    let layout: PageLayout
    let csrf: String
    let error: String?
    let code: String
    let projectTitle: String
    let unitCode: UnitCode
    /// The provinces offered, by name: a province officer's own only (preselected, not changeable).
    let units: [UnitChoices.Choice]
    let unitFixed: Bool
    let year: String
    /// The officer's plan years whose annual report is approved and locked, each named with its report.
    var lockedYears: [String] = []
    /// The chosen year is locked: the warning, and the form asks to confirm (`confirmLockedYear` = the year).
    var lockWarning: String? = nil
    /// The year already confirmed (kept through a second refusal, e.g. the tax code's confirmation).
    var confirmedLockedYear: String? = nil
    let sources: [Option]
    let categories: [Option]
    /// The kinds of support, each named with its category; empty = the category's default kind.
    let kinds: [Option]
    let implementingUnit: String
    let beneficiaryTaxCode: String
    let beneficiaryName: String
    let supportVnd: String
    let counterpartVnd: String
    /// The establishment already known under the typed tax code: the form asks to confirm it.
    var existingName: String? = nil
    /// How a code is made when none is typed.
    let codeFormat: String

    init(_ req: Request, form: Form?, error: String?) {
        let today = CalendarDate.today()
        let unit = req.user?.principal.unitCode ?? ""
        layout = PageLayout(req)
        csrf = CSRF.token(for: req)
        self.error = error
        code = form?.code ?? ""
        codeFormat = ProjectCode.prefix(unitCode: unit.rawValue.isEmpty ? "38" : unit, year: today.year + 1, source: .national) + "001"
        projectTitle = form?.title ?? ""
        unitCode = form?.unitCode ?? unit
        unitFixed = req.user?.principal.role == .provinceOfficer && !unit.rawValue.isEmpty
        units = UnitChoices.today(selected: unitCode, only: unitFixed ? unit : nil)
        year = form?.year ?? String(today.year + 1)
        let source = form?.source ?? "national"
        sources = FundingSource.allCases.map { Option(value: $0.rawValue, label: $0.vietnameseName, selected: $0.rawValue == source) }
        let category = form?.category ?? "1"
        categories = ReferenceData.categories.filter { $0.isValid(on: today) }
            .map { Option(value: $0.code, label: "\($0.code). \($0.vietnameseName)", selected: $0.code == category) }
        let kind = form?.supportKind ?? ""
        kinds = [Option(value: "", label: "Theo nội dung (loại mặc định)", selected: kind.isEmpty)]
            + SupportRules.kinds.filter { $0.validFrom <= today && ($0.validUntil.map { today < $0 } ?? true) }
            .map { Option(value: $0.code, label: "\($0.category). \($0.vietnameseName)", selected: $0.code == kind) }
        implementingUnit = form?.implementingUnit ?? ""
        beneficiaryTaxCode = form?.beneficiaryTaxCode ?? ""
        beneficiaryName = form?.beneficiaryName ?? ""
        supportVnd = form?.supportVnd ?? ""
        counterpartVnd = form?.counterpartVnd ?? ""
    }
}
