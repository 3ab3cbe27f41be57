import Fluent
import Foundation
import KhuyenCongCore

/// A unit's quarterly (first and third quarter), half-year and annual reports (Decree 45/2012 Art. 16; the half-year
/// report stands for the second quarter's and the annual report for the fourth's): submit (with a snapshot of the figures), return with reasons, approve
/// (which locks the unit's records of the period), unlock with a reason (changes then show as differences
/// against the approved snapshot until the report is approved again).
enum PeriodReportWorkflow {
    /// In the order they fall due.
    static let periods = Period.filedReports

    struct Key: Sendable, Hashable {
        let unit: AdminUnit
        let year: Int
        let period: Period
        var recordID: String { "\(unit.id)/\(year)/\(period.rawValue)" }
    }

    /// A unit code as the API names it, resolved for the plan year; Q1, H1, Q3 and FY only.
    static func key(unitCode: UnitCode, year: Int, period: String) throws -> Key {
        guard let period = Period(rawValue: period.uppercased()), periods.contains(period) else {
            throw DomainError(.notFound, vi: "Kỳ báo cáo \"\(period)\" không có (Q1, H1, Q3, FY)", en: "report period \"\(period)\" does not exist (Q1, H1, Q3, FY)")
        }
        guard (2000...2100).contains(year) else { throw DomainError(.notFound, vi: "Năm \(year) không có", en: "no year \(year)") }
        return Key(unit: try AdminUnitCatalog.standard.resolve(code: unitCode, planYear: year), year: year, period: period)
    }

    static func find(_ key: Key, on db: any Database) async throws -> PeriodReport? {
        try await PeriodReport.query(on: db).filter(\.$unitID == key.unit.id).filter(\.$year == key.year)
            .filter(\.$period == key.period).first()
    }

    /// The deadline in force (`DeadlineBook`: the latest `rule_deadlines` row of the step, else `plan_years` for H1 and
    /// FY, else the law's default), as monitoring reads it. The settings page writes both the row and `plan_years`.
    static func dueDate(year: Int, period: Period, on db: any Database) async throws -> CalendarDate? {
        try await DeadlineBook.load(on: db, year: year).quarterDue(year, period)
    }

    /// The unit's figures for the period as the report definitions compute them, on the units of the plan year.
    static func figures(_ key: Key, on db: any Database) async throws -> ReportSummary {
        try await ReportSummary.compute(ReportScope(area: .unit(code: key.unit.code), year: key.year, period: key.period), on: db)
    }

    /// The stored snapshot of `summary` (`PeriodReportSnapshot`, versioned).
    static func encode(_ summary: ReportSummary) throws -> String {
        try PeriodReportSnapshot(summary).text()
    }

    /// A stored snapshot's figures; nil for none. A text that cannot be read throws (`PeriodReportSnapshot.Unreadable`).
    static func decode(_ text: String?) throws -> ReportSummary? {
        try PeriodReportSnapshot.read(text)?.summary
    }

    struct Snapshot: Encodable { let status: PeriodReportStatus; let locked: Bool; let submittedOn: String?; let approvedOn: String?; let reason: String? }

    private static func audit(_ action: String, _ key: Key, before: PeriodReport?, after: PeriodReport, by user: User, on db: any Database) async throws {
        func snapshot(_ report: PeriodReport) -> Snapshot {
            Snapshot(status: report.status, locked: report.locked, submittedOn: report.submittedOn, approvedOn: report.approvedOn,
                     reason: report.returnReason ?? report.unlockReason)
        }
        try await AuditTrail.record(actor: user.username, action: action, recordType: "period_report", recordID: key.recordID,
                                    unitID: key.unit.id, before: before.map(snapshot), after: snapshot(after), on: db)
    }

    /// Every move of a period report is a guarded write: its status is read again under the write lock and compared
    /// there before it is set, so a payment and an approval of the same period never both land (one waits for the other).
    static func submit(_ key: Key, coverNote: String?, by user: User, today: CalendarDate = .today(), on db: any Database) async throws -> PeriodReport {
        let note = try coverNote.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : try ProjectEditing.cleanText($0, field: "coverNote", maxLength: 4000) }
        return try await GuardedWrite.run(on: db) { db in
            let existing = try await find(key, on: db)
            if let existing, !existing.status.isOpenForSubmission {
                throw DomainError(.conflict, vi: "Báo cáo đang ở trạng thái \"\(existing.status.vietnameseName)\", không nộp lại được",
                                  en: "the report is \(existing.status.rawValue); it cannot be submitted")
            }
            try await QualityFindings.checkSubmission(unit: key.unit, year: key.year, period: key.period, on: db)   // errors block, warnings need a comment
            let before = existing.map(copy)
            let report = existing ?? PeriodReport(unitID: key.unit.id, year: key.year, period: key.period, status: .draft,
                                                  coverNote: "", submittedOn: nil, approvedOn: nil, approvedBy: nil)
            report.coverNote = note ?? report.coverNote
            report.snapshot = try encode(try await figures(key, on: db))
            report.status = .submitted
            report.submittedOn = today.description
            report.returnReason = nil
            try await report.save(on: db)
            try await audit("submit", key, before: before, after: report, by: user, on: db)
            return report
        }
    }

    static func approve(_ key: Key, by user: User, today: CalendarDate = .today(), on db: any Database) async throws -> PeriodReport {
        try await GuardedWrite.run(on: db) { db in
            let report = try await require(key, status: .submitted, on: db)
            let before = copy(report)
            report.status = .approved
            report.approvedSnapshot = report.snapshot
            report.locked = true
            report.approvedOn = today.description
            report.approvedBy = user.username
            report.unlockReason = nil
            try await report.save(on: db)
            try await audit("approve", key, before: before, after: report, by: user, on: db)
            return report
        }
    }

    static func returnForChanges(_ key: Key, reason: String, by user: User, on db: any Database) async throws -> PeriodReport {
        let text = try ProjectEditing.cleanText(reason, field: "reason", maxLength: 4000)
        return try await GuardedWrite.run(on: db) { db in
            let report = try await require(key, status: .submitted, on: db)
            let before = copy(report)
            report.status = .returned
            report.returnReason = text
            try await report.save(on: db)
            try await audit("return", key, before: before, after: report, by: user, on: db)
            return report
        }
    }

    static func unlock(_ key: Key, reason: String, by user: User, today: CalendarDate = .today(), on db: any Database) async throws -> PeriodReport {
        let text = try ProjectEditing.cleanText(reason, field: "reason", maxLength: 4000)
        return try await GuardedWrite.run(on: db) { db in
            let report = try await require(key, status: .approved, on: db)
            let before = copy(report)
            report.status = .unlocked
            report.locked = false
            report.unlockReason = text
            report.unlockedBy = user.username
            report.unlockedOn = today.description
            try await report.save(on: db)
            try await audit("unlock", key, before: before, after: report, by: user, on: db)
            return report
        }
    }

    private static func require(_ key: Key, status: PeriodReportStatus, on db: any Database) async throws -> PeriodReport {
        guard let report = try await find(key, on: db) else {
            throw DomainError(.conflict, vi: "Đơn vị chưa nộp báo cáo kỳ này", en: "the unit has not submitted this report")
        }
        guard report.status == status else {
            throw DomainError(.conflict, vi: "Báo cáo đang ở trạng thái \"\(report.status.vietnameseName)\"", en: "the report is \(report.status.rawValue)")
        }
        return report
    }

    private static func copy(_ report: PeriodReport) -> PeriodReport {
        let copy = PeriodReport(unitID: report.unitID, year: report.year, period: report.period, status: report.status, coverNote: report.coverNote,
                                submittedOn: report.submittedOn, approvedOn: report.approvedOn, approvedBy: report.approvedBy)
        copy.locked = report.locked
        return copy
    }

    /// What changed since approval: every figure of the approved snapshot that the live figures differ from. A figure
    /// is an amount (whole đồng) or an indicator's quantity, as its name says: a plain number, not `Money`.
    struct Difference: Content, Sendable, Equatable { let figure: String; let approved: Int64; let now: Int64 }

    static func differences(approved: ReportSummary?, live: ReportSummary) -> [Difference] {
        guard let approved else { return [] }
        var result: [Difference] = []
        func compare(_ name: String, _ a: Int64, _ b: Int64) { if a != b { result.append(Difference(figure: name, approved: a, now: b)) } }
        func compare(_ name: String, _ a: Money, _ b: Money) { compare(name, a.dong, b.dong) }
        compare("Kế hoạch (đồng)", approved.plan.amountVnd, live.plan.amountVnd)
        compare("Thực hiện (đồng)", approved.realised.amountVnd, live.realised.amountVnd)
        let categories = Set(approved.byCategory.map(\.category) + live.byCategory.map(\.category)).sorted()
        for code in categories {
            let a = approved.byCategory.first { $0.category == code }, b = live.byCategory.first { $0.category == code }
            compare("Nội dung \(code): kế hoạch", a?.planVnd ?? 0, b?.planVnd ?? 0)
            compare("Nội dung \(code): thực hiện", a?.realisedVnd ?? 0, b?.realisedVnd ?? 0)
        }
        for indicator in Set(approved.targets.map(\.indicator) + live.targets.map(\.indicator)).sorted() {
            let a = approved.targets.first { $0.indicator == indicator }, b = live.targets.first { $0.indicator == indicator }
            compare("Chỉ tiêu \(indicator): kết quả", a?.realised ?? 0, b?.realised ?? 0)
        }
        return result
    }
}

import Vapor
