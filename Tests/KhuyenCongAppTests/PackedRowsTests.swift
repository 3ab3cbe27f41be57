import Foundation
import Testing
@testable import KhuyenCongApp

/// The packed reading of many rows (`PackedRows`, the report's totals, plan lines and targets) gives back every value
/// as it was: nulls, empty texts, Vietnamese names, negative amounts; a value that is not a number is an error naming
/// its column, never a zero.
@Suite struct PackedRowsTests {
    /// Values joined as the database joins them: ASCII 31 between values, 30 between rows, 1 for a null.
    static func packed(_ rows: [[String?]]) -> String {
        rows.map { $0.map { $0 ?? "\u{1}" }.joined(separator: "\u{1F}") }.joined(separator: "\u{1E}")
    }

    @Test func valuesComeBackAsWritten() throws {
        let rows = PackedRows.split(Self.packed([
            ["38@2025-07-01", "Thanh Hóa", "-1500000000", nil, "9223372036854775807"],
            ["", "Quảng Ninh", "0", "2026-06-30", "-9223372036854775808"],
        ]), columns: 5)
        #expect(rows.count == 2)
        #expect(try rows[0].string(0) == "38@2025-07-01")
        #expect(try rows[0].string(1) == "Thanh Hóa")
        #expect(try rows[0].int64(2) == -1_500_000_000)
        #expect(rows[0].isNull(3) && rows[0].optionalString(3) == nil)
        #expect(try rows[0].int64(4) == Int64.max)
        #expect(try rows[1].string(0) == "" && !rows[1].isNull(0))
        #expect(try rows[1].string(1) == "Quảng Ninh")
        #expect(try rows[1].int64(2) == 0)
        #expect(rows[1].optionalString(3) == "2026-06-30")
        #expect(try rows[1].int64(4) == Int64.min)
    }

    @Test func aValueThatIsNotANumberIsAnErrorNamingItsColumn() throws {
        let rows = PackedRows.split(Self.packed([["12a", "", "99999999999999999999", "-", nil]]), columns: 5)
        for column in 0..<5 {
            #expect(throws: PackedRows.Unreadable.self) { try rows[0].int64(column) }
        }
        do { _ = try rows[0].int64(0); Issue.record("read 12a as a number") } catch {
            #expect(String(describing: error) == "PackedRows: column 0 (\"12a\") is not a Int64")
        }
    }

    @Test func aShortRowReadsItsMissingValuesAsNull() throws {
        let rows = PackedRows.split(Self.packed([["a"], ["b", "c", "d"]]), columns: 2)
        #expect(rows.count == 2)
        #expect(rows[0].isNull(1))
        #expect(try rows[1].string(1) == "c")
    }
}
