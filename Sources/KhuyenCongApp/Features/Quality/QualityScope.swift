import Fluent
import Foundation
import KhuyenCongCore
import Vapor

extension QualityFindings {
    /// A scope from the query of the API, the page and the command line: exactly one of region, unit or country;
    /// the plan year; the period (Q1, H1, Q3 or FY, FY by default).
    static func parse(region: String?, unit: String?, country: Bool, year: Int?, period: String?) throws -> Scope {
        let region = region.flatMap { $0.isEmpty ? nil : $0 }, unit = unit.flatMap { $0.isEmpty ? nil : $0 }
        guard [region != nil, unit != nil, country].filter({ $0 }).count == 1 else {
            throw DomainError.invalid(vi: "Chọn đúng một phạm vi: region, unit hoặc country", en: "choose exactly one scope: region, unit or country")
        }
        guard let year else { throw DomainError.invalid(vi: "Thiếu năm kế hoạch (year)", en: "the plan year (year) is required") }
        guard (2000...2100).contains(year) else {
            throw DomainError.invalid(vi: "year: năm kế hoạch \(year) không hợp lệ (2000–2100)", en: "year: plan year \(year) is out of range (2000–2100)")
        }
        guard let parsed = Period(rawValue: (period ?? "FY").uppercased()), PeriodReportWorkflow.periods.contains(parsed) else {
            throw DomainError.invalid(vi: "period: kỳ báo cáo là Q1, H1, Q3 hoặc FY", en: "period: the report period is Q1, H1, Q3 or FY")
        }
        let catalog = AdminUnitCatalog.inForce   // a signed-in request's regions in force (region_memberships)
        let units: [AdminUnit]
        if let region {
            guard let value = Region(rawValue: region) else {
                throw DomainError.invalid(vi: "region: khu vực \"\(region)\" không có (north, central, south)",
                                          en: "region: \"\(region)\" does not exist (north, central, south)")
            }
            units = catalog.units(in: value, planYear: year)
        } else if let unit {
            units = [try catalog.resolve(code: UnitCode(unit), planYear: year)]
        } else {
            units = catalog.units(in: nil, planYear: year)
        }
        return Scope(units: units, year: year, period: parsed)
    }

    /// Findings name projects: the caller must read the records of every unit of the scope (a province officer
    /// its own unit, a region's reviewer its region); anything beyond is answered as not found.
    static func authorize(_ scope: Scope, _ req: Request) throws {
        _ = try req.requireUser()
        for unit in scope.units { try req.authorize(.readRecord, RecordScope(unitID: unit.id)) }
    }

    /// The findings of a scope with the comments on them, in a stable order: errors first, then by unit and project.
    /// With the report cache (pages and API) the findings are reused while the data is unchanged; a submission's
    /// check inside its write reckons them anew.
    static func list(_ scope: Scope, cache: ReportCache? = nil, on db: any Database) async throws -> [Finding] {
        let findings = try await withComments(try await evaluate(scope, cache: cache, on: db), year: scope.year, period: scope.period, on: db)
        return findings.sorted {
            ($0.severity == "error" ? 0 : 1, $0.unitCode, $0.projectCode ?? "", $0.rule, $0.message)
                < ($1.severity == "error" ? 0 : 1, $1.unitCode, $1.projectCode ?? "", $1.rule, $1.message)
        }
    }

    /// The contract's JSON: `{"findings": [{"rule", "severity", "projectCode", "unitCode", "message", "comment"}]}`.
    struct Document: Content {
        struct Row: Content {
            let rule: String
            let severity: String
            let projectCode: String?
            let unitCode: UnitCode
            let message: String
            let comment: String?

            func encode(to encoder: any Encoder) throws {   // null, not missing, for an absent project or comment
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(rule, forKey: .rule)
                try container.encode(severity, forKey: .severity)
                try container.encode(projectCode, forKey: .projectCode)
                try container.encode(unitCode, forKey: .unitCode)
                try container.encode(message, forKey: .message)
                try container.encode(comment, forKey: .comment)
            }
        }
        let findings: [Row]

        init(_ findings: [Finding]) {
            self.findings = findings.map { Row(rule: $0.rule, severity: $0.severity, projectCode: $0.projectCode, unitCode: $0.unitCode,
                                               message: $0.message, comment: $0.comment) }
        }
    }

    /// The check of a submission, under the write lock of the submission itself: errors block it, every warning
    /// needs the unit's comment (422 naming `quality`).
    static func checkSubmission(unit: AdminUnit, year: Int, period: Period, on db: any Database) async throws {
        let findings = try await list(Scope(units: [unit], year: year, period: period), on: db)
        let errors = findings.filter { $0.severity == "error" }
        if !errors.isEmpty {
            throw DomainError.invalid(vi: "quality: báo cáo còn \(errors.count) lỗi dữ liệu phải sửa trước khi nộp (\(errors.map(\.ruleName).uniqued().joined(separator: "; ")))",
                                      en: "quality: \(errors.count) data error(s) must be corrected before submission (\(errors.map(\.rule).uniqued().joined(separator: ", ")))")
        }
        let uncommented = findings.filter { $0.severity == "warning" && ($0.comment ?? "").isEmpty }
        if !uncommented.isEmpty {
            throw DomainError.invalid(vi: "quality: cần giải trình cho \(uncommented.count) cảnh báo về chất lượng số liệu trước khi nộp",
                                      en: "quality: \(uncommented.count) warning(s) need a comment before submission")
        }
    }

    /// A unit's comment on one warning of its period report: a guarded write, checked under the lock (the caller
    /// edits the unit's records, the report is still open, the warning is there), audited.
    static func comment(unit: AdminUnit, year: Int, period: Period, rule: String, subject: String, text: String,
                        by user: User, on db: any Database) async throws {
        let comment = try ProjectEditing.cleanText(text, field: "comment", maxLength: 2000)
        try await GuardedWrite.run(on: db) { db in
            guard AccessPolicy.decide(user.principal, .editRecord, RecordScope(unitID: unit.id)) == .allow else {
                throw DomainError(.forbidden, vi: "Chỉ đơn vị lập báo cáo ghi giải trình", en: "only the reporting unit comments its warnings")
            }
            let key = PeriodReportWorkflow.Key(unit: unit, year: year, period: period)
            if let report = try await PeriodReportWorkflow.find(key, on: db), !report.status.isOpenForSubmission {
                throw DomainError(.conflict, vi: "Báo cáo đã nộp hoặc đã duyệt; không sửa giải trình được", en: "the report is \(report.status.rawValue); comments are closed")
            }
            let findings = try await evaluate(Scope(units: [unit], year: year, period: period), on: db)
            guard findings.contains(where: { $0.rule == rule && $0.subject == subject && $0.severity == "warning" }) else {
                throw DomainError(.notFound, vi: "Không có cảnh báo này", en: "no such warning")
            }
            let existing = try await QualityComment.query(on: db).filter(\.$unitID == unit.id).filter(\.$year == year)
                .filter(\.$period == period).filter(\.$ruleCode == rule).filter(\.$subject == subject).first()
            let before = existing?.comment
            let row = existing ?? QualityComment(unitID: unit.id, year: year, period: period, ruleCode: rule, subject: subject,
                                                 comment: comment, writtenBy: user.username)
            row.comment = comment
            row.writtenBy = user.username
            row.writtenAt = Date()
            try await row.save(on: db)
            try await AuditTrail.record(actor: user.username, action: "quality_comment", recordType: "quality_comment",
                                        recordID: "\(unit.id)/\(year)/\(period.rawValue)/\(rule)/\(subject)", unitID: unit.id,
                                        before: before.map { ["comment": $0] }, after: ["comment": comment], on: db)
        }
    }
}

extension Array where Element: Hashable {
    fileprivate func uniqued() -> [Element] {
        var seen: Set<Element> = []
        return filter { seen.insert($0).inserted }
    }
}

/// What a unit's period report page shows of data quality: the counts, the link to the quality page, and each
/// finding with its comment (the reviewer reads them before approving).
struct QualitySection: Encodable, Sendable {
    struct Line: Encodable, Sendable {
        let severity: String
        let ruleName: String
        let message: String
        let comment: String?
        let projectCode: String?
        let projectLink: String?
    }
    let errors: Int
    let warnings: Int
    let uncommented: Int
    let link: String
    let findings: [Line]

    static func load(unit: AdminUnit, year: Int, period: Period, cache: ReportCache? = nil, on db: any Database) async throws -> QualitySection {
        let findings = try await QualityFindings.list(.init(units: [unit], year: year, period: period), cache: cache, on: db)
        return QualitySection(
            errors: findings.filter { $0.severity == "error" }.count, warnings: findings.filter { $0.severity == "warning" }.count,
            uncommented: findings.filter { $0.severity == "warning" && ($0.comment ?? "").isEmpty }.count,
            link: Links.quality(unitCode: unit.code, year: year, period: period),
            findings: findings.map { .init(severity: $0.severity == "error" ? "Lỗi" : "Cảnh báo", ruleName: $0.ruleName, message: $0.message,
                                           comment: $0.comment, projectCode: $0.projectCode, projectLink: $0.projectCode.map(Links.project)) })
    }
}
