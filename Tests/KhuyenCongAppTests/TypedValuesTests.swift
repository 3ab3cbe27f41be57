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

    /// Runs `read` and expects it to fail with an error whose text names `field` and `value`.
    private func expectError(naming field: String, _ value: String, sourceLocation: SourceLocation = #_sourceLocation,
                             _ read: () async throws -> Void) async {
        let error = await #expect(throws: (any Error).self, sourceLocation: sourceLocation) { try await read() }
        let text = String(describing: error.map { $0 as Any } ?? "")
        #expect(text.contains(field) && text.contains(value), "the error names the field and the value: \(text)", sourceLocation: sourceLocation)
    }

    @Test func aPaymentWithAnUnknownBasisOrKindIsAnError() async throws {
        try await TestApp.run(users: true) { app in
            let project = try await TestData.draftProject(code: "TV-BASIS-1", unitCode: "38", on: app.db)
            try await Disbursement(projectID: try project.requireID(), onDate: "2026-03-02", amountVnd: 1_000_000, basis: .actual, kind: .advance)
                .create(on: app.db)
            try await OutputRecord(projectID: try project.requireID(), onDate: "2026-03-02", indicatorCode: "establishments_supported",
                                   quantity: 1, basis: .estimate).create(on: app.db)
            let ofProject = "project_id = (SELECT id FROM projects WHERE code = 'TV-BASIS-1')"
            let sql = TestApp.sql(app)
            try await sql.raw("UPDATE disbursements SET basis = 'guessed' WHERE \(unsafeRaw: ofProject)").run()
            await expectError(naming: "basis", "guessed") { _ = try await project.disbursements(on: app.db) }
            try await sql.raw("UPDATE disbursements SET basis = 'actual', kind = 'gift' WHERE \(unsafeRaw: ofProject)").run()
            await expectError(naming: "kind", "gift") { _ = try await project.disbursements(on: app.db) }
            try await sql.raw("UPDATE outputs SET basis = 'maybe' WHERE \(unsafeRaw: ofProject)").run()
            await expectError(naming: "basis", "maybe") { _ = try await project.outputs(on: app.db) }

            // The API does not show the payment as an actual one or as a payment.
            let token = try await TestUsers.token(app, "thanhhoa")
            let response = try await app.testing().sendRequest(.GET, "/api/v1/projects/TV-BASIS-1", headers: TestData.bearer(token))
            #expect(response.status != .ok)

            // A form or API body with an unknown word is refused naming the field (422), as before.
            #expect(throws: DomainError.self) { try DisbursementKind(parsing: "gift") }
            #expect((try? DisbursementKind(parsing: " Advance ")) == .advance)
        }
    }

    @Test func unknownReportNotificationAndEventStatusesAreErrors() async throws {
        try await TestApp.run(users: true) { app in
            let sql = TestApp.sql(app)
            // A period report whose stored status is none of draft/submitted/approved/returned/unlocked.
            try await PeriodReport(unitID: "38@2025-07-01", year: 2031, period: .h1, status: .submitted, coverNote: "",
                                   submittedOn: "2031-07-10", approvedOn: nil, approvedBy: nil).create(on: app.db)
            try await sql.raw("UPDATE period_reports SET status = 'archived' WHERE year = 2031").run()
            await expectError(naming: "status", "archived") { _ = try await PeriodReport.query(on: app.db).filter(\.$year == 2031).all() }
            await expectError(naming: "status", "archived") { _ = try await FiledReport.load(year: 2031, on: app.db) }

            // A notification of a kind the code does not know.
            let user = try #require(try await User.query(on: app.db).filter(\.$username == "thanhhoa").first())
            try await UserNotification(userID: try user.requireID(), kind: .planApproved, title: "t", body: "b", link: nil, recordType: nil,
                                       recordID: nil, actor: nil, mailTo: nil).create(on: app.db)
            try await sql.raw("UPDATE notifications SET kind = 'plan_archived' WHERE kind = 'plan_approved'").run()
            await expectError(naming: "kind", "plan_archived") { _ = try await UserNotification.latest(userID: try user.requireID(), limit: 50, on: app.db) }

            // A project event into a status the lifecycle does not have.
            let project = try await TestData.draftProject(code: "TV-EVENT-1", unitCode: "38", on: app.db)
            try await ProjectEvent(projectID: try project.requireID(), fromStatus: nil, toStatus: .draft, onDate: "2026-01-05", actor: "t",
                                   decisionNo: nil, note: "").create(on: app.db)
            try await sql.raw("UPDATE project_events SET to_status = 'frozen' WHERE project_id = (SELECT id FROM projects WHERE code = 'TV-EVENT-1')").run()
            await expectError(naming: "to_status", "frozen") { _ = try await project.history(on: app.db) }

            // A summary-table total of an unknown source is an error, never counted as national or local.
            try await sql.raw("""
                INSERT INTO period_totals (year, period, unit_id, source, category_code, measure, value)
                VALUES (2031, 'FY', '38@2025-07-01', 'regional', '1', 'vnd', 5)
                """).run()
            await expectError(naming: "period_totals.source", "regional") {
                _ = try await ReportTotals.load(year: 2031, periods: [.fullYear], units: nil, on: app.db)
            }
        }
    }

    @Test func aUserWithAnUnknownStoredRoleCannotSignInAndIsNotAViewer() async throws {
        try await TestApp.run(users: true) { app in
            // Written past the model; nobody has signed in as this user in this app yet (no cached account).
            try await TestApp.sql(app).raw("UPDATE users SET role = 'superuser' WHERE username = 'khuvuc.bac'").run()
            await expectError(naming: "role", "superuser") { _ = try await User.query(on: app.db).filter(\.$username == "khuvuc.bac").first() }

            // The token request and the sign-in form both refuse, rather than letting a viewer in.
            let body = ByteBuffer(string: #"{"username":"khuvuc.bac","password":"\#(TestUsers.password("khuvuc.bac"))"}"#)
            let token = try await app.testing().sendRequest(.POST, "/api/v1/auth/token", headers: ["Content-Type": "application/json"], body: body)
            #expect(token.status != .ok && !token.body.string.contains("\"token\""))
            await #expect(throws: (any Error).self) { _ = try await TestBrowser.signedIn(app, as: "khuvuc.bac") }

            // Put back, the user signs in again.
            try await TestApp.sql(app).raw("UPDATE users SET role = 'region_reviewer' WHERE username = 'khuvuc.bac'").run()
            #expect(try await User.query(on: app.db).filter(\.$username == "khuvuc.bac").first()?.role == .regionReviewer)
            _ = try await TestUsers.token(app, "khuvuc.bac")
        }
    }

    @Test func aRecordOfAnUnknownUnitIsNobodysNotTheNorths() throws {
        do {
            let scope = RecordScope(unitID: "99@2001-01-01")
            #expect(scope == .unknownUnit && scope.region == nil && scope.regions.isEmpty)
            let north = Principal(username: "r", role: .regionReviewer, unitCode: nil, region: .north)
            let appraiser = Principal(username: "a", role: .appraiser, unitCode: "38", region: .north)
            let officer = Principal(username: "o", role: .provinceOfficer, unitCode: "99", region: .north)
            let ministry = Principal(username: "m", role: .ministryOfficer, unitCode: nil, region: nil)
            #expect(AccessPolicy.decide(north, .readRecord, scope) == .notFound)
            #expect(AccessPolicy.decide(north, .ministryStep, scope) == .notFound)
            #expect(AccessPolicy.decide(appraiser, .appraise, scope) == .notFound)
            #expect(AccessPolicy.decide(officer, .editRecord, scope) == .notFound)
            #expect(AccessPolicy.decide(ministry, .readRecord, scope) == .allow)

            // The columns' foreign keys keep unknown units out of the tables; a catalog in force that lacks a stored
            // unit (reference data out of step) gives the same empty scope, not the north's.
            let withoutThanhHoa = AdminUnitCatalog(units: AdminUnitCatalog.standard.units.filter { $0.code != "38" })
            let thanhHoa = AdminUnitCatalog.$inForce.withValue(withoutThanhHoa) { RecordScope(unitID: "38@2025-07-01") }
            #expect(thanhHoa == .unknownUnit)
            #expect(AccessPolicy.decide(Principal(username: "o", role: .provinceOfficer, unitCode: "38", region: .north), .editRecord, thanhHoa) == .notFound)
            #expect(RecordScope(unitID: "38@2025-07-01").region == .north)
        }
    }

    /// A stored period, region or user's region outside its enum is an error naming the column and the value, never
    /// read as another period or as no region.
    @Test func unknownStoredPeriodsAndRegionsAreErrors() async throws {
        try await TestApp.run(users: true) { app in
            let sql = TestApp.sql(app)
            try await PeriodReport(unitID: "38@2025-07-01", year: 2032, period: .h1, status: .submitted, coverNote: "",
                                   submittedOn: "2032-07-10", approvedOn: nil, approvedBy: nil).create(on: app.db)
            try await sql.raw("UPDATE period_reports SET period = 'Q5' WHERE year = 2032").run()
            await expectError(naming: "period", "Q5") { _ = try await PeriodReport.query(on: app.db).filter(\.$year == 2032).all() }
            await expectError(naming: "period_reports.period", "Q5") { _ = try await FiledReport.load(year: 2032, on: app.db) }

            try await QualityComment(unitID: "38@2025-07-01", year: 2032, period: .fullYear, ruleCode: "r", subject: "38", comment: "c",
                                     writtenBy: "thanhhoa").create(on: app.db)
            try await sql.raw("UPDATE quality_comments SET period = 'Y1' WHERE year = 2032").run()
            await expectError(naming: "period", "Y1") { _ = try await QualityComment.query(on: app.db).filter(\.$year == 2032).all() }

            // A region membership in a region the ministry does not have: the catalog and the rows refuse it.
            try await sql.raw("UPDATE region_memberships SET region = 'west' WHERE unit_id = '38@2025-07-01'").run()
            await expectError(naming: "region_memberships.region", "west") { _ = try await AdminUnitCatalog.load(on: app.db) }
            await expectError(naming: "region", "west") { _ = try await RegionMembershipRecord.query(on: app.db).all() }
            try await sql.raw("UPDATE region_memberships SET region = 'north' WHERE unit_id = '38@2025-07-01'").run()

            // A reviewer whose stored region is unknown is an error, not a reviewer of no region (or of the north). The
            // column's foreign key wants a row in `regions` first, as a hand edit of both tables would add.
            try await sql.raw("INSERT INTO regions (id, name_vi, name_en) VALUES ('west', 'Phía Tây', 'West')").run()
            try await sql.raw("UPDATE users SET region_code = 'west' WHERE username = 'khuvuc.bac'").run()
            await expectError(naming: "region_code", "west") { _ = try await User.query(on: app.db).filter(\.$username == "khuvuc.bac").first() }
            try await sql.raw("UPDATE users SET region_code = 'north' WHERE username = 'khuvuc.bac'").run()
            try await sql.raw("DELETE FROM regions WHERE id = 'west'").run()
            #expect(try await User.query(on: app.db).filter(\.$username == "khuvuc.bac").first()?.principal.region == .north)
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
