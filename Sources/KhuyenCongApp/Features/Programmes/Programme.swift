import Fluent
import Foundation
import KhuyenCongCore

/// A five-year programme (M0034): the country's (Decision 2646/QĐ-BCT for 2026–2030) or one province's (a decision
/// of its People's Committee), with money per source where the decision sets it. `version` rises with every write,
/// so that an edit made on a stale copy is refused.
final class ProgrammeRecord: Model, @unchecked Sendable {
    static let schema = "programmes"

    @ID(key: .id) var id: UUID?
    /// `ProgrammeScope.key`: "country" or the province's unit id.
    @Field(key: "scope_key") var scopeKey: String
    @OptionalField(key: "unit_id") var unitID: UnitID?
    @Field(key: "first_year") var firstYear: Int
    @Field(key: "last_year") var lastYear: Int
    // The decision approving the programme.
    @Field(key: "decision_no") var decisionNo: String
    @Field(key: "decided_on") var decidedOn: String
    /// Who signed it or which agency decided, as typed ("Bộ Công Thương", "UBND tỉnh Thanh Hóa").
    @Field(key: "signer") var signer: String
    // Money over the five years, per source, where the decision sets it.
    @OptionalField(key: "national_vnd") var nationalVnd: Money?
    @OptionalField(key: "local_vnd") var localVnd: Money?
    @Field(key: "version") var version: Int
    @Field(key: "updated_by") var updatedBy: String
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

/// One target of a programme: the quantity of an output indicator over the five years.
final class ProgrammeTargetRecord: Model, @unchecked Sendable {
    static let schema = "programme_targets"

    @ID(key: .id) var id: UUID?
    @Field(key: "programme_id") var programmeID: UUID
    @Field(key: "indicator_code") var indicatorCode: String
    @Field(key: "quantity") var quantity: Int64

    init() {}

    init(programmeID: UUID, indicatorCode: String, quantity: Int64) {
        self.programmeID = programmeID
        self.indicatorCode = indicatorCode
        self.quantity = quantity
    }
}

/// The programme's term. Only 2026–2030 exists today; its path segment is "2026-2030".
struct ProgrammeTerm: Sendable, Hashable {
    let firstYear: Int
    let lastYear: Int

    static let current = ProgrammeTerm(firstYear: 2026, lastYear: 2030)

    var segment: String { "\(firstYear)-\(lastYear)" }
    /// "2026–2030", for pages.
    var label: String { "\(firstYear)–\(lastYear)" }
    var years: ClosedRange<Int> { firstYear...lastYear }
    /// Province codes in paths are resolved against the units valid on 1 January of the first year.
    var firstDay: CalendarDate { CalendarDate(firstYear, 1, 1) }
}

/// Whose programme: the country's, or one province's (a unit valid on 1 January of the term's first year, so
/// a province of today that covers its predecessors of before the 2025 merger).
enum ProgrammeScope: Sendable, Hashable {
    case country
    case province(AdminUnit)

    var key: String {
        switch self {
        case .country: "country"
        case .province(let unit): unit.id.rawValue
        }
    }

    var unit: AdminUnit? { if case .province(let unit) = self { unit } else { nil } }

    var name: String { unit?.name ?? "Cả nước" }

    /// The report area whose figures count for it.
    var area: ReportScope.Area {
        switch self {
        case .country: .country
        case .province(let unit): .unit(code: unit.code)
        }
    }

    /// A province code as pages and the API name it (404 when there is none in the term's first year).
    static func province(code: UnitCode, term: ProgrammeTerm) throws -> ProgrammeScope {
        do {
            return .province(try AdminUnitCatalog.standard.resolve(code: code, planYear: term.firstYear))
        } catch {
            throw DomainError(.notFound, vi: "Không có tỉnh, thành phố mã \"\(code.rawValue.prefix(10))\"", en: "no province with code \"\(code.rawValue.prefix(10))\"")
        }
    }
}
