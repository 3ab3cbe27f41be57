import Fluent
import SQLKit
import Testing
import Vapor
@testable import KhuyenCongApp

/// A new database's schema is created in one transaction (`FirstMigration`, on SQLite and PostgreSQL); an existing
/// one is upgraded migration by migration. Both paths must leave the same database: the same tables, columns, indexes,
/// constraints and triggers, the same migration log, the same reference data. The test templates are built by the
/// first path (as `serve` builds a new database), so here an empty database takes the ordinary path and is compared.
@Suite struct FirstMigrationTests {
    @Test func oneTransactionAndMigrationByMigrationLeaveTheSameDatabase() async throws {
        var atOnce: [String] = []
        try await TestApp.run { app in
            atOnce = try await Self.describe(TestApp.sql(app))
            // Once created, the database takes the ordinary path (nothing to do) and keeps its state.
            #expect(try await FirstMigration.createdAtOnce(app) == false)
            try await FirstMigration.migrate(app)
            #expect(try await Self.describe(TestApp.sql(app)) == atOnce)
        }
        var stepByStep: [String] = []
        try await TestApp.runEmpty { app in
            try await migrate(app)
            stepByStep = try await Self.describe(TestApp.sql(app))
        }
        #expect(atOnce.count > 250, "the description covers the schema and the reference data (\(atOnce.count) lines)")
        #expect(atOnce.contains { $0.hasPrefix("row admin_units: 38@2025-07-01") }, "Thanh Hóa's unit is there")
        let missing = Set(stepByStep).subtracting(atOnce).sorted(), extra = Set(atOnce).subtracting(stepByStep).sorted()
        #expect(missing.isEmpty, "created migration by migration, not at once (\(TestApp.databaseName)): \(missing.prefix(10))")
        #expect(extra.isEmpty, "created at once, not migration by migration (\(TestApp.databaseName)): \(extra.prefix(10))")
    }

    /// The schema's objects and the reference tables' rows, one line each, sorted; ids that are random (UUIDs) and
    /// timestamps left out.
    static func describe(_ sql: any SQLDatabase) async throws -> [String] {
        func lines(_ query: String) async throws -> [String] {
            try await sql.raw(SQLQueryString(query)).all().map { try $0.decode(column: "line", as: String.self) }
        }
        var described: [String] = []
        if sql.dialect.name == "postgresql" {
            described += try await lines("""
                SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' '
                       || COALESCE(column_default, '') AS line
                FROM information_schema.columns WHERE table_schema = current_schema()
                """)
            described += try await lines("SELECT 'index ' || indexdef AS line FROM pg_indexes WHERE schemaname = current_schema()")
            described += try await lines("""
                SELECT 'constraint ' || conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) AS line
                FROM pg_constraint WHERE connamespace = current_schema()::regnamespace
                """)
            described += try await lines("""
                SELECT 'trigger ' || tgrelid::regclass::text || ' ' || pg_get_triggerdef(oid) AS line
                FROM pg_trigger WHERE NOT tgisinternal
                """)
            described += try await lines("""
                SELECT 'function ' || proname || ' ' || md5(prosrc) AS line
                FROM pg_proc WHERE pronamespace = current_schema()::regnamespace
                """)
        } else {
            described += try await lines("""
                SELECT type || ' ' || name || ' ' || tbl_name || ' ' || COALESCE(sql, '') AS line
                FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'
                """)
        }
        described += try await lines("SELECT 'migration ' || name AS line FROM _fluent_migrations")
        described += try await lines("SELECT 'row regions: ' || id || ' ' || name_vi || ' ' || name_en AS line FROM regions")
        described += try await lines("""
            SELECT 'row admin_units: ' || id || ' ' || code || ' ' || name || ' ' || region_code || ' ' || valid_from || ' '
                   || COALESCE(valid_until, '') || ' ' || successor_code AS line FROM admin_units
            """)
        described += try await lines("SELECT 'row categories: ' || id || ' ' || name_vi || ' ' || valid_from AS line FROM categories")
        described += try await lines("SELECT 'row indicators: ' || id || ' ' || name_vi AS line FROM indicators")
        for table in ["region_memberships", "rule_support_kinds", "rule_caps", "rule_advances", "rule_deadlines",
                      "rule_priority_uplifts", "quality_rules", "appraisal_criteria", "rule_appraisal_criteria", "agency_names"] {
            described += try await lines("SELECT 'rows \(table): ' || COUNT(*) AS line FROM \(table)")
        }
        return described.sorted()
    }
}
