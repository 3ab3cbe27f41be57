import Foundation
import KhuyenCongCore
import ZIPFoundation

/// Writes an XLSX workbook (Office Open XML) with one sheet per table: real numbers with thousands grouping,
/// years without, real dates, a bold frozen header row and column widths. Excel and LibreOffice show the numbers
/// in the reader's locale (1.234.567 in Vietnamese). Every sheet prints on A4 landscape, fitted to the page's
/// width, with its header row repeated on each page and the page number in the footer.
/// The same tables give the same bytes: the ZIP entries carry a fixed date, so that an export can be compared
/// with the export of its own import.
enum XLSXWriter {
    // Style indexes in styles.xml: 0 text, 1 header, 2 integer, 3 one decimal, 4 date, 5 plain whole number,
    // 6 wrapped text, 7 label (grey italics).
    static func write(_ sheets: [Spreadsheet]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        func add(_ path: String, _ text: String) throws { try archive.addFile(path, Data(text.utf8), modified: fixedDate) }
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
        let entries = sheets.enumerated().map { #"<sheet name="\#(escape(sheetName($1.name)))" sheetId="\#($0 + 1)" r:id="rId\#($0 + 1)"/>"# }.joined()
        // The header row of each sheet repeated on every printed page.
        let titles = sheets.enumerated().filter { $1.repeatsHeader }.map { index, sheet in
            #"<definedName name="_xlnm.Print_Titles" localSheetId="\#(index)">'\#(escape(sheetName(sheet.name).replacingOccurrences(of: "'", with: "''")))'!$1:$1</definedName>"#
        }.joined()
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\(entries)</sheets>\(titles.isEmpty ? "" : "<definedNames>" + titles + "</definedNames>")</workbook>
            """
    }

    /// A sheet's name as Excel allows it: at most 31 characters, none of : \ / ? * [ ].
    static func sheetName(_ name: String) -> String {
        String(String(name.map { ":\\/?*[]".contains($0) ? "-" : $0 }).prefix(31))
    }

    /// The date every part of the ZIP carries (a DOS date cannot be earlier than 1980).
    static let fixedDate = Date(timeIntervalSince1970: 946_728_000)   // 1 January 2000, 12:00 UTC

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
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="3"><numFmt numFmtId="164" formatCode="#,##0"/><numFmt numFmtId="165" formatCode="#,##0.0"/><numFmt numFmtId="166" formatCode="dd/mm/yyyy"/></numFmts><fonts count="3"><font><sz val="11"/><name val="Arial"/></font><font><b/><sz val="11"/><name val="Arial"/></font><font><i/><sz val="11"/><color rgb="FF595959"/><name val="Arial"/></font></fonts><fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFE3F0FC"/><bgColor indexed="64"/></patternFill></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="8"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="1" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf><xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs></styleSheet>
        """

    static func worksheet(_ sheet: Spreadsheet) -> String {
        var xml = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        xml += #"<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>"#
        xml += sheet.repeatsHeader
            ? #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>"#
            : #"<sheetViews><sheetView workbookViewId="0"/></sheetViews>"#
        xml += "<cols>" + sheet.columns.enumerated().map {
            #"<col min="\#($0 + 1)" max="\#($0 + 1)" width="\#($1.width)" customWidth="1"/>"#
        }.joined() + "</cols><sheetData>"
        xml += row(1, sheet.columns.map { .text($0.header) }, header: true)
        for (index, cells) in sheet.rows.enumerated() { xml += row(index + 2, cells, header: false) }
        xml += "</sheetData>"
        // A list of codes longer than 255 characters cannot be a drop-down; the description sheet lists them.
        let lists = sheet.choices.sorted { $0.key < $1.key }.compactMap { index, codes -> String? in
            let list = codes.joined(separator: ",")
            guard !codes.isEmpty, list.count <= 255, !list.contains("\"") else { return nil }
            let cells = column(index) + "2:" + column(index) + "1048576"
            return #"<dataValidation type="list" allowBlank="1" showErrorMessage="1" sqref="\#(cells)"><formula1>"\#(escape(list))"</formula1></dataValidation>"#
        }
        if !lists.isEmpty { xml += #"<dataValidations count="\#(lists.count)">"# + lists.joined() + "</dataValidations>" }
        xml += #"<pageMargins left="0.5" right="0.5" top="0.6" bottom="0.7" header="0.3" footer="0.3"/>"#
        xml += #"<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>"#
        xml += #"<headerFooter><oddFooter>&amp;L&amp;A&amp;RTrang &amp;P/&amp;N</oddFooter></headerFooter>"#
        return xml + "</worksheet>"
    }

    static func row(_ number: Int, _ cells: [Spreadsheet.Cell], header: Bool) -> String {
        var xml = #"<row r="\#(number)">"#
        for (index, cell) in cells.enumerated() {
            let ref = column(index) + String(number)
            switch cell {
            case .text(let text):
                xml += #"<c r="\#(ref)" t="inlineStr"\#(header ? #" s="1""# : "")><is><t xml:space="preserve">\#(escape(text))</t></is></c>"#
            case .wrapped(let text):
                xml += #"<c r="\#(ref)" t="inlineStr" s="6"><is><t xml:space="preserve">\#(escape(text))</t></is></c>"#
            case .label(let text):
                xml += #"<c r="\#(ref)" t="inlineStr" s="7"><is><t xml:space="preserve">\#(escape(text))</t></is></c>"#
            case .plain(let value): xml += #"<c r="\#(ref)" s="5"><v>\#(value)</v></c>"#
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
    /// Adds one compressed file held in memory; `modified` fixed makes the same files give the same archive.
    func addFile(_ path: String, _ data: Data, modified: Date = Date()) throws {
        try addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: modified, compressionMethod: .deflate) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
    }
}
