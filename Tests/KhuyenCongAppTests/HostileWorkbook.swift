import Foundation
import ZIPFoundation

/// A large part made of one unit repeated, produced a slice at a time: a 900 MiB part never sits in memory,
/// and deflates to about a thousandth of its size.
struct RepeatingPart {
    let head: [UInt8], unit: [UInt8], count: Int, tail: [UInt8]
    private let block: [UInt8]

    init(head: String, unit: String, count: Int, tail: String) {
        self.head = Array(head.utf8)
        self.unit = Array(unit.utf8)
        self.count = count
        self.tail = Array(tail.utf8)
        let repeats = self.unit.isEmpty ? 0 : max(1, (2 << 20) / self.unit.count)
        block = Array([[UInt8]](repeating: self.unit, count: repeats).joined())
    }

    var size: Int { head.count + unit.count * count + tail.count }

    func bytes(at position: Int, count wanted: Int) -> Data {
        var out = Data(capacity: wanted)
        var position = position, remaining = min(wanted, size - position)
        let bodyEnd = head.count + unit.count * count
        while remaining > 0 {
            let taken: Int
            if position < head.count {
                taken = min(remaining, head.count - position)
                out.append(contentsOf: head[position..<(position + taken)])
            } else if position < bodyEnd {
                let offset = (position - head.count) % unit.count
                taken = min(remaining, bodyEnd - position, block.count - offset)
                out.append(contentsOf: block[offset..<(offset + taken)])
            } else {
                let offset = position - bodyEnd
                taken = min(remaining, tail.count - offset)
                out.append(contentsOf: tail[offset..<(offset + taken)])
            }
            position += taken
            remaining -= taken
        }
        return out
    }
}

/// Writes small workbooks with one sheet, `plan_lines`, whose parts may be hostile.
enum HostileWorkbook {
    static func write(sheet: String, sharedStrings: RepeatingPart? = nil) throws -> URL {
        try write(sheet: RepeatingPart(head: sheet, unit: "", count: 0, tail: ""), sharedStrings: sharedStrings)
    }

    static func write(sheet: RepeatingPart, sharedStrings: RepeatingPart? = nil) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kc-hostile-\(UUID().uuidString).xlsx")
        let archive = try Archive(url: url, accessMode: .create)
        let workbook = #"<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="plan_lines" sheetId="1" r:id="rId1"/></sheets></workbook>"#
        let relationships = #"<Relationships><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#
        var parts = [("xl/workbook.xml", RepeatingPart(head: workbook, unit: "", count: 0, tail: "")),
                     ("xl/_rels/workbook.xml.rels", RepeatingPart(head: relationships, unit: "", count: 0, tail: "")),
                     ("xl/worksheets/sheet1.xml", sheet)]
        if let sharedStrings { parts.append(("xl/sharedStrings.xml", sharedStrings)) }
        for (path, part) in parts {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(part.size), compressionMethod: .deflate,
                                 bufferSize: 1 << 20) { position, size in
                part.bytes(at: Int(position), count: size)
            }
        }
        return url
    }
}

extension URL {
    var fileSize: Int {
        get throws { (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 }
    }
}
