import Testing
@testable import KhuyenCongCore

/// The project lifecycle written out by hand from DESIGN.md ("Project lifecycle", "Who uses it"), and every
/// (from, to, role) triple of both funding sources checked against `Lifecycle.transition` and `AccessPolicy`.
/// Nothing here is read from `Lifecycle.table`: a wrong row in the code fails.
@Suite("Lifecycle by hand × roles")
struct LifecycleTableTests {
    /// Who takes each step: `P` the province that owns the project (its officer), `M` the ministry's side (the ministry
    /// officer, and the reviewer of the project's region), `*` a step of decision (a decision number is required).
    /// Local projects skip the ministry's registration and appraisal (and a move), the province approves and allocates
    /// its own budget; a national project is approved by the ministry, never by the province.
    static let national = """
        draft               submitted            P
        draft               cancelled            P
        submitted           appraised_province   P*
        submitted           returned             P
        submitted           rejected             P*
        appraised_province  registered           M
        appraised_province  returned             P
        registered          appraised_ministry   M*
        registered          returned             M
        registered          rejected             M*
        registered          moved                M*
        appraised_ministry  approved             M*
        appraised_ministry  returned             M
        appraised_ministry  rejected             M*
        approved            allocated            M*
        approved            moved                M*
        approved            cancelled            M*
        allocated           contracted           P
        allocated           cancelled            M*
        contracted          in_progress          P
        contracted          cancelled            M*
        in_progress         accepted             P*
        in_progress         cancelled            M*
        accepted            settled              P*
        settled             closed               M
        returned            submitted            P
        returned            cancelled            P
        """

    static let local = """
        draft               submitted            P
        draft               cancelled            P
        submitted           appraised_province   P*
        submitted           returned             P
        submitted           rejected             P*
        appraised_province  approved             P*
        appraised_province  returned             P
        approved            allocated            P*
        approved            cancelled            P*
        allocated           contracted           P
        allocated           cancelled            P*
        contracted          in_progress          P
        contracted          cancelled            P*
        in_progress         accepted             P*
        in_progress         cancelled            P*
        accepted            settled              P*
        settled             closed               P
        returned            submitted            P
        returned            cancelled            P
        """

    struct Step: Hashable { let from: ProjectStatus; let to: ProjectStatus }
    struct Rule { let byProvince: Bool; let isDecision: Bool }

    static func table(_ text: String) -> [Step: Rule] {
        var rows: [Step: Rule] = [:]
        for line in text.split(separator: "\n") {
            let cells = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            let step = Step(from: ProjectStatus(rawValue: cells[0])!, to: ProjectStatus(rawValue: cells[1])!)
            rows[step] = Rule(byProvince: cells[2].hasPrefix("P"), isDecision: cells[2].hasSuffix("*"))
        }
        return rows
    }

    /// A Thanh Hóa (38, north) project, and who asks.
    static let scope = RecordScope(unitCode: "38", region: .north)
    enum Asker: CaseIterable { case provinceInScope, provinceOutOfScope, appraiser, regionReviewer, otherRegionReviewer, ministry, admin, viewer }
    static func principal(_ asker: Asker) -> Principal {
        switch asker {
        case .provinceInScope: Principal(username: "thanhhoa", role: .provinceOfficer, unitCode: "38", region: nil)
        case .provinceOutOfScope: Principal(username: "nghean", role: .provinceOfficer, unitCode: "40", region: nil)
        case .appraiser: Principal(username: "thamdinh", role: .appraiser, unitCode: "40", region: .north)
        case .regionReviewer: Principal(username: "khuvuc.bac", role: .regionReviewer, unitCode: nil, region: .north)
        case .otherRegionReviewer: Principal(username: "khuvuc.nam", role: .regionReviewer, unitCode: nil, region: .south)
        case .ministry: Principal(username: "bo.congthuong", role: .ministryOfficer, unitCode: nil, region: nil)
        case .admin: Principal(username: "admin", role: .admin, unitCode: nil, region: nil)
        case .viewer: Principal(username: "xem", role: .viewer, unitCode: nil, region: nil)
        }
    }

    /// By hand: who may take a step the table allows.
    static func may(_ asker: Asker, _ rule: Rule) -> Bool {
        switch asker {
        case .provinceInScope: rule.byProvince
        case .regionReviewer, .ministry: !rule.byProvince
        case .provinceOutOfScope, .appraiser, .otherRegionReviewer, .admin, .viewer: false
        }
    }

    @Test(arguments: FundingSource.allCases)
    func everyStepAndRoleIsAsTheHandTableSays(source: FundingSource) {
        let table = Self.table(source == .national ? Self.national : Self.local)
        var legal = 0
        for from in ProjectStatus.allCases {
            for to in ProjectStatus.allCases {
                let rule = table[Step(from: from, to: to)]
                let step = try? Lifecycle.transition(from: from, to: to, source: source)
                #expect((step != nil) == (rule != nil), "\(source) \(from) → \(to): the code says \(step == nil ? "illegal" : "legal")")
                guard let step, let rule else { continue }
                legal += 1
                #expect(step.isDecision == rule.isDecision, "\(source) \(from) → \(to): decision")
                for asker in Asker.allCases {
                    let allowed = AccessPolicy.decide(Self.principal(asker), step.action, Self.scope) == .allow
                    #expect(allowed == Self.may(asker, rule), "\(source) \(from) → \(to) by \(asker): the code says \(allowed)")
                }
            }
        }
        #expect(legal == table.count)
    }
}
