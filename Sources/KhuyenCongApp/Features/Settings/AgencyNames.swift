import Fluent
import Foundation
import KhuyenCongCore
import Vapor

/// The name of the ministry's khuyến công agency, dated (`agency_names`, M0046): rows are only added; the row with the
/// latest valid-from on or before a date is the name in force then (of two with the same date, the later recorded).
/// The report document's header and the pages' footer use it.
final class AgencyNameRecord: Model, @unchecked Sendable {
    static let schema = "agency_names"

    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    /// The symbol in the document number and the filing line ("BC-ĐMST", "Lưu: VT, ĐMST").
    @Field(key: "short_name") var shortName: String
    @Field(key: "valid_from") var validFrom: String
    @Field(key: "legal_basis") var legalBasis: String
    @Field(key: "recorded_by") var recordedBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(_ name: AgencyName, recordedBy: String) {
        self.name = name.name
        shortName = name.shortName
        validFrom = name.validFrom.description
        legalBasis = name.legalBasis
        self.recordedBy = recordedBy
    }
}

/// One dated name of the agency.
struct AgencyName: Content, Sendable, Equatable {
    let name: String
    let shortName: String
    let validFrom: CalendarDate
    let legalBasis: String

    /// The name as the document's header prints it: in capitals, broken after its first comma when it is long.
    var headerLines: String {
        let upper = name.uppercased()
        guard upper.count > 30, let comma = upper.firstIndex(of: ",") else { return upper }
        return String(upper[...comma]) + "\n" + upper[upper.index(after: comma)...].trimmingCharacters(in: .whitespaces)
    }

    /// What `migrate` records; the earlier date could not be confirmed from a primary text, so it says so and an
    /// administrator corrects it on the settings page.
    static let seeded = [
        AgencyName(name: "Cục Công Thương địa phương", shortName: "CTĐP", validFrom: CalendarDate(2012, 7, 5),
                   legalBasis: "Cơ quan giúp Bộ trưởng Bộ Công Thương quản lý khuyến công khi Nghị định 45/2012/NĐ-CP có hiệu lực (ngày bắt đầu chưa xác nhận từ văn bản gốc)"),
        AgencyName(name: "Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công", shortName: "ĐMST", validFrom: CalendarDate(2025, 3, 1),
                   legalBasis: "Nghị định 40/2025/NĐ-CP ngày 26/02/2025 quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Bộ Công Thương"),
    ]
}

/// The dated names as they are in the database.
struct AgencyNames: Sendable {
    struct Row: Sendable {
        let name: AgencyName
        let recordedBy: String
        let recordedAt: Date?
    }

    /// By valid-from, then by the moment recorded.
    let rows: [Row]

    static func load(on db: any Database) async throws -> AgencyNames {
        let records = try await AgencyNameRecord.query(on: db).all()
        let rows = records.compactMap { record -> Row? in
            guard let from = try? CalendarDate(parsing: record.validFrom) else { return nil }
            return Row(name: AgencyName(name: record.name, shortName: record.shortName, validFrom: from, legalBasis: record.legalBasis),
                       recordedBy: record.recordedBy, recordedAt: record.createdAt)
        }
        return AgencyNames(rows: rows.sorted {
            ($0.name.validFrom, $0.recordedAt ?? .distantPast) < ($1.name.validFrom, $1.recordedAt ?? .distantPast)
        })
    }

    /// The name in force on `date`: the latest row from on or before it; before the first row, the first; with no
    /// rows at all, the law's latest.
    func inForce(on date: CalendarDate) -> AgencyName {
        rows.last { $0.name.validFrom <= date }?.name ?? rows.first?.name ?? AgencyName.seeded[AgencyName.seeded.count - 1]
    }

    static func inForce(on date: CalendarDate, db: any Database) async throws -> AgencyName {
        try await load(on: db).inForce(on: date)
    }
}

struct M0046_CreateAgencyNames: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AgencyNameRecord.schema)
            .id()
            .field("name", .string, .required)
            .field("short_name", .string, .required)
            .field("valid_from", .string, .required)
            .field("legal_basis", .string, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .datetime)
            .create()
        for name in AgencyName.seeded { try await AgencyNameRecord(name, recordedBy: "migrate").create(on: database) }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AgencyNameRecord.schema).delete()
    }
}

/// Puts today's agency name where the page frame's footer reads it (`PageLayout.agencyName`), for pages only.
struct AgencyNameMiddleware: AsyncMiddleware {
    struct Key: StorageKey { typealias Value = String }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if request.method == .GET, !request.isAPI {
            // Kept per data version and day (a new name is a guarded write, which raises the version): no query of its own.
            let today = CalendarDate.today(), db = request.db
            request.storage[Key.self] = try? await request.application.reportCache.value(
                .init(kind: "agency-name", scope: nil, detail: "\(today)"), for: request) {
                try await AgencyNames.inForce(on: today, db: db).name
            }
        }
        return try await next.respond(to: request)
    }
}

extension Request {
    /// The agency's name in force today (the law's latest when not read on this request).
    var agencyName: String { storage[AgencyNameMiddleware.Key.self] ?? AgencyName.seeded[AgencyName.seeded.count - 1].name }
}
