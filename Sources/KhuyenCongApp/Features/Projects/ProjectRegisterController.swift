import Fluent
import Foundation
import KhuyenCongCore
import Vapor

extension Links {
    static let projectRegister = SiteRoute.projects.path

    /// The register with these parameters (a filter, a page, a download).
    static func projectRegister(_ parameters: [(String, String)]) -> String {
        guard !parameters.isEmpty else { return projectRegister }
        // Unreserved ASCII only: a typed "Hóa" travels percent-encoded.
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return projectRegister + "?" + parameters.map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value)"
        }.joined(separator: "&")
    }
}

/// `GET /projects` (the register page, and its CSV and XLSX downloads with `format=`) and `GET /api/v1/projects`.
/// Both require sign-in and show only the caller's scope.
struct ProjectRegisterController: RouteCollection {
    /// The most rows a download holds; a larger result asks for a narrower filter.
    static let maximumDownloadRows = 100_000

    func boot(routes: any RoutesBuilder) throws {
        routes.get(.projects, use: page).access(.signedIn)
        routes.get(.api(.projects), use: list).access(.signedIn)
    }

    /// The query parameters as typed (`+` is a space, as forms send it); the last of a repeated name wins.
    static func parameters(_ req: Request) throws -> [String: String] {
        var parameters: [String: String] = [:]
        for pair in (req.url.query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) throws -> String {
                guard let decoded = text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding else {
                    throw DomainError.invalid(vi: "query: mã hóa phần trăm không hợp lệ", en: "query: invalid percent-encoding")
                }
                return decoded
            }
            parameters[try decode(parts[0])] = parts.count > 1 ? try decode(parts[1]) : ""
        }
        return parameters
    }

    // MARK: - API

    struct ListDTO: Content {
        struct Item: Content {
            let code: String
            let title: String
            let unitCode: UnitCode
            let unitName: String
            let year: Int
            let source: FundingSource
            let category: String
            let status: ProjectStatus
            let statusName: String
            let implementingUnit: String
            let supportVnd: Money
            let submittedOn: String?
        }
        let items: [Item]
        /// The cursor of the next page (`after=`), or null on the last page.
        let next: String?
        /// The same cursor, under the name of the `cursor=` parameter.
        let nextCursor: String?

        init(items: [Item], next: String?, nextCursor: String?) {
            self.items = items
            self.next = next
            self.nextCursor = nextCursor
        }

        /// `next` is always there: null on the last page.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(items, forKey: .items)
            try container.encode(next, forKey: .next)
            try container.encode(nextCursor, forKey: .nextCursor)
        }
    }

    @Sendable func list(req: Request) async throws -> ListDTO {
        let user = try req.requireUser()
        let query = try ProjectRegister.Query(parameters: try Self.parameters(req))
        let page = try await ProjectRegister.page(query, for: user.principal, on: req.db)
        let next = page.next?.encoded
        return ListDTO(items: page.rows.map { row in
            .init(code: row.code, title: row.title, unitCode: row.unitCode, unitName: row.unitName, year: row.year, source: row.source,
                  category: row.category, status: row.status, statusName: row.statusName, implementingUnit: row.implementingUnit,
                  supportVnd: row.supportVnd, submittedOn: row.submittedOn)
        }, next: next, nextCursor: next)
    }

    // MARK: - Page and downloads

    @Sendable func page(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let parameters = try Self.parameters(req)
        let query: ProjectRegister.Query
        do {
            query = try ProjectRegister.Query(parameters: parameters)
        } catch let refusal as DomainError {
            let page = ProjectRegisterPage(req, user: user, query: nil, typed: parameters, page: nil, error: refusal.description)
            let response = try await req.view.render("projects/index", page).encodeResponse(for: req)
            response.status = refusal.status
            return response
        }
        switch parameters["format"] ?? "" {
        case "":
            let page = try await ProjectRegister.page(query, for: user.principal, on: req.db)
            return try await req.view.render("projects/index", ProjectRegisterPage(req, user: user, query: query, typed: parameters,
                                                                                  page: page, error: nil)).encodeResponse(for: req)
        case let format where format == "csv" || format == "xlsx":
            var everything = query
            everything.after = nil
            guard let rows = try await ProjectRegister.all(everything, for: user.principal, maximum: Self.maximumDownloadRows, on: req.db) else {
                throw DomainError.invalid(vi: "Danh sách có hơn \(VietnameseFormat.count(Int64(Self.maximumDownloadRows))) đề án; hãy thu hẹp bộ lọc để tải về",
                                          en: "more than \(Self.maximumDownloadRows) projects; narrow the filter to download")
            }
            let sheet = Self.sheet(rows)
            let name = "danh-sach-de-an"
            if format == "csv" {
                return Response(status: .ok, headers: ["Content-Type": "text/csv; charset=utf-8", "Content-Disposition": "attachment; filename=\"\(name).csv\""],
                                body: .init(data: sheet.csv()))
            }
            return Response(status: .ok, headers: ["Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                                   "Content-Disposition": "attachment; filename=\"\(name).xlsx\""],
                            body: .init(data: try XLSXWriter.write([sheet])))
        default:
            throw DomainError.invalid(vi: "format: chỉ nhận csv hoặc xlsx", en: "format: csv or xlsx expected")
        }
    }

    /// The register as a table: names, not codes, and amounts in đồng.
    static func sheet(_ rows: [ProjectRegister.Row]) -> Spreadsheet {
        var sheet = Spreadsheet(name: "Danh sách đề án", columns: [
            ("Mã đề án", 20), ("Tên đề án", 60), ("Đơn vị", 24), ("Năm kế hoạch", 10), ("Nguồn kinh phí", 22), ("Nội dung", 40),
            ("Đơn vị thực hiện", 36), ("Kinh phí hỗ trợ (đồng)", 18), ("Trạng thái", 22), ("Ngày nộp", 12),
        ])
        for row in rows {
            sheet.rows.append([.text(row.code), .text(row.title), .text(row.unitName), .integer(Int64(row.year)), .text(row.sourceName),
                               .text(row.categoryName), .text(row.implementingUnit), .money(row.supportVnd), .text(row.statusName),
                               row.submittedOn.flatMap { try? CalendarDate(parsing: $0) }.map { .date($0) } ?? .empty])
        }
        return sheet
    }
}
