import Fluent
import Foundation
import KhuyenCongCore
import Vapor

/// Appraisal councils: each appraiser scores a project once per round, never a project of their own unit.
enum ProjectAppraisals {
    /// With `criteria` (every criterion in force, each within 0…its maximum) the total is computed from them and a
    /// `score` sent as well must equal it (a different one is refused, 422). Without criteria, a total alone (0–100) is
    /// still taken, as before the criteria were rules (older clients).
    struct Input: Content {
        var score: Int?
        let opinion: String
        var criteria: [String: Int]?

        init(score: Int?, opinion: String, criteria: [String: Int]?) {
            self.score = score
            self.opinion = opinion
            self.criteria = criteria
        }
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
        switch project.status {
        case .submitted: "province"
        case .registered: "ministry"
        default: nil
        }
    }

    /// A project returned for changes is appraised again: one round per return.
    static func round(of project: Project, on db: any Database) async throws -> Int {
        1 + (try await ProjectEvent.query(on: db).filter(\.$project.$id == project.requireID())
            .filter(\.$toStatus == .returned).count())
    }

    static func record(_ input: Input, on project: Project, by user: User, request: Request? = nil, on db: any Database) async throws {
        try await requireRight(of: user, on: project, request: request, db: db)
        let opinion = try ProjectEditing.cleanText(input.opinion, field: "opinion", maxLength: 4000)
        let total = try await total(of: input, on: CalendarDate.today(), db: db)
        // Under the write lock: the project's step and the appraiser's account as they are now, then the one score per round.
        try await GuardedWrite.run(on: db) { db in
            guard let fresh = try await User.find(user.requireID(), on: db), !fresh.disabled,
                  AccessPolicy.decide(fresh.principal, .appraise, project.recordScope) == .allow else {
                throw DomainError(.forbidden, vi: "Tài khoản không còn quyền chấm điểm", en: "the account may no longer score projects")
            }
            let project = try await Project.find(code: project.code, on: db)
            guard let level = level(of: project) else {
                throw DomainError(.conflict, vi: "Đề án không ở giai đoạn thẩm định", en: "the project is not awaiting appraisal")
            }
            let round = try await round(of: project, on: db)
            let alreadyScored = try await Appraisal.query(on: db).filter(\.$project.$id == project.requireID())
                .filter(\.$round == round).filter(\.$level == level).filter(\.$appraiser == user.username).count()
            guard alreadyScored == 0 else {
                throw DomainError(.conflict, vi: "Bạn đã chấm đề án này trong vòng thẩm định \(round)",
                                  en: "you have already scored this project in round \(round)")
            }
            let appraisal = Appraisal(projectID: try project.requireID(), round: round, level: level, appraiser: user.username,
                                      score: total, criteriaScores: try AuditTrail.json(input.criteria ?? [:]), opinion: opinion)
            try await appraisal.create(on: db)
            struct Scored: Encodable { let round: Int; let level: String; let score: Int; let criteria: [String: Int]?; let opinion: String }
            try await AuditTrail.record(actor: user.username, action: "appraise", recordType: "project", recordID: project.code,
                                        unitID: project.unitID, before: Nothing?.none,
                                        after: Scored(round: round, level: level, score: total, criteria: input.criteria, opinion: opinion), on: db)
        }
    }

    /// May `user` score `project` at all: an appraiser, not of the project's unit, not tied to one of its establishments
    /// (a conflict is audited). The handlers ask before they read the form, so that a wrong role is 403 whatever it sent.
    static func requireRight(of user: User, on project: Project, request: Request?, db: any Database) async throws {
        guard user.principal.role == .appraiser else {
            throw DomainError(.forbidden, vi: "Chỉ thành viên hội đồng thẩm định được chấm điểm", en: "only appraisers score projects")
        }
        // A conflict of interest is refused, logged and kept in the audit trail (who tried, on what, why).
        func refuseConflict(_ reason: String, vi: String, en: String) async throws -> Never {
            request?.logger.warning("conflict of interest refused: appraiser \(user.username) on \(project.code): \(reason)")
            try await AuditTrail.record(actor: user.username, action: "appraisal_refused_conflict", recordType: "project",
                                        recordID: project.code, unitID: project.unitID, before: Nothing?.none,
                                        after: ["reason": "conflict of interest: \(reason)"], on: db)
            throw DomainError(.forbidden, vi: vi, en: en)
        }
        guard AccessPolicy.decide(user.principal, .appraise, project.recordScope) == .allow else {
            try await refuseConflict("own unit", vi: "Xung đột lợi ích: không được thẩm định đề án của đơn vị mình",
                                     en: "conflict of interest: an appraiser may not score a project of their own unit")
        }
        if let affiliation = user.affiliationTaxCode,
           try await project.beneficiaries(on: db).contains(where: { $0.0.taxCode == affiliation }) {
            try await refuseConflict("own establishment \(affiliation)", vi: "Xung đột lợi ích: không được thẩm định đề án hỗ trợ cơ sở của mình",
                                     en: "conflict of interest: an appraiser may not score a project that supports their own establishment")
        }
    }

    /// The total the appraisal records: computed from the criteria in force on `date` when they are given (a sent total
    /// that differs is refused), else the total as sent.
    static func total(of input: Input, on date: CalendarDate, db: any Database) async throws -> Int {
        guard let scores = input.criteria, !scores.isEmpty else {
            guard let score = input.score else {
                throw DomainError.invalid(vi: "criteria: cần chấm điểm từng tiêu chí", en: "criteria: score every criterion")
            }
            guard (0...100).contains(score) else {
                throw DomainError.invalid(vi: "score: điểm phải từ 0 đến 100", en: "score: the score must be 0–100")
            }
            return score
        }
        let computed = try AppraisalScoring.total(scores, criteria: try await AppraisalScoring.criteria(on: date, db: db))
        if let sent = input.score, sent != computed {
            throw DomainError.invalid(vi: "score: tổng điểm gửi lên (\(sent)) khác tổng điểm tính theo trọng số các tiêu chí (\(computed)); hãy để trống tổng điểm",
                                      en: "score: the total sent (\(sent)) differs from the weighted total of the criteria (\(computed)); leave it out")
        }
        return computed
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
