import Foundation
import FuzzDriver

/// SwiftPM links an executable's `main` to `<module>_main`; here that runs libFuzzer's driver on `fuzzOneInput`.
@_cdecl("SpreadsheetFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc, argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        guard let data else { return 0 }
        return fuzzOneInput(data, size)
    }
}

/// One input of libFuzzer: its first byte chooses what reads the rest, and whether with the standard limits or with
/// tiny ones (so that every refusal path is reached too):
/// 0 a CSV file, 1 an XLSX workbook, 2 a worksheet's XML, 3 a shared-string table's XML, 4 a styles part.
/// A crash, a trap (an index out of range, an overflow) or more memory than libFuzzer's limit is a finding;
/// a refusal is the expected answer to most inputs.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let mode = data[0]
    let body = UnsafeRawBufferPointer(start: data + 1, count: size - 1)
    var limits = SpreadsheetLimits()
    if mode & 0x80 != 0 {
        limits.cellBytes = 40
        limits.rowCells = 6
        limits.sharedStrings = 5
        limits.sharedStringBytes = 100
        limits.inflatedBytes = 4_096
    }
    switch mode & 0x7F % 5 {
    case 0:
        guard let url = Fuzz.write(body, as: "csv") else { return 0 }
        if var reader = try? CSVReader(url: url, limits: limits) { while reader.next() != nil {} }
    case 1:
        guard let url = Fuzz.write(body, as: "xlsx") else { return 0 }
        if let reader = try? XLSXReader(url: url, limits: limits) {
            for sheet in reader.sheetNames.sorted() { try? reader.readSheet(sheet) { _, _ in } }
        }
    case 2:
        let handler = SheetHandler(sheet: "s", sharedStrings: ["a", "b"], dateStyles: [1], limits: limits, onRow: { _, _ in })
        Fuzz.parse(body, into: handler)
    case 3:
        Fuzz.parse(body, into: SharedStringsCollector(limits: limits))
    default:
        let styles = StylesCollector()
        Fuzz.parse(body, into: styles)
        _ = styles.dateStyles
    }
    return 0
}

enum Fuzz {
    static let folder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("kc-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    static func write(_ bytes: UnsafeRawBufferPointer, as ext: String) -> URL? {
        let url = folder.appendingPathComponent("input.\(ext)")
        return (try? Data(bytes).write(to: url)) == nil ? nil : url
    }

    /// Feeds the part in pieces of varied sizes, as inflating does.
    static func parse(_ bytes: UnsafeRawBufferPointer, into handler: some XMLStreamHandler) {
        var stream = XMLStream()
        var start = 0, piece = 1
        do {
            while start < bytes.count {
                let end = min(bytes.count, start + piece)
                try stream.feed(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), to: handler)
                start = end
                piece = piece * 3 % 97 + 1
            }
            try stream.finish()
        } catch {}
    }
}
