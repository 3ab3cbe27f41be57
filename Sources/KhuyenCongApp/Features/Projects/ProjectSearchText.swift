import Fluent
import Foundation
import KhuyenCongCore
import SQLKit

/// The stored, folded search text of each project (table `project_search`, M0038): its code, title, implementing
/// unit and its beneficiaries' names and tax codes, through `SearchFolding`. Written by `update` only, which every
/// path that writes those fields calls in its own transaction (creation, editing, beneficiaries, a move, the import,
/// the seeds, the migration). On SQLite an FTS5 trigram index follows the table through triggers; on PostgreSQL a
/// pg_trgm GIN index covers it: the register's substring search reads an index, not every project.
enum ProjectSearchText {
    /// The folded text of one project.
    static func text(code: String, title: String, implementingUnit: String, beneficiaries: [(name: String, taxCode: String)]) -> String {
        SearchFolding.fold(([code, title, implementingUnit] + beneficiaries.flatMap { [$0.name, $0.taxCode] }).joined(separator: " "))
    }

    static func update(projectID: UUID, on db: any Database) async throws {
        try await update(projectIDs: [projectID], on: db)
    }

    /// Recomputes the search text of these projects from what is stored now, set-based: three statements per 500
    /// projects, whatever their number.
    static func update(projectIDs: [UUID], on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        for chunk in Array(Set(projectIDs)).chunked(500) {
            var beneficiaries: [UUID: [(name: String, taxCode: String)]] = [:]
            for row in try await sql.raw("""
                SELECT pb.project_id, b.name, b.tax_code FROM project_beneficiaries pb JOIN beneficiaries b ON b.id = pb.beneficiary_id
                WHERE pb.project_id IN (\(binds: chunk))
                """).all() {
                beneficiaries[try row.decode(column: "project_id", as: UUID.self), default: []]
                    .append((try row.decode(column: "name", as: String.self), try row.decode(column: "tax_code", as: String.self)))
            }
            var values: [SQLQueryString] = []
            for row in try await sql.raw("SELECT id, code, title, implementing_unit FROM projects WHERE id IN (\(binds: chunk))").all() {
                let id = try row.decode(column: "id", as: UUID.self)
                let text = text(code: try row.decode(column: "code", as: String.self), title: try row.decode(column: "title", as: String.self),
                                implementingUnit: try row.decode(column: "implementing_unit", as: String.self),
                                beneficiaries: (beneficiaries[id] ?? []).sorted { $0.taxCode < $1.taxCode })
                values.append("(\(bind: id), \(bind: text))")
            }
            guard !values.isEmpty else { continue }
            try await sql.raw("""
                INSERT INTO project_search (project_id, search_text) VALUES \(values.joined(separator: ", "))
                ON CONFLICT (project_id) DO UPDATE SET search_text = excluded.search_text
                """).run()
        }
    }

    /// Every project's search text: for the migration and the seeds, whose rows went in without `update`.
    static func rebuildAll(on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        let ids = try await sql.raw("SELECT id FROM projects").all().map { try $0.decode(column: "id", as: UUID.self) }
        try await update(projectIDs: ids, on: db)
    }
}
