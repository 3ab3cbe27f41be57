import Foundation
import KhuyenCongCore

extension DemoSeed {
    /// A project with its beneficiaries and the events that brought it to `status`.
    mutating func makeProject(unit: AdminUnit, year: Int, source: String, category: String, support: Int64,
                              status: ProjectStatus) throws -> Project {
        let fundingSource = try FundingSource(parsing: source)
        let product = random.pick(DemoNames.products)
        let form = random.pick(DemoNames.establishmentForms)
        let establishment = "\(form.0) \(product) \(random.pick(DemoNames.givenNames))"
        let sequence = rows.nextSequence(unit: unit.id, year: year, source: source)
        let code = "KC\(year)-\(unit.code)-\(source == "national" ? "QG" : "DP")-\(String(format: "%03d", sequence))"
        let implementing = random.chance(70) ? "Trung tâm Khuyến công \(unit.name)" : establishment
        let approved = [.draft, .submitted, .appraisedProvince, .registered, .appraisedMinistry, .returned, .rejected,
                        .cancelled, .moved].contains(status) ? nil : Optional(support)
        let requested = support + Int64.random(in: 0...15, using: &random) * support / 100 / DemoPlan.million * DemoPlan.million
        let counterpart = ["1", "2"].contains(category) ? support * Int64.random(in: 12...25, using: &random) / 10 / DemoPlan.million * DemoPlan.million : 0

        let project = Project(code: code, title: DemoNames.title(category: category, product: product, establishment: establishment,
                                                                 unitName: unit.name, random: &random),
                              unitID: unit.id, year: year, source: fundingSource, categoryCode: category, implementingUnit: implementing,
                              supportRequestedVnd: Money(dong: requested), supportApprovedVnd: approved.map(Money.init(dong:)), counterpartVnd: Money(dong: counterpart),
                              status: status, submittedOn: nil, approvedOn: nil, allocatedOn: nil)
        project.id = UUID()
        addEvents(project: project, unit: unit, source: fundingSource, status: status)
        if ["1", "2", "3"].contains(category) { try addBeneficiaries(project: project, support: approved ?? requested, product: product, form: form) }
        rows.append(project)
        return project
    }

    private mutating func addEvents(project: Project, unit: AdminUnit, source: FundingSource, status: ProjectStatus) {
        let year = project.year
        let late = source == .national && year == 2025 && DemoPlan.lateUnitCodes2025.contains(unit.code)
        let waiting2024 = source == .national && year == 2024 && status == .approved
        var previous: ProjectStatus?
        var day = source == .national ? CalendarDate(year - 1, 3, 1) : CalendarDate(year - 1, 9, 1)
        for step in Lifecycle.path(to: status, source: source) {
            let proposed: CalendarDate
            switch step {
            case .draft: proposed = day
            case .submitted:
                proposed = source == .national
                    ? (late ? CalendarDate(year - 1, 6, Int.random(in: 3...28, using: &random)) : CalendarDate(year - 1, 5, Int.random(in: 2...18, using: &random)))
                    : CalendarDate(year - 1, 10, Int.random(in: 1...20, using: &random))
                project.submittedOn = proposed.description
            case .appraisedProvince: proposed = day.adding(days: Int.random(in: 5...12, using: &random))
            case .registered: proposed = day.adding(days: Int.random(in: 3...10, using: &random))
            case .appraisedMinistry: proposed = CalendarDate(year - 1, 9, Int.random(in: 5...25, using: &random))
            case .approved:
                proposed = waiting2024 ? CalendarDate(2024, 3, Int.random(in: 1...20, using: &random))
                    : CalendarDate(year, 1, Int.random(in: 5...20, using: &random))
                project.approvedOn = proposed.description
            case .allocated:
                proposed = CalendarDate(year, 1, Int.random(in: 22...31, using: &random))
                project.allocatedOn = proposed.description
            case .contracted: proposed = CalendarDate(year, 2, Int.random(in: 1...10, using: &random))
            case .inProgress: proposed = CalendarDate(year, 2, Int.random(in: 12...25, using: &random))
            case .accepted: proposed = CalendarDate(year, 11, Int.random(in: 5...28, using: &random))
            case .settled: proposed = CalendarDate(year, 12, Int.random(in: 10...28, using: &random))
            case .closed: proposed = CalendarDate(year + 1, 3, Int.random(in: 1...20, using: &random))
            default: proposed = day.adding(days: Int.random(in: 15...40, using: &random))
            }
            day = max(proposed, day)
            let transition = previous.flatMap { try? Lifecycle.transition(from: $0, to: step, source: source) }
            let actor: String = switch transition?.actor {
            case .ministry: "Bộ Công Thương – Cục Công Thương địa phương"
            case .appraiser: "Hội đồng thẩm định"
            default: "Sở Công Thương \(unit.name)"
            }
            let decision = transition?.isDecision == true
                ? "\(Int.random(in: 100...2999, using: &random))/QĐ-\(transition?.actor == .ministry ? "BCT" : "SCT")" : nil
            rows.events.append(ProjectEvent(projectID: project.id!, fromStatus: previous, toStatus: step,
                                            onDate: day.description, actor: actor, decisionNo: decision,
                                            note: DemoSeed.note(for: step)))
            previous = step
        }
    }

    static func note(for step: ProjectStatus) -> String {
        switch step {
        case .draft: "Khởi tạo hồ sơ đề án"
        case .submitted: "Nộp hồ sơ đề án"
        case .returned: "Đề nghị bổ sung báo giá thiết bị và hồ sơ pháp lý của cơ sở"
        case .rejected: "Đề án không đáp ứng tiêu chí hỗ trợ"
        case .cancelled: "Cơ sở đề nghị dừng thực hiện"
        case .moved: "Chuyển sang kế hoạch năm sau theo đề nghị của địa phương"
        default: ProjectStatus(rawValue: step.rawValue)?.vietnameseName ?? step.rawValue
        }
    }

    private mutating func addBeneficiaries(project: Project, support: Int64, product: String, form: (String, String)) throws {
        let count = Int(max(1, min(12, (support + 299_999_999) / 300_000_000)))
        let parts = SeededRandom.split(support / DemoPlan.million * DemoPlan.million,
                                       weights: (0..<count).map { _ in Int.random(in: 3...6, using: &random) }, step: DemoPlan.million)
        for part in parts {
            let beneficiary = Beneficiary(taxCode: nextTaxCode(), name: "\(form.0) \(product) \(random.pick(DemoNames.givenNames))",
                                          legalForm: form.1, commune: random.pick(DemoNames.communes), sector: product,
                                          womenOwned: random.chance(30), ethnicMinorityEmployer: random.chance(20),
                                          disadvantagedArea: random.chance(25))
            beneficiary.id = UUID()
            rows.beneficiaries.append(beneficiary)
            rows.projectBeneficiaries.append(ProjectBeneficiary(projectID: project.id!, beneficiaryID: beneficiary.id!, supportVnd: Money(dong: part)))
        }
    }

    /// A fresh, valid 10-digit tax code.
    private mutating func nextTaxCode() -> String {
        while true {
            let first9 = (0..<9).map { index in index == 0 ? 0 : Int.random(in: 0...9, using: &random) }
            if let check = TaxCode.checkDigit(first9) {
                let code = (first9 + [check]).map(String.init).joined()
                if rows.usedTaxCodes.insert(code).inserted { return code }
            }
        }
    }
}
