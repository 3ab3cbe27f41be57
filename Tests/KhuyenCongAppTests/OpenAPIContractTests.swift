import Foundation
import NIOCore
import Testing
import Vapor
import VaporTesting
@testable import KhuyenCongApp

/// The OpenAPI document (Sources/KhuyenCongApp/Resources/openapi.yaml) against the code: every operation of the served document is called once on the demo
/// data by a user allowed to use it, and its answer must carry a status the document lists and a body that
/// conforms to the document's schema for it (closed objects: a field the code adds or renames without the
/// document fails here). Operations are named by their `operationId`; method and path come from the document.
@Suite("OpenAPI contract")
struct OpenAPIContractTests {
    @Test func everyOperationAnswersAsTheDocumentSays() async throws {
        try await TestApp.run(seeded: true) { app in
            var run = try await ContractRun(app)

            // Reads, by the roles that may make them.
            let token = try await run.call("createToken", as: nil, body: #"{"username":"thanhhoa","password":"\#(TestUsers.password("thanhhoa"))"}"#)
            #expect(token["token"]?.string?.isEmpty == false)
            try await run.call("me", as: "thanhhoa")
            try await run.call("myNotifications", as: "thanhhoa", query: "limit=20")
            try await run.call("myWork", as: "thanhhoa")
            try await run.call("getRules", as: "xem")
            try await run.call("getSettings", as: "admin", query: "year=2027")
            try await run.call("listProjects", as: "thanhhoa", query: "unit=38&sort=-year&limit=5")
            try await run.call("getProject", as: "thanhhoa", ["code": "KC2026-38-DP-001"])
            try await run.call("getPlan", as: "thanhhoa", ["unitCode": "38", "year": "2026"])
            try await run.call("getPlanConsolidation", as: "bo.congthuong", ["unitCode": "2027"])
            try await run.call("getNationalProgramme", as: "xem")
            try await run.call("getProvinceProgramme", as: "thanhhoa", ["unitCode": "38"])
            try await run.call("getPeriodReport", as: "thanhhoa", ["unitCode": "38", "year": "2026", "period": "H1"])
            try await run.call("periodReportReminders", as: "khuvuc.bac", query: "days=30")
            try await run.call("reportSummary", as: "thanhhoa", query: "unit=38&year=2026&period=H1")
            try await run.call("reportMonitoring", as: "khuvuc.bac", query: "region=north&year=2026")
            try await run.call("quality", as: "thanhhoa", query: "unit=38&year=2026")
            try await run.call("listUsers", as: "admin")
            try await run.call("getUser", as: "admin", ["username": "xem"])

            // A project from its draft to the appraisal, with a beneficiary and a file.
            let project = try await run.call("createProject", as: "thanhhoa", body: """
                {"title":"Hỗ trợ máy sấy chè","unitCode":"38","year":2027,"source":"local","category":"1",
                 "implementingUnit":"Hợp tác xã chè Xuân Du","supportVnd":300000000}
                """)
            let code = try #require(project["code"]?.string)
            let version = try #require(project["version"].flatMap { if case .integer(let v) = $0 { v } else { nil } })
            try await run.call("updateProject", as: "thanhhoa", ["code": code], body: #"{"version":\#(version),"title":"Hỗ trợ máy sấy chè Xuân Du"}"#)
            let withBeneficiary = try await run.call("addBeneficiary", as: "thanhhoa", ["code": code],
                                                     body: #"{"taxCode":"2807654325","name":"Hợp tác xã chè Xuân Du","supportVnd":300000000}"#)
            let link = try #require(withBeneficiary["beneficiaries"]?.array?.first?["id"]?.string)
            try await run.call("updateBeneficiary", as: "thanhhoa", ["code": code, "id": link], body: #"{"supportVnd":250000000}"#)
            try await run.call("showEstablishment", as: "thanhhoa", ["taxCode": "2807654325"])
            let second = try await run.call("addBeneficiary", as: "thanhhoa", ["code": code],
                                            body: #"{"taxCode":"2800555660","name":"Công ty chè Thanh Xuân","supportVnd":50000000}"#)
            let secondLink = try #require(second["beneficiaries"]?.array?.compactMap { $0["taxCode"] == .string("2800555660") ? $0["id"]?.string : nil }.first)
            try await run.call("removeBeneficiary", as: "thanhhoa", ["code": code, "id": secondLink], query: "reason=nh%E1%BA%A7m%20c%C6%A1%20s%E1%BB%9F")
            let attachment = try await run.call("attachFile", as: "thanhhoa", ["code": code], query: "filename=to-trinh.pdf", raw: "%PDF-1.4 tờ trình")
            try await run.call("downloadAttachment", as: "thanhhoa", ["id": try #require(attachment["id"]?.string)])
            try await run.call("transitionProject", as: "thanhhoa", ["code": code], body: #"{"to":"submitted"}"#)
            try await run.call("appraiseProject", as: "thamdinh", ["code": code],
                               body: #"{"opinion":"Tốt","criteria":{"necessity":20,"feasibility":20,"budget":20,"impact":20}}"#)

            // Execution records of a project under way, corrected and removed with a reason.
            let running = ["code": "KC2026-38-DP-001"]
            let paid = try await run.call("recordDisbursement", as: "thanhhoa", running, body: #"{"date":"2026-11-02","amountVnd":1000000,"kind":"payment"}"#)
            let payment = try #require(paid["disbursements"]?.array?.first { $0["date"] == .string("2026-11-02") }?["id"]?.string)
            try await run.call("updateDisbursement", as: "thanhhoa", running.merging(["id": payment]) { $1 }, body: #"{"amountVnd":2000000}"#)
            try await run.call("removeDisbursement", as: "thanhhoa", running.merging(["id": payment]) { $1 }, query: "reason=ghi-nham")
            let produced = try await run.call("recordOutput", as: "thanhhoa", running,
                                              body: #"{"date":"2026-11-02","indicator":"establishments_supported","quantity":1}"#)
            let output = try #require(produced["outputs"]?.array?.first { $0["date"] == .string("2026-11-02") }?["id"]?.string)
            try await run.call("updateOutput", as: "thanhhoa", running.merging(["id": output]) { $1 }, body: #"{"quantity":2}"#)
            try await run.call("removeOutput", as: "thanhhoa", running.merging(["id": output]) { $1 }, query: "reason=ghi-nham")

            // A period report through submission, return, approval and unlocking.
            let q3 = ["unitCode": "38", "year": "2026", "period": "Q3"]
            try await run.call("submitPeriodReport", as: "thanhhoa", q3, body: #"{"coverNote":"Báo cáo quý III"}"#)
            try await run.call("returnPeriodReport", as: "khuvuc.bac", q3, body: #"{"reason":"Thiếu số liệu giải ngân"}"#)
            try await run.call("submitPeriodReport", as: "thanhhoa", q3, body: nil)
            try await run.call("approvePeriodReport", as: "khuvuc.bac", q3)
            try await run.call("unlockPeriodReport", as: "khuvuc.bac", q3, body: #"{"reason":"Sửa số liệu quý III"}"#)

            // A 2028 plan of Thanh Hóa: both sources drafted, returned, decided; the national one allocated.
            let plan = ["unitCode": "38", "year": "2028"]
            try await run.call("savePlanLine", as: "thanhhoa", plan, body: #"{"source":"national","category":"1","amountVnd":2000000000}"#)
            try await run.call("savePlanTarget", as: "thanhhoa", plan,
                               body: #"{"source":"national","category":"1","indicator":"establishments_supported","quantity":5}"#)
            try await run.call("savePlanLine", as: "thanhhoa", plan, body: #"{"source":"local","category":"1","amountVnd":1000000000}"#)
            try await run.call("submitPlan_national", as: "thanhhoa", plan, body: nil)
            try await run.call("returnPlan_national", as: "bo.congthuong", plan, body: #"{"reason":"Bổ sung thuyết minh"}"#)
            try await run.call("submitPlan_national", as: "thanhhoa", plan, body: "{}")
            try await run.call("approvePlan_national", as: "bo.congthuong", plan, body: #"{"decisionNo":"12/QĐ-BCT","approvedOn":"2027-01-05"}"#)
            try await run.call("allocatePlan", as: "bo.congthuong", plan,
                               body: #"{"amountVnd":1000000000,"allocatedOn":"2027-01-10","decisionNo":"15/QĐ-BCT"}"#)
            try await run.call("submitPlan_local", as: "thanhhoa", plan, body: nil)
            try await run.call("returnPlan_local", as: "thanhhoa", plan, body: #"{"reason":"Chờ ý kiến Sở Tài chính"}"#)
            try await run.call("submitPlan_local", as: "thanhhoa", plan, body: nil)
            try await run.call("approvePlan_local", as: "thanhhoa", plan, body: #"{"decisionNo":"45/QĐ-UBND","approvedOn":"2027-01-05"}"#)

            // Programmes, settings, accounts.
            try await run.call("saveNationalProgramme", as: "bo.congthuong", body: """
                {"decisionNo":"2646/QĐ-BCT","decidedOn":"2025-09-23","signer":"Bộ Công Thương","nationalVnd":1500000000000,
                 "version":1,"targets":[{"indicator":"demo_models","quantity":400}]}
                """)
            try await run.call("saveProvinceProgramme", as: "thanhhoa", ["unitCode": "38"], body: """
                {"decisionNo":"4127/QĐ-UBND","decidedOn":"2025-12-18","signer":"UBND tỉnh Thanh Hóa","localVnd":75000000000,
                 "version":1,"targets":[{"indicator":"demo_models","quantity":20}]}
                """)
            try await run.call("changeSettings", as: "admin", body: #"{"deadlines":{"year":2028,"legalBasis":"Thông tư thử","dates":{"report_q1":"2028-04-20"}}}"#)
            try await run.call("changeSettingsPost", as: "admin", body: """
                {"agencyName":{"name":"Cục Khuyến công","shortName":"CKC","validFrom":"2026-12-01","legalBasis":"Quyết định thử"}}
                """)
            try await run.call("createUser", as: "admin", body: #"{"username":"can.bo.moi","role":"province_officer","unitCode":"38","displayName":"Cán bộ mới"}"#)
            let newcomer = ["username": "can.bo.moi"]
            try await run.call("changeUser", as: "admin", newcomer, body: #"{"displayName":"Cán bộ mới (Thanh Hóa)"}"#)
            try await run.call("disableUser", as: "admin", newcomer)
            try await run.call("enableUser", as: "admin", newcomer)
            try await run.call("unlockUser", as: "admin", newcomer)
            try await run.call("issuePasswordResetLink", as: "admin", newcomer)

            // Refusals answer problem JSON as documented.
            try await run.call("getProject", as: "thanhhoa", ["code": "KHONG-CO"], expecting: .notFound)
            try await run.call("createProject", as: "thanhhoa", body: #"{"title":"x"}"#, expecting: .badRequest, counts: false)

            try await run.call("revokeToken", as: "xem")

            let missing = run.operations.keys.filter { !run.called.contains($0) }.sorted()
            #expect(missing.isEmpty, "operations of the document this test does not call: \(missing.joined(separator: ", "))")
        }
    }
}

/// One walk through the document's operations on one application.
struct ContractRun {
    struct Operation { let method: HTTPMethod; let path: String; let spec: JSONValue }

    let app: Application
    let document: JSONValue
    let check: JSONSchemaCheck
    let operations: [String: Operation]
    var called: Set<String> = []
    var tokens: [String: String] = [:]

    init(_ app: Application) async throws {
        self.app = app
        let response = try await app.testing().sendRequest(.GET, "/api/openapi.json")
        document = try JSONValue.parse(Data(response.body.readableBytesView))
        check = JSONSchemaCheck(document: document)
        var operations: [String: Operation] = [:]
        for (path, item) in document["paths"]?.object ?? [:] {
            for (method, spec) in item.object ?? [:] where method != "parameters" {
                if let id = spec["operationId"]?.string { operations[id] = Operation(method: HTTPMethod(rawValue: method.uppercased()), path: path, spec: spec) }
            }
        }
        self.operations = operations
    }

    /// Calls an operation as `username` (nil: no token) and checks the answer against the document; returns the body.
    @discardableResult
    mutating func call(_ operationID: String, as username: String?, _ parameters: [String: String] = [:], query: String? = nil,
                       body: String? = nil, raw: String? = nil, expecting expected: HTTPStatus? = nil, counts: Bool = true,
                       sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSONValue {
        let operation = try #require(operations[operationID], "\(operationID) is not in the OpenAPI document", sourceLocation: sourceLocation)
        var path = operation.path
        for (name, value) in parameters { path = path.replacingOccurrences(of: "{\(name)}", with: value) }
        #expect(!path.contains("{"), "\(operationID): a path parameter left unfilled in \(path)", sourceLocation: sourceLocation)
        if let query { path += "?" + query }
        var headers = HTTPHeaders()
        if let username {
            if tokens[username] == nil { tokens[username] = try await TestUsers.token(app, username) }
            headers.add(name: .authorization, value: "Bearer \(tokens[username]!)")
        }
        var buffer: ByteBuffer?
        if let body {
            headers.contentType = .json
            buffer = ByteBuffer(string: body)
        } else if let raw {
            headers.contentType = .binary
            buffer = ByteBuffer(string: raw)
        }
        let response = try await app.testing().sendRequest(operation.method, path, headers: headers, body: buffer)
        if counts { called.insert(operationID) }
        let label = "\(operationID) (\(operation.method) \(path) as \(username ?? "anonymous"))"
        let status = response.status
        if let expected {
            #expect(status == expected, "\(label): \(status.code) \(response.body.string)", sourceLocation: sourceLocation)
        } else {
            #expect((200..<300).contains(status.code), "\(label): \(status.code) \(response.body.string)", sourceLocation: sourceLocation)
        }
        guard let documented = operation.spec["responses"]?[String(status.code)].map(check.resolve) else {
            Issue.record("\(label) answered \(status.code), which the document does not list", sourceLocation: sourceLocation)
            return (try? JSONValue.parse(Data(response.body.readableBytesView))) ?? .null
        }
        guard let content = documented["content"]?.object else {
            #expect(response.body.readableBytes == 0, "\(label): a body the document does not describe", sourceLocation: sourceLocation)
            return .null
        }
        let mediaType = response.headers.contentType.map { "\($0.type)/\($0.subType)" } ?? ""
        let described = try #require(content[mediaType], "\(label): answered \(mediaType), the document says \(content.keys.sorted())",
                                     sourceLocation: sourceLocation)
        guard mediaType.hasSuffix("json") else { return .null }
        let value = try JSONValue.parse(Data(response.body.readableBytesView))
        let problems = check.problems(value, described["schema"] ?? .object([:]))
        #expect(problems.isEmpty, "\(label) does not match the document:\n\(problems.prefix(20).joined(separator: "\n"))", sourceLocation: sourceLocation)
        return value
    }
}
