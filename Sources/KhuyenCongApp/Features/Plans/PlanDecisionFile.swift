import Fluent
import Foundation
import KhuyenCongCore
import Vapor

/// The scanned or signed decision approving a plan (M0037), kept with the plan it decides. Served as a download only.
final class PlanDecisionFile: Model, @unchecked Sendable {
    static let schema = "plan_decision_files"

    @ID(key: .id) var id: UUID?
    @Field(key: "unit_id") var unitID: UnitID
    @Field(key: "year") var year: Int
    @Field(key: "source") var source: FundingSource
    @Field(key: "decision_no") var decisionNo: String
    @Field(key: "filename") var filename: String
    @Field(key: "size") var size: Int
    @Field(key: "data") var data: Data
    @Field(key: "uploaded_by") var uploadedBy: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}

    init(key: PlanKey, source: FundingSource, decisionNo: String, filename: String, data: Data, uploadedBy: String) {
        unitID = key.unit.id
        year = key.year
        self.source = source
        self.decisionNo = decisionNo
        self.filename = filename
        size = data.count
        self.data = data
        self.uploadedBy = uploadedBy
    }

    /// Stores the file on the caller's transaction (the decision's guarded write), with its audit row.
    static func store(_ upload: ProjectWorkflow.Upload, key: PlanKey, source: FundingSource, decisionNo: String, by user: User,
                      on db: any Database) async throws {
        let name = try AttachmentDownload.storedName(data: upload.data, filename: upload.filename)
        let file = PlanDecisionFile(key: key, source: source, decisionNo: decisionNo, filename: name, data: upload.data, uploadedBy: user.username)
        try await file.create(on: db)
        try await AuditTrail.record(actor: user.username, action: "attach", recordType: "plan", recordID: key.recordID(source),
                                    unitID: key.unit.id, before: Nothing?.none,
                                    after: ["decisionNo": decisionNo, "filename": name, "size": String(file.size)], on: db)
    }

    /// The files of a plan year, without their contents, oldest first.
    static func list(_ key: PlanKey, on db: any Database) async throws -> [PlanDecisionFile] {
        try await PlanDecisionFile.query(on: db).filter(\.$unitID == key.unit.id).filter(\.$year == key.year)
            .field(\.$id).field(\.$unitID).field(\.$year).field(\.$source).field(\.$decisionNo).field(\.$filename).field(\.$size)
            .field(\.$uploadedBy).field(\.$createdAt).sort(\.$createdAt).all()
    }

    /// `GET /plans/{unitCode}/{year}/files/{id}`: whoever reads the plan reads its decisions.
    @Sendable static func download(req: Request) async throws -> Response {
        let key = try PlansAPIController.key(req, .readRecord)
        guard let id = UUID(uuidString: try req.parameters.require("id")),
              let file = try await PlanDecisionFile.query(on: req.db).filter(\.$id == id).filter(\.$unitID == key.unit.id)
                .filter(\.$year == key.year).first() else {
            throw DomainError(.notFound, vi: "Không có tệp này", en: "no such file")
        }
        return AttachmentDownload.response(filename: file.filename, data: file.data)
    }
}

extension Links {
    static func planFile(unitCode: UnitCode, year: Int, id: UUID) -> String { SiteRoute.planFile(unitCode: unitCode, year: year, id: id.uuidString).path }
}
