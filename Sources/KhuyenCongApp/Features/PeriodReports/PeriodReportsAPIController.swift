import Fluent
import KhuyenCongCore
import Vapor

/// `/api/v1/period-reports/{unitCode}/{year}/{period}` and its steps; `/api/v1/period-reports/reminders`.
struct PeriodReportsAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.api(.periodReportReminders), use: reminders).access(.action(.ministryStep))
        routes.get(.api(.periodReport()), use: show).access(.record(.readRecord))
        routes.post(.api(.periodReportStep(unitCode: nil, year: nil, nil, .submit)), use: submit).access(.record(.editRecord))
        routes.post(.api(.periodReportStep(unitCode: nil, year: nil, nil, .approve)), use: approve).access(.record(.ministryStep))
        routes.post(.api(.periodReportStep(unitCode: nil, year: nil, nil, .return)), use: returnReport).access(.record(.ministryStep))
        routes.post(.api(.periodReportStep(unitCode: nil, year: nil, nil, .unlock)), use: unlock).access(.record(.ministryStep))
    }

    struct ReportDTO: Content {
        let unitCode: UnitCode; let unitName: String; let year: Int; let period: Period; let status: PeriodReportFiling; let locked: Bool
        let dueOn: String?; let submittedOn: String?; let daysLate: Int?; let approvedOn: String?; let approvedBy: String?
        let returnReason: String?; let unlockReason: String?; let coverNote: String?
        let live: ReportSummary; let submitted: ReportSummary?; let approved: ReportSummary?
        let differences: [PeriodReportWorkflow.Difference]
    }
    struct Reason: Content { let reason: String }
    struct Submission: Content { let coverNote: String? }

    /// The report named in the path, once the caller may do `action` on the unit.
    static func key(_ req: Request, _ action: AccessAction) throws -> PeriodReportWorkflow.Key {
        guard let year = Int(try req.parameters.require("year")) else { throw DomainError(.notFound, vi: "Không tìm thấy", en: "not found") }
        let key = try PeriodReportWorkflow.key(unitCode: try req.parameters.require("unitCode"), year: year,
                                               period: try req.parameters.require("period"))
        try req.authorize(.readRecord, RecordScope(unitID: key.unit.id))
        if action != .readRecord { try req.authorize(action, RecordScope(unitID: key.unit.id)) }
        return key
    }

    static func dto(_ key: PeriodReportWorkflow.Key, on db: any Database) async throws -> ReportDTO {
        let report = try await PeriodReportWorkflow.find(key, on: db)
        let live = try await PeriodReportWorkflow.figures(key, on: db)
        let due = try await PeriodReportWorkflow.dueDate(year: key.year, period: key.period, on: db)
        let submitted = report?.submittedOn.flatMap { try? CalendarDate(parsing: $0) }
        let approved = try PeriodReportWorkflow.decode(report?.approvedSnapshot)
        return ReportDTO(unitCode: key.unit.code, unitName: key.unit.name, year: key.year, period: key.period,
                         status: report.map { PeriodReportFiling($0.status) } ?? .missing, locked: report?.locked ?? false, dueOn: due?.description,
                         submittedOn: report?.submittedOn, daysLate: zip2(submitted, due).flatMap { $0 > $1 ? $0 - $1 : nil },
                         approvedOn: report?.approvedOn, approvedBy: report?.approvedBy, returnReason: report?.returnReason,
                         unlockReason: report?.unlockReason, coverNote: report?.coverNote, live: live,
                         submitted: try PeriodReportWorkflow.decode(report?.snapshot), approved: approved,
                         differences: report?.status == .approved ? [] : PeriodReportWorkflow.differences(approved: approved, live: live))
    }

    @Sendable func show(req: Request) async throws -> ReportDTO {
        try await Self.dto(try Self.key(req, .readRecord), on: req.db)
    }

    @Sendable func submit(req: Request) async throws -> ReportDTO {
        let key = try Self.key(req, .editRecord)
        let body = try? req.content.decode(Submission.self)
        _ = try await PeriodReportWorkflow.submit(key, coverNote: body?.coverNote, by: try req.requireUser(), on: req.db)
        return try await Self.dto(key, on: req.db)
    }

    @Sendable func approve(req: Request) async throws -> ReportDTO {
        let key = try Self.key(req, .ministryStep)
        _ = try await PeriodReportWorkflow.approve(key, by: try req.requireUser(), on: req.db)
        return try await Self.dto(key, on: req.db)
    }

    @Sendable func returnReport(req: Request) async throws -> ReportDTO {
        let key = try Self.key(req, .ministryStep)
        _ = try await PeriodReportWorkflow.returnForChanges(key, reason: try req.content.decode(Reason.self).reason, by: try req.requireUser(), on: req.db)
        return try await Self.dto(key, on: req.db)
    }

    @Sendable func unlock(req: Request) async throws -> ReportDTO {
        let key = try Self.key(req, .ministryStep)
        _ = try await PeriodReportWorkflow.unlock(key, reason: try req.content.decode(Reason.self).reason, by: try req.requireUser(), on: req.db)
        return try await Self.dto(key, on: req.db)
    }

    struct ReminderQuery: Decodable { let days: Int? }

    @Sendable func reminders(req: Request) async throws -> [PeriodReportCompleteness.Reminder] {
        let user = try req.requireUser()
        let days = try req.query.decode(ReminderQuery.self).days ?? 30
        guard (0...366).contains(days) else {
            throw DomainError.invalid(vi: "Số ngày phải từ 0 đến 366", en: "days must be 0–366")
        }
        return try await PeriodReportCompleteness.reminders(region: user.principal.region, withinDays: days, on: req.db)
    }
}

func zip2<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
