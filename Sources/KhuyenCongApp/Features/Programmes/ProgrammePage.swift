import KhuyenCongCore
import Vapor

/// The programme page's context (national or a province's): every string formatted, every permission decided; what
/// the user typed comes back in `form` when the form is refused.
struct ProgrammePage: Encodable {
    struct Field: Encodable { let label: String; let value: String }
    struct Row: Encodable { let name: String; let target: String; let achieved: String; let pct: String }
    struct YearRow: Encodable { let label: String; let cells: [String]; let realised: String }
    struct ProvinceRow: Encodable { let name: String; let link: String?; let decision: String; let cells: [String]; let realised: String }
    struct Input: Encodable { let name: String; let label: String; let value: String }
    struct Form: Encodable {
        let action: String
        let version: Int
        let decisionLabel: String
        let decisionNo: String
        let decidedOn: String
        let signer: String
        let money: [Input]
        let targets: [Input]
    }

    let title: String
    let layout: PageLayout
    let csrf: String
    let heading: String
    let dashboardLink: String
    let nationalLink: String?
    let unitLink: String?
    let unitName: String?
    let error: String?
    let hasProgramme: Bool
    let facts: [Field]
    let basisNote: String
    let throughNote: String
    let rows: [Row]
    let money: [Row]
    let yearHeaders: [String]
    let years: [YearRow]
    let isNational: Bool
    let provinceHeaders: [String]
    let provinces: [ProvinceRow]
    let form: Form?

    static func build(_ overview: ProgrammeOverview, user: User, req: Request, error: String?, typed: [String: String]?) -> ProgrammePage {
        let term = overview.term
        let standing = overview.standing
        let money = { (amount: Money) in VietnameseFormat.money(amount) }
        let count = { (value: Int64?) in value.map(VietnameseFormat.count) ?? "–" }
        func indicatorName(_ code: String) -> String { ReferenceData.indicators.first { $0.code == code }?.vietnameseName ?? code }
        func unitLabel(_ code: String) -> String { ReferenceData.indicators.first { $0.code == code }?.unitLabel ?? "" }

        var facts: [Field] = []
        if let own = overview.own {
            facts.append(Field(label: "Quyết định phê duyệt", value: "Số \(own.decisionNo) ngày \(VietnameseFormat.date(own.decidedOn))"))
            facts.append(Field(label: "Cơ quan, người ký", value: own.signer))
            for source in FundingSource.allCases { if let amount = own.money[source] { facts.append(Field(label: "Kinh phí \(source.vietnameseName.lowercased())", value: money(amount))) } }
        }
        let rows = standing.rows.map {
            Row(name: "\(indicatorName($0.indicator)) (\(unitLabel($0.indicator)))", target: count($0.target), achieved: count($0.achieved),
                pct: VietnameseFormat.percent($0.ratio))
        }
        let moneyRows = standing.money.map {
            Row(name: "Kinh phí \($0.source.vietnameseName.lowercased())", target: money($0.planned), achieved: money($0.achieved),
                pct: VietnameseFormat.percent($0.ratio))
        }
        let yearCodes = standing.rows.map(\.indicator)
        let years = standing.progress.years.map { year in
            YearRow(label: year.period == .fullYear ? "Năm \(year.year)" : year.period.vietnameseName(year: year.year),
                    cells: yearCodes.map { VietnameseFormat.count(year.outputs[$0] ?? 0) }, realised: money(year.realisedVnd))
        }

        // The provinces' table: the indicators any of them sets a target for.
        let provinceCodes = ReferenceData.indicators.map(\.code).filter { code in overview.provinces?.contains { $0.programme.target(code) != nil } ?? false }
        let provinces = (overview.provinces ?? []).map { programme, standing in
            let scope = ProgrammeWorkflow.record(programme.scope)
            return ProvinceRow(
                name: programme.scope.name,
                link: AccessPolicy.decide(user.principal, .readRecord, scope) == .allow ? Links.programme(unitCode: programme.scope.unit?.code) : nil,
                decision: "\(programme.decisionNo), \(VietnameseFormat.date(programme.decidedOn))",
                cells: provinceCodes.map { code in
                    let row = standing.rows.first { $0.indicator == code }
                    guard let target = row?.target else { return "–" }
                    return "\(VietnameseFormat.count(row?.achieved ?? 0))/\(VietnameseFormat.count(target)) (\(VietnameseFormat.percent(row?.ratio)))"
                },
                realised: money(standing.progress.realisedVnd))
        }

        let action = ProgrammeWorkflow.action(overview.scope)
        let canEdit = AccessPolicy.decide(user.principal, action, ProgrammeWorkflow.record(overview.scope)) == .allow
        func value(_ name: String, _ stored: String?) -> String { typed.map { $0[name] ?? "" } ?? stored ?? "" }
        let own = overview.own
        let form = canEdit ? Form(
            action: Links.programme(unitCode: overview.scope.unit?.code),
            version: own?.version ?? 0,
            decisionLabel: overview.scope.unit == nil ? "Quyết định của Bộ Công Thương" : "Quyết định của UBND \(overview.scope.name)",
            decisionNo: value("decisionNo", own?.decisionNo), decidedOn: value("decidedOn", own?.decidedOn.description),
            signer: value("signer", own?.signer),
            money: FundingSource.allCases.map { source in
                let name = ProgrammeInput.moneyField(source)
                return Input(name: name, label: "Kinh phí \(source.vietnameseName.lowercased()) cả giai đoạn (đồng, để trống nếu không quy định)",
                             value: value(name, own?.money[source].map { VietnameseFormat.count($0.dong) }))
            },
            targets: ReferenceData.indicators.map { indicator in
                let name = ProgrammeInput.targetField(indicator.code)
                return Input(name: name, label: "\(indicator.vietnameseName) (\(indicator.unitLabel))",
                             value: value(name, own?.target(indicator.code).map { VietnameseFormat.count($0) }))
            }) : nil

        let name = overview.scope.unit == nil ? "Chương trình khuyến công quốc gia giai đoạn \(term.label)"
                                               : "Chương trình khuyến công \(overview.scope.name) giai đoạn \(term.label)"
        return ProgrammePage(
            title: name, layout: PageLayout(req), csrf: CSRF.token(for: req), heading: name,
            dashboardLink: Links.dashboard,
            nationalLink: overview.scope.unit == nil ? nil : Links.programme(unitCode: nil),
            unitLink: overview.scope.unit.map { Links.unit($0.id) }, unitName: overview.scope.unit?.name,
            error: error, hasProgramme: own != nil, facts: facts,
            basisNote: standing.basisNote(in: req.language), throughNote: standing.throughNote(in: req.language), rows: rows, money: moneyRows,
            yearHeaders: yearCodes.map(indicatorName), years: years,
            isNational: overview.scope.unit == nil, provinceHeaders: provinceCodes.map(indicatorName), provinces: provinces,
            form: form)
    }
}

extension Links {
    /// The national programme's page (nil), or a province's by its code.
    static func programme(unitCode: UnitCode?, term: ProgrammeTerm = .current) -> String {
        unitCode.map { SiteRoute.programmeProvince(term: term, unitCode: $0).path } ?? SiteRoute.programme(term: term).path
    }
}
