import Fluent
import Foundation
import KhuyenCongCore

extension Project {
    static func find(code: String, on db: any Database) async throws -> Project {
        guard let project = try await Project.query(on: db).filter(\.$code == code).first() else {
            throw DomainError(.notFound, vi: "Không có đề án mã \"\(code)\"", en: "no project with code \"\(code)\"")
        }
        return project
    }

    static func projects(of unitID: UnitID, on db: any Database) async throws -> [Project] {
        try await Project.query(on: db).filter(\.$unitID == unitID)
            .sort(\.$year, .descending).sort(\.$code).all()
    }

    func history(on db: any Database) async throws -> [ProjectEvent] {
        try await ProjectEvent.query(on: db).filter(\.$project.$id == requireID())
            .sort(\.$onDate).sort(\.$recordedAt).all()
    }

    func beneficiaries(on db: any Database) async throws -> [(Beneficiary, Money)] {
        try await beneficiaryLinks(on: db).map { ($0.beneficiary, $0.supportVnd) }
    }

    /// The project's links to its establishments (with each establishment), by name.
    func beneficiaryLinks(on db: any Database) async throws -> [ProjectBeneficiary] {
        try await ProjectBeneficiary.query(on: db).filter(\.$project.$id == requireID())
            .with(\.$beneficiary).all()
            .sorted { $0.beneficiary.name < $1.beneficiary.name }
    }

    func disbursements(on db: any Database) async throws -> [Disbursement] {
        try await Disbursement.query(on: db).filter(\.$project.$id == requireID()).sort(\.$onDate).all()
    }

    func outputs(on db: any Database) async throws -> [OutputRecord] {
        try await OutputRecord.query(on: db).filter(\.$project.$id == requireID()).sort(\.$onDate).all()
    }
}

extension Project {
    /// The project as stored now, read inside a guarded write (after its lock), once `user` may still do `action` on
    /// it: the checks that follow see what the write will land on.
    static func current(_ id: UUID, for action: AccessAction, by user: User, on db: any Database) async throws -> Project {
        guard let project = try await Project.find(id, on: db) else {
            throw DomainError(.notFound, vi: "Không tìm thấy đề án", en: "project not found")
        }
        guard AccessPolicy.decide(user.principal, action, project.recordScope) == .allow else {
            throw DomainError(.forbidden, vi: "Không có quyền thực hiện thao tác này", en: "you may not do this")
        }
        return project
    }
}
