import Fluent
import Foundation
import KhuyenCongCore
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// Money is `Money` in the models and DTOs; the API still sends and takes the plain integer of đồng (openapi.yaml),
/// and the database column still holds that integer (SQLite and PostgreSQL).
@Suite("Money on the wire")
struct MoneyWireTests {
    @Test func aPaymentIsSentStoredAndAnsweredAsAPlainInteger() async throws {
        try await TestApp.run(users: true) { app in
            let project = try await WriteIntegrityTests.approvedProject(app, code: "KC-MONEY-1")
            let officer = try await TestUsers.token(app, "thanhhoa")
            let base = "/api/v1/projects/KC-MONEY-1"
            let paid = try await CorrectionTests.send(app, .POST, base + "/disbursements", WriteIntegrityTests.payment(123_456_789), officer)
            #expect(paid.status == .created, "\(paid.body.string)")
            // The answer's amount is a JSON number, not an object or a string.
            let body = try #require(try JSONSerialization.jsonObject(with: Data(paid.body.readableBytesView)) as? [String: Any])
            let rows = try #require(body["disbursements"] as? [[String: Any]])
            let amount = try #require(rows.first?["amountVnd"] as? NSNumber)
            #expect(amount.int64Value == 123_456_789 && !(rows.first?["amountVnd"] is [String: Any]))
            #expect(paid.body.string.contains(#""amountVnd":123456789"#))
            #expect(body["supportApprovedVnd"] as? NSNumber == 1_643_000_000)
            // The model reads the same whole đồng, and the column holds the plain integer.
            let stored = try await Disbursement.query(on: app.db).filter(\.$project.$id == project.requireID()).all()
            #expect(stored.map(\.amountVnd) == [Money(dong: 123_456_789)])
            let raw = try await TestApp.sql(app).raw("SELECT amount_vnd FROM disbursements WHERE project_id = \(bind: project.requireID())").all()
            #expect(try raw.map { try $0.decode(column: "amount_vnd", as: Int64.self) } == [123_456_789])
            // What is not a whole number of đồng is refused at the door, never a 500.
            for bad in [#""123.5""#, "1.5", #"{"dong":1}"#, "99999999999999999999"] {
                let json = #"{"date":"2026-03-03","amountVnd":\#(bad),"basis":"actual","kind":"payment"}"#
                let refused = try await CorrectionTests.send(app, .POST, base + "/disbursements", json, officer)
                #expect((400..<500).contains(refused.status.code), "\(bad): \(refused.status)")
            }
        }
    }
}
