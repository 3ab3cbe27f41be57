import Fluent
import Foundation
import KhuyenCongCore
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// Status, source, basis and kind are enums in the models: a stored value outside the enum is an error when the row is
/// read, never a silent fallback to a draft or to the national source.
@Suite("Typed values: unknown stored values are errors")
struct TypedValuesTests {
    @Test func aProjectWithAnUnknownStatusIsAnErrorNotADraft() async throws {
        try await TestApp.run(users: true) { app in
            try await TestData.draftProject(code: "TV-STATUS-1", unitCode: "38", on: app.db)
            // Written past the model, as a faulty script or a hand edit of the database would.
            try await TestApp.sql(app).raw("UPDATE projects SET status = 'frozen' WHERE code = 'TV-STATUS-1'").run()

            let error = await #expect(throws: (any Error).self) { try await Project.find(code: "TV-STATUS-1", on: app.db) }
            let text = String(describing: error.map { $0 as Any } ?? "")
            #expect(text.contains("status") && text.contains("frozen"), "the error names the field and the value: \(text)")

            // The API does not show the project as a draft either.
            let token = try await TestUsers.token(app, "thanhhoa")
            let response = try await app.testing().sendRequest(.GET, "/api/v1/projects/TV-STATUS-1", headers: TestData.bearer(token))
            #expect(response.status != .ok)
            #expect(!response.body.string.contains("\"status\":\"draft\""))

            // Put back, it reads again.
            try await TestApp.sql(app).raw("UPDATE projects SET status = 'draft' WHERE code = 'TV-STATUS-1'").run()
            #expect(try await Project.find(code: "TV-STATUS-1", on: app.db).status == .draft)
        }
    }

    @Test func aProjectWithAnUnknownSourceIsAnErrorNotNational() async throws {
        try await TestApp.run(users: true) { app in
            try await TestData.draftProject(code: "TV-SOURCE-1", unitCode: "38", on: app.db)
            try await TestApp.sql(app).raw("UPDATE projects SET source = 'regional' WHERE code = 'TV-SOURCE-1'").run()
            let error = await #expect(throws: (any Error).self) { try await Project.find(code: "TV-SOURCE-1", on: app.db) }
            let text = String(describing: error.map { $0 as Any } ?? "")
            #expect(text.contains("source") && text.contains("regional"), "the error names the field and the value: \(text)")
        }
    }

    /// No code reads a stored or typed value with a silent default (`?? .draft`, `?? .national`, `?? .north`):
    /// an unknown value is an error, and a default that is a decision has a name (`Region.defaultHome`).
    @Test func noSilentFallbacksInTheSources() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let forbidden = ["?? .draft", "?? .national", "?? .north", "?? .local"]
        var found: [String] = []
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        for case let url as URL in files where url.pathExtension == "swift" {
            let lines = try String(contentsOf: url, encoding: .utf8).components(separatedBy: "\n")
            for (number, line) in lines.enumerated() where forbidden.contains(where: line.contains) {
                found.append("\(url.lastPathComponent):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        #expect(found.isEmpty, "silent fallbacks: \(found.joined(separator: "\n"))")
    }
}
