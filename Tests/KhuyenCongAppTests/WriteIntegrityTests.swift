import Fluent
import Foundation
import KhuyenCongCore
import SQLKit
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// The review's findings on writes (issue 15), each reproduced: parallel payments, a payment racing a period approval,
/// an import that raises approved money or reverts a status, absurd numbers, a planted attachment.
@Suite("One guarded path for every write")
struct WriteIntegrityTests {
    /// Thanh Hóa's national project in progress, approved for 1.643.000.000 đồng, allocated on 10/01/2026.
    static func approvedProject(_ app: Application, code: String = "KC-PAY-1") async throws -> Project {
        let project = try await TestData.draftProject(code: code, unitCode: "38", on: app.db)
        project.status = .inProgress
        project.supportApprovedVnd = 1_643_000_000
        project.approvedOn = "2026-01-05"
        project.allocatedOn = "2026-01-10"
        try await project.save(on: app.db)
        return project
    }

    static func payment(_ amount: Int64, on date: String = "2026-03-02", kind: String = "payment") -> String {
        #"{"date":"\#(date)","amountVnd":\#(amount),"basis":"actual","kind":"\#(kind)"}"#
    }

    static func paid(_ app: Application, _ project: Project) async throws -> Money {
        try Money.sum(try await Disbursement.query(on: app.db).filter(\.$project.$id == project.requireID()).filter(\.$basis == .actual).all()
            .map(\.amountVnd))
    }

    @Test(arguments: [8, 30])
    func parallelPaymentsNeverExceedTheApproval(writers: Int) async throws {
        try await TestApp.run(users: true) { app in
            let project = try await Self.approvedProject(app)
            let token = try await TestUsers.token(app, "thanhhoa")
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<writers {
                    group.addTask {
                        try await app.testing().sendRequest(.POST, "/api/v1/projects/KC-PAY-1/disbursements", headers: TestData.bearer(token),
                                                            body: TestData.json(Self.payment(1_000_000_000))).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            // One payment of 1 tỷ fits in 1,643 tỷ; a second one would not: every other writer is refused, none with a 500.
            #expect(statuses.filter { $0 == .created }.count == 1)
            #expect(statuses.filter { $0 == .unprocessableEntity }.count == writers - 1, "\(statuses)")
            #expect(try await Self.paid(app, project) == 1_000_000_000)
            let totals = try await ReportTotals.load(year: 2026, periods: [.fullYear], units: ["38@2025-07-01"], on: app.db).perUnit
            #expect(totals[.fullYear]?.filter { $0.measure == ReportTotals.money }.map(\.value).reduce(0, +) == 1_000_000_000)
        }
    }

    /// Five rounds of a payment dated in H1 sent at the same moment as the approval of the H1 report: the payment
    /// either lands before the approval (its audit row comes first) or is refused with 423 and leaves no row.
    @Test func aPaymentRacingAnApprovalLandsBeforeTheLockOrIsRefused() async throws {
        try await TestApp.run(users: true) { app in
            let project = try await Self.approvedProject(app)
            // The project's plan line, so that the report's data-quality check has nothing to say (realised within plan).
            let line = PlanLine(id: UUID(), unitID: "38@2025-07-01", year: 2026, source: .national, categoryCode: "1")
            try await line.create(on: app.db)
            try await PlanLineRevision(planLineID: line.id!, amountVnd: 2_000_000_000, approvedOn: "2025-12-20", decisionNo: "1/QĐ").create(on: app.db)
            let officer = try await TestUsers.token(app, "thanhhoa"), reviewer = try await TestUsers.token(app, "khuvuc.bac")
            let report = "/api/v1/period-reports/38/2026/H1"
            var outcomes: [HTTPStatus] = []
            for round in 1...5 {
                let submitted = try await app.testing().sendRequest(.POST, report + "/submit", headers: TestData.bearer(officer), body: TestData.json("{}"))
                #expect(submitted.status == .ok, "round \(round): \(submitted.body.string)")
                async let approval = app.testing().sendRequest(.POST, report + "/approve", headers: TestData.bearer(reviewer), body: TestData.json("{}"))
                async let payment = app.testing().sendRequest(.POST, "/api/v1/projects/KC-PAY-1/disbursements", headers: TestData.bearer(officer),
                                                              body: TestData.json(Self.payment(10_000_000, on: "2026-03-0\(round)")))
                let (approved, paid) = try await (approval, payment)
                #expect(approved.status == .ok)
                #expect([.created, .locked].contains(paid.status), "round \(round): \(paid.status) \(paid.body.string)")
                outcomes.append(paid.status)
                let audit = try await AuditEntry.query(on: app.db).sort(\.$at).all()
                let approvedAt = try #require(audit.last { $0.action == "approve" }?.at)
                let rows = try await Disbursement.query(on: app.db).filter(\.$onDate == "2026-03-0\(round)").count()
                if paid.status == .created {
                    let paidAt = try #require(audit.last { $0.action == "record_disbursement" }?.at)
                    #expect(paidAt <= approvedAt)
                    #expect(rows == 1)
                } else {
                    #expect(rows == 0)
                }
                let unlocked = try await app.testing().sendRequest(.POST, report + "/unlock", headers: TestData.bearer(reviewer),
                                                                   body: TestData.json(#"{"reason":"Vòng kiểm thử \#(round)"}"#))
                #expect(unlocked.status == .ok)
            }
            #expect(try await Self.paid(app, project) == Money(dong: Int64(outcomes.filter { $0 == .created }.count) * 10_000_000))
        }
    }

    static let officer = Principal(username: "thanhhoa", role: .provinceOfficer, unitCode: "38", region: .north)
    static let header = "code,title,unit_code,year,source,category,implementing_unit,support_vnd,counterpart_vnd,status,submitted_on,approved_on,allocated_on\n"

    static func importRefusal(_ app: Application, _ files: [String: String]) async throws -> ImportRefused {
        do {
            let report = try await ImportTests.run(app, try ImportTests.folder(files), principal: officer)
            Issue.record("the import was accepted: \(report.summary)")
            throw CancellationError()
        } catch let refused as ImportRefused {
            return refused
        }
    }

    @Test func anOfficersImportCannotRaiseTheApprovedSupportNorRevertAStatus() async throws {
        try await TestApp.run(users: true) { app in
            _ = try await Self.approvedProject(app)
            // The exported row, unchanged, is unchanged on import (support_vnd is the approved support both ways).
            let exported = "KC-PAY-1,Hỗ trợ máy sấy chè,38,2026,national,1,Trung tâm Khuyến công,1643000000,700000000,in_progress,,2026-01-05,2026-01-10\n"
            let same = try await ImportTests.run(app, try ImportTests.folder(["projects.csv": Self.header + exported]), principal: Self.officer)
            #expect(same.tables.first?.unchanged == 1 && same.tables.first?.updated == 0)

            let raised = try await Self.importRefusal(app, ["projects.csv": Self.header + exported.replacingOccurrences(of: "1643000000", with: "20000000000")])
            #expect(raised.issues.map { "\($0.table):\($0.row):\($0.column)" } == ["projects:2:support_vnd"])
            let reverted = try await Self.importRefusal(app, ["projects.csv": Self.header + exported.replacingOccurrences(of: "in_progress", with: "draft")])
            #expect(reverted.issues.map { "\($0.table):\($0.row):\($0.column)" } == ["projects:2:status"])
            let allocated = try await Self.importRefusal(app, ["projects.csv": Self.header + exported.replacingOccurrences(of: "2026-01-10", with: "2025-12-01")])
            #expect(allocated.issues.map(\.column) == ["allocated_on"])

            let project = try await Project.find(code: "KC-PAY-1", on: app.db)
            #expect(project.supportApprovedVnd == 1_643_000_000 && project.status == .inProgress && project.allocatedOn == "2026-01-10")
        }
    }

    @Test func anOfficersImportedPaymentsStayWithinTheApproval() async throws {
        try await TestApp.run(users: true) { app in
            let project = try await Self.approvedProject(app)
            let over = try await Self.importRefusal(app, ["disbursements.csv": "project_code,date,amount_vnd,basis\nKC-PAY-1,2026-03-01,1000000000,actual\nKC-PAY-1,2026-03-02,700000000,actual\n"])
            #expect(over.issues.map { "\($0.table):\($0.row):\($0.column)" } == ["disbursements:2:amount_vnd"])
            let early = try await Self.importRefusal(app, ["disbursements.csv": "project_code,date,amount_vnd,basis\nKC-PAY-1,2025-12-31,1000,actual\n"])
            #expect(early.issues.map(\.column) == ["date"])
            #expect(try await Self.paid(app, project) == 0)
            let fits = try await ImportTests.run(app, try ImportTests.folder(["disbursements.csv": "project_code,date,amount_vnd,basis\nKC-PAY-1,2026-03-01,1643000000,actual\n"]),
                                                 principal: Self.officer)
            #expect(fits.tables.first?.created == 1)
        }
    }

    @Test func anImportNamesNoProjectOfAnotherProvince() async throws {
        try await TestApp.run(users: true) { app in
            try await TestData.draftProject(code: "KC-NA-1", unitCode: "40", on: app.db)   // Nghệ An's
            let taken = try await Self.importRefusal(app, ["projects.csv": Self.header + "KC-NA-1,Dự án,38,2026,national,1,Trung tâm,1000,0,,,,\n"])
            #expect(taken.issues.map(\.column) == ["code"])
            #expect(!taken.issues[0].message.vietnamese.contains("Nghệ An") && !taken.issues[0].message.english.contains("unit"))
            let payment = try await Self.importRefusal(app, ["disbursements.csv": "project_code,date,amount_vnd,basis\nKC-NA-1,2026-03-01,1000,actual\n"])
            #expect(payment.issues.map(\.column) == ["project_code"] && !payment.issues[0].message.vietnamese.contains("Nghệ An"))
            #expect(payment.issues[0].message.kind == .notFound)
        }
    }

    @Test func aCellBeyondTheHeaderIsAnError() async throws {
        try await TestApp.run(users: true) { app in
            _ = try await Self.approvedProject(app)
            let refused = try await Self.importRefusal(app, ["disbursements.csv": "project_code,date,amount_vnd,basis\nKC-PAY-1,2026-03-01,1000,actual,9999\n"])
            #expect(refused.issues.map { "\($0.table):\($0.row)" } == ["disbursements:2"])
            #expect(try await Disbursement.query(on: app.db).count() == 0)
        }
    }

    @Test func absurdNumbersAreRefusedAtTheDoorAndThePublicPagesStayUp() async throws {
        try await TestApp.run(users: true) { app in
            _ = try await Self.approvedProject(app)
            let token = try await TestUsers.token(app, "thanhhoa")
            let output = try await app.testing().sendRequest(.POST, "/api/v1/projects/KC-PAY-1/outputs", headers: TestData.bearer(token),
                body: TestData.json(#"{"date":"2026-03-01","indicator":"trainees","quantity":9223372036854775807,"basis":"actual"}"#))
            #expect(output.status == .unprocessableEntity)
            let draft = try await app.testing().sendRequest(.POST, "/api/v1/projects", headers: TestData.bearer(token), body: TestData.json(
                #"{"code":"KC-BIG-1","title":"Lớn","unitCode":"38","year":2026,"source":"local","category":"1","implementingUnit":"TT","supportVnd":9223372036854775807}"#))
            #expect(draft.status == .unprocessableEntity)
            let estimate = try await app.testing().sendRequest(.POST, "/api/v1/projects/KC-PAY-1/disbursements", headers: TestData.bearer(token),
                body: TestData.json(#"{"date":"2026-12-01","amountVnd":1000000000001,"basis":"estimate","kind":"payment"}"#))
            #expect(estimate.status == .unprocessableEntity)
            let imported = try await Self.importRefusal(app, ["outputs.csv": "project_code,date,indicator,quantity,basis\nKC-PAY-1,2026-03-01,trainees,9223372036854775807,estimate\n"])
            #expect(imported.issues.map(\.column) == ["quantity"])
            let long = try await Self.importRefusal(app, ["outputs.csv": "project_code,date,indicator,quantity,basis\nKC-PAY-1,2026-03-01,trainees,\(String(repeating: "9", count: 5_000)),estimate\n"])
            #expect(long.issues.map(\.column) == ["quantity"] && long.issues[0].message.vietnamese.count < 200)
            #expect(try await OutputRecord.query(on: app.db).count() == 0)
            for path in ["/", "/dashboard?region=north&year=2026&period=FY", "/api/v1/reports/summary?region=north&year=2026&period=FY"] {
                let headers: HTTPHeaders = path.hasPrefix("/api") ? TestData.bearer(token) : [:]
                #expect(try await app.testing().sendRequest(.GET, path, headers: headers).status == .ok, "\(path)")
            }
        }
    }

    /// An appraiser may read the project but not take the province's step: the file sent with the refused step
    /// is not stored.
    @Test func aFileSentWithARefusedStepIsNotStored() async throws {
        try await TestApp.run(users: true) { app in
            try await TestData.draftProject(code: "KC-ATT-1", unitCode: "40", on: app.db)
            var appraiser = try await TestBrowser.signedIn(app, as: "thamdinh")
            let csrf = try await appraiser.csrfToken()
            let boundary = "----kc\(UUID().uuidString)"
            var body = ""
            for (name, value) in [("csrf", csrf), ("to", "submitted"), ("note", "x")] {
                body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
            }
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"planted.txt\"\r\nContent-Type: text/plain\r\n\r\nplanted\r\n--\(boundary)--\r\n"
            var headers = HTTPHeaders()
            headers.add(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
            if let cookie = appraiser.cookie { headers.add(name: .cookie, value: "kc_session=\(cookie)") }
            let response = try await app.testing().sendRequest(.POST, "/projects/KC-ATT-1/transitions", headers: headers, body: ByteBuffer(string: body))
            #expect([.forbidden, .conflict].contains(response.status))
            #expect(try await Attachment.query(on: app.db).count() == 0)
        }
    }

    /// A payment retried with its `Idempotency-Key` (a weak connection that lost the answer) is recorded once, in
    /// sequence and in parallel; the same key with another body is refused.
    @Test func aRetriedPaymentWithItsIdempotencyKeyIsRecordedOnce() async throws {
        try await TestApp.run(users: true) { app in
            let project = try await Self.approvedProject(app)
            let token = try await TestUsers.token(app, "thanhhoa")
            var headers = TestData.bearer(token)
            headers.add(name: "Idempotency-Key", value: "thanhhoa-2026-03-02-a")
            let path = "/api/v1/projects/KC-PAY-1/disbursements"
            let first = try await app.testing().sendRequest(.POST, path, headers: headers, body: TestData.json(Self.payment(100_000_000)))
            let again = try await app.testing().sendRequest(.POST, path, headers: headers, body: TestData.json(Self.payment(100_000_000)))
            #expect(first.status == .created && again.status == .created)
            #expect(again.headers.first(name: "Idempotent-Replayed") == "true" && again.body.string == first.body.string)
            let other = try await app.testing().sendRequest(.POST, path, headers: headers, body: TestData.json(Self.payment(200_000_000)))
            #expect(other.status == .unprocessableEntity)
            #expect(try await Self.paid(app, project) == 100_000_000)

            headers.replaceOrAdd(name: "Idempotency-Key", value: "thanhhoa-2026-03-02-b")
            let retried = headers
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await app.testing().sendRequest(.POST, path, headers: retried, body: TestData.json(Self.payment(100_000_000))).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { [.created, .conflict].contains($0) }, "\(statuses)")
            #expect(try await Self.paid(app, project) == 200_000_000)
        }
    }

    /// Without the in-process queue (as between two server instances), the database lock alone serialises guarded
    /// writes: four read-check-write cycles in parallel, each pausing between its read and its write, lose nothing.
    @Test func theDatabaseLockAloneSerialisesGuardedWrites() async throws {
        try await TestApp.run { app in
            let project = try await TestData.draftProject(code: "KC-LOCK-1", unitCode: "38", on: app.db)
            let id = try project.requireID()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await GuardedWrite.run(on: app.db, queued: false) { db in
                            let current = try #require(try await Project.find(id, on: db))
                            try await Task.sleep(for: .milliseconds(5))
                            try current.counterpartVnd += 1
                            try await current.save(on: db)
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await Project.find(id, on: app.db)?.counterpartVnd == 700_000_004)
        }
    }

    /// A file name with a NUL, a tab or a newline is stored without them (they would cut or split a header).
    @Test func aStoredFileNameKeepsNoControlCharacters() async throws {
        try await TestApp.run(users: true) { app in
            _ = try await Self.approvedProject(app)
            let token = try await TestUsers.token(app, "thanhhoa")
            var headers = TestData.bearer(token)
            headers.replaceOrAdd(name: .contentType, value: "application/octet-stream")
            let response = try await app.testing().sendRequest(.POST, "/api/v1/projects/KC-PAY-1/attachments?filename=bien%00ban%09nghiem%0Athu.pdf",
                                                               headers: headers, body: ByteBuffer(string: "%PDF-1.4"))
            #expect(response.status == .created)
            let stored = try #require(try await Attachment.query(on: app.db).first())
            #expect(stored.filename == "bienbannghiemthu.pdf")
        }
    }

    /// A page form sent twice (a double click, a resend on a weak connection) records one payment; a refused form
    /// can be corrected and sent again with the same token.
    @Test func aPageFormSentTwiceWritesOnce() async throws {
        try await TestApp.run(users: true) { app in
            let project = try await Self.approvedProject(app)
            var officer = try await TestBrowser.signedIn(app, as: "thanhhoa")
            let token = try await officer.csrfToken()
            let refused = try await officer.post("/projects/KC-PAY-1/disbursements",
                                                 ["date": "2026-03-02", "amountVnd": "9000000000", "kind": "payment"], csrf: token)
            #expect(refused.status == .unprocessableEntity)
            let form = ["date": "2026-03-02", "amountVnd": "100000000", "kind": "payment"]
            let first = try await officer.post("/projects/KC-PAY-1/disbursements", form, csrf: token)
            let second = try await officer.post("/projects/KC-PAY-1/disbursements", form, csrf: token)
            #expect(first.status == .seeOther)
            #expect(second.status == .conflict)
            #expect(try await Self.paid(app, project) == 100_000_000)
            let fresh = try await officer.post("/projects/KC-PAY-1/disbursements", form)
            #expect(fresh.status == .seeOther)
            #expect(try await Self.paid(app, project) == 200_000_000)
        }
    }

    /// From a page an import does what the plan page allows: a province records its local plan's decision, but a
    /// national plan's approved amounts come only from the ministry.
    @Test func anOfficerImportsTheLocalPlanButNotTheNationalOne() async throws {
        try await TestApp.run(users: true) { app in
            let header = "unit_code,year,source,category,amount_vnd,approved_on,decision_no\n"
            let national = try await Self.importRefusal(app, ["plan_lines.csv": header + "38,2027,national,1,2000000000,2026-12-15,12/QĐ-BCT\n"])
            #expect(national.issues.map { "\($0.table):\($0.row):\($0.column)" } == ["plan_lines:2:source"])
            let local = try await ImportTests.run(app, try ImportTests.folder(["plan_lines.csv": header + "38,2027,local,1,2000000000,2026-12-20,45/QĐ-UBND\n"]),
                                                  principal: Self.officer)
            #expect(local.tables.first?.created == 1)
            let ministry = Principal(username: "bo.congthuong", role: .ministryOfficer, unitCode: nil, region: nil)
            let approved = try await ImportTests.run(app, try ImportTests.folder(["plan_lines.csv": header + "38,2027,national,1,2000000000,2026-12-15,12/QĐ-BCT\n"]),
                                                     principal: ministry)
            #expect(approved.tables.first?.created == 1)
        }
    }
}
