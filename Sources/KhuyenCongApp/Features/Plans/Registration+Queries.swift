import Fluent
import KhuyenCongCore

/// The province's national registration (Circular 36/2013 Art. 10) for a plan year: the national-source projects
/// of the unit and year that have been registered with the ministry, or have gone further.
struct RegistrationReport: Sendable {
    /// Registered with the ministry, and every status a registered project can reach without leaving the list.
    /// Projects appraised by the province but not yet registered are not listed; nor are returned, rejected,
    /// cancelled or moved ones.
    static let statuses: [ProjectStatus] = [.registered, .appraisedMinistry, .approved, .allocated, .contracted,
                                            .inProgress, .accepted, .settled, .closed]

    struct Row: Sendable {
        let code: String
        let title: String
        let implementingUnit: String
        let status: ProjectStatus
        let beneficiaries: [String]
        let communes: [String]
        let categoryCode: String
        let supportRequested: Money
        let counterpart: Money
        /// The latest round of the province's council: its mean score and each appraiser's opinion.
        let provinceScore: Double?
        let provinceOpinions: [String]
    }

    let key: PlanKey
    /// By category code, then project code.
    let rows: [Row]

    static func load(_ key: PlanKey, on db: any Database) async throws -> RegistrationReport {
        let projects = try await Project.query(on: db)
            .filter(\.$unitID == key.unit.id).filter(\.$year == key.year)
            .filter(\.$source == .national)
            .filter(\.$status ~~ statuses)
            .all()
        var rows: [Row] = []
        for project in projects {
            let beneficiaries = try await project.beneficiaries(on: db).map(\.0)
            let province = try await ProjectAppraisals.results(of: project, on: db).first { $0.level == "province" }
            rows.append(Row(code: project.code, title: project.title, implementingUnit: project.implementingUnit,
                            status: project.status, beneficiaries: beneficiaries.map(\.name),
                            communes: Array(Set(beneficiaries.map(\.commune).filter { !$0.isEmpty })).sorted(),
                            categoryCode: project.categoryCode, supportRequested: project.supportRequestedVnd,
                            counterpart: project.counterpartVnd, provinceScore: province?.meanScore,
                            provinceOpinions: province?.opinions ?? []))
        }
        return RegistrationReport(key: key, rows: rows.sorted {
            (Int($0.categoryCode) ?? Int.max, $0.categoryCode, $0.code) < (Int($1.categoryCode) ?? Int.max, $1.categoryCode, $1.code)
        })
    }

    /// The rows grouped by category code, in the rows' order.
    var byCategory: [(code: String, rows: [Row])] {
        var groups: [(code: String, rows: [Row])] = []
        for row in rows {
            if groups.last?.code == row.categoryCode { groups[groups.count - 1].rows.append(row) }
            else { groups.append((row.categoryCode, [row])) }
        }
        return groups
    }

    func categoryName(_ code: String) -> String {
        (try? ReferenceData.category(code: code, planYear: key.year)).map { "\($0.code). \($0.vietnameseName)" } ?? code
    }
}
