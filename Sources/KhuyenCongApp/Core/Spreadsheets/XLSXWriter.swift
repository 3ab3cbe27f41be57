import Foundation
import KhuyenCongCore
import ZIPFoundation

/// Writes an XLSX workbook (Office Open XML) with one sheet per table: real numbers with thousands grouping,
/// real dates, a bold frozen header row and column widths. Excel and LibreOffice show the numbers in the
/// reader's locale (1.234.567 in Vietnamese).
enum XLSXWriter {
    // Style indexes in styles.xml: 0 text, 1 header, 2 integer, 3 one decimal, 4 date.
    static func write(_ sheets: [Spreadsheet]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        func add(_ path: String, _ text: String) throws { try archive.addFile(path, Data(text.utf8)) }
        try add("[Content_Types].xml", contentTypes(sheets.count))
        try add("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """)
        try add("xl/workbook.xml", workbook(sheets))
        try add("xl/_rels/workbook.xml.rels", workbookRelationships(sheets.count))
        try add("xl/styles.xml", styles)
        for (index, sheet) in sheets.enumerated() {
            try add("xl/worksheets/sheet\(index + 1).xml", worksheet(sheet))
        }
        guard let data = archive.data else { throw DomainError(.invalidInput, vi: "Không tạo được tệp XLSX", en: "could not write the XLSX file") }
        return data
    }

    static func contentTypes(_ count: Int) -> String {
        let sheets = (1...max(count, 1)).map {
            #"<Override PartName="/xl/worksheets/sheet\#($0).xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        }.joined()
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\(sheets)</Types>
            """
    }

    static func workbook(_ sheets: [Spreadsheet]) -> String {
        let entries = sheets.enumerated().map { #"<sheet name="\#(escape(String($1.name.prefix(31))))" sheetId="\#($0 + 1)" r:id="rId\#($0 + 1)"/>"# }.joined()
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\(entries)</sheets></workbook>
            """
    }

    static func workbookRelationships(_ count: Int) -> String {
        let sheets = (0..<count).map {
            #"<Relationship Id="rId\#($0 + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet\#($0 + 1).xml"/>"#
        }.joined()
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\(sheets)<Relationship Id="rId\(count + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
            """
    }

    static let styles = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="3"><numFmt numFmtId="164" formatCode="#,##0"/><numFmt numFmtId="165" formatCode="#,##0.0"/><numFmt numFmtId="166" formatCode="dd/mm/yyyy"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Arial"/></font><font><b/><sz val="11"/><name val="Arial"/></font></fonts><fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFE3F0FC"/><bgColor indexed="64"/></patternFill></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>
        """

    static func worksheet(_ sheet: Spreadsheet) -> String {
        var xml = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        xml += #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#
        xml += "<cols>" + sheet.columns.enumerated().map {
            #"<col min="\#($0 + 1)" max="\#($0 + 1)" width="\#($1.width)" customWidth="1"/>"#
        }.joined() + "</cols><sheetData>"
        xml += row(1, sheet.columns.map { .text($0.header) }, header: true)
        for (index, cells) in sheet.rows.enumerated() { xml += row(index + 2, cells, header: false) }
        return xml + "</sheetData></worksheet>"
    }

    static func row(_ number: Int, _ cells: [Spreadsheet.Cell], header: Bool) -> String {
        var xml = #"<row r="\#(number)">"#
        for (index, cell) in cells.enumerated() {
            let ref = column(index) + String(number)
            switch cell {
            case .text(let text):
                xml += #"<c r="\#(ref)" t="inlineStr"\#(header ? #" s="1""# : "")><is><t xml:space="preserve">\#(escape(text))</t></is></c>"#
            case .integer(let value): xml += #"<c r="\#(ref)" s="2"><v>\#(value)</v></c>"#
            case .decimal(let value): xml += #"<c r="\#(ref)" s="3"><v>\#(value)</v></c>"#
            case .date(let date): xml += #"<c r="\#(ref)" s="4"><v>\#(date - CalendarDate(1899, 12, 30))</v></c>"#
            case .empty: break
            }
        }
        return xml + "</row>"
    }

    /// 0 → A, 25 → Z, 26 → AA.
    static func column(_ index: Int) -> String {
        var n = index + 1, name = ""
        while n > 0 {
            let remainder = (n - 1) % 26
            name = String(UnicodeScalar(65 + remainder)!) + name
            n = (n - 1) / 26
        }
        return name
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            // XML 1.0 cannot carry most control characters; they are dropped.
            case _ where scalar.value < 0x20 && ![0x09, 0x0A, 0x0D].contains(scalar.value): continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

extension Archive {
    /// Adds one compressed file held in memory.
    func addFile(_ path: String, _ data: Data) throws {
        try addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
    }
}
