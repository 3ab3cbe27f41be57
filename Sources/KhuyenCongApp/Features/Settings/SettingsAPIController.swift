import Fluent
import Foundation
import KhuyenCongCore
import Vapor

/// `GET /api/v1/settings?year=Y` (any signed-in user): a plan year's deadlines in force with the history of their rows,
/// the agency's dated names and the one in force today, the programmes' decisions of the current term.
/// `PUT` or `POST /api/v1/settings` (the administrator): any of `deadlines`, `agencyName`, `programmes`, in one guarded
/// write (all or nothing); the answer is the settings of the deadlines' year.
struct SettingsDTO: Content {
    struct Deadline: Content {
        let step: String; let name: String; let date: String?; let daysAfter: Int?; let legalBasis: String
        let recordedBy: String?; let recordedAt: Date?
    }
    struct HistoryRow: Content {
        let step: String; let date: String?; let daysAfter: Int?; let legalBasis: String; let recordedBy: String; let recordedAt: Date?
    }
    struct Name: Content { let name: String; let shortName: String; let validFrom: String; let legalBasis: String; let recordedBy: String; let recordedAt: Date? }
    struct Programme: Content {
        let scope: String; let name: String; let term: String; let decisionNo: String; let decidedOn: String; let signer: String; let version: Int
    }

    let year: Int
    let deadlines: [Deadline]
    let deadlineHistory: [HistoryRow]
    let agencyNames: [Name]
    let agencyNameToday: String
    let programmes: [Programme]

    static func load(year: Int, on db: any Database) async throws -> SettingsDTO {
        let book = try await DeadlineBook.load(on: db, year: year)
        let names = try await AgencyNames.load(on: db)
        let catalog = AdminUnitCatalog.standard
        let programmes = try await ProgrammeRecord.query(on: db).filter(\.$firstYear == ProgrammeTerm.current.firstYear).all()
            .map { record -> Programme in
                let unit = record.unitID.flatMap { catalog.unit(id: $0) }
                return Programme(scope: unit?.code.rawValue ?? "country", name: unit?.name ?? "Cả nước", term: "\(record.firstYear)-\(record.lastYear)",
                                 decisionNo: record.decisionNo, decidedOn: record.decidedOn, signer: record.signer, version: record.version)
            }
            .sorted { ($0.scope == "country" ? "" : $0.scope) < ($1.scope == "country" ? "" : $1.scope) }
        return SettingsDTO(
            year: year,
            deadlines: DeadlineBook.steps.map { step in
                let entry = book.entry(year, step)
                return Deadline(step: step, name: RulesAdminPage.stepNames[step] ?? step, date: entry.date?.description, daysAfter: entry.daysAfter,
                                legalBasis: entry.legalBasis, recordedBy: entry.recordedBy, recordedAt: entry.recordedAt)
            },
            deadlineHistory: book.history.reversed().map {
                HistoryRow(step: $0.step, date: $0.dueOn, daysAfter: $0.daysAfter, legalBasis: $0.legalBasis, recordedBy: $0.recordedBy, recordedAt: $0.createdAt)
            },
            agencyNames: names.rows.map {
                Name(name: $0.name.name, shortName: $0.name.shortName, validFrom: $0.name.validFrom.description, legalBasis: $0.name.legalBasis,
                     recordedBy: $0.recordedBy, recordedAt: $0.recordedAt)
            },
            agencyNameToday: names.inForce(on: .today()).name,
            programmes: programmes)
    }
}

struct SettingsAPIController: RouteCollection {
    struct Change: Content {
        struct Deadlines: Content {
            let year: Int
            let legalBasis: String
            /// Step → date (YYYY-MM-DD).
            let dates: [String: String]?
            let settlementFileDays: Int?
        }
        let deadlines: Deadlines?
        let agencyName: SettingsWorkflow.AgencyNameInput?
        let programmes: [SettingsWorkflow.ProgrammeDecisionInput]?
    }

    struct YearQuery: Decodable { let year: Int? }

    func boot(routes: any RoutesBuilder) throws {
        routes.get(.api(.settings), use: show).access(.signedIn)
        routes.put(.api(.settings), use: change).access(.action(.manageUsers))
        routes.post(.api(.settings), use: change).access(.action(.manageUsers))
    }

    static func year(_ req: Request) throws -> Int {
        guard let year = try? req.query.decode(YearQuery.self).year else { return CalendarDate.today().year + 1 }
        guard (2000...2100).contains(year) else {
            throw DomainError.invalid(vi: "year: năm \(year) không hợp lệ (2000–2100)", en: "year: must be 2000–2100")
        }
        return year
    }

    @Sendable func show(req: Request) async throws -> SettingsDTO { try await SettingsDTO.load(year: try Self.year(req), on: req.db) }

    @Sendable func change(req: Request) async throws -> SettingsDTO {
        let user = try req.requireUser()
        try RuleAdmin.checkRight(user)
        let change: Change
        do { change = try req.content.decode(Change.self) } catch {
            throw DomainError.invalid(vi: "Nội dung gửi không đúng dạng (deadlines, agencyName, programmes)", en: "body: expected deadlines, agencyName, programmes")
        }
        guard change.deadlines != nil || change.agencyName != nil || !(change.programmes ?? []).isEmpty else {
            throw DomainError.invalid(vi: "Không có gì thay đổi (deadlines, agencyName, programmes)", en: "body: nothing to change")
        }
        try await GuardedWrite.run(on: req.db) { db in
            if let deadlines = change.deadlines {
                var values = deadlines.dates ?? [:]
                if let days = deadlines.settlementFileDays { values["settlement_file"] = String(days) }
                try await SettingsWorkflow.setDeadlines(.init(year: deadlines.year, values: values, legalBasis: deadlines.legalBasis), by: user, on: db)
            }
            if let name = change.agencyName { try await SettingsWorkflow.addAgencyName(name, by: user, on: db) }
            for programme in change.programmes ?? [] { try await SettingsWorkflow.reviseProgrammeDecision(programme, by: user, on: db) }
        }
        return try await SettingsDTO.load(year: change.deadlines?.year ?? CalendarDate.today().year + 1, on: req.db)
    }
}
