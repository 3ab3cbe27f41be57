/// The roles of DESIGN.md.
public enum Role: String, CaseIterable, Codable, Sendable {
    case admin
    case ministryOfficer = "ministry_officer"
    case regionReviewer = "region_reviewer"
    case provinceOfficer = "province_officer"
    case appraiser
    case viewer

    public init(parsing text: String) throws {
        guard let role = Role(rawValue: text) else {
            throw DomainError.invalid(vi: "Vai trò \"\(text)\" không có (\(Role.allCases.map(\.rawValue).joined(separator: ", ")))",
                                      en: "role \"\(text)\" does not exist (\(Role.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self = role
    }

    public var vietnameseName: String {
        switch self {
        case .admin: "Quản trị hệ thống"
        case .ministryOfficer: "Cán bộ Bộ Công Thương"
        case .regionReviewer: "Cán bộ phụ trách khu vực"
        case .provinceOfficer: "Cán bộ Sở Công Thương / Trung tâm Khuyến công"
        case .appraiser: "Thành viên hội đồng thẩm định"
        case .viewer: "Người xem"
        }
    }
}

/// Who is asking: a role with a scope. Units are today's units (a province officer of a merged province
/// inherits its predecessors' records).
public struct Principal: Sendable, Equatable {
    public let username: String
    public let role: Role
    /// Today's unit code: the province of a province officer, the employer of an appraiser.
    public let unitCode: UnitCode?
    public let region: Region?

    public init(username: String, role: Role, unitCode: UnitCode?, region: Region?) {
        self.username = username
        self.role = role
        self.unitCode = unitCode
        self.region = region
    }
}

/// What a record is, for access decisions: the today's unit it belongs to (restated) and its region, which acts on it
/// today; and every region it has belonged to, whose reviewers read it (Bình Thuận's 2024 records: the southern
/// reviewers, who reviewed them then, and the central ones, who answer for Lâm Đồng since 1/7/2025).
public struct RecordScope: Sendable, Equatable {
    public let unitCode: UnitCode
    /// nil only for `unknownUnit`: a record whose unit is in no region.
    public let region: Region?
    /// `region` and the regions the record's unit was a member of before.
    public let regions: Set<Region>

    public init(unitCode: UnitCode, region: Region, formerRegions: Set<Region> = []) {
        self.unitCode = unitCode
        self.region = region
        self.regions = formerRegions.union([region])
    }

    private init(noUnit: Void) {
        unitCode = ""
        region = nil
        regions = []
    }

    /// The scope of a record whose stored unit is in no catalog: explicitly nobody's. No unit code and no region match
    /// it, so only the national roles (admin, ministry) see it and nobody appraises it; never a default region's record.
    public static let unknownUnit = RecordScope(noUnit: ())
}

public enum AccessAction: String, CaseIterable, Sendable {
    /// Aggregates: the public pages and dashboards.
    case readAggregates
    /// Any signed-in user's own things (password, tokens).
    case ownAccount
    /// A record with its details: projects, beneficiaries, disbursements.
    case readRecord
    /// Data entry of a province: drafts, edits, execution.
    case editRecord
    /// Starting a new record (a project) of a province: its own officer; with no record yet (the unit is in the form
    /// that follows), any province officer.
    case createRecord
    /// Ministry-level steps: registration, appraisal, approval, allocation; period report review.
    case ministryStep
    /// Decisions the ministry itself takes (Decree 235/2025): approving or returning the national plan, allocating
    /// its budget. Region reviewers follow and review, but do not decide these.
    case ministryDecision
    case appraise
    case readAudit
    case manageUsers
    /// Uploading interchange files: a province's data entry in bulk.
    case importData
    /// Downloading interchange files (with beneficiaries): anyone who reads records in some scope.
    case exportData
}

public enum AccessDecision: String, Sendable, Equatable {
    case allow
    /// No session or token.
    case unauthenticated
    /// The record is out of the caller's sight: answer as if it did not exist.
    case notFound
    /// The caller may see it but not do this.
    case forbidden
}

/// The one place that maps (role, scope, action, record) to allow or deny.
public enum AccessPolicy {
    public static func decide(_ principal: Principal?, _ action: AccessAction, _ record: RecordScope? = nil) -> AccessDecision {
        guard let principal else { return action == .readAggregates ? .allow : .unauthenticated }
        if action == .readAggregates || action == .ownAccount { return .allow }

        let canRead = canRead(principal, record)
        func write(_ allowed: Bool) -> AccessDecision { allowed ? .allow : (canRead ? .forbidden : .notFound) }

        switch action {
        case .readAggregates, .ownAccount: return .allow
        case .readRecord: return canRead ? .allow : .notFound
        case .editRecord:
            return write(principal.role == .provinceOfficer && record.map { $0.unitCode == principal.unitCode } == true)
        case .createRecord:
            return write(principal.role == .provinceOfficer && record.map { $0.unitCode == principal.unitCode } ?? true)
        case .ministryStep:
            switch principal.role {
            case .ministryOfficer: return write(true)
            case .regionReviewer: return write(record.map { $0.region != nil && $0.region == principal.region } ?? true)
            default: return write(false)
            }
        case .ministryDecision:
            return write(principal.role == .ministryOfficer)
        case .appraise:
            // Never on a project of the appraiser's own unit (conflict of interest).
            return write(principal.role == .appraiser && record.map { $0.region != nil && $0.unitCode != principal.unitCode } ?? true)
        case .readAudit:
            return [.admin, .ministryOfficer, .regionReviewer].contains(principal.role) ? .allow : .forbidden
        case .manageUsers:
            return principal.role == .admin ? .allow : .forbidden
        case .importData:
            return principal.role == .provinceOfficer ? .allow : .forbidden
        case .exportData:
            return principal.role == .viewer ? .forbidden : .allow
        }
    }

    static func canRead(_ principal: Principal, _ record: RecordScope?) -> Bool {
        switch principal.role {
        case .admin, .ministryOfficer: return true
        case .regionReviewer: return record.map { principal.region.map($0.regions.contains) ?? false } ?? true
        case .appraiser: return record.map { principal.region.map($0.regions.contains) ?? false || $0.unitCode == principal.unitCode } ?? true
        case .provinceOfficer: return record.map { $0.unitCode == principal.unitCode } ?? true
        case .viewer: return record == nil
        }
    }
}
