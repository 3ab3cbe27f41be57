import Fluent
import Foundation
import SQLKit
import Testing
@testable import KhuyenCongApp

/// Bulk writes go through COPY on PostgreSQL inside a transaction (`BulkCopy`) and through multi-row INSERTs
/// elsewhere: the same rows either way, all or nothing with the transaction, and an import by COPY writes the rows,
/// summary totals and data versions that the INSERT path writes. On SQLite both sides take the INSERT path.
@Suite("Bulk writes by COPY and by INSERT")
struct BulkCopyTests {
    /// Texts that COPY's text format has to escape, and a few that look like its escapes.
    static let labels: [String?] = ["plain", "tab\there", "new\nline", "carriage\rreturn", "back\\slash", "\\N", "", nil,
                                    "Đề án chè Bát Mọt", "a\\tb", "\\", "trailing\\"]
    static let numbers: [Int64] = [Int64.min, Int64.max, -1, 0, 7, -1_000_000_000_000, 1_234_567_890_123]

    static func probe(_ sql: any SQLDatabase, _ table: String) async throws -> [String] {
        try await sql.raw("SELECT CAST(id AS TEXT) AS id, position, n, flag, label FROM \(ident: table) ORDER BY position").all().map { row in
            let label = try row.decodeNil(column: "label") ? "<null>" : "[\(try row.decode(column: "label", as: String.self))]"
            return "\(try row.decode(column: "id", as: String.self).lowercased())|\(try row.decode(column: "position", as: Int64.self))|"
                + "\(try row.decode(column: "n", as: Int64.self))|\(try row.decode(column: "flag", as: Bool.self))|\(label)"
        }
    }

    static func write(_ table: String, ids: [UUID], on db: any Database) async throws {
        let postgres = (db as! any SQLDatabase).dialect.name == "postgresql"
        var insert = BulkInsert(table, ["id", "position", "n", "flag", "label"], rowsPerStatement: 7)
        for (position, id) in ids.enumerated() {
            insert.append(postgres ? .uuid(id) : .text(id.upperText))
            insert.append(.integer(Int64(position)))
            insert.append(.integer(numbers[position % numbers.count]))
            insert.append(.bool(position % 2 == 0))
            insert.append(labels[position % labels.count].map { .text($0) } ?? .null)
            try await insert.endRow(on: db)
        }
        try await insert.flush(on: db)
        #expect(insert.written == ids.count)
    }

    static func createProbes(_ sql: any SQLDatabase, _ tables: [String]) async throws {
        let id = sql.dialect.name == "postgresql" ? "uuid" : "TEXT"
        for table in tables {
            try await sql.raw("CREATE TABLE \(ident: table) (id \(unsafeRaw: id) PRIMARY KEY, position BIGINT NOT NULL, n BIGINT NOT NULL, flag BOOLEAN NOT NULL, label TEXT)").run()
        }
    }

    /// 40 rows in statements of 7 (6 COPYs on PostgreSQL, each sent in pieces): read back, they equal the rows written
    /// by INSERT statements outside a transaction, escapes, nulls, extreme integers and all.
    @Test func rowsWrittenByCopyReadBackAsTheInsertedOnes() async throws {
        try await TestApp.run { app in
            let sql = app.db as! any SQLDatabase
            try await Self.createProbes(sql, ["bulk_probe_insert", "bulk_probe_copy"])
            let ids = (0..<40).map { _ in UUID() }
            try await Self.write("bulk_probe_insert", ids: ids, on: app.db)
            try await app.db.transaction { db in try await Self.write("bulk_probe_copy", ids: ids, on: db) }
            let inserted = try await Self.probe(sql, "bulk_probe_insert")
            #expect(inserted.count == 40)
            #expect(inserted.contains("\(ids[1].uuidString.lowercased())|1|\(Int64.max)|false|[tab\there]"))
            #expect(inserted.contains("\(ids[7].uuidString.lowercased())|7|\(Int64.min)|false|<null>"))
            #expect(try await Self.probe(sql, "bulk_probe_copy") == inserted)
        }
    }

    /// A bulk write that fails in its third statement (a repeated id) takes the first two with it: the transaction
    /// leaves nothing.
    @Test func aFailedBulkWriteLeavesNothing() async throws {
        try await TestApp.run { app in
            let sql = app.db as! any SQLDatabase
            try await Self.createProbes(sql, ["bulk_probe_refused"])
            let ids = (0..<20).map { _ in UUID() }
            let repeated = ids[..<16] + [ids[2]] + ids[17...]
            await #expect(throws: (any Error).self) {
                try await app.db.transaction { db in try await Self.write("bulk_probe_refused", ids: Array(repeated), on: db) }
            }
            #expect(try await Self.probe(sql, "bulk_probe_refused").isEmpty)
        }
    }

    /// 3 projects, 600 payments and 60 outputs.
    static func files() throws -> URL {
        var projects = "code,title,unit_code,year,source,category,implementing_unit,support_vnd,status\n"
        for number in 0..<3 { projects += "KC-BC-\(number),Đề án chép \(number),38,2026,local,1,Trung tâm Khuyến công Thanh Hóa,1000000000000,in_progress\n" }
        func date(_ index: Int) -> String {
            let month = 1 + index % 12, day = 1 + index % 28
            return "2026-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
        }
        var payments = "project_code,date,amount_vnd,basis\n"
        for index in 0..<600 { payments += "KC-BC-\(index % 3),\(date(index)),\(1_000_000 + index),\(index % 3 == 0 ? "estimate" : "actual")\n" }
        var outputs = "project_code,date,indicator,quantity,basis\n"
        for index in 0..<60 { outputs += "KC-BC-\(index % 3),\(date(index)),establishments_supported,\(1 + index),actual\n" }
        return try ImportTests.folder(["projects.csv": projects, "disbursements.csv": payments, "outputs.csv": outputs])
    }

    /// What an import left: its report, the dated rows, the summary tables and the data versions.
    static func imported(copies: Bool) async throws -> [[String]] {
        let url = try files()
        var state: [[String]] = []
        try await BulkInsert.$copiesOnPostgreSQL.withValue(copies) {
            try await TestApp.run { app in
                let sql = app.db as! any SQLDatabase
                func rows(_ query: SQLQueryString) async throws -> [String] {
                    try await sql.raw(query).all().map { row in try row.allColumns.map { column in
                        try row.decodeNil(column: column) ? "-" : (try? row.decode(column: column, as: String.self)) ?? String(try row.decode(column: column, as: Int64.self))
                    }.joined(separator: "|") }
                }
                let report = try await ImportTests.run(app, url)
                state.append(report.tables.map { "\($0.table) \($0.read) \($0.created) \($0.updated) \($0.unchanged)" })
                state.append(try await rows("""
                    SELECT p.code, d.on_date, d.amount_vnd, d.basis, d.kind FROM disbursements d JOIN projects p ON p.id = d.project_id
                    ORDER BY p.code, d.on_date, d.amount_vnd
                    """))
                state.append(try await rows("""
                    SELECT p.code, o.on_date, o.indicator_code, o.quantity, o.basis FROM outputs o JOIN projects p ON p.id = o.project_id
                    ORDER BY p.code, o.on_date, o.quantity
                    """))
                state.append(try await rows("""
                    SELECT p.code, t.period, t.measure, t.year, t.unit_id, t.actual_sum, t.actual_rows, t.estimate_sum
                    FROM project_period_totals t JOIN projects p ON p.id = t.project_id ORDER BY p.code, t.period, t.measure
                    """))
                state.append(try await rows("SELECT year, period, unit_id, source, category_code, measure, value FROM period_totals ORDER BY year, period, unit_id, source, category_code, measure"))
                state.append(try await rows("SELECT unit_id, version FROM unit_data_versions ORDER BY unit_id"))
                state.append(try await rows("SELECT version FROM report_version"))
                let summary = try await ReportSummary.compute(ReportScope(area: .unit(code: "38"), year: 2026, period: .fullYear), on: app.db)
                state.append(["\(summary.realised.amountVnd)"])
            }
        }
        return state
    }

    @Test func anImportByCopyWritesWhatTheInsertsWrite() async throws {
        let copied = try await Self.imported(copies: true)
        #expect(copied[0] == ["projects 3 3 0 0", "disbursements 600 600 0 0", "outputs 60 60 0 0"])
        #expect(copied[1].count == 600 && copied[2].count == 60)
        #expect(!copied[3].isEmpty && !copied[4].isEmpty && !copied[5].isEmpty)
        #expect(copied[7] != ["0"])
        #expect(try await Self.imported(copies: false) == copied)
    }
}
