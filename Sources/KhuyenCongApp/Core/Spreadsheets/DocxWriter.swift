import Foundation
import KhuyenCongCore
import ZIPFoundation

/// A Word document as a list of paragraphs and tables: enough for an administrative document (Decree
/// 30/2020/NĐ-CP) that officials open, edit and sign.
struct WordDocument: Sendable {
    enum Alignment: String, Sendable { case left, center, right, both }

    struct Run: Sendable {
        var text: String
        var bold = false
        var italic = false
        var underline = false
        /// Points; nil: the document's size.
        var size: Double? = nil
        init(_ text: String, bold: Bool = false, italic: Bool = false, underline: Bool = false, size: Double? = nil) {
            self.text = text; self.bold = bold; self.italic = italic; self.underline = underline; self.size = size
        }
    }

    struct Paragraph: Sendable {
        var runs: [Run]
        var alignment: Alignment = .both
        /// Points before and after.
        var before: Double = 0
        var after: Double = 6
        /// First-line indent in centimetres.
        var indent: Double = 0
        var keepWithNext = false
        init(_ runs: [Run], alignment: Alignment = .both, before: Double = 0, after: Double = 6, indent: Double = 0, keepWithNext: Bool = false) {
            self.runs = runs; self.alignment = alignment; self.before = before; self.after = after; self.indent = indent
            self.keepWithNext = keepWithNext
        }
        init(_ text: String, bold: Bool = false, italic: Bool = false, size: Double? = nil, alignment: Alignment = .both,
             before: Double = 0, after: Double = 6, indent: Double = 0, keepWithNext: Bool = false) {
            self.init([Run(text, bold: bold, italic: italic, size: size)], alignment: alignment, before: before, after: after,
                      indent: indent, keepWithNext: keepWithNext)
        }
    }

    struct Cell: Sendable {
        var paragraphs: [Paragraph]
        init(_ paragraphs: [Paragraph]) { self.paragraphs = paragraphs }
        init(_ text: String, bold: Bool = false, size: Double? = nil, alignment: Alignment = .left) {
            paragraphs = [Paragraph(text, bold: bold, size: size, alignment: alignment, after: 0)]
        }
    }

    struct Table: Sendable {
        /// Column widths in centimetres.
        var widths: [Double]
        var rows: [[Cell]]
        /// The first `headerRows` rows repeat on every page and are shaded.
        var headerRows = 1
        var borders = true
    }

    enum Block: Sendable { case paragraph(Paragraph), table(Table) }

    var blocks: [Block] = []
    /// The font and its size in points (Times New Roman 13–14 pt in Decree 30).
    var font = "Times New Roman"
    var size: Double = 13
    /// Small text at the foot of every page (what the document covers); page numbers stand at the top centre
    /// from the second page on, as Decree 30 wants.
    var footer: String = ""
    /// The date the document speaks of (a report's as-of date): its properties' created and modified dates and the
    /// archive's file times, so that the same report gives the same bytes. Without one, a fixed date (as `XLSXWriter`).
    var asOf: CalendarDate? = nil

    mutating func add(_ paragraph: Paragraph) { blocks.append(.paragraph(paragraph)) }
    mutating func add(_ table: Table) { blocks.append(.table(table)) }

    /// Every paragraph's text, tables row by row: what a reader of the file sees, for tests and search.
    var plainText: String {
        func text(_ p: Paragraph) -> String { p.runs.map(\.text).joined() }
        return blocks.map { block in
            switch block {
            case .paragraph(let p): text(p)
            case .table(let t): t.rows.map { $0.map { $0.paragraphs.map(text).joined(separator: "\n") }.joined(separator: "\t") }.joined(separator: "\n")
            }
        }.joined(separator: "\n")
    }
}

/// Writes a `WordDocument` as DOCX (Office Open XML), the way `XLSXWriter` writes workbooks: the XML parts
/// zipped with ZIPFoundation. A4 portrait, margins of Decree 30 (top and bottom 20 mm, left 30 mm, right 15 mm).
enum DocxWriter {
    static let mimeType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

    static func write(_ document: WordDocument) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        let stamp = moment(document.asOf)
        func add(_ path: String, _ text: String) throws { try archive.addFile(path, Data(text.utf8), modified: stamp) }
        try add("[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/></Types>
            """)
        try add("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>
            """)
        let created = w3cDate(document.asOf)
        try add("docProps/core.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dcterms:created xsi:type="dcterms:W3CDTF">\(created)</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">\(created)</dcterms:modified></cp:coreProperties>
            """)
        try add("word/_rels/document.xml.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>
            """)
        try add("word/styles.xml", styles(document))
        try add("word/header1.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:hdr xmlns:w="\(namespace)"><w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>2</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:hdr>
            """)
        try add("word/footer1.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:ftr xmlns:w="\(namespace)"><w:p><w:pPr><w:jc w:val="right"/></w:pPr><w:r><w:rPr><w:i/><w:sz w:val="18"/></w:rPr><w:t xml:space="preserve">\(XLSXWriter.escape(document.footer))</w:t></w:r></w:p></w:ftr>
            """)
        try add("word/document.xml", body(document))
        guard let data = archive.data else { throw DomainError(.invalidInput, vi: "Không tạo được tệp DOCX", en: "could not write the DOCX file") }
        return data
    }

    static let namespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

    /// The archive's file times: noon (UTC) of the as-of date, or `XLSXWriter.fixedDate`.
    static func moment(_ asOf: CalendarDate?) -> Date {
        asOf.map { Date(timeIntervalSince1970: TimeInterval($0.dayNumber) * 86_400 + 12 * 3600) } ?? XLSXWriter.fixedDate
    }

    /// "2026-11-29T12:00:00Z" for the document's properties.
    static func w3cDate(_ asOf: CalendarDate?) -> String {
        (asOf.map { "\($0)" } ?? "2000-01-01") + "T12:00:00Z"
    }

    static func styles(_ document: WordDocument) -> String {
        let font = XLSXWriter.escape(document.font)
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <w:styles xmlns:w="\(namespace)"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="\(font)" w:hAnsi="\(font)" w:cs="\(font)" w:eastAsia="\(font)"/><w:sz w:val="\(halfPoints(document.size))"/><w:szCs w:val="\(halfPoints(document.size))"/><w:lang w:val="vi-VN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>
            """
    }

    static func body(_ document: WordDocument) -> String {
        var xml = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="\#(namespace)" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>"#
        for block in document.blocks {
            switch block {
            case .paragraph(let p): xml += paragraph(p)
            case .table(let t): xml += table(t) + "<w:p><w:pPr><w:spacing w:after=\"0\"/></w:pPr></w:p>"
            }
        }
        // A4 (210 × 297 mm), top 20, bottom 20, left 30, right 15 mm; page number in the header from page 2.
        xml += #"<w:sectPr><w:headerReference w:type="default" r:id="rId2"/><w:footerReference w:type="default" r:id="rId3"/><w:footerReference w:type="first" r:id="rId3"/><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="851" w:bottom="1134" w:left="1701" w:header="567" w:footer="567" w:gutter="0"/><w:titlePg/></w:sectPr>"#
        return xml + "</w:body></w:document>"
    }

    static func paragraph(_ p: WordDocument.Paragraph) -> String {
        var xml = "<w:p><w:pPr>"
        if p.keepWithNext { xml += "<w:keepNext/>" }
        xml += #"<w:spacing w:before="\#(twips(points: p.before))" w:after="\#(twips(points: p.after))"/>"#
        if p.indent != 0 { xml += #"<w:ind w:firstLine="\#(twips(cm: p.indent))"/>"# }
        xml += #"<w:jc w:val="\#(p.alignment.rawValue)"/></w:pPr>"#
        for run in p.runs {
            // A line break inside a run's text becomes <w:br/>.
            let lines = run.text.split(separator: "\n", omittingEmptySubsequences: false)
            xml += "<w:r><w:rPr>" + (run.bold ? "<w:b/>" : "") + (run.italic ? "<w:i/>" : "") + (run.underline ? #"<w:u w:val="single"/>"# : "")
            if let size = run.size { xml += #"<w:sz w:val="\#(halfPoints(size))"/><w:szCs w:val="\#(halfPoints(size))"/>"# }
            xml += "</w:rPr>" + lines.map { #"<w:t xml:space="preserve">\#(XLSXWriter.escape(String($0)))</w:t>"# }.joined(separator: "<w:br/>") + "</w:r>"
        }
        return xml + "</w:p>"
    }

    static func table(_ t: WordDocument.Table) -> String {
        let border = t.borders ? "single" : "nil"
        let edges = ["top", "left", "bottom", "right", "insideH", "insideV"].map { #"<w:\#($0) w:val="\#(border)" w:sz="4" w:space="0" w:color="000000"/>"# }.joined()
        var xml = #"<w:tbl><w:tblPr><w:tblW w:w="\#(t.widths.map { twips(cm: $0) }.reduce(0, +))" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>\#(edges)</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>"#
        xml += t.widths.map { #"<w:gridCol w:w="\#(twips(cm: $0))"/>"# }.joined() + "</w:tblGrid>"
        for (index, row) in t.rows.enumerated() {
            let header = index < t.headerRows
            // Rows never split across pages; header rows repeat on each page.
            xml += "<w:tr><w:trPr><w:cantSplit/>" + (header ? "<w:tblHeader/>" : "") + "</w:trPr>"
            for (column, cell) in row.enumerated() {
                let width = column < t.widths.count ? t.widths[column] : t.widths.last ?? 3
                xml += #"<w:tc><w:tcPr><w:tcW w:w="\#(twips(cm: width))" w:type="dxa"/>"#
                if header && t.borders { xml += #"<w:shd w:val="clear" w:color="auto" w:fill="E7EEF6"/>"# }
                xml += #"<w:vAlign w:val="\#(t.borders ? "center" : "top")"/></w:tcPr>"#
                xml += (cell.paragraphs.isEmpty ? [WordDocument.Paragraph("")] : cell.paragraphs).map(paragraph).joined() + "</w:tc>"
            }
            xml += "</w:tr>"
        }
        return xml + "</w:tbl>"
    }

    static func halfPoints(_ points: Double) -> Int { Int((points * 2).rounded()) }
    static func twips(points: Double) -> Int { Int((points * 20).rounded()) }
    static func twips(cm: Double) -> Int { Int((cm * 1440 / 2.54).rounded()) }
}
