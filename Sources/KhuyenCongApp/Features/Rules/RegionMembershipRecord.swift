import Fluent
import Foundation
import KhuyenCongCore

/// A unit's membership of one of the ministry's regions for a span of time (`region_memberships`, M0051), with the
/// decision it rests on. Rows are only added; adding one closes the row in force on its first day (`RegionAdmin`).
/// A row whose span is empty (closed on its own first day) was superseded from its start: kept as history, not read.
final class RegionMembershipRecord: Model, @unchecked Sendable {
    static let schema = "region_memberships"

    @ID(key: .id) var id: UUID?
    /// The unit's id ("60@2008-08-01"): codes are reused across the 2025 merger, the id is not.
    @Field(key: "unit_id") var unitID: UnitID
    @Field(key: "unit_code") var unitCode: UnitCode
    @Field(key: "region") var region: Region
    @Field(key: "valid_from") var validFrom: String
    @OptionalField(key: "valid_until") var validUntil: String?
    @Field(key: "legal_basis") var legalBasis: String
    @Field(key: "recorded_by") var recordedBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(_ membership: RegionMembership, unitCode: UnitCode, recordedBy: String) {
        unitID = membership.unitID
        self.unitCode = unitCode
        region = membership.region
        validFrom = membership.validFrom.description
        validUntil = membership.validUntil?.description
        legalBasis = membership.legalBasis
        self.recordedBy = recordedBy
    }

    func membership() throws -> RegionMembership {
        RegionMembership(unitID: unitID, region: region, validFrom: try CalendarDate(parsing: validFrom),
                         validUntil: try validUntil.map(CalendarDate.init(parsing:)), legalBasis: legalBasis)
    }
}

/// The table of region memberships, seeded by `migrate` with the memberships of `admin-units.csv` (the same values the
/// catalog held in code: an old unit in its row's region from 01/08/2008 until 30/06/2025, today's unit in the region
/// of the old unit with its code from 01/07/2025; Bình Thuận, old 60, southern until the merger).
struct M0051_CreateRegionMemberships: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(RegionMembershipRecord.schema)
            .id()
            .field("unit_id", .string, .required)
            .field("unit_code", .string, .required)
            .field("region", .string, .required)
            .field("valid_from", .string, .required)
            .field("valid_until", .string)
            .field("legal_basis", .string, .required)
            .field("recorded_by", .string, .required)
            .field("created_at", .datetime)
            .create()
        let catalog = AdminUnitCatalog.standard
        for membership in catalog.memberships {
            let code = catalog.unit(id: membership.unitID)?.code ?? membership.unitID.code
            try await RegionMembershipRecord(membership, unitCode: code, recordedBy: "migrate").create(on: database)
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(RegionMembershipRecord.schema).delete()
    }
}

extension AdminUnitCatalog {
    /// The seeded memberships, to recognise a table nobody has changed (the catalog in code is then used as it is).
    private static let standardMemberships = Set(standard.memberships)

    /// The units with the region memberships of the database: what reports as they were and restated read. Loaded once
    /// per report (a report's figures are cached by the data version, which every guarded write, a new membership
    /// among them, raises).
    static func load(on db: any Database) async throws -> AdminUnitCatalog {
        // Read as one packed row (Core/PackedRows.swift): every report computation loads it, and Fluent's model
        // decoding of the hundred rows cost more than the report's own figures.
        let memberships = try await PackedRows.all("SELECT unit_id, region, valid_from, valid_until, legal_basis FROM region_memberships",
                                                   columns: ["unit_id", "region", "valid_from", "valid_until", "legal_basis"], on: db)
            .map { row in
                // Made directly, not through a model instance: a Fluent model's property wrappers were most of this read.
                RegionMembership(unitID: UnitID(try row.string(0)),
                                 region: try StoredValueError.decode(Region.self, try row.string(1), field: "region_memberships.region"),
                                 validFrom: try CalendarDate(parsing: try row.string(2)),
                                 validUntil: try row.optionalString(3).map(CalendarDate.init(parsing:)), legalBasis: try row.string(4))
            }
            .filter { row in row.validUntil.map { $0 > row.validFrom } ?? true }
        if memberships.isEmpty || Set(memberships) == standardMemberships { return .standard }
        return standard.with(memberships: memberships)
    }

    /// `given` when a caller passes its own catalog (a test's "before" catalog), else the database's.
    static func load(given: AdminUnitCatalog?, on db: any Database) async throws -> AdminUnitCatalog {
        if let given { return given }
        return try await load(on: db)
    }
}
