import Fluent
import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// The priority marks of Decree 235/2025 on beneficiaries and the priority uplift of Circular 26/2014/TTLT-BTC-BCT
/// Art. 6.2: an establishment in a disadvantaged area may receive up to 1,5 × the cap in force.
@Suite("Priority marks and the priority uplift")
struct PriorityMarkTests {
    func post(_ app: Application, _ path: String, _ json: String, _ token: String) async throws -> TestingHTTPResponse {
        try await app.testing().sendRequest(.POST, path, headers: TestData.bearer(token), body: TestData.json(json))
    }

    func detail(_ response: TestingHTTPResponse) -> String {
        struct Problem: Decodable { let detail: String }
        return (try? JSONDecoder().decode(Problem.self, from: Data(response.body.readableBytesView)).detail) ?? response.body.string
    }

    /// A machinery draft of Thanh Hóa without a beneficiary, then one establishment receiving `support`.
    func machinery(_ app: Application, _ token: String, code: String, taxCode: String, support: Int64, disadvantaged: Bool) async throws -> TestingHTTPResponse {
        let created = try await post(app, "/api/v1/projects", """
            {"code":"\(code)","title":"Hỗ trợ máy chế biến","unitCode":"38","year":2026,"source":"national","category":"1",
             "supportKind":"machinery","implementingUnit":"Trung tâm Khuyến công","supportVnd":\(support),"counterpartVnd":600000000}
            """, token)
        #expect(created.status == .created)
        return try await post(app, "/api/v1/projects/\(code)/beneficiaries", """
            {"taxCode":"\(taxCode)","name":"Cơ sở \(code)","supportVnd":\(support),"disadvantagedArea":\(disadvantaged)}
            """, token)
    }

    @Test func aMachineryBeneficiaryInADisadvantagedAreaMayReceiveUpToOneAndAHalfTimesTheCap() async throws {
        try await TestApp.run(users: true) { app in
            let officer = try await TestUsers.token(app, "thanhhoa")
            #expect(try await machinery(app, officer, code: "KC-UT-1", taxCode: "2800555660", support: 400_000_000, disadvantaged: true).status == .created)
            let over = try await machinery(app, officer, code: "KC-UT-2", taxCode: "2800333442", support: 460_000_000, disadvantaged: true)
            #expect(over.status == .unprocessableEntity)
            #expect(detail(over).contains("450,0 triệu đồng/cơ sở"))
            #expect(detail(over).contains("26/2014/TTLT-BTC-BCT, Điều 6.2"))
            let ordinary = try await machinery(app, officer, code: "KC-UT-3", taxCode: "2807654325", support: 301_000_000, disadvantaged: false)
            #expect(ordinary.status == .unprocessableEntity)
            #expect(detail(ordinary).contains("300,0 triệu đồng/cơ sở") && !detail(ordinary).contains("ưu tiên"))
            // Nothing of a refused beneficiary was written.
            let refused = try #require(try await Project.query(on: app.db).filter(\.$code == "KC-UT-2").first())
            #expect(try await refused.beneficiaries(on: app.db).isEmpty)
        }
    }
}
