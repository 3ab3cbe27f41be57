import Fluent
import Foundation
import KhuyenCongCore
import Vapor

/// Import and export from the pages. An upload is checked and previewed (what will be created or changed, or
/// every error); nothing is written until the officer confirms. Exports cover the caller's scope only.
struct ImportsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.imports, use: page).access(.action(.exportData))
        // Streamed to disk (ImportUpload), up to ImportUpload.maximumBytes; the token is checked from the first part.
        routes.on(.POST, .imports, body: .stream, use: upload).access(.action(.importData)).tokenInFirstPart()
        routes.post(.importStep(id: nil, .confirm), use: confirm).access(.action(.importData))
        routes.post(.importStep(id: nil, .cancel), use: cancel).access(.action(.importData))
        routes.get(.exportDownload, use: download).access(.action(.exportData))
        routes.get(.importTemplate, use: template).access(.action(.exportData))
    }

    struct Page: Encodable {
        let title = "Nhập, xuất dữ liệu – Khuyến công"
        let layout: PageLayout
        let csrf: String
        let canImport: Bool
        let scopeName: String
        /// The export form's tables: the code it sends and the name it shows.
        let tables: [TableChoice]
        let years: [Int]
        let report: [ImportReport.TableCount]?
        let committed: Bool
        let issues: [String]
        let confirmAction: String?
        /// A preview of a file that changes nothing.
        let nothingToConfirm: Bool
        /// Where a "cancel" form posts to drop the preview (POST /imports/{id}/cancel).
        let cancelAction: String?
        /// The blank templates, one per table.
        let templates: [TemplateLink]
    }

    struct TableChoice: Encodable { let code: String; let name: String }
    struct TemplateLink: Encodable { let code: String; let name: String; let xlsx: String; let csv: String }

    private func render(_ req: Request, report: ImportReport? = nil, issues: [String] = [], confirm: String? = nil,
                        status: HTTPResponseStatus = .ok) async throws -> Response {
        let user = try req.requireUser()
        let page = Page(layout: PageLayout(req), csrf: CSRF.token(for: req),
                        canImport: AccessPolicy.decide(user.principal, .importData) == .allow,
                        scopeName: Self.filter(for: user).description, tables: InterchangeTable.allCases.map { TableChoice(code: $0.rawValue, name: $0.vietnameseName) },
                        years: Array((2023...CalendarDate.today().year + 1).reversed()),
                        report: report?.tables, committed: report?.committed ?? false, issues: issues, confirmAction: confirm,
                        nothingToConfirm: report.map { !$0.committed && confirm == nil } ?? false,
                        cancelAction: confirm.map { String($0.dropLast("confirm".count)) + "cancel" },
                        templates: InterchangeTable.allCases.map {
                            TemplateLink(code: $0.rawValue, name: $0.vietnameseName, xlsx: Links.importTemplate($0, format: "xlsx"),
                                         csv: Links.importTemplate($0, format: "csv"))
                        })
        let response = try await req.view.render("imports/index", page).encodeResponse(for: req)
        response.status = status
        return response
    }

    @Sendable func page(req: Request) async throws -> Response { try await render(req) }

    @Sendable func upload(req: Request) async throws -> Response {
        let user = try req.requireUser()
        ImportStaging.sweep()
        let (id, folder) = ImportStaging.reserve()
        let files: [URL]
        do {
            files = try await ImportUpload.receive(req, into: folder)
        } catch let problem as ImportUpload.Problem {
            ImportStaging.remove(folder)
            let issue = switch problem {
            case .unsupported(let name): "\(name): chỉ nhận tệp .csv hoặc .xlsx / only .csv or .xlsx files"
            case .repeated(let name): "\(name): tệp trùng tên / two files of the same name"
            }
            return try await render(req, issues: [issue], status: .unprocessableEntity)
        } catch {
            ImportStaging.remove(folder)
            throw error
        }
        guard !files.isEmpty else {
            ImportStaging.remove(folder)
            return try await render(req, issues: ["Chưa chọn tệp nào / no file chosen"], status: .unprocessableEntity)
        }
        let workbook = files.first { $0.pathExtension == "xlsx" }
        req.session.data["import.\(id)"] = user.username
        do {
            let source = try ImportSource(path: (workbook ?? folder).path)
            let report = try await Importer(actor: user.username, principal: user.principal, on: req.db).run(source, commit: false)
            // A file that changes nothing has nothing to confirm.
            guard report.tables.contains(where: { $0.created + $0.updated > 0 }) else {
                ImportStaging.remove(folder)
                req.session.data["import.\(id)"] = nil
                return try await render(req, report: report)
            }
            return try await render(req, report: report, confirm: SiteRoute.importStep(id: id, .confirm).path)
        } catch {
            ImportStaging.remove(folder)
            req.session.data["import.\(id)"] = nil
            guard let refused = error as? ImportRefused else { throw error }
            return try await render(req, issues: refused.issues.map(\.description) + (refused.more > 0 ? ["… và \(refused.more) lỗi khác / and \(refused.more) more"] : []),
                                    status: .unprocessableEntity)
        }
    }

    /// The staged folder of an upload by this user, still waiting; or 410.
    private func staged(_ req: Request, user: User) throws -> (id: String, folder: URL) {
        let id = try req.parameters.require("importID")
        guard req.session.data["import.\(id)"] == user.username, let folder = ImportStaging.folder(id) else {
            throw DomainError(.gone, vi: "Tệp tải lên đã hết hạn hoặc không phải của bạn; hãy tải lên lại",
                              en: "the upload has expired or is not yours; upload it again")
        }
        return (id, folder)
    }

    @Sendable func confirm(req: Request) async throws -> Response {
        let user = try req.requireUser()
        ImportStaging.sweep()
        let (id, folder) = try staged(req, user: user)
        defer {
            ImportStaging.remove(folder)
            req.session.data["import.\(id)"] = nil
        }
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        let source = try ImportSource(path: (files.first { $0.pathExtension == "xlsx" } ?? folder).path)
        do {
            let report = try await Importer(actor: user.username, principal: user.principal, on: req.db).run(source, commit: true)
            return try await render(req, report: report)
        } catch let refused as ImportRefused {
            return try await render(req, issues: refused.issues.map(\.description), status: .unprocessableEntity)
        }
    }

    /// Drops a previewed upload without importing it.
    @Sendable func cancel(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let (id, folder) = try staged(req, user: user)
        ImportStaging.remove(folder)
        req.session.data["import.\(id)"] = nil
        return try await render(req)
    }

    struct TemplateQuery: Decodable { let table: String?; let format: String? }

    /// A blank template of one table: XLSX with the description of its columns, or CSV with the header row.
    @Sendable func template(req: Request) async throws -> Response {
        let query = try req.query.decode(TemplateQuery.self)
        // Without a table: the page's list of templates.
        guard query.table?.isEmpty == false else { return req.redirect(to: Links.imports + "#templates") }
        let file = try InterchangeTemplate.file(table: query.table, format: query.format)
        return Response(status: .ok, headers: ["Content-Type": file.type, "Content-Disposition": "attachment; filename=\"\(file.name)\""],
                        body: .init(data: file.data))
    }

    /// The export form's fields as text: "Mọi năm" sends an empty year.
    struct ExportQuery: Decodable { let table: String?; let year: String?; let format: String? }

    @Sendable func download(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let query = try req.query.decode(ExportQuery.self)
        var filter = Self.filter(for: user)
        let year = try query.year.flatMap { text -> Int? in
            let text = text.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { return nil }
            guard let year = Int(text), (2000...2100).contains(year) else {
                throw DomainError.invalid(vi: "year: năm \"\(text.prefix(12))\" không hợp lệ", en: "year: \"\(text.prefix(12))\" is not a plan year")
            }
            return year
        }
        filter.year = year
        let tables = try (query.table ?? "all") == "all" ? InterchangeTable.allCases : [query.table.flatMap(InterchangeTable.init(rawValue:)) ?? {
            throw DomainError.invalid(vi: "Bảng \"\(query.table ?? "")\" không có", en: "no table \"\(query.table ?? "")\"")
        }()]
        var sheets: [Spreadsheet] = []
        let labels = (query.format ?? "xlsx") == "xlsx"
        for table in tables { sheets.append(try await Exporter.sheet(table, filter, labels: labels, on: req.db)) }
        let name = "khuyen-cong-\(tables.count == 1 ? tables[0].rawValue : "du-lieu")\(year.map { "-\($0)" } ?? "")"
        switch query.format ?? "xlsx" {
        case "xlsx":
            return Response(status: .ok, headers: ["Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                                   "Content-Disposition": "attachment; filename=\"\(name).xlsx\""],
                            body: .init(data: try XLSXWriter.write(sheets)))
        case "csv" where sheets.count == 1:
            return Response(status: .ok, headers: ["Content-Type": "text/csv; charset=utf-8", "Content-Disposition": "attachment; filename=\"\(name).csv\""],
                            body: .init(data: sheets[0].csv()))
        case "csv":
            // Every table: one CSV per table, named as the importer reads them, in one ZIP.
            return Response(status: .ok, headers: ["Content-Type": "application/zip", "Content-Disposition": "attachment; filename=\"\(name)-csv.zip\""],
                            body: .init(data: try CSVArchive.write(sheets)))
        default:
            throw DomainError.invalid(vi: "format: định dạng không hỗ trợ (xlsx hoặc csv)", en: "format: unsupported (xlsx or csv)")
        }
    }

    /// What a user may export: their province, their region, or the country.
    static func filter(for user: User) -> Exporter.Filter {
        let principal = user.principal
        switch principal.role {
        case .provinceOfficer: return Exporter.Filter(unitCode: principal.unitCode)
        case .regionReviewer, .appraiser: return Exporter.Filter(region: principal.region)
        default: return Exporter.Filter()
        }
    }
}

extension Exporter.Filter: CustomStringConvertible {
    var description: String {
        if let unitCode { return (try? AdminUnitCatalog.standard.resolve(code: unitCode, on: .today()).name) ?? unitCode.rawValue }
        if let region { return region.vietnameseName }
        return "Cả nước"
    }
}
