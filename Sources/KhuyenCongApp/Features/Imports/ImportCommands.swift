import Foundation
import KhuyenCongCore
import Vapor

/// `khuyencong import PATH`: a folder of CSV files or one .xlsx workbook, all or nothing.
struct ImportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "path", help: "thư mục CSV hoặc tệp .xlsx / a folder of CSV files or an .xlsx file") var path: String
        @Flag(name: "dry-run", help: "chỉ kiểm tra, không ghi / check only, write nothing") var dryRun: Bool
    }
    var help: String { "Nhập kế hoạch, đề án, giải ngân, kết quả / import plans, projects, disbursements, outputs" }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await migrate(context.application)
        let terminal = isatty(STDERR_FILENO) != 0
        let started = Date()
        let showProgress: Importer.Progress = { table, rows in
            FileHandle.standardError.write(Data("\r\(table): \(rows) dòng/rows…   ".utf8))
        }
        let actor = "cli:" + (ProcessInfo.processInfo.environment["USER"] ?? "root")
        let importer = Importer(actor: actor, principal: nil, progress: terminal ? showProgress : nil, on: context.application.db)
        do {
            let report = try await importer.run(try ImportSource(path: signature.path), commit: !signature.dryRun)
            if terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            context.console.print(report.summary)
            context.console.print((signature.dryRun ? "Kiểm tra xong, chưa ghi / checked, nothing written" : "Đã nhập / imported")
                + String(format: " (%.1f s)", Date().timeIntervalSince(started)))
        } catch let refused as ImportRefused {
            if terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
            throw refused
        }
    }
}

/// `khuyencong export --table T|all --region R | --unit CODE | --country [--year Y] --format csv|xlsx --output PATH`;
/// `khuyencong export --template --table T|all [--format xlsx|csv] --output PATH`: blank templates (a folder for all).
struct ExportCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "table", help: "plan_lines | plan_targets | projects | disbursements | outputs | all") var table: String?
        @Option(name: "region") var region: String?
        @Option(name: "unit", help: "mã đơn vị hiện nay / today's unit code") var unit: String?
        @Flag(name: "country") var country: Bool
        @Option(name: "year") var year: Int?
        @Option(name: "format", help: "csv | xlsx") var format: String?
        @Option(name: "output", help: "tệp, hoặc thư mục cho csv với --table all / a file, or a folder for csv with --table all") var output: String?
        @Flag(name: "template", help: "mẫu trống để điền (xlsx có trang mô tả cột) / a blank template to fill in (xlsx with a sheet describing the columns)")
        var template: Bool
    }
    var help: String { "Xuất các bảng trao đổi / export the interchange tables" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let tables: [InterchangeTable]
        switch signature.table ?? "all" {
        case "all": tables = InterchangeTable.allCases
        case let name:
            guard let table = InterchangeTable(rawValue: name) else {
                throw DomainError.invalid(vi: "Bảng \"\(name)\" không có", en: "no table \"\(name)\"")
            }
            tables = [table]
        }
        if signature.template { return try writeTemplates(tables, signature: signature, context: context) }
        guard [signature.region != nil, signature.unit != nil, signature.country].filter({ $0 }).count == 1 else {
            throw DomainError.invalid(vi: "Chọn đúng một phạm vi: --region, --unit hoặc --country", en: "choose one scope: --region, --unit or --country")
        }
        var filter = Exporter.Filter(year: signature.year)
        if let region = signature.region {
            guard let value = Region(rawValue: region) else { throw DomainError.invalid(vi: "Khu vực \"\(region)\" không có", en: "no region \"\(region)\"") }
            filter.region = value
        }
        if let unit = signature.unit { filter.unitCode = try AdminUnitCatalog.standard.resolve(code: UnitCode(unit), on: .today()).code }
        guard let output = signature.output else { throw DomainError.invalid(vi: "Thiếu --output", en: "--output is required") }
        var sheets: [Spreadsheet] = []
        for table in tables {
            sheets.append(try await Exporter.sheet(table, filter, labels: signature.format == "xlsx", on: context.application.db))
        }
        switch signature.format ?? "csv" {
        case "xlsx":
            try XLSXWriter.write(sheets).write(to: URL(fileURLWithPath: output))
        case "csv":
            if sheets.count == 1 && output.lowercased().hasSuffix(".csv") {
                try sheets[0].csv().write(to: URL(fileURLWithPath: output))
            } else {
                try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
                for sheet in sheets { try sheet.csv().write(to: URL(fileURLWithPath: output).appendingPathComponent(sheet.name + ".csv")) }
            }
        case let other:
            throw DomainError.invalid(vi: "Định dạng \"\(other)\" không hỗ trợ (csv, xlsx)", en: "format \"\(other)\" is not supported (csv, xlsx)")
        }
        context.console.print(sheets.map { "\($0.name): \($0.rows.count) dòng/rows" }.joined(separator: "\n") + "\n→ \(output)")
    }

    /// The blank template of one table into a file (its format from --format, else the file's extension), or of every
    /// table into a folder.
    func writeTemplates(_ tables: [InterchangeTable], signature: Signature, context: CommandContext) throws {
        guard let output = signature.output else { throw DomainError.invalid(vi: "Thiếu --output", en: "--output is required") }
        let format = signature.format ?? (output.lowercased().hasSuffix(".csv") ? "csv" : "xlsx")
        var written: [String] = []
        if tables.count == 1 && output.lowercased().hasSuffix("." + format) {
            try InterchangeTemplate.file(table: tables[0].rawValue, format: format).data.write(to: URL(fileURLWithPath: output))
            written.append(output)
        } else {
            try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
            for table in tables {
                let file = try InterchangeTemplate.file(table: table.rawValue, format: format)
                let path = URL(fileURLWithPath: output).appendingPathComponent(file.name)
                try file.data.write(to: path)
                written.append(path.path)
            }
        }
        context.console.print("Mẫu / template → " + written.joined(separator: ", "))
    }
}
