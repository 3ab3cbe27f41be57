import Fluent
import Foundation
import KhuyenCongCore
import SQLKit

/// The project register: the projects in the caller's scope, filtered, searched (diacritics and case ignored, through
/// the stored `ProjectSearchText` and its word index), sorted, a page at a time by keyset (the cursor names the last row's
/// sort key and code, so a page costs the same however deep it is and a project is never shown twice or skipped).
enum ProjectRegister {
    enum Sort: String, CaseIterable, Sendable {
        case code, year, title, support, status, submitted

        var vietnameseName: String {
            switch self {
            case .code: "Mã đề án"
            case .year: "Năm kế hoạch"
            case .title: "Tên đề án"
            case .support: "Kinh phí hỗ trợ"
            case .status: "Trạng thái"
            case .submitted: "Ngày nộp"
            }
        }

        /// The sort key in SQL; the expression indexes of M0038 are on the same expressions.
        var expression: String {
            switch self {
            case .code: "p.code"
            case .year: "p.year"
            case .title: "p.title"
            case .support: "COALESCE(p.support_approved_vnd, p.support_requested_vnd)"
            case .status: "p.status"
            case .submitted: "COALESCE(p.submitted_on, '')"
            }
        }

        var isNumeric: Bool { self == .year || self == .support }
    }

    /// What the caller asked for, checked.
    struct Query: Sendable, Equatable {
        var text = ""
        var unitCode: UnitCode?
        var year: Int?
        var source: FundingSource?
        var category: String?
        var status: ProjectStatus?
        var taxCode: String?
        var late = false
        var waiting = false
        var sort: Sort = .code
        var descending = false
        var limit = 50
        var after: Cursor?

        var words: [String] { SearchFolding.words(text) }
        var sortParameter: String { (descending ? "-" : "") + sort.rawValue }

        static let defaultLimit = 50
        static let maximumLimit = 200

        /// From query parameters (an empty value means the filter is not used); a bad value is refused with a 422
        /// naming the parameter. `cursor` is accepted as another name of `after`.
        init(parameters: [String: String]) throws {
            func value(_ name: String) -> String? {
                parameters[name].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
            }
            func refuse(_ name: String, vi: String, en: String) -> DomainError { .invalid(vi: "\(name): \(vi)", en: "\(name): \(en)") }
            func flag(_ name: String) throws -> Bool {
                switch value(name)?.lowercased() {
                case nil, "false", "0", "off", "no": return false
                case "true", "1", "on", "yes": return true
                default: throw refuse(name, vi: "chỉ nhận true hoặc false", en: "true or false expected")
                }
            }
            if let text = value("q") {
                guard text.count <= 200 else { throw refuse("q", vi: "dài quá 200 ký tự", en: "longer than 200 characters") }
                guard !text.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) else {
                    throw refuse("q", vi: "có ký tự điều khiển", en: "contains control characters")
                }
                self.text = text
            }
            if let code = value("unit").map({ UnitCode($0) }) {
                guard ProjectRegister.unitIDs(code: code) != nil else {
                    throw refuse("unit", vi: "không có đơn vị mã \"\(code)\"", en: "no unit with code \"\(code)\"")
                }
                unitCode = code
            }
            if let text = value("year") {
                guard let year = Int(text), (2000...2100).contains(year) else {
                    throw refuse("year", vi: "năm kế hoạch phải từ 2000 đến 2100", en: "a plan year from 2000 to 2100 expected")
                }
                self.year = year
            }
            if let text = value("source") {
                guard let source = FundingSource(rawValue: text.lowercased()) else {
                    throw refuse("source", vi: "nguồn kinh phí là national hoặc local", en: "national or local expected")
                }
                self.source = source
            }
            if let text = value("category") {
                guard ReferenceData.categories.contains(where: { $0.code == text }) else {
                    throw refuse("category", vi: "không có nội dung khuyến công \"\(text)\"", en: "no content category \"\(text)\"")
                }
                category = text
            }
            if let text = value("status") {
                guard let status = ProjectStatus(rawValue: text) else {
                    throw refuse("status", vi: "trạng thái \"\(text)\" không có", en: "no status \"\(text)\"")
                }
                self.status = status
            }
            if let text = value("taxCode") {
                do { taxCode = try TaxCode(text).digits } catch let error as DomainError {
                    throw refuse("taxCode", vi: error.vietnamese, en: error.english)
                }
            }
            late = try flag("late")
            waiting = try flag("waiting")
            if let text = value("sort") {
                let descending = text.hasPrefix("-")
                guard let sort = Sort(rawValue: descending ? String(text.dropFirst()) : text) else {
                    throw refuse("sort", vi: "sắp xếp theo \(Sort.allCases.map(\.rawValue).joined(separator: ", ")) (dấu - để giảm dần)",
                                 en: "one of \(Sort.allCases.map(\.rawValue).joined(separator: ", ")) (- for descending)")
                }
                self.sort = sort
                self.descending = descending
            }
            if let text = value("limit") {
                guard let limit = Int(text), (1...Self.maximumLimit).contains(limit) else {
                    throw refuse("limit", vi: "số dòng một trang từ 1 đến \(Self.maximumLimit)", en: "from 1 to \(Self.maximumLimit)")
                }
                self.limit = limit
            }
            let cursorName = value("after") != nil ? "after" : "cursor"
            if let text = value(cursorName) {
                guard let cursor = Cursor(encoded: text), cursor.sort == sortParameter, !sort.isNumeric || Int64(cursor.key) != nil else {
                    throw refuse(cursorName, vi: "con trỏ trang không hợp lệ cho cách sắp xếp này", en: "not a cursor of this sort order")
                }
                after = cursor
            }
        }

        init() {}

        /// The parameters that give this query back (without the cursor), for links and downloads.
        var parameters: [(String, String)] {
            var list: [(String, String)] = []
            if !text.isEmpty { list.append(("q", text)) }
            if let unitCode { list.append(("unit", unitCode.rawValue)) }
            if let year { list.append(("year", String(year))) }
            if let source { list.append(("source", source.rawValue)) }
            if let category { list.append(("category", category)) }
            if let status { list.append(("status", status.rawValue)) }
            if let taxCode { list.append(("taxCode", taxCode)) }
            if late { list.append(("late", "true")) }
            if waiting { list.append(("waiting", "true")) }
            if sort != .code || descending { list.append(("sort", sortParameter)) }
            if limit != Self.defaultLimit { list.append(("limit", String(limit))) }
            return list
        }
    }

    /// Where the next page starts: after the row with this sort key and code. Opaque to callers (base64url).
    struct Cursor: Sendable, Equatable {
        let sort: String
        let key: String
        let code: String

        init(sort: String, key: String, code: String) {
            self.sort = sort
            self.key = key
            self.code = code
        }

        init?(encoded: String) {
            var base64 = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            guard base64.count <= 2_000 else { return nil }
            while base64.count % 4 != 0 { base64 += "=" }
            guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8) else { return nil }
            let parts = text.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, !parts[2].isEmpty else { return nil }
            self.init(sort: parts[0], key: parts[1], code: parts[2])
        }

        var encoded: String {
            Data([sort, key, code].joined(separator: "\u{1F}").utf8).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
    }

    struct Row: Sendable, Equatable {
        let code: String
        let title: String
        let unitID: UnitID
        let year: Int
        let source: FundingSource
        let category: String
        let status: ProjectStatus
        let implementingUnit: String
        let supportVnd: Money
        let submittedOn: String?
        let sortKey: String

        var unit: AdminUnit? { AdminUnitCatalog.standard.unit(id: unitID) }
        var unitName: String { unit?.name ?? unitID.rawValue }
        var unitCode: UnitCode { unit?.code ?? UnitCode(unitID.rawValue) }
        var statusName: String { status.vietnameseName }
        var sourceName: String { source.vietnameseName }
        var categoryName: String { ReferenceData.categories.first { $0.code == category }.map { "\($0.code). \($0.vietnameseName)" } ?? category }
    }

    struct Page: Sendable {
        let rows: [Row]
        let next: Cursor?
    }

    /// The ids of the units a code of today stands for: the unit and its predecessors across the 2025 merger. A code
    /// that no unit of today has (a province merged into another) stands for the old units of that code.
    static func unitIDs(code: UnitCode) -> Set<UnitID>? {
        let catalog = AdminUnitCatalog.standard
        if catalog.units.contains(where: { $0.code == code && $0.validUntil == nil }) {
            return Set(catalog.units.filter { catalog.restated($0).code == code }.map(\.id))
        }
        let old = Set(catalog.units.filter { $0.code == code }.map(\.id))
        return old.isEmpty ? nil : old
    }

    /// The units whose projects `principal` may read (AccessPolicy's readRecord); nil for all of them.
    static func readableUnitIDs(_ principal: Principal) -> Set<UnitID>? {
        let units = AdminUnitCatalog.standard.units
        let readable = units.filter { AccessPolicy.decide(principal, .readRecord, RecordScope(unitID: $0.id)) == .allow }.map(\.id)
        return readable.count == units.count ? nil : Set(readable)
    }

    /// One page of the register for `principal`.
    static func page(_ query: Query, for principal: Principal, strategy: Strategy = .automatic, on db: any Database) async throws -> Page {
        let rows = try await fetch(query, limit: query.limit + 1, for: principal, strategy: strategy, on: db)
        guard rows.count > query.limit else { return Page(rows: rows, next: nil) }
        let last = rows[query.limit - 1]
        return Page(rows: Array(rows.prefix(query.limit)), next: Cursor(sort: query.sortParameter, key: last.sortKey, code: last.code))
    }

    /// Every row of the query from its cursor on, a page at a time, up to `maximum` rows (nil when there are more).
    static func all(_ query: Query, for principal: Principal, maximum: Int, on db: any Database) async throws -> [Row]? {
        var query = query
        query.limit = 1_000
        var rows: [Row] = []
        while true {
            let page = try await page(query, for: principal, on: db)
            rows += page.rows
            if rows.count > maximum { return nil }
            guard let next = page.next else { return rows }
            query.after = next
        }
    }

    static func fetch(_ query: Query, limit: Int, for principal: Principal, strategy: Strategy = .automatic,
                      on db: any Database) async throws -> [Row] {
        let sql = db as! any SQLDatabase
        guard let filters = try await filters(query, for: principal, on: sql) else { return [] }
        let read = Read(sort: query.sort, descending: query.descending, after: query.after, limit: limit, filters: filters, sql: sql)
        if let code = try await exactCode(query.text, on: sql) {
            return try await read.rows(conditions: ["p.code = \(bind: code)"])
        }
        let words = query.words
        guard !words.isEmpty else { return try await read.rows() }
        return try await read.rows(of: try await textPlan(words, read: read, strategy: strategy))
    }

    /// The conditions of the caller's scope and of the filters (nil when nothing can match).
    static func filters(_ query: Query, for principal: Principal, on sql: any SQLDatabase) async throws -> [SQLQueryString]? {
        var conditions: [SQLQueryString] = []
        // Scope, and the unit filter within it.
        var units = readableUnitIDs(principal)
        if let code = query.unitCode, let ids = unitIDs(code: code) { units = units.map { $0.intersection(ids) } ?? ids }
        if let units {
            guard !units.isEmpty else { return nil }
            conditions.append("p.unit_id IN (\(binds: units.sorted()))")
        }
        if let year = query.year { conditions.append("p.year = \(bind: year)") }
        if let source = query.source { conditions.append("p.source = \(bind: source.rawValue)") }
        if let category = query.category { conditions.append("p.category_code = \(bind: category)") }
        if let status = query.status { conditions.append("p.status = \(bind: status.rawValue)") }
        if query.waiting { conditions.append("p.status = \(bind: ProjectStatus.approved.rawValue) AND p.allocated_on IS NULL") }
        if let taxCode = query.taxCode {
            conditions.append("""
                p.id IN (SELECT pb.project_id FROM project_beneficiaries pb JOIN beneficiaries b ON b.id = pb.beneficiary_id
                WHERE b.tax_code = \(bind: taxCode))
                """)
        }
        if query.late {
            let deadlines = try await registrationDeadlines(year: query.year, on: sql)
            guard !deadlines.isEmpty else { return nil }
            let byYear: [SQLQueryString] = deadlines.map { "(p.year = \(bind: $0.year) AND p.submitted_on > \(bind: $0.deadline))" }
            conditions.append("p.source = \(bind: FundingSource.national.rawValue) AND p.submitted_on IS NOT NULL AND (\(byYear.joined(separator: " OR ")))")
        }
        return conditions
    }

    /// One read of the register in the page's order: the filters, the keyset after the cursor, the order, the limit.
    struct Read: Sendable {
        let sort: Sort
        let descending: Bool
        let after: Cursor?
        let limit: Int
        let filters: [SQLQueryString]
        let sql: any SQLDatabase

        var sqlite: Bool { sql.dialect.name == "sqlite" }

        /// The rows in this order from `from` (the projects as `p`), under the filters, the keyset and `conditions`.
        /// `codeColumn` names the code as the index that delivers it in order (the postings' `w.code` in `.ordered`).
        func rows(from: SQLQueryString = "projects p", conditions: [SQLQueryString] = [], codeColumn: String = "p.code",
                  limit: Int? = nil) async throws -> [Row] {
            let whereClause = Self.whereClause(filters + keyset(codeColumn: codeColumn) + conditions)
            let statement: SQLQueryString = """
                SELECT p.code, p.title, p.unit_id, p.year, p.source, p.category_code, p.status, p.implementing_unit,
                       COALESCE(p.support_approved_vnd, p.support_requested_vnd) AS support_vnd, p.submitted_on,
                       \(unsafeRaw: sort.expression) AS sort_key
                FROM \(from) \(whereClause) ORDER BY \(order(codeColumn: codeColumn)) LIMIT \(literal: limit ?? self.limit)
                """
            return try await sql.raw(statement).all().map { row in
                Row(code: try row.decode(column: "code", as: String.self), title: try row.decode(column: "title", as: String.self),
                    unitID: try row.decode(column: "unit_id", as: UnitID.self), year: try row.decode(column: "year", as: Int.self),
                    source: try row.decode(column: "source", as: FundingSource.self), category: try row.decode(column: "category_code", as: String.self),
                    status: try row.decode(column: "status", as: ProjectStatus.self),
                    implementingUnit: try row.decode(column: "implementing_unit", as: String.self),
                    supportVnd: try row.decode(column: "support_vnd", as: Money.self),
                    submittedOn: try row.decode(column: "submitted_on", as: String?.self), sortKey: try sortKey(row))
            }
        }

        func sortKey(_ row: any SQLRow) throws -> String {
            sort.isNumeric ? String(try row.decode(column: "sort_key", as: Int64.self)) : try row.decode(column: "sort_key", as: String.self)
        }

        static func whereClause(_ conditions: [SQLQueryString]) -> SQLQueryString {
            conditions.isEmpty ? "" : "WHERE \(conditions.joined(separator: " AND "))"
        }

        func order(codeColumn: String = "p.code") -> SQLQueryString {
            let direction = descending ? "DESC" : "ASC"
            return sort == .code ? "\(unsafeRaw: codeColumn) \(unsafeRaw: direction)"
                : "\(unsafeRaw: sort.expression) \(unsafeRaw: direction), p.code \(unsafeRaw: direction)"
        }

        /// After the cursor's row in this order; the code breaks ties (it is unique).
        func keyset(codeColumn: String = "p.code") -> [SQLQueryString] {
            guard let after else { return [] }
            return position(key: after.key, code: after.code, descending ? "<" : ">", codeColumn: codeColumn)
        }

        /// The rows on one side of (key, code) in this order (`comparison` `<`, `>`, `<=` or `>=`). Besides the pair, the
        /// key alone, compared loosely: the index range that SQLite finds on an expression index (it finds none from the pair).
        func position(key: String, code: String, _ comparison: String, codeColumn: String = "p.code") -> [SQLQueryString] {
            guard sort != .code else { return ["\(unsafeRaw: codeColumn) \(unsafeRaw: comparison) \(bind: code)"] }
            let value: any Encodable & Sendable = sort.isNumeric ? Int64(key) ?? 0 : key
            return ["\(unsafeRaw: sort.expression) \(unsafeRaw: String(comparison.prefix(1)))= \(bind: value)",
                    "(\(unsafeRaw: sort.expression), p.code) \(unsafeRaw: comparison) (\(bind: value), \(bind: code))"]
        }
    }

    /// The registration deadline of each plan year that has projects (or of `year`): as configured for the year
    /// (`plan_years`), else the default of Circular 36/2013. As `Project.lateDays`: only national projects are late.
    static func registrationDeadlines(year: Int?, on sql: any SQLDatabase) async throws -> [(year: Int, deadline: String)] {
        var years: ClosedRange<Int>
        if let year {
            years = year...year
        } else {
            guard let row = try await sql.raw("SELECT MIN(year) AS first, MAX(year) AS last FROM projects").first(),
                  let first = try row.decode(column: "first", as: Int?.self), let last = try row.decode(column: "last", as: Int?.self) else { return [] }
            years = first...last
        }
        var configured: [Int: String] = [:]
        for row in try await sql.raw("SELECT id, registration_deadline FROM plan_years WHERE id BETWEEN \(bind: years.lowerBound) AND \(bind: years.upperBound)").all() {
            configured[try row.decode(column: "id", as: Int.self)] = try row.decode(column: "registration_deadline", as: String.self)
        }
        return years.map { ($0, configured[$0] ?? ReferenceData.defaultRegistrationDeadline(planYear: $0).description) }
    }
}
