import Fluent
import KhuyenCongCore

extension Project {
    static func find(code: String, on db: any Database) async throws -> Project {
        guard let project = try await Project.query(on: db).filter(\.$code == code).first() else {
            throw DomainError(.notFound, vi: "Không có đề án mã \"\(code)\"", en: "no project with code \"\(code)\"")
        }
        return project
    }

    static func projects(of unitID: String, on db: any Database) async throws -> [Project] {
        try await Project.query(on: db).filter(\.$unitID == unitID)
            .sort(\.$year, .descending).sort(\.$code).all()
    }

    func history(on db: any Database) async throws -> [ProjectEvent] {
        try await ProjectEvent.query(on: db).filter(\.$project.$id == requireID())
            .sort(\.$onDate).sort(\.$recordedAt).all()
    }

    func beneficiaries(on db: any Database) async throws -> [(Beneficiary, Int64)] {
        try await ProjectBeneficiary.query(on: db).filter(\.$project.$id == requireID())
            .with(\.$beneficiary).all()
            .map { ($0.beneficiary, $0.supportVnd) }
            .sorted { $0.0.name < $1.0.name }
    }

    func disbursements(on db: any Database) async throws -> [Disbursement] {
        try await Disbursement.query(on: db).filter(\.$project.$id == requireID()).sort(\.$onDate).all()
    }

    func outputs(on db: any Database) async throws -> [OutputRecord] {
        try await OutputRecord.query(on: db).filter(\.$project.$id == requireID()).sort(\.$onDate).all()
    }
}
