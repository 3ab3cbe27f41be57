import Foundation
import Testing
@testable import KhuyenCongCore

@Suite("Unit id")
struct UnitIDTests {
    @Test func itTravelsInJSONAsThePlainTextOfTheId() throws {
        struct Row: Codable, Equatable { let unitID: UnitID; let units: [UnitID]; let owner: UnitID? }
        let row = Row(unitID: "38@2025-07-01", units: ["22@2025-07-01", "60@2008-08-01"], owner: nil)
        let data = try JSONEncoder().encode(row)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["unitID"] as? String == "38@2025-07-01")
        #expect(object["units"] as? [String] == ["22@2025-07-01", "60@2008-08-01"])
        #expect(try JSONDecoder().decode(Row.self, from: data) == row)
        // A file or a client that sends the plain string is read as before.
        let sent = Data(#"{"unitID":"37@2008-08-01","units":[]}"#.utf8)
        #expect(try JSONDecoder().decode(Row.self, from: sent).unitID == UnitID(rawValue: "37@2008-08-01"))
        // A bare value (a single-value container), as Fluent and SQLKit bind it.
        #expect(String(decoding: try JSONEncoder().encode(UnitID("38@2025-07-01")), as: UTF8.self) == #""38@2025-07-01""#)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(UnitID.self, from: Data("38".utf8)) }
    }

    @Test func theCatalogsIdsAreCodeAndFirstDayAndOrderByCodeThenDate() throws {
        let catalog = AdminUnitCatalog.standard
        let thanhHoa = try catalog.resolve(code: "38", on: CalendarDate(2026, 1, 1))
        #expect(thanhHoa.id == UnitID(code: "38", validFrom: AdminUnitCatalog.mergerDate))
        #expect(thanhHoa.id.rawValue == "38@2025-07-01")
        #expect(thanhHoa.id.description == "38@2025-07-01")
        #expect(thanhHoa.id.code == "38")
        #expect(catalog.unit(id: "38@2025-07-01") == thanhHoa)
        #expect(catalog.unit(id: "38") == nil)
        let ids: [UnitID] = ["40@2008-08-01", "38@2025-07-01", "04@2025-07-01", "38@2008-08-01"]
        #expect(ids.sorted() == ["04@2025-07-01", "38@2008-08-01", "38@2025-07-01", "40@2008-08-01"])
        #expect(Set(ids).count == 4 && Set(ids + ["38@2025-07-01"]).count == 4)
    }
}
