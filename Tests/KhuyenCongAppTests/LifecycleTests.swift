import Fluent
import Foundation
import KhuyenCongCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// The lifecycle through its only door, `POST /api/v1/projects/{code}/transitions`.
@Suite("Project lifecycle")
struct LifecycleTests {
    /// A project of Thanh Hóa (plan year 2026) standing at `status`, with a plan line large enough to approve it.
    static func project(_ code: String, at status: ProjectStatus, source: FundingSource, on db: any Database) async throws -> Project {
        let project = try await TestData.draftProject(code: code, unitCode: "38", on: db)
        project.source = source
        project.supportRequestedVnd = 100_000_000
        project.counterpartVnd = 200_000_000
        project.status = status
        project.supportApprovedVnd = [.draft, .submitted, .appraisedProvince, .registered, .appraisedMinistry, .returned].contains(status) ? nil : 100_000_000
        project.allocatedOn = project.supportApprovedVnd == nil ? nil : "2026-02-01"
        try await project.save(on: db)
        return project
    }

    static func planLines(on db: any Database) async throws {
        for source in FundingSource.allCases {
            let line = PlanLine(id: UUID(), unitID: "38@2025-07-01", year: 2026, source: source, categoryCode: "1")
            try await line.create(on: db)
            try await PlanLineRevision(planLineID: line.id!, amountVnd: 100_000_000_000, approvedOn: "2026-01-05", decisionNo: "1/QĐ").create(on: db)
        }
    }

    static func body(to target: ProjectStatus) -> String {
        var fields = [#""to":"\#(target.rawValue)""#, #""decisionNo":"123/QĐ-TEST""#, #""note":"Lý do kiểm thử""#]
        if target == .settled { fields.append(#""finalAmountVnd":90000000"#) }
        if target == .moved { fields.append(#""targetYear":2027"#) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    static func send(_ app: Application, _ code: String, to target: ProjectStatus, token: String) async throws -> TestingHTTPResponse {
        try await app.testing().sendRequest(.POST, "/api/v1/projects/\(code)/transitions", headers: TestData.bearer(token),
                                            body: TestData.json(body(to: target)))
    }

    /// The steps a project may take, written by hand from DESIGN.md (not read from `Lifecycle.table`), with who takes
    /// them: `P` the officer of the project's province, `M` the ministry's side (the ministry officer, and the reviewer of
    /// the project's region). Local projects skip the ministry's registration and appraisal; their province approves,
    /// allocates and closes them. KhuyenCongCoreTests' LifecycleTableTests holds the same steps with every role's right.
    static let allowed: [FundingSource: String] = [
        .national: """
            draft>submitted:P draft>cancelled:P submitted>appraised_province:P submitted>returned:P submitted>rejected:P
            appraised_province>registered:M appraised_province>returned:P registered>appraised_ministry:M registered>returned:M
            registered>rejected:M registered>moved:M appraised_ministry>approved:M appraised_ministry>returned:M
            appraised_ministry>rejected:M approved>allocated:M approved>moved:M approved>cancelled:M allocated>contracted:P
            allocated>cancelled:M contracted>in_progress:P contracted>cancelled:M in_progress>accepted:P in_progress>cancelled:M
            accepted>settled:P settled>closed:M returned>submitted:P returned>cancelled:P
            """,
        .local: """
            draft>submitted:P draft>cancelled:P submitted>appraised_province:P submitted>returned:P submitted>rejected:P
            appraised_province>approved:P appraised_province>returned:P approved>allocated:P approved>cancelled:P
            allocated>contracted:P allocated>cancelled:P contracted>in_progress:P contracted>cancelled:P in_progress>accepted:P
            in_progress>cancelled:P accepted>settled:P settled>closed:P returned>submitted:P returned>cancelled:P
            """,
    ]

    /// "from>to" → taken by the province.
    static func steps(_ source: FundingSource) -> [String: Bool] {
        Dictionary(uniqueKeysWithValues: allowed[source]!.split(whereSeparator: \.isWhitespace).map { cell in
            let parts = cell.split(separator: ":")
            return (String(parts[0]), parts[1] == "P")
        })
    }

    @Test func everyStepIsTakenByTheRolesTheHandTableNamesAndEveryOtherIs409() async throws {
        try await TestApp.run(users: true) { app in
            try await Self.planLines(on: app.db)
            let officer = try await TestUsers.token(app, "thanhhoa")
            let otherProvince = try await TestUsers.token(app, "nghean")
            let ministry = try await TestUsers.token(app, "bo.congthuong")
            let reviewer = try await TestUsers.token(app, "khuvuc.bac")
            let appraiser = try await TestUsers.token(app, "thamdinh")
            let admin = try await TestUsers.token(app, "admin")
            var taken = 0, refused = 0, illegal = 0, counter = 0
            for source in FundingSource.allCases {
                let steps = Self.steps(source)
                for from in ProjectStatus.allCases {
                    for to in ProjectStatus.allCases {
                        counter += 1
                        let code = "LC-\(counter)"
                        _ = try await Self.project(code, at: from, source: source, on: app.db)
                        guard let byProvince = steps["\(from.rawValue)>\(to.rawValue)"] else {
                            let response = try await Self.send(app, code, to: to, token: counter % 2 == 0 ? officer : ministry)
                            #expect(response.status == .conflict, "\(source) \(from) → \(to): \(response.status)")
                            illegal += 1
                            continue
                        }
                        // The ministry's side: the ministry officer and the northern reviewer take turns.
                        let side = counter % 2 == 0 ? ministry : reviewer
                        let (right, wrong) = byProvince ? (officer, [ministry, reviewer]) : (side, [officer])
                        for token in wrong + [appraiser, admin] {
                            let response = try await Self.send(app, code, to: to, token: token)
                            #expect(response.status == .forbidden, "\(source) \(from) → \(to) by the wrong role: \(response.status)")
                            refused += 1
                        }
                        let hidden = try await Self.send(app, code, to: to, token: otherProvince)
                        #expect(hidden.status == .notFound, "\(source) \(from) → \(to) by another province: \(hidden.status)")
                        let response = try await Self.send(app, code, to: to, token: right)
                        #expect(response.status == .ok, "\(source) \(from) → \(to): \(response.status) \(response.body.string)")
                        let stored = try await Project.find(code: code, on: app.db)
                        #expect(stored.status == to)
                        #expect(stored.version == 2)
                        let event = try await ProjectEvent.query(on: app.db).filter(\.$project.$id == stored.requireID())
                            .filter(\.$toStatus == to).first()
                        #expect(event?.fromStatus == from && event?.actor != nil)
                        taken += 1
                    }
                }
            }
            print("lifecycle: \(taken) steps taken, \(refused) wrong-role refusals, \(illegal) illegal steps checked")
            #expect(taken == Self.steps(.national).count + Self.steps(.local).count)
            #expect(illegal == 2 * ProjectStatus.allCases.count * ProjectStatus.allCases.count - taken)
        }
    }

    @Test func theMainRoadFromADraftToAClosedAccount() async throws {
        try await TestApp.run(users: true) { app in
            try await Self.planLines(on: app.db)
            let officer = try await TestUsers.token(app, "thanhhoa")
            let ministry = try await TestUsers.token(app, "bo.congthuong")
            let appraiser = try await TestUsers.token(app, "thamdinh")
            func post(_ path: String, _ json: String, _ token: String) async throws -> TestingHTTPResponse {
                try await app.testing().sendRequest(.POST, path, headers: TestData.bearer(token), body: TestData.json(json))
            }
            let created = try await post("/api/v1/projects", """
                {"code":"KC2026-38-QG-900","title":"Hỗ trợ dây chuyền chế biến chè","unitCode":"38","year":2026,"source":"national",
                 "category":"1","implementingUnit":"Trung tâm Khuyến công Thanh Hóa","beneficiaryTaxCode":"0100109106",
                 "beneficiaryName":"Hợp tác xã chè Bát Mọt","supportVnd":250000000,"counterpartVnd":300000000}
                """, officer)
            #expect(created.status == .created)
            let path = "/api/v1/projects/KC2026-38-QG-900"
            var steps: [(ProjectStatus, String)] = [(.submitted, officer)]
            for (to, token) in steps { #expect(try await Self.send(app, "KC2026-38-QG-900", to: to, token: token).status == .ok) }
            #expect(try await post(path + "/appraisals", #"{"score":82,"opinion":"Cần thiết, khả thi"}"#, appraiser).status == .created)
            #expect(try await post(path + "/appraisals", #"{"score":90,"opinion":"Lần hai"}"#, appraiser).status == .conflict)
            steps = [(.appraisedProvince, officer), (.registered, ministry), (.appraisedMinistry, ministry), (.approved, ministry),
                     (.allocated, ministry), (.contracted, officer), (.inProgress, officer)]
            for (to, token) in steps {
                let response = try await Self.send(app, "KC2026-38-QG-900", to: to, token: token)
                #expect(response.status == .ok, "\(to): \(response.body.string)")
            }
            let today = CalendarDate.today().description   // steps are dated today; money is paid on or after allocation
            #expect(try await post(path + "/disbursements", #"{"date":"\#(today)","amountVnd":125000000,"kind":"advance"}"#, officer).status == .created)
            // The first advance for machinery is capped at 70 % of the approved support (Circular 36/2013 Art. 13–14).
            #expect(try await post(path + "/disbursements", #"{"date":"\#(today)","amountVnd":50000001,"kind":"advance"}"#, officer).status == .unprocessableEntity)
            #expect(try await post(path + "/disbursements", #"{"date":"\#(today)","amountVnd":125000000,"kind":"payment"}"#, officer).status == .created)
            #expect(try await post(path + "/disbursements", #"{"date":"\#(today)","amountVnd":1,"kind":"payment"}"#, officer).status == .unprocessableEntity)
            #expect(try await post(path + "/outputs", #"{"date":"\#(today)","indicator":"establishments_supported","quantity":1}"#, officer).status == .created)
            steps = [(.accepted, officer), (.settled, officer), (.closed, ministry)]
            for (to, token) in steps { #expect(try await Self.send(app, "KC2026-38-QG-900", to: to, token: token).status == .ok) }

            let final = try await app.testing().sendRequest(.GET, path, headers: TestData.bearer(officer))
            let dto = try JSONDecoder().decode(ProjectDTO.self, from: Data(final.body.readableBytesView))
            #expect(dto.status == .closed)
            #expect(dto.events.map(\.toStatus.rawValue) == ["draft", "submitted", "appraised_province", "registered", "appraised_ministry",
                                                   "approved", "allocated", "contracted", "in_progress", "accepted", "settled", "closed"])
            #expect(dto.appraisals.first?.meanScore == 82)
            #expect(dto.settledVnd == 90_000_000)
            #expect(dto.beneficiaries.first?.taxCode == "0100109106")
            let audit = try await AuditEntry.query(on: app.db).filter(\.$recordID == "KC2026-38-QG-900").count()
            #expect(audit == 1 + 1 + 1 + 11)   // creation, beneficiary, appraisal, eleven steps
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "record_disbursement").count() == 2)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "record_output").count() == 1)
        }
    }

    @Test func anAppraiserCannotScoreTheirOwnUnitsProject() async throws {
        try await TestApp.run(users: true) { app in
            _ = try await TestData.draftProject(code: "KC-NA-9", unitCode: "40", on: app.db)
            let project = try await Project.find(code: "KC-NA-9", on: app.db)
            project.status = .submitted
            try await project.save(on: app.db)
            let appraiser = try await TestUsers.token(app, "thamdinh")   // employed by Nghệ An (40)
            let response = try await app.testing().sendRequest(.POST, "/api/v1/projects/KC-NA-9/appraisals", headers: TestData.bearer(appraiser),
                                                               body: TestData.json(#"{"score":95,"opinion":"Tốt"}"#))
            #expect(response.status == .forbidden)
            #expect(response.body.string.contains("Xung đột lợi ích"))
            #expect(try await Appraisal.query(on: app.db).count() == 0)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "appraisal_refused_conflict").count() == 1)
        }
    }

    @Test func approvalCannotExceedThePlanLineAndCapsAreChecked() async throws {
        try await TestApp.run(users: true) { app in
            let line = PlanLine(id: UUID(), unitID: "38@2025-07-01", year: 2026, source: .national, categoryCode: "1")
            try await line.create(on: app.db)
            try await PlanLineRevision(planLineID: line.id!, amountVnd: 150_000_000, approvedOn: "2026-01-05", decisionNo: "1/QĐ").create(on: app.db)
            _ = try await Self.project("CEIL-1", at: .appraisedMinistry, source: .national, on: app.db)
            _ = try await Self.project("CEIL-2", at: .appraisedMinistry, source: .national, on: app.db)
            let ministry = try await TestUsers.token(app, "bo.congthuong")
            #expect(try await Self.send(app, "CEIL-1", to: .approved, token: ministry).status == .ok)
            let over = try await Self.send(app, "CEIL-2", to: .approved, token: ministry)
            #expect(over.status == .conflict)
            #expect(over.body.string.contains("Vượt kế hoạch"))
            #expect(try await Project.find(code: "CEIL-2", on: app.db).status == .appraisedMinistry)

            // 400 triệu for one establishment is over the 300 triệu cap for machinery: refused when the draft is saved
            // (issue 13), and a link stored before that rule still stops the submission.
            let officer = try await TestUsers.token(app, "thanhhoa")
            let draft = try await TestData.draftProject(code: "CAP-1", unitCode: "38", on: app.db)
            let added = try await app.testing().sendRequest(.POST, "/api/v1/projects/CAP-1/beneficiaries", headers: TestData.bearer(officer),
                body: TestData.json(#"{"taxCode":"0100109106","name":"Cơ sở cơ khí Minh Phát","supportVnd":400000000}"#))
            #expect(added.status == .unprocessableEntity)
            #expect(added.body.string.contains("300,0 triệu đồng"))
            let establishment = Beneficiary(taxCode: "0100109106", name: "Cơ sở cơ khí Minh Phát", legalForm: "", commune: "", sector: "",
                                            womenOwned: false, ethnicMinorityEmployer: false, disadvantagedArea: false)
            try await establishment.create(on: app.db)
            try await ProjectBeneficiary(projectID: try draft.requireID(), beneficiaryID: try establishment.requireID(), supportVnd: 400_000_000).create(on: app.db)
            let submit = try await Self.send(app, "CAP-1", to: .submitted, token: officer)
            #expect(submit.status == .unprocessableEntity)
            #expect(submit.body.string.contains("300,0 triệu đồng"))
        }
    }

    @Test func aLateNationalSubmissionIsFlaggedWithItsDaysLate() async throws {
        try await TestApp.run(users: true) { app in
            try await PlanYearSetting(year: 2027, registrationDeadline: "2026-05-20").create(on: app.db)
            let officer = try await TestUsers.token(app, "thanhhoa")
            let created = try await app.testing().sendRequest(.POST, "/api/v1/projects", headers: TestData.bearer(officer), body: TestData.json("""
                {"code":"LATE-1","title":"Đề án nộp muộn","unitCode":"38","year":2027,"source":"national","category":"3",
                 "implementingUnit":"Trung tâm Khuyến công Thanh Hóa","supportVnd":50000000}
                """))
            #expect(created.status == .created)
            let project = try await Project.find(code: "LATE-1", on: app.db)
            let user = try #require(try await User.find(username: "thanhhoa", on: app.db))
            _ = try await ProjectWorkflow.transition(project, .init(to: "submitted"), by: user, today: CalendarDate(2026, 6, 9), on: app.db)
            #expect(try await Project.find(code: "LATE-1", on: app.db).lateDays(on: app.db) == 20)
        }
    }

    @Test func movingAProjectKeepsItsHistoryInTheNewYear() async throws {
        try await TestApp.run(users: true) { app in
            _ = try await Self.project("MOVE-1", at: .approved, source: .national, on: app.db)
            try await ProjectEvent(projectID: try Project.find(code: "MOVE-1", on: app.db).requireID(), fromStatus: nil, toStatus: .draft,
                                   onDate: "2025-03-01", actor: "thanhhoa", decisionNo: nil, note: "Khởi tạo").create(on: app.db)
            let ministry = try await TestUsers.token(app, "bo.congthuong")
            #expect(try await Self.send(app, "MOVE-1", to: .moved, token: ministry).status == .ok)
            let copy = try await Project.find(code: "MOVE-1-2027QG", on: app.db)
            #expect(copy.year == 2027 && copy.movedFromCode == "MOVE-1" && copy.status == .registered)
            let history = try await copy.history(on: app.db).map(\.toStatus)
            #expect(history == [.draft, .moved, .registered])
        }
    }

    @Test func badInputIsRefusedWithEveryProblemAndNothingWritten() async throws {
        try await TestApp.run(users: true) { app in
            let officer = try await TestUsers.token(app, "thanhhoa")
            let response = try await app.testing().sendRequest(.POST, "/api/v1/projects", headers: TestData.bearer(officer), body: TestData.json("""
                {"code":"x","title":" ","unitCode":"27","year":2026,"source":"tư nhân","category":"8",
                 "implementingUnit":"A","supportVnd":-5,"beneficiaryTaxCode":"0100109107","beneficiaryName":"B"}
                """))
            #expect(response.status == .unprocessableEntity)
            let text = response.body.string
            for fragment in ["code:", "title", "\\\"27\\\"", "tư nhân", "amount must not be negative", "wrong check digit"] {
                #expect(text.contains(fragment), "missing \(fragment) in \(text)")
            }
            #expect(try await Project.query(on: app.db).count() == 0)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$recordType == "project").count() == 0)
        }
    }

    @Test func plannedOutputsAreRecordedOnCreationAndEditedWhileADraft() async throws {
        try await TestApp.run(users: true) { app in
            let officer = try await TestUsers.token(app, "thanhhoa")
            let created = try await app.testing().sendRequest(.POST, "/api/v1/projects", headers: TestData.bearer(officer), body: TestData.json("""
                {"code":"PLAN-1","title":"Mô hình trình diễn máy sấy","unitCode":"38","year":2026,"source":"local","category":"1",
                 "implementingUnit":"Trung tâm Khuyến công Thanh Hóa","supportVnd":90000000,"plannedOutputs":{"demo_models":1,"establishments_supported":3}}
                """))
            #expect(created.status == .created)
            let dto = try JSONDecoder().decode(ProjectDTO.self, from: Data(created.body.readableBytesView))
            #expect(dto.plannedOutputs == ["demo_models": 1, "establishments_supported": 3])
            let patched = try await app.testing().sendRequest(.PATCH, "/api/v1/projects/PLAN-1", headers: TestData.bearer(officer),
                                                              body: TestData.json(#"{"version":1,"plannedOutputs":{"trainees":40}}"#))
            #expect(try JSONDecoder().decode(ProjectDTO.self, from: Data(patched.body.readableBytesView)).plannedOutputs == ["trainees": 40])
            let bad = try await app.testing().sendRequest(.PATCH, "/api/v1/projects/PLAN-1", headers: TestData.bearer(officer),
                                                          body: TestData.json(#"{"version":2,"plannedOutputs":{"cay_xanh":4}}"#))
            #expect(bad.status == .unprocessableEntity)
            #expect(try await PlannedOutput.query(on: app.db).count() == 1)
        }
    }

    @Test func anAppraiserTiedToAnEstablishmentCannotScoreItsProject() async throws {
        try await TestApp.run(users: true) { app in
            _ = try await UserAdmin.create(username: "thamdinh.hoa", displayName: nil, role: .appraiser, unitCode: "01", region: "north",
                                           password: TestUsers.password("thamdinh.hoa"), actor: "test", app: app, affiliationTaxCode: "0100109106")
            let officer = try await TestUsers.token(app, "thanhhoa")
            _ = try await TestData.draftProject(code: "KC-CONF-1", unitCode: "38", on: app.db)
            _ = try await app.testing().sendRequest(.POST, "/api/v1/projects/KC-CONF-1/beneficiaries", headers: TestData.bearer(officer),
                body: TestData.json(#"{"taxCode":"0100109106","name":"HTX chè Bát Mọt","supportVnd":100000000}"#))
            #expect(try await Self.send(app, "KC-CONF-1", to: .submitted, token: officer).status == .ok)
            let appraiser = try await TestUsers.token(app, "thamdinh.hoa")
            let refused = try await app.testing().sendRequest(.POST, "/api/v1/projects/KC-CONF-1/appraisals", headers: TestData.bearer(appraiser),
                                                              body: TestData.json(#"{"score":90,"opinion":"Tốt"}"#))
            #expect(refused.status == .forbidden)
            #expect(refused.body.string.contains("cơ sở của mình"))
            #expect(try await Appraisal.query(on: app.db).count() == 0)
            let other = try await TestUsers.token(app, "thamdinh")
            #expect(try await app.testing().sendRequest(.POST, "/api/v1/projects/KC-CONF-1/appraisals", headers: TestData.bearer(other),
                                                        body: TestData.json(#"{"score":90,"opinion":"Tốt"}"#)).status == .created)
        }
    }
}
