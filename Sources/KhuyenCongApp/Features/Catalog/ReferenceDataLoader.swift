import Fluent
import KhuyenCongCore

/// Loads regions, units, categories and indicators. Idempotent: rows that exist are updated, never duplicated,
/// so `migrate` can run on every start.
enum ReferenceDataLoader {
    static func load(catalog: AdminUnitCatalog = .standard, on db: any Database) async throws {
        try await db.transaction { db in
            for region in Region.allCases { try await upsert(RegionRecord(region), on: db) }
            for unit in catalog.units { try await upsert(AdminUnitRecord(unit), on: db) }
            for category in ReferenceData.categories { try await upsert(CategoryRecord(category), on: db) }
            for indicator in ReferenceData.indicators { try await upsert(IndicatorRecord(indicator), on: db) }
            // Appraisal criteria are configurable: the defaults are added once and never overwritten.
            for (code, name, weight) in AppraisalCriterion.defaults where try await AppraisalCriterion.find(code, on: db) == nil {
                try await AppraisalCriterion(code: code, name: name, weight: weight).create(on: db)
            }
        }
    }

    /// Replaces the stored row with the same id, keeping reference data in step with the code that defines it.
    private static func upsert<M: Model>(_ record: M, on db: any Database) async throws where M.IDValue == String {
        guard let id = record.id else { return }
        // Update in place: other tables reference these ids, so a row is never deleted and re-inserted.
        record._$idExists = try await M.find(id, on: db) != nil
        try await record.save(on: db)
    }
}
