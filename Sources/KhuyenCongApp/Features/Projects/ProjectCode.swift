import Fluent
import Foundation
import KhuyenCongCore

/// The code a new project gets when none is given: `<unit>-<year>-<source>-<sequence>`, e.g. `38-2026-QG-007`: the
/// unit's code, the plan year, QG (khuyến công quốc gia) or DP (địa phương), and the next number of that unit, year and
/// source on three digits (more when needed). Generated inside the creation's guarded write, so two creations never
/// get the same number.
enum ProjectCode {
    static func prefix(unitCode: UnitCode, year: Int, source: FundingSource) -> String {
        "\(unitCode)-\(year)-\(source == .national ? "QG" : "DP")-"
    }

    static func next(unitCode: UnitCode, year: Int, source: FundingSource, on db: any Database) async throws -> String {
        let prefix = prefix(unitCode: unitCode, year: year, source: source)
        let taken = try await Project.query(on: db).filter(\.$code >= prefix).filter(\.$code < prefix + "~").field(\.$code).all()
        let highest = taken.compactMap { Int($0.code.dropFirst(prefix.count)) }.max() ?? 0
        return prefix + String(format: "%03d", highest + 1)
    }
}
