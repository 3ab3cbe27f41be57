import Foundation
import Testing
@testable import KhuyenCongCore

/// `Money` crosses feature boundaries in models and DTOs; on the wire and in stored JSON it stays the plain integer of đồng.
@Suite struct MoneyCodableTests {
    struct Row: Codable, Equatable { let amountVnd: Money; let approvedVnd: Money? }

    @Test func encodesAsThePlainIntegerOfDong() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(Row(amountVnd: Money(dong: 1_500_000_000), approvedVnd: nil)), as: UTF8.self)
        #expect(json == #"{"amountVnd":1500000000}"#)
        #expect(String(decoding: try encoder.encode([Money(dong: 9_223_372_036_854_775_807)]), as: UTF8.self) == "[9223372036854775807]")
    }

    @Test func decodesThePlainIntegerAndRoundTrips() throws {
        let row = try JSONDecoder().decode(Row.self, from: Data(#"{"amountVnd":170750000000,"approvedVnd":0}"#.utf8))
        #expect(row == Row(amountVnd: Money(dong: 170_750_000_000), approvedVnd: .zero))
        #expect(try JSONDecoder().decode(Row.self, from: try JSONEncoder().encode(row)) == row)
    }

    @Test func refusesWhatIsNotAWholeNumberOfDong() {
        for body in [#"{"amountVnd":1.5}"#, #"{"amountVnd":"1500"}"#, #"{"amountVnd":{"dong":1500}}"#, #"{"amountVnd":99999999999999999999}"#] {
            #expect(throws: DecodingError.self, "\(body)") { try JSONDecoder().decode(Row.self, from: Data(body.utf8)) }
        }
    }

    @Test func checkedSumsOfDecodedAmountsRefuseOverflow() throws {
        let rows = try JSONDecoder().decode([Money].self, from: Data("[50000000,25000000]".utf8))
        #expect(try Money.sum(rows) == Money(dong: 75_000_000))
        #expect(throws: DomainError.self) { try Money(dong: .max) + Money(dong: 1) }
    }
}
