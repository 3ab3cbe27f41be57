import Fluent
import KhuyenCongCore
import Vapor
@testable import KhuyenCongApp

enum TestData {
    /// A draft project of a unit of today (code "38" → Thanh Hóa).
    @discardableResult
    static func draftProject(code: String, unitCode: UnitCode, title: String = "Hỗ trợ máy sấy chè", on db: any Database) async throws -> Project {
        let project = Project(code: code, title: title, unitID: UnitID("\(unitCode)@2025-07-01"), year: 2026, source: .national,
                              categoryCode: "1", implementingUnit: "Trung tâm Khuyến công", supportRequestedVnd: 500_000_000,
                              supportApprovedVnd: nil, counterpartVnd: 700_000_000, status: .draft, submittedOn: nil,
                              approvedOn: nil, allocatedOn: nil)
        try await project.create(on: db)
        return project
    }

    static func json(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

    static func bearer(_ token: String) -> HTTPHeaders {
        ["Authorization": "Bearer \(token)", "Content-Type": "application/json"]
    }
}
