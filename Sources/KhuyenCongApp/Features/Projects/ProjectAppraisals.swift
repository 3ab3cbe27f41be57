import Fluent
import Foundation
import KhuyenCongCore
import Vapor

/// Appraisal councils: each appraiser scores a project once per round, never a project of their own unit.
enum ProjectAppraisals {
    struct Input: Content {
        let score: Int
        let opinion: String
        /// Optional scores per configured criterion, 0–100 each.
        var criteria: [String: Int]?
    }

    struct Result: Content, Equatable {
        let round: Int
        let level: String
        let count: Int
        /// The council's mean score, to one decimal place (nil before anyone scored).
        let meanScore: Double?
        let opinions: [String]
    }

    /// The council at work: the province's while the project is submitted, the ministry's while it is registered.
    static func level(of project: Project) -> String? {
        switch project.lifecycleStatus {
        case .submitted: "province"
        case .registered: "ministry"
        default: nil
        }
    }

    /// A project returned for changes is appraised again: one round per return.
    static func round(of project: Project, on db: any Database) async throws -> Int {
        1 + (try await ProjectEvent.query(on: db).filter(\.$project.$id == project.requireID())
            .filter(\.$toStatus == ProjectStatus.returned.rawValue).count())
    }

    static func record(_ input: Input, on project: Project, by user: User, request: Request? = nil, on db: any Database) async throws {
        guard user.principal.role == .appraiser else {
            throw DomainError(.forbidden, vi: "Chỉ thành viên hội đồng thẩm định được chấm điểm", en: "only appraisers score projects")
        }
        guard AccessPolicy.decide(user.principal, .appraise, project.recordScope) == .allow else {
            request?.logger.warning("conflict of interest refused: appraiser \(user.username) on \(project.code) of their own unit")
            try await AuditTrail.record(actor: user.username, action: "appraisal_refused_conflict", recordType: "project",
                                        recordID: project.code, unitID: project.unitID, before: Nothing?.none,
                                        after: ["reason": "conflict of interest: own unit"], on: db)
            throw DomainError(.forbidden, vi: "Xung đột lợi ích: không được thẩm định đề án của đơn vị mình",
                              en: "conflict of interest: an appraiser may not score a project of their own unit")
        }
        if let affiliation = user.affiliationTaxCode,
           try await project.beneficiaries(on: db).contains(where: { $0.0.taxCode == affiliation }) {
            request?.logger.warning("conflict of interest refused: appraiser \(user.username) on \(project.code), a project of their establishment")
            try await AuditTrail.record(actor: user.username, action: "appraisal_refused_conflict", recordType: "project",
                                        recordID: project.code, unitID: project.unitID, before: Nothing?.none,
                                        after: ["reason": "conflict of interest: own establishment \(affiliation)"], on: db)
            throw DomainError(.forbidden, vi: "Xung đột lợi ích: không được thẩm định đề án hỗ trợ cơ sở của mình",
                              en: "conflict of interest: an appraiser may not score a project that supports their own establishment")
        }
        guard let level = level(of: project) else {
            throw DomainError(.conflict, vi: "Đề án không ở giai đoạn thẩm định", en: "the project is not awaiting appraisal")
        }
        guard (0...100).contains(input.score) else {
            throw DomainError.invalid(vi: "Điểm phải từ 0 đến 100", en: "the score must be 0–100")
        }
        let opinion = try ProjectEditing.cleanText(input.opinion, field: "opinion", maxLength: 4000)
        let criteria = try await AppraisalCriterion.query(on: db).all()
        for (code, score) in input.criteria ?? [:] {
            guard criteria.contains(where: { $0.id == code }) else {
                throw DomainError.invalid(vi: "Tiêu chí \"\(code)\" không có", en: "criterion \"\(code)\" does not exist")
            }
            guard (0...100).contains(score) else {
                throw DomainError.invalid(vi: "Điểm tiêu chí \(code) phải từ 0 đến 100", en: "criterion \(code) must be scored 0–100")
            }
        }
        let round = try await round(of: project, on: db)
        let alreadyScored = try await Appraisal.query(on: db).filter(\.$project.$id == project.requireID())
            .filter(\.$round == round).filter(\.$level == level).filter(\.$appraiser == user.username).count()
        guard alreadyScored == 0 else {
            throw DomainError(.conflict, vi: "Bạn đã chấm đề án này trong vòng thẩm định \(round)",
                              en: "you have already scored this project in round \(round)")
        }
        let appraisal = Appraisal(projectID: try project.requireID(), round: round, level: level, appraiser: user.username,
                                  score: input.score, criteriaScores: try AuditTrail.json(input.criteria ?? [:]), opinion: opinion)
        try await db.transaction { db in
            try await appraisal.create(on: db)
            struct Scored: Encodable { let round: Int; let level: String; let score: Int; let opinion: String }
            try await AuditTrail.record(actor: user.username, action: "appraise", recordType: "project", recordID: project.code,
                                        unitID: project.unitID, before: Nothing?.none,
                                        after: Scored(round: round, level: level, score: input.score, opinion: opinion), on: db)
        }
    }

    /// Every round's council result, newest first.
    static func results(of project: Project, on db: any Database) async throws -> [Result] {
        let appraisals = try await Appraisal.query(on: db).filter(\.$project.$id == project.requireID()).all()
        let groups = Dictionary(grouping: appraisals) { "\($0.round)|\($0.level)" }
        return groups.values.map { group in
            let total = group.reduce(0) { $0 + $1.score }
            let tenths = (total * 10 * 2 + group.count) / (group.count * 2)   // mean to one decimal, half up
            return Result(round: group[0].round, level: group[0].level, count: group.count,
                          meanScore: Double(tenths) / 10, opinions: group.sorted { $0.appraiser < $1.appraiser }.map { "\($0.appraiser): \($0.opinion)" })
        }.sorted { ($0.round, $0.level) > ($1.round, $1.level) }
    }
}
