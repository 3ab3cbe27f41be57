import Fluent
import Foundation
import KhuyenCongCore
import Vapor

/// Storing and serving attachments. A file is always a download (`application/octet-stream`, `attachment`),
/// never rendered, whatever it contains.
enum AttachmentDownload {
    /// Stores a file of `project`, with its audit row, on the caller's transaction (a guarded write: the step it
    /// belongs to, or the attachment alone once the caller's right has been checked under the lock).
    static func store(data: Data, filename: String, on project: Project, by user: User, on db: any Database) async throws -> Attachment {
        let attachment = Attachment(projectID: try project.requireID(), filename: try storedName(data: data, filename: filename), data: data,
                                    uploadedBy: user.username)
        try await attachment.create(on: db)
        try await AuditTrail.record(actor: user.username, action: "attach", recordType: "attachment",
                                    recordID: try attachment.requireID().uuidString, unitID: project.unitID, before: Nothing?.none,
                                    after: ["project": project.code, "filename": attachment.filename, "size": String(attachment.size)], on: db)
        return attachment
    }

    /// The name a file is stored under, once its size is checked (not empty, at most 10 MB): no path separators,
    /// quotes or control characters (NUL, tab, newlines) survive into it.
    static func storedName(data: Data, filename: String) throws -> String {
        guard !data.isEmpty else { throw DomainError.invalid(vi: "Tệp rỗng", en: "the file is empty") }
        guard data.count <= Attachment.maximumSize else {
            throw DomainError.invalid(vi: "Tệp lớn quá 10 MB", en: "the file is larger than 10 MB")
        }
        let name = String(filename.replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "\\", with: "_")
            .filter { character in character != "\"" && !character.unicodeScalars.contains { CharacterSet.controlCharacters.contains($0) } }
            .trimmingCharacters(in: .whitespaces).prefix(200))
        return name.isEmpty ? "tep-dinh-kem" : name
    }

    /// A stored file as a download: never rendered, whatever it contains.
    static func response(filename: String, data: Data) -> Response {
        let encoded = filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "file"
        return Response(status: .ok, headers: [
            "Content-Type": "application/octet-stream",
            "Content-Disposition": "attachment; filename=\"download\"; filename*=UTF-8''\(encoded)",
        ], body: .init(data: data))
    }

    @Sendable static func download(req: Request) async throws -> Response {
        guard let id = UUID(uuidString: try req.parameters.require("id")),
              let attachment = try await Attachment.query(on: req.db).filter(\.$id == id).with(\.$project).first() else {
            throw DomainError(.notFound, vi: "Không có tệp này", en: "no such file")
        }
        try req.authorize(.readRecord, attachment.project.recordScope)
        return response(filename: attachment.filename, data: attachment.data)
    }
}
