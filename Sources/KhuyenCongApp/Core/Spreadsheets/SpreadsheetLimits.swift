import Foundation
import KhuyenCongCore

/// How much of an uploaded file the readers will hold, whatever the file claims. Each limit is far above any
/// real interchange file (a cell holds a code, a figure, a date or a title of a few hundred characters; a row has
/// at most 15 columns; a national year is about a million rows, 23 MB as XLSX) and keeps one import's memory
/// in the tens of MiB. Each is checked while the bytes stream in, so a file is refused before it costs more.
struct SpreadsheetLimits: Sendable {
    /// Bytes of UTF-8 in any one cell or field.
    var cellBytes = 32 * 1024
    /// Cells of a row (the widest table has 15 columns).
    var rowCells = 1_000
    /// Entries of an XLSX shared-string table, and their bytes in all.
    var sharedStrings = 1_000_000
    var sharedStringBytes = 64 * 1024 * 1024
    /// Bytes inflated from all the parts of one workbook that are read.
    var inflatedBytes: UInt64 = 1 << 30

    static let standard = SpreadsheetLimits()

    /// At most `length` characters of a cell, for an error message: never echo a whole hostile cell.
    static func excerpt(_ text: some StringProtocol, length: Int = 40) -> String {
        text.count <= length ? String(text) : String(text.prefix(length)) + "…"
    }

    static func kib(_ bytes: Int) -> String { "\(bytes / 1024) KiB" }
    static func mib(_ bytes: UInt64) -> String { "\(bytes / (1024 * 1024)) MiB" }
}

/// The bytes inflated so far from one workbook, against `SpreadsheetLimits.inflatedBytes`. A class so that
/// every part read by one reader draws on the same budget (and a test can see how far a refusal got).
final class InflateBudget {
    private(set) var inflated: UInt64 = 0
    let limit: UInt64

    init(limit: UInt64 = SpreadsheetLimits.standard.inflatedBytes) { self.limit = limit }

    func draw(_ count: Int, part: String) throws {
        inflated += UInt64(count)
        guard inflated <= limit else {
            throw XLSXReader.Failure(sheet: nil, row: nil, column: nil, message: .invalid(
                vi: "Tệp XLSX giải nén quá lớn (trên \(SpreadsheetLimits.mib(limit)), tại \(part))",
                en: "the XLSX unpacks to more than \(SpreadsheetLimits.mib(limit)) (at \(part))"))
        }
    }
}
