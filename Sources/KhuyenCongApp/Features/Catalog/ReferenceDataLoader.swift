import Fluent
import KhuyenCongCore

/// Loads regions, units, categories and indicators. Idempotent: rows that exist are updated, never duplicated,
/// so `migrate` can run on every start.
enum ReferenceDataLoader {
    static func load(catalog: AdminUnitCatalog = .standard, on db: any Database) async throws {
        try await db.transaction { db in
            try await upsert(Region.allCases.map(RegionRecord.init), on: db)
            try await upsert(catalog.units.map(AdminUnitRecord.init), on: db)
            try await upsert(ReferenceData.categories.map(CategoryRecord.init), on: db)
            try await upsert(ReferenceData.indicators.map(IndicatorRecord.init), on: db)
            // Appraisal criteria are configurable: the defaults are added once and never overwritten.
            for (code, name, weight) in AppraisalCriterion.defaults where try await AppraisalCriterion.find(code, on: db) == nil {
                try await AppraisalCriterion(code: code, name: name, weight: weight).create(on: db)
            }
        }
    }

    /// Replaces each stored row with the same id, keeping reference data in step with the code that defines it. The
    /// rows not stored yet go in as one insert (a first start's schema is hundreds of statements; these were a third).
    private static func upsert<M: Model>(_ records: [M], on db: any Database) async throws where M.IDValue == String {
        let stored = Set(try await M.query(on: db).all().compactMap(\.id))
        let new = records.filter { $0.id.map { !stored.contains($0) } ?? false }
        if !new.isEmpty { try await new.create(on: db) }
        // Update in place: other tables reference these ids, so a row is never deleted and re-inserted.
        for record in records where record.id.map(stored.contains) ?? false {
            record._$idExists = true
            try await record.save(on: db)
        }
    }
}
