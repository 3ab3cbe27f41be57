import KhuyenCongCore
import Vapor

/// `GET /reports/document?region=…|unit=…|country=true&year=…&period=…&format=docx|pdf`: the period report as an
/// administrative document. It holds what the dashboard shows (aggregates and the monitoring findings), so it
/// has the dashboard's access rule.
struct ReportDocumentController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get(.reportDocument, use: document).access(.public)
        routes.get(.dashboardPrintStyle, use: printStyle).access(.public)
    }

    /// The printed dashboard's running header (scope, period, as-of date), as `@page` margin boxes: Chromium
    /// prints them on every page beside the page numbers of app.css. A stylesheet, not inline, for the CSP.
    @Sendable func printStyle(req: Request) async throws -> Response {
        let scope = try DashboardController.scope(req)
        let name: String
        switch scope.area {
        case .country: name = "Cả nước"
        case .region(let region): name = region.vietnameseName
        case .unit(let code): name = try AdminUnitCatalog.standard.resolve(code: code, planYear: scope.year).name
        }
        // In the page's language (the same request's cookie or Accept-Language), page numbers included.
        let language = req.language
        let left = MessageCatalog.value("Báo cáo khuyến công – \(name) – \(scope.period.vietnameseName(year: scope.year))", in: language)
        let right = MessageCatalog.value("Số liệu đến ngày \(VietnameseFormat.date(scope.asOf))", in: language)
        let pages = language == .vi ? "\"Trang \" counter(page) \" / \" counter(pages)" : "\"Page \" counter(page) \" / \" counter(pages)"
        let font = "font: 8pt \"Noto Sans\", Arial, sans-serif; color: #5b6675;"
        let css = "@page { @top-left { content: \(Self.cssString(left)); \(font) } @top-right { content: \(Self.cssString(right)); \(font) } "
            + "@bottom-center { content: \(pages); \(font) } }\n"
        return Response(status: .ok, headers: ["Content-Type": "text/css; charset=utf-8", "Cache-Control": "no-cache"], body: .init(string: css))
    }

    /// A CSS string literal: quotes and backslashes escaped, control characters dropped.
    static func cssString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "<", ">": out += " "
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    struct Format: Decodable { let format: String? }

    @Sendable func document(req: Request) async throws -> Response {
        let format = (try? req.query.decode(Format.self))?.format.flatMap { $0.isEmpty ? nil : $0 } ?? "docx"
        guard ["docx", "pdf"].contains(format) else {
            throw DomainError.invalid(vi: "format: định dạng \"\(format)\" không hỗ trợ (docx, pdf)", en: "format: \"\(format)\" is not supported (docx, pdf)")
        }
        let scope = try DashboardController.scope(req)
        let (figures, document) = try await ReportDocument.build(scope, on: req.db)
        let docx = try DocxWriter.write(document)
        let data: Data, type: String
        if format == "pdf" {
            do {
                data = try await DocumentPDF.convert(docx)
            } catch let missing as DocumentPDF.Unavailable {
                req.logger.warning("report document PDF: \(missing)")
                return Response(status: .serviceUnavailable, headers: ["Content-Type": "text/plain; charset=utf-8"],
                                body: .init(string: missing.vietnamese + "\n" + missing.english + "\n"))
            }
            type = "application/pdf"
        } else {
            data = docx
            type = DocxWriter.mimeType
        }
        let name = ReportDocument.fileName(figures.all, ext: format)
        return Response(status: .ok, headers: ["Content-Type": type, "Content-Disposition": "attachment; filename=\"\(name)\""],
                        body: .init(data: data))
    }
}

/// `khuyencong report document --region R | --unit CODE | --country --year Y --period P --format docx|pdf --output FILE`.
enum ReportDocumentCommand {
    static func run(_ scope: ReportScope, format: String?, output: String?, context: CommandContext) async throws {
        let format = format ?? "docx"
        guard ["docx", "pdf"].contains(format) else {
            throw DomainError.invalid(vi: "Định dạng \"\(format)\" không hỗ trợ cho văn bản báo cáo (docx, pdf)",
                                      en: "format \"\(format)\" is not supported for the report document (docx, pdf)")
        }
        guard let output, !output.isEmpty else {
            throw DomainError.invalid(vi: "Văn bản báo cáo cần --output TỆP", en: "the report document needs --output FILE")
        }
        let (_, document) = try await ReportDocument.build(scope, on: context.application.db)
        let docx = try DocxWriter.write(document)
        let data = format == "pdf" ? try await DocumentPDF.convert(docx) : docx
        try data.write(to: URL(fileURLWithPath: output))
        context.console.print("Đã ghi / written: \(output) (\(data.count) byte)")
    }
}
