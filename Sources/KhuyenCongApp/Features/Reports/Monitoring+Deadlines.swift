import Fluent
import Foundation
import KhuyenCongCore
import SQLKit
import Vapor

/// The monitoring lists that follow the deadline rules of a plan year (`DeadlineBook`, edited on the settings page):
/// the second registration step (Department → ministry, Circular 36/2013 Art. 10), settlements (Circular 36/2013
/// Art. 18), quarterly reports (Decree 45/2012 Art. 16).
extension Monitoring {
    /// A national project the Department forwarded to the ministry after the deadline of its plan year (`late`, with the
    /// date of its latest registration), or still at the province (appraised there, not forwarded) once the deadline
    /// has passed (`missing`, days counted to the as-of date).
    struct LateMinistryRegistration: Content, Sendable {
        let unitCode: UnitCode; let unitName: String; let projectCode: String; let year: Int; let deadline: String
        let registeredOn: String?; let state: DeadlineState; let daysLate: Int

        var line: String {
            "\(unitName): đề án \(projectCode) (năm \(year)) " + (registeredOn.map { "gửi Bộ ngày \(VietnameseFormat.date(stored: $0)), muộn" }
                ?? "chưa gửi Bộ, đã quá hạn") + " \(daysLate) ngày (hạn \(VietnameseFormat.date(stored: deadline)))"
        }
    }

    /// A finally accepted project whose settlement is overdue or was late: `step` `.close` (not settled by the
    /// close of the year's accounts, 22 January of the next year) or else `.file` (not settled within the
    /// days after the final acceptance, 15); `state` `.missing` (not settled by the as-of date) or `.late`.
    /// The settlement's record is the project's step to "settled" (its date).
    struct OverdueSettlement: Content, Sendable {
        let unitCode: UnitCode; let unitName: String; let projectCode: String; let year: Int; let acceptedOn: String
        let step: SettlementDeadline; let deadline: String; let settledOn: String?; let state: DeadlineState; let daysLate: Int

        var line: String {
            let what = step == .close ? "chưa quyết toán trước hạn khóa sổ" : "chưa quyết toán trong hạn sau nghiệm thu"
            return "\(unitName): đề án \(projectCode) (năm \(year)) nghiệm thu ngày \(VietnameseFormat.date(stored: acceptedOn)), "
                + (settledOn.map { "quyết toán ngày \(VietnameseFormat.date(stored: $0)), muộn" } ?? what + ", quá hạn")
                + " \(daysLate) ngày (hạn \(VietnameseFormat.date(stored: deadline)))"
        }
    }

    /// A unit's report of a quarter of the scope's year, missing or late against its due date. The half-year report
    /// stands for the second quarter's and the annual report for the fourth's (they fall due together).
    struct QuarterlyReportState: Content, Sendable {
        let unitCode: UnitCode; let name: String; let quarter: Period; let due: String; let state: DeadlineState; let daysLate: Int

        var quarterName: String { "quý " + ([.q1: "I", .q2: "II", .q3: "III", .q4: "IV"] as [Period: String])[quarter, default: quarter.rawValue] }
        var line: String {
            "\(name): báo cáo \(quarterName) " + (state == .missing ? "chưa nộp, quá hạn" : "nộp muộn") + " \(daysLate) ngày (hạn \(VietnameseFormat.date(stored: due)))"
        }
    }

    /// A unit's overdue settlements in one line (how many, against which deadline, the longest delay), with each
    /// project's line for those who open it: a region holds hundreds of them, too many for a printed page.
    struct UnitSettlements: Sendable {
        let line: String
        let projects: [String]
    }

    static func settlementsByUnit(_ rows: [OverdueSettlement]) -> [UnitSettlements] {
        var order: [String] = [], byUnit: [String: [OverdueSettlement]] = [:]
        for row in rows {
            if byUnit[row.unitName] == nil { order.append(row.unitName) }
            byUnit[row.unitName, default: []].append(row)
        }
        return order.map { unit in
            let projects = byUnit[unit] ?? []
            let file = projects.filter { $0.step == .file }.count, close = projects.count - file
            let against = [file > 0 ? "\(file) quá hạn sau nghiệm thu" : nil, close > 0 ? "\(close) quá hạn khóa sổ" : nil].compactMap { $0 }
            return UnitSettlements(line: "\(unit): \(projects.count) đề án (\(against.joined(separator: ", "))), chậm nhất \(projects.map(\.daysLate).max() ?? 0) ngày",
                                   projects: projects.map(\.line))
        }
    }

    /// The quarterly reports of each quarter in one line: the units that did not send it, those that sent it late.
    static func quarterLines(_ rows: [QuarterlyReportState], in language: Language = .vi) -> [String] {
        func t(_ key: String, _ values: [String]) -> String { MessageCatalog.text(key, in: language, values) }
        func name(_ text: String) -> String { MessageCatalog.value(text, in: language) }
        return ([.q1, .q2, .q3, .q4] as [Period]).compactMap { quarter in
            let reports = rows.filter { $0.quarter == quarter }
            guard let first = reports.first else { return nil }
            let missing = reports.filter { $0.state == .missing }.map { name($0.name) }
            let late = reports.filter { $0.state == .late }.map { "\(name($0.name)) \(t("{0} ngày", [String($0.daysLate)]))" }
            let parts = [missing.isEmpty ? nil : t("chưa nộp: {0}", [missing.joined(separator: ", ")]),
                         late.isEmpty ? nil : t("nộp muộn: {0}", [late.joined(separator: ", ")])].compactMap { $0 }
            return t("Báo cáo {0} (hạn {1}): {2}", [name(first.quarterName), VietnameseFormat.date(stored: first.due), parts.joined(separator: "; ")])
        }
    }

    /// National projects of the plan year and the next forwarded late to the ministry, or not forwarded by the deadline.
    static func lateMinistryRegistrations(_ scope: ReportScope, book: DeadlineBook, inScope: (UnitID) -> Bool,
                                          unitName: (UnitID) -> (UnitCode, String), on sql: any SQLDatabase) async throws -> [LateMinistryRegistration] {
        guard scope.source != .local else { return [] }
        let asOf = scope.asOf
        var result: [LateMinistryRegistration] = []
        let rows = try await sql.raw("""
            SELECT p.code, p.unit_id, p.year, p.status, p.submitted_on,
                   (SELECT MAX(e.on_date) FROM project_events e WHERE e.project_id = p.id AND e.to_status = 'registered'
                    AND e.on_date <= \(bind: asOf.description)) AS registered_on
            FROM projects p
            WHERE p.source = 'national' AND p.year IN (\(bind: scope.year), \(bind: scope.year + 1))
              AND p.status NOT IN ('draft', 'submitted', 'returned', 'rejected', 'cancelled')
            """).all()
        for row in rows {
            let unitID = try row.decode(column: "unit_id", as: UnitID.self), year = try row.decode(column: "year", as: Int.self)
            guard inScope(unitID), let deadline = book.date(year, "registration_ministry") else { continue }
            let registered = (try row.decode(column: "registered_on", as: String?.self)).flatMap { try? CalendarDate(parsing: $0) }
            let status = try row.decode(column: "status", as: ProjectStatus.self)
            let (code, name) = unitName(unitID)
            let project = try row.decode(column: "code", as: String.self)
            if let registered {
                guard registered > deadline else { continue }
                result.append(.init(unitCode: code, unitName: name, projectCode: project, year: year, deadline: deadline.description,
                                    registeredOn: registered.description, state: .late, daysLate: registered - deadline))
            } else if status == .appraisedProvince, asOf > deadline {
                result.append(.init(unitCode: code, unitName: name, projectCode: project, year: year, deadline: deadline.description,
                                    registeredOn: nil, state: .missing, daysLate: asOf - deadline))
            }
        }
        return result.sorted { ($0.unitCode, $0.projectCode) < ($1.unitCode, $1.projectCode) }
    }

    /// Projects of the plan year and the one before, finally accepted by the as-of date, whose settlement is overdue
    /// or came late; one line per project, the close of the accounts before the file.
    static func overdueSettlements(_ scope: ReportScope, book: DeadlineBook, inScope: (UnitID) -> Bool,
                                   unitName: (UnitID) -> (UnitCode, String), on sql: any SQLDatabase) async throws -> [OverdueSettlement] {
        let asOf = scope.asOf
        let source = SQLRaw(scope.source.map { " AND p.source = '\($0.rawValue)'" } ?? "")
        let rows = try await sql.raw("""
            SELECT p.code, p.unit_id, p.year,
                   (SELECT MAX(e.on_date) FROM project_events e WHERE e.project_id = p.id AND e.to_status = 'accepted'
                    AND e.on_date <= \(bind: asOf.description)) AS accepted_on,
                   (SELECT MIN(e.on_date) FROM project_events e WHERE e.project_id = p.id AND e.to_status = 'settled'
                    AND e.on_date <= \(bind: asOf.description)) AS settled_on
            FROM projects p
            WHERE p.year IN (\(bind: scope.year - 1), \(bind: scope.year)) AND p.status IN ('accepted', 'settled', 'closed')\(source)
            """).all()
        var result: [OverdueSettlement] = []
        for row in rows {
            let unitID = try row.decode(column: "unit_id", as: UnitID.self), year = try row.decode(column: "year", as: Int.self)
            guard inScope(unitID),
                  let accepted = (try row.decode(column: "accepted_on", as: String?.self)).flatMap({ try? CalendarDate(parsing: $0) }) else { continue }
            let settled = (try row.decode(column: "settled_on", as: String?.self)).flatMap { try? CalendarDate(parsing: $0) }
            let fileDue = accepted.adding(days: book.settlementFileDays(year))
            let closeDue = book.date(year, "settlement_close") ?? CalendarDate(year + 1, 1, 22)
            let (code, name) = unitName(unitID)
            let project = try row.decode(column: "code", as: String.self)
            for (step, due) in [(SettlementDeadline.close, closeDue), (.file, fileDue)] {
                let days: Int
                if let settled { guard settled > due else { continue }; days = settled - due } else { guard asOf > due else { continue }; days = asOf - due }
                result.append(.init(unitCode: code, unitName: name, projectCode: project, year: year, acceptedOn: accepted.description, step: step,
                                    deadline: due.description, settledOn: settled?.description, state: settled == nil ? .missing : .late, daysLate: days))
                break
            }
        }
        return result.sorted { ($0.daysLate, $1.projectCode) > ($1.daysLate, $0.projectCode) }
    }

    /// The quarters of the scope's year that end within its period and are due by the as-of date: each unit of the
    /// scope whose report (or its stand-in) was not submitted by then, or was submitted after the due date.
    static func quarterlyReports(_ scope: ReportScope, units: [AdminUnit], book: DeadlineBook, on db: any Database) async throws -> [QuarterlyReportState] {
        let asOf = scope.asOf
        let quarters = ([.q1, .q2, .q3, .q4] as [Period]).filter { $0.months.upperBound <= scope.period.months.upperBound }
        guard !quarters.isEmpty else { return [] }
        let standIn: [Period: Period] = [.q2: .h1, .q4: .fullYear]
        let periods = quarters + quarters.compactMap { standIn[$0] }
        var submitted: [String: CalendarDate] = [:]
        for report in try await FiledReport.load(year: scope.year, periods: periods, on: db) {
            guard report.status != .draft, let date = report.submittedOn, date <= asOf else { continue }
            let key = "\(report.unitID)/\(report.period)"
            submitted[key] = min(submitted[key] ?? date, date)
        }
        var result: [QuarterlyReportState] = []
        for quarter in quarters {
            guard let due = book.quarterDue(scope.year, quarter) else { continue }
            for unit in units {
                let own = submitted["\(unit.id)/\(quarter.rawValue)"]
                let other = standIn[quarter].flatMap { submitted["\(unit.id)/\($0.rawValue)"] }
                let date = [own, other].compactMap { $0 }.min()
                if let date {
                    if date > due { result.append(.init(unitCode: unit.code, name: unit.name, quarter: quarter, due: due.description, state: .late, daysLate: date - due)) }
                } else if asOf > due {
                    result.append(.init(unitCode: unit.code, name: unit.name, quarter: quarter, due: due.description, state: .missing, daysLate: asOf - due))
                }
            }
        }
        return result
    }

    /// The narrative's sentences of these lists, with counts and the units named.
    var deadlineFindings: [String] { deadlineFindings(in: .vi) }

    /// The same sentences in `language` (catalog entries with values; the Vietnamese byte for byte as above).
    func deadlineFindings(in language: Language) -> [String] {
        var text: [String] = []
        func t(_ key: String, _ values: [String]) -> String { MessageCatalog.text(key, in: language, values) }
        func name(_ text: String) -> String { MessageCatalog.value(text, in: language) }
        func units<T>(_ rows: [T], _ name: (T) -> String) -> String {
            Dictionary(grouping: rows, by: name).sorted { $0.key < $1.key }.map { "\(MessageCatalog.value($0.key, in: language)) (\($0.value.count))" }.joined(separator: ", ")
        }
        let lateForwarded = lateMinistryRegistrations.filter { $0.state == .late }, notForwarded = lateMinistryRegistrations.filter { $0.state == .missing }
        if !lateForwarded.isEmpty {
            text.append(t(Set(lateForwarded.map(\.deadline)).count > 1
                            ? "Sở Công Thương gửi Bộ Công Thương muộn {0} đề án khuyến công quốc gia (sau hạn {1} và các hạn khác): {2}."
                            : "Sở Công Thương gửi Bộ Công Thương muộn {0} đề án khuyến công quốc gia (sau hạn {1}): {2}.",
                          [String(lateForwarded.count), VietnameseFormat.date(stored: lateForwarded[0].deadline), units(lateForwarded, \.unitName)]))
        }
        if !notForwarded.isEmpty {
            text.append(t("{0} đề án đã thẩm định cấp tỉnh chưa được gửi Bộ Công Thương dù đã quá hạn: {1}.", [String(notForwarded.count), units(notForwarded, \.unitName)]))
        }
        let file = overdueSettlements.filter { $0.step == .file }, close = overdueSettlements.filter { $0.step == .close }
        if !file.isEmpty {
            text.append(t("{0} đề án chưa quyết toán hoặc quyết toán muộn so với hạn sau nghiệm thu cuối cùng: {1}.", [String(file.count), units(file, \.unitName)]))
        }
        if !close.isEmpty {
            text.append(t("{0} đề án chưa quyết toán hoặc quyết toán sau hạn khóa sổ ngày 22 tháng 01 năm sau: {1}.", [String(close.count), units(close, \.unitName)]))
        }
        for quarter in [Period.q1, .q2, .q3, .q4] {
            let rows = quarterlyReports.filter { $0.quarter == quarter }
            guard let first = rows.first else { continue }
            let missing = rows.filter { $0.state == .missing }, late = rows.filter { $0.state == .late }
            var parts: [String] = []
            if !missing.isEmpty { parts.append(t("{0} đơn vị chưa nộp ({1})", [String(missing.count), missing.map { name($0.name) }.joined(separator: ", ")])) }
            if !late.isEmpty {
                parts.append(t("{0} đơn vị nộp muộn ({1})", [String(late.count), late.map { "\(name($0.name)) \(t("{0} ngày", [String($0.daysLate)]))" }.joined(separator: ", ")]))
            }
            text.append(t("Báo cáo {0} (hạn {1}): {2}.", [name(first.quarterName), VietnameseFormat.date(stored: first.due), parts.joined(separator: "; ")]))
        }
        return text
    }
}
