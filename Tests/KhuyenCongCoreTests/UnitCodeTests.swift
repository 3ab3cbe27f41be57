import Foundation
import Testing
@testable import KhuyenCongCore

/// Unit codes cross features as `UnitCode` (issue 16), stored and sent as their plain text.
@Suite("Unit code")
struct UnitCodeTests {
    @Test func itTravelsInJSONAsThePlainTextOfTheCode() throws {
        struct Row: Codable, Equatable { let unitCode: UnitCode; let codes: [UnitCode]; let region: UnitCode?; let byUnit: [UnitCode: Int] }
        let row = Row(unitCode: "38", codes: ["04", "22"], region: nil, byUnit: ["38": 2, "01": 1])
        let data = try JSONEncoder().encode(row)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["unitCode"] as? String == "38")
        #expect(object["codes"] as? [String] == ["04", "22"])
        // A dictionary keyed by codes is still an object keyed by the text, not a list of keys and values.
        #expect(object["byUnit"] as? [String: Int] == ["38": 2, "01": 1])
        #expect(try JSONDecoder().decode(Row.self, from: data) == row)
        // A client or a file that sends the plain string is read as before.
        let sent = Data(#"{"unitCode":"01","codes":[],"byUnit":{"15":3}}"#.utf8)
        let read = try JSONDecoder().decode(Row.self, from: sent)
        #expect(read.unitCode == UnitCode(rawValue: "01") && read.byUnit == [UnitCode("15"): 3])
        // A bare value (a single-value container), as Fluent and SQLKit bind it.
        #expect(String(decoding: try JSONEncoder().encode(UnitCode("38")), as: UTF8.self) == #""38""#)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(UnitCode.self, from: Data("38".utf8)) }
    }

    @Test func itIsTheCodePartOfAUnitIDAndOrdersByItsText() throws {
        let unit = try AdminUnitCatalog.standard.resolve(code: "24", on: CalendarDate(2024, 1, 1))
        #expect(unit.name == "Bắc Giang" && unit.code == UnitCode("24") && unit.id.code == "24")
        let oldBacNinh = try AdminUnitCatalog.standard.resolve(code: "27", on: CalendarDate(2024, 1, 1))
        #expect(oldBacNinh.successorCode == UnitCode("24"))
        #expect(UnitID("38@2025-07-01").code == UnitCode("38"))
        #expect(UnitID(code: "15", validFrom: AdminUnitCatalog.mergerDate) == "15@2025-07-01")
        #expect(UnitCode("38").description == "38" && "\(UnitCode("04"))" == "04")
        let codes: [UnitCode] = ["40", "04", "38"]
        #expect(codes.sorted() == ["04", "38", "40"])
    }

    /// A source scan, so that a new field or parameter written as `String` fails here rather than slipping past review.
    @Test func noUnitCodeIsDeclaredAsAString() throws {
        // Symbolic links resolved: scripts/test-core.sh builds these tests from a package of links to the real folders.
        let sources = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        // `name: String`, `String?`, `[String]`, `Set<String>`, `[String: …]` where the name says unit code(s).
        let declaration = try NSRegularExpression(pattern: #"\b(\w+)\s*:\s*(?:\[|Set<)?String\b"#)
        let unitCodeName = try NSRegularExpression(pattern: "(unitcode|successorcode)", options: [.caseInsensitive])
        var scanned = 0
        var found: [String] = []
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        for case let url as URL in files where url.pathExtension == "swift" {
            scanned += 1
            let lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
            for (number, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") {
                for match in declaration.matches(in: line, range: NSRange(line.startIndex..., in: line)) {
                    let name = String(line[Range(match.range(at: 1), in: line)!])
                    guard unitCodeName.firstMatch(in: name, range: NSRange(name.startIndex..., in: name)) != nil else { continue }
                    found.append("\(url.lastPathComponent):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        #expect(scanned > 100, "the scan reads the package's sources (\(scanned) files)")
        #expect(found.isEmpty, "unit codes declared as String (use UnitCode):\n\(found.joined(separator: "\n"))")
    }
}
