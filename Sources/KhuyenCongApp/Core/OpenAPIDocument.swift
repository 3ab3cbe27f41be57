import Foundation
import Vapor

/// The OpenAPI 3.0 description of `/api/v1`, served at `/api/openapi.json`. A test checks that every API route
/// is described here, and CI runs schemathesis against it.
enum OpenAPIDocument {
    static func routes(_ app: Application) {
        app.get("api", "openapi.json") { _ -> Response in
            let body = try JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])
            return Response(status: .ok, headers: ["Content-Type": "application/json"], body: .init(data: body))
        }.access(.public)
    }

    nonisolated(unsafe) static let document: [String: Any] = [
        "openapi": "3.0.3",
        "info": ["title": "Khuyến công API", "version": "1.0.0",
                 "description": "Kế hoạch, đề án và báo cáo khuyến công / plans, projects and reports of the khuyến công programme. "
                    + "Every POST, PATCH and DELETE accepts an optional `Idempotency-Key` header (1–200 printable ASCII characters, kept "
                    + "24 hours per user): the same request sent again gets the first answer with `Idempotent-Replayed: true`; the key "
                    + "with another request answers 422, a copy sent while the first is still running 409."],
        "servers": [["url": "/"]],
        "security": [["bearer": []]],
        "components": [
            "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]],
            "schemas": schemas,
        ],
        "paths": [
            "/api/v1/auth/token": [
                "post": operation("createToken", summary: "Cấp token / issue a token", security: false,
                                  body: "Credentials", success: ("201", "Token"), errors: ["400", "401", "415", "422"]),
                "delete": operation("revokeToken", summary: "Thu hồi token đang dùng / revoke the token in use",
                                    success: ("204", nil), errors: ["401"]),
            ],
            "/api/v1/me": [
                "get": operation("me", summary: "Người dùng hiện tại / the current user", success: ("200", "Me"), errors: ["401"]),
            ],
            "/api/v1/me/notifications": [
                "get": operation("myNotifications", summary: "Thông báo của người dùng hiện tại, mới nhất trước / the current user's notifications, newest first",
                                 parameters: [query("limit", ["type": "integer", "minimum": 1, "maximum": 200, "default": 50]),
                                              query("unread", ["type": "boolean", "description": "chỉ thông báo chưa đọc / unread only"])],
                                 success: ("200", "NotificationList"), errors: ["401", "422"]),
            ],
            "/api/v1/me/work": [
                "get": operation("myWork", summary: "Việc của tôi: việc đang chờ người gọi theo vai trò và phạm vi / the caller's work list by role and scope",
                                 success: ("200", "WorkList"), errors: ["401"]),
            ],
            "/api/v1/establishments/{taxCode}": [
                "parameters": [["name": "taxCode", "in": "path", "required": true, "schema": ["type": "string"], "example": "0100109106"]],
                "get": operation("showEstablishment", summary: "Cơ sở theo mã số thuế và mọi đề án hỗ trợ cơ sở trong phạm vi của người gọi / "
                                    + "an establishment by tax code and every project supporting it in the caller's scope",
                                 success: ("200", "Establishment"), errors: ["401", "404", "422"]),
            ],
            "/api/v1/projects": [
                "get": operation("listProjects", summary: "Danh sách đề án trong phạm vi của người gọi: lọc, tìm không dấu, sắp xếp, phân trang / "
                                    + "the register of projects in the caller's scope: filters, search ignoring diacritics and case, sorting, keyset pages",
                                 parameters: projectListParameters, success: ("200", "ProjectList"), errors: ["400", "401", "422"]),
                "post": operation("createProject", summary: "Tạo đề án (dự thảo); `warnings` báo năm kế hoạch có báo cáo năm đã phê duyệt / "
                                    + "create a draft project; `warnings` names a plan year whose annual report is approved",
                                  body: "ProjectInput", success: ("201", "Project"), errors: ["400", "401", "403", "404", "409", "415", "422"]),
            ],
            "/api/v1/projects/{code}/transitions": [
                "parameters": [codeParameter],
                "post": operation("transitionProject", summary: "Chuyển bước xử lý / move through the lifecycle",
                                  body: "TransitionRequest", success: ("200", "Project"), errors: ["400", "401", "403", "404", "409", "415", "422"]),
            ],
            "/api/v1/projects/{code}/appraisals": [
                "parameters": [codeParameter],
                "post": operation("appraiseProject", summary: "Chấm điểm thẩm định / score a project",
                                  body: "AppraisalInput", success: ("201", "Project"), errors: ["400", "401", "403", "404", "409", "415", "422"]),
            ],
            "/api/v1/projects/{code}/beneficiaries": [
                "parameters": [codeParameter],
                "post": operation("addBeneficiary", summary: "Thêm cơ sở thụ hưởng / add a beneficiary",
                                  body: "BeneficiaryInput", success: ("201", "Project"), errors: ["400", "401", "403", "404", "409", "415", "422"]),
            ],
            "/api/v1/projects/{code}/disbursements": [
                "parameters": [codeParameter],
                "post": operation("recordDisbursement", summary: "Ghi nhận giải ngân / record a disbursement",
                                  body: "DisbursementInput", success: ("201", "Project"), errors: ["400", "401", "403", "404", "409", "415", "422", "423"]),
            ],
            "/api/v1/projects/{code}/outputs": [
                "parameters": [codeParameter],
                "post": operation("recordOutput", summary: "Ghi nhận kết quả / record an output",
                                  body: "OutputInput", success: ("201", "Project"), errors: ["400", "401", "403", "404", "409", "415", "422", "423"]),
            ],
            // Corrections (issue 13): edits and removals where the lifecycle and the period locks allow; a removal needs its
            // reason and stays in the audit trail and the project's history.
            "/api/v1/projects/{code}/beneficiaries/{id}": [
                "parameters": [codeParameter, rowParameter],
                "patch": operation("updateBeneficiary", summary: "Sửa cơ sở thụ hưởng của đề án (dự thảo, bị trả lại) / correct a beneficiary",
                                   body: "BeneficiaryPatch", success: ("200", "Project"), errors: ["400", "401", "403", "404", "409", "415", "422"]),
                "delete": operation("removeBeneficiary", summary: "Xóa cơ sở thụ hưởng khỏi đề án, có lý do / remove a beneficiary, with the reason",
                                    parameters: [query("reason", ["type": "string", "minLength": 3], required: true)],
                                    success: ("200", "Project"), errors: ["400", "401", "403", "404", "409", "422"]),
            ],
            "/api/v1/projects/{code}/disbursements/{id}": [
                "parameters": [codeParameter, rowParameter],
                "patch": operation("updateDisbursement", summary: "Sửa khoản giải ngân / correct a disbursement",
                                   body: "DisbursementPatch", success: ("200", "Project"), errors: ["400", "401", "403", "404", "409", "415", "422", "423"]),
                "delete": operation("removeDisbursement", summary: "Xóa khoản giải ngân, có lý do / remove a disbursement, with the reason",
                                    parameters: [query("reason", ["type": "string", "minLength": 3], required: true)],
                                    success: ("200", "Project"), errors: ["400", "401", "403", "404", "409", "422", "423"]),
            ],
            "/api/v1/projects/{code}/outputs/{id}": [
                "parameters": [codeParameter, rowParameter],
                "patch": operation("updateOutput", summary: "Sửa kết quả / correct an output",
                                   body: "OutputPatch", success: ("200", "Project"), errors: ["400", "401", "403", "404", "409", "415", "422", "423"]),
                "delete": operation("removeOutput", summary: "Xóa kết quả, có lý do / remove an output, with the reason",
                                    parameters: [query("reason", ["type": "string", "minLength": 3], required: true)],
                                    success: ("200", "Project"), errors: ["400", "401", "403", "404", "409", "422", "423"]),
            ],
            "/api/v1/projects/{code}/attachments": [
                "parameters": [codeParameter, query("filename", ["type": "string"])],
                "post": operation("attachFile", summary: "Đính kèm tệp (nội dung là thân yêu cầu) / attach a file (the body is the file)",
                                  rawBody: true, success: ("201", "Attachment"), errors: ["400", "401", "403", "404", "413", "422"]),
            ],
            "/api/v1/attachments/{id}": [
                "parameters": [["name": "id", "in": "path", "required": true, "schema": ["type": "string", "format": "uuid"]]],
                "get": operation("downloadAttachment", summary: "Tải tệp đính kèm / download an attachment",
                                 success: ("200", nil), binary: true, errors: ["401", "404"]),
            ],
            "/api/v1/period-reports/reminders": [
                "get": operation("periodReportReminders", summary: "Báo cáo kỳ sắp đến hạn hoặc quá hạn / period reports due soon or overdue",
                                 parameters: [query("days", ["type": "integer", "minimum": 0, "maximum": 366])],
                                 success: ("200", nil), list: "Reminder", errors: ["400", "401", "403", "422"]),
            ],
            "/api/v1/period-reports/{unitCode}/{year}/{period}": [
                "parameters": reportParameters,
                "get": operation("getPeriodReport", summary: "Báo cáo kỳ của đơn vị / a unit's period report",
                                 success: ("200", "PeriodReport"), errors: ["401", "404"]),
            ],
            "/api/v1/period-reports/{unitCode}/{year}/{period}/submit": [
                "parameters": reportParameters,
                "post": operation("submitPeriodReport", summary: "Nộp báo cáo / submit", body: "Submission", optionalBody: true,
                                  success: ("200", "PeriodReport"), errors: ["400", "401", "403", "404", "409", "415", "422"]),
            ],
            "/api/v1/period-reports/{unitCode}/{year}/{period}/approve": [
                "parameters": reportParameters,
                "post": operation("approvePeriodReport", summary: "Phê duyệt và khóa / approve and lock",
                                  success: ("200", "PeriodReport"), errors: ["401", "403", "404", "409"]),
            ],
            "/api/v1/period-reports/{unitCode}/{year}/{period}/return": [
                "parameters": reportParameters,
                "post": operation("returnPeriodReport", summary: "Trả lại / return with a reason", body: "Reason",
                                  success: ("200", "PeriodReport"), errors: ["400", "401", "403", "404", "409", "415", "422"]),
            ],
            "/api/v1/period-reports/{unitCode}/{year}/{period}/unlock": [
                "parameters": reportParameters,
                "post": operation("unlockPeriodReport", summary: "Mở khóa / unlock with a reason", body: "Reason",
                                  success: ("200", "PeriodReport"), errors: ["400", "401", "403", "404", "409", "415", "422"]),
            ],
            "/api/v1/plans/{unitCode}/{year}": [
                "parameters": planParameters,
                "get": operation("getPlan", summary: "Kế hoạch năm của đơn vị / a unit's plan for a year",
                                 success: ("200", "Plan"), errors: ["401", "404"]),
            ],
            "/api/v1/plans/{unitCode}/{year}/lines": [
                "parameters": planParameters,
                "post": operation("savePlanLine", summary: "Nhập dòng kinh phí (dự thảo, hoặc điều chỉnh có quyết định) / a plan line (draft, or a decided revision)",
                                  body: "PlanLineInput", success: ("201", "Plan"), errors: ["400", "401", "403", "404", "409", "415", "422", "423"]),
            ],
            "/api/v1/plans/{unitCode}/{year}/targets": [
                "parameters": planParameters,
                "post": operation("savePlanTarget", summary: "Nhập chỉ tiêu (dự thảo, hoặc điều chỉnh có quyết định) / a plan target",
                                  body: "PlanTargetInput", success: ("201", "Plan"), errors: ["400", "401", "403", "404", "409", "415", "422", "423"]),
            ],
            "/api/v1/plans/{unitCode}/{year}/national/submit": [
                "parameters": planParameters,
                "post": operation("submitPlan_national", summary: "Trình kế hoạch / submit the national plan", body: "PlanSubmission", optionalBody: true,
                                  success: ("200", "Plan"), errors: ["400", "401", "403", "404", "409", "415", "422", "423"]),
            ],
            "/api/v1/plans/{unitCode}/{year}/national/approve": [
                "parameters": planParameters,
                "post": operation("approvePlan_national", summary: "Phê duyệt kế hoạch theo quyết định / approve the national plan by a decision",
                                  body: "PlanDecision", success: ("200", "Plan"), errors: ["400", "401", "403", "404", "409", "415", "422", "423"]),
            ],
            "/api/v1/plans/{unitCode}/{year}/national/return": [
                "parameters": planParameters,
                "post": operation("returnPlan_national", summary: "Trả lại kế hoạch / return the national plan with a reason", body: "PlanReturn",
                                  success: ("200", "Plan"), errors: ["400", "401", "403", "404", "409", "415", "422", "423"]),
            ],
            "/api/v1/plans/{unitCode}/{year}/local/submit": [
                "parameters": planParameters,
                "post": operation("submitPlan_local", summary: "Trình kế hoạch / submit the local plan", body: "PlanSubmission", optionalBody: true,
                                  success: ("200", "Plan"), errors: ["400", "401", "403", "404", "409", "415", "422", "423"]),
            ],
            "/api/v1/plans/{unitCode}/{year}/local/approve": [
                "parameters": planParameters,
                "post": operation("approvePlan_local", summary: "Phê duyệt kế hoạch theo quyết định / approve the local plan by a decision",
                                  body: "PlanDecision", success: ("200", "Plan"), errors: ["400", "401", "403", "404", "409", "415", "422", "423"]),
            ],
            "/api/v1/plans/{unitCode}/{year}/local/return": [
                "parameters": planParameters,
                "post": operation("returnPlan_local", summary: "Trả lại kế hoạch / return the local plan with a reason", body: "PlanReturn",
                                  success: ("200", "Plan"), errors: ["400", "401", "403", "404", "409", "415", "422", "423"]),
            ],
            "/api/v1/plans/{unitCode}/{year}/allocations": [
                "parameters": planParameters,
                "post": operation("allocatePlan", summary: "Phân bổ dự toán kế hoạch quốc gia đã duyệt (Bộ Công Thương) / allocate budget estimates to an approved national plan (the ministry)",
                                  body: "PlanAllocationInput", success: ("201", "Plan"), errors: ["400", "401", "403", "404", "409", "415", "422", "423"]),
            ],
            // The plan year's segment is named like the unit code of /plans/{unitCode}/{year} (one parameter name per
            // position in the router): here it holds the year, /api/v1/plans/2027/consolidation.
            "/api/v1/plans/{unitCode}/consolidation": [
                "get": operation("getPlanConsolidation", summary: "Tổng hợp kế hoạch quốc gia theo tỉnh, khu vực, cả nước / the national plans consolidated by province, region and country",
                                 parameters: [["name": "unitCode", "in": "path", "required": true, "description": "the plan year / năm kế hoạch",
                                               "schema": ["type": "integer"], "example": 2027],
                                              query("asOf", ["type": "string", "format": "date"])],
                                 success: ("200", "Consolidation"), errors: ["400", "401", "403", "422"]),
            ],
            "/api/v1/programmes/2026-2030": [
                "get": operation("getNationalProgramme", summary: "Chương trình khuyến công quốc gia 2026–2030 và kết quả thực hiện / the national programme with achievement to date",
                                 parameters: programmeQuery, success: ("200", "Programme"), errors: ["400", "401", "422"]),
                "post": operation("saveNationalProgramme", summary: "Nhập hoặc điều chỉnh chương trình quốc gia (Bộ Công Thương) / record or replace the national programme",
                                  body: "ProgrammeInput", success: ("201", "Programme"), replaced: true, errors: ["400", "401", "403", "409", "415", "422"]),
            ],
            "/api/v1/programmes/2026-2030/{unitCode}": [
                "parameters": [["name": "unitCode", "in": "path", "required": true, "schema": ["type": "string"], "example": "38"]],
                "get": operation("getProvinceProgramme", summary: "Chương trình khuyến công của tỉnh 2026–2030 / a province's programme with achievement to date",
                                 parameters: programmeQuery, success: ("200", "Programme"), errors: ["400", "401", "404", "422"]),
                "post": operation("saveProvinceProgramme", summary: "Nhập hoặc điều chỉnh chương trình của tỉnh (quyết định của UBND tỉnh) / record or replace a province's programme",
                                  body: "ProgrammeInput", success: ("201", "Programme"), replaced: true, errors: ["400", "401", "403", "404", "409", "415", "422"]),
            ],
            "/api/v1/projects/{code}": [
                "parameters": [codeParameter],
                "get": operation("getProject", summary: "Đề án / a project", success: ("200", "Project"), errors: ["401", "404"]),
                "patch": operation("updateProject", summary: "Sửa đề án (theo phiên bản) / edit a project (versioned)",
                                   body: "ProjectPatch", success: ("200", "Project"),
                                   errors: ["400", "401", "403", "404", "409", "415", "422"]),
            ],
            "/api/v1/users": [
                "get": operation("listUsers", summary: "Người dùng (quản trị, Bộ) / users (administrator, ministry)", success: ("200", nil),
                                 list: "User", errors: ["401", "403"]),
                "post": operation("createUser", summary: "Tạo người dùng (quản trị); không có mật khẩu thì trả liên kết đặt mật khẩu dùng một lần / "
                                    + "create a user (administrator); without a password a one-time set-password link is returned",
                                  body: "UserInput", success: ("201", "UserCreated"), errors: ["400", "401", "403", "409", "415", "422"]),
            ],
            "/api/v1/users/{username}": [
                "parameters": [usernameParameter],
                "get": operation("getUser", summary: "Một người dùng / a user", success: ("200", "User"), errors: ["401", "403", "404"]),
                "patch": operation("changeUser", summary: "Đổi vai trò, phạm vi, tên (không tự đổi của mình; giữ quản trị viên cuối cùng) / "
                                     + "change role, scope, name (never one's own; the last active administrator stays)",
                                   body: "UserChange", success: ("200", "User"), errors: ["400", "401", "403", "404", "409", "415", "422"]),
            ],
            "/api/v1/users/{username}/disable": [
                "parameters": [usernameParameter],
                "post": operation("disableUser", summary: "Khóa tài khoản / disable", success: ("200", "User"), errors: ["401", "403", "404", "409"]),
            ],
            "/api/v1/users/{username}/enable": [
                "parameters": [usernameParameter],
                "post": operation("enableUser", summary: "Mở tài khoản / enable", success: ("200", "User"), errors: ["401", "403", "404", "409"]),
            ],
            "/api/v1/users/{username}/unlock": [
                "parameters": [usernameParameter],
                "post": operation("unlockUser", summary: "Mở khóa đăng nhập / end a sign-in lock", success: ("200", "User"), errors: ["401", "403", "404", "409"]),
            ],
            "/api/v1/users/{username}/password-reset": [
                "parameters": [usernameParameter],
                "post": operation("issuePasswordResetLink", summary: "Liên kết đặt mật khẩu dùng một lần, hết hạn sau 24 giờ / a one-time set-password link, 24 hours",
                                  success: ("201", "PasswordResetLink"), errors: ["401", "403", "404", "409"]),
            ],
            "/api/v1/settings": [
                "get": operation("getSettings", summary: "Cài đặt: thời hạn năm kế hoạch, tên cơ quan theo thời gian, quyết định chương trình / settings",
                                 parameters: [query("year", ["type": "integer", "minimum": 2000, "maximum": 2100, "example": 2027])],
                                 success: ("200", "Settings"), errors: ["401", "422"]),
                "put": operation("changeSettings", summary: "Thay đổi cài đặt (quản trị; dòng mới, giữ lịch sử) / change settings (admin; new dated rows)",
                                 body: "SettingsChange", success: ("200", "Settings"), errors: ["401", "403", "409", "422"]),
                "post": operation("changeSettingsPost", summary: "Như PUT / same as PUT",
                                  body: "SettingsChange", success: ("200", "Settings"), errors: ["401", "403", "409", "422"]),
            ],
            "/api/v1/reports/monitoring": [
                "get": operation("reportMonitoring", summary: "Theo dõi, giám sát: đăng ký muộn, quyết toán quá hạn, báo cáo quý / monitoring lists",
                                 parameters: reportScopeParameters + [
                                    query("figures", ["type": "string", "enum": ["latest", "approved"]]),
                                 ],
                                 success: ("200", "Monitoring"), errors: ["400", "401", "404", "422"]),
            ],
            "/api/v1/rules": [
                "get": operation("getRules", summary: "Quy định hỗ trợ theo thời gian, có căn cứ pháp lý / the dated support rules with their legal basis",
                                 success: ("200", "Rules"), errors: ["401"]),
            ],
            "/api/v1/reports/summary": [
                "get": operation("reportSummary", summary: "Báo cáo tổng hợp / summary report",
                                 parameters: reportScopeParameters + [
                                    query("figures", ["type": "string", "enum": ["latest", "approved"]]),
                                 ],
                                 success: ("200", "Summary"), errors: ["400", "401", "404", "422"]),
            ],
            "/api/v1/quality": [
                "get": operation("quality", summary: "Chất lượng số liệu: lỗi và cảnh báo / data-quality findings",
                                 parameters: [
                                    query("region", ["type": "string", "enum": ["north", "central", "south"], "example": "north"]),
                                    query("unit", ["type": "string", "example": "38"]),
                                    query("country", ["type": "boolean"]),
                                    query("year", ["type": "integer", "minimum": 2000, "maximum": 2100, "example": 2026], required: true),
                                    query("period", ["type": "string", "enum": ["Q1", "H1", "Q3", "FY"], "example": "H1"]),
                                 ],
                                 success: ("200", "QualityFindings"), errors: ["400", "401", "404", "422"]),
            ],
        ],
    ]

    static var reportParameters: [[String: Any]] {
        [["name": "unitCode", "in": "path", "required": true, "schema": ["type": "string"], "example": "38"],
         ["name": "year", "in": "path", "required": true, "schema": ["type": "integer"], "example": 2026],
         ["name": "period", "in": "path", "required": true, "schema": ["type": "string", "enum": ["Q1", "H1", "Q3", "FY"]], "example": "H1"]]
    }

    static var planParameters: [[String: Any]] {
        [["name": "unitCode", "in": "path", "required": true, "schema": ["type": "string"], "example": "38"],
         ["name": "year", "in": "path", "required": true, "schema": ["type": "integer"], "example": 2027]]
    }

    static var programmeQuery: [[String: Any]] {
        [query("year", ["type": "integer", "minimum": 2000, "maximum": 2100, "example": 2026]),
         query("period", ["type": "string", "enum": ["Q1", "Q2", "Q3", "Q4", "H1", "H2", "9M", "FY"]]),
         query("asOf", ["type": "string", "format": "date"])]
    }

    static var codeParameter: [String: Any] {
        ["name": "code", "in": "path", "required": true, "schema": ["type": "string"], "example": "KC2024-24-DP-001"]
    }

    /// The id of a project's beneficiary link, disbursement or output (listed in the project's `beneficiaries`,
    /// `disbursements` and `outputs`).
    static var rowParameter: [String: Any] {
        ["name": "id", "in": "path", "required": true, "schema": ["type": "string", "format": "uuid"]]
    }

    /// The register's filters (`ProjectRegister.Query`): an empty value is no filter; a bad one answers 422 naming it.
    nonisolated(unsafe) static let projectListParameters: [[String: Any]] = [
        query("q", ["type": "string", "maxLength": 200, "description": "mã, tên, đơn vị thực hiện, cơ sở thụ hưởng; không phân biệt dấu và hoa thường; đúng một mã đề án thì chỉ đề án đó"]),
        query("unit", ["type": "string", "example": "24", "description": "mã đơn vị hiện nay (gồm các đơn vị tiền thân trước 01/07/2025)"]),
        query("year", ["type": "integer", "minimum": 2000, "maximum": 2100]),
        query("source", ["type": "string", "enum": ["national", "local"]]),
        query("category", ["type": "string", "example": "1"]),
        query("status", ["type": "string", "example": "approved"]),
        query("taxCode", ["type": "string", "example": "0100109106"]),
        query("late", ["type": "boolean", "description": "nộp sau hạn đăng ký của năm kế hoạch (đề án nguồn quốc gia)"]),
        query("waiting", ["type": "boolean", "description": "đã phê duyệt, chờ phân bổ kinh phí"]),
        query("sort", ["type": "string", "enum": ["code", "-code", "year", "-year", "title", "-title", "support", "-support",
                                                  "status", "-status", "submitted", "-submitted"]]),
        query("limit", ["type": "integer", "minimum": 1, "maximum": 200, "default": 50]),
        query("after", ["type": "string", "description": "`next` của trang trước / the previous page's `next`"]),
        query("cursor", ["type": "string", "description": "tên khác của `after` / another name of `after`"]),
    ]

    /// The scope of a report (`ReportScope.parse`): the summary's and the monitoring's query parameters.
    static var reportScopeParameters: [[String: Any]] {
        [
            query("region", ["type": "string", "enum": ["north", "central", "south"], "example": "north"]),
            query("unit", ["type": "string"]),
            query("country", ["type": "boolean"]),
            query("year", ["type": "integer", "minimum": 2000, "maximum": 2100, "example": 2024], required: true),
            query("period", ["type": "string", "enum": ["Q1", "Q2", "Q3", "Q4", "H1", "H2", "9M", "FY"]]),
            query("source", ["type": "string", "enum": ["national", "local"]]),
            query("restate", ["type": "boolean"]),
            query("asOf", ["type": "string", "format": "date"]),
        ]
    }

    static func query(_ name: String, _ schema: [String: Any], required: Bool = false) -> [String: Any] {
        ["name": name, "in": "query", "required": required, "schema": schema]
    }

    static func operation(_ id: String, summary: String, security: Bool = true, parameters: [[String: Any]] = [],
                          body: String? = nil, optionalBody: Bool = false, rawBody: Bool = false, success: (String, String?),
                          list: String? = nil, binary: Bool = false, replaced: Bool = false, errors: [String]) -> [String: Any] {
        var responses: [String: Any] = [:]
        if let list {
            responses[success.0] = ["description": "OK", "content": ["application/json": ["schema": array(list)]]]
        } else if binary {
            responses[success.0] = ["description": "OK",
                                    "content": ["application/octet-stream": ["schema": ["type": "string", "format": "binary"]]]]
        } else {
            responses[success.0] = success.1.map {
                ["description": "OK", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/\($0)"]]]]
            } ?? ["description": "OK"]
        }
        if replaced, let schema = success.1 {   // 201 when first recorded, 200 when it replaces the one in force
            responses["200"] = ["description": "OK (replaced)", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/\(schema)"]]]]
        }
        for code in errors {
            responses[code] = ["description": HTTPResponseStatus(statusCode: Int(code)!).reasonPhrase,
                               "content": ["application/problem+json": ["schema": ["$ref": "#/components/schemas/Problem"]]]]
        }
        var result: [String: Any] = ["operationId": id, "summary": summary, "responses": responses]
        if !security { result["security"] = [] as [Any] }
        if !parameters.isEmpty { result["parameters"] = parameters }
        if let body {
            result["requestBody"] = ["required": !optionalBody,
                                     "content": ["application/json": ["schema": ["$ref": "#/components/schemas/\(body)"]]]]
        }
        if rawBody {
            result["requestBody"] = ["required": true,
                                     "content": ["application/octet-stream": ["schema": ["type": "string", "format": "binary"]]]]
        }
        return result
    }

    static var usernameParameter: [String: Any] {
        ["name": "username", "in": "path", "required": true, "schema": ["type": "string", "pattern": "^[a-z0-9._-]{3,40}$"]]
    }

    static func object(_ properties: [String: Any], required: [String]) -> [String: Any] {
        ["type": "object", "properties": properties, "required": required]
    }

    static var string: [String: Any] { ["type": "string"] }
    static var nullableString: [String: Any] { ["type": "string", "nullable": true] }
    static var integer: [String: Any] { ["type": "integer", "format": "int64"] }
    static var nullableInteger: [String: Any] { ["type": "integer", "format": "int64", "nullable": true] }
    static var nullableNumber: [String: Any] { ["type": "number", "nullable": true] }
    static var boolean: [String: Any] { ["type": "boolean"] }
    static var programmeTarget: [String: Any] {
        object(["indicator": string, "name": string, "quantity": nullableInteger, "achieved": integer,
                "perMille": ["type": "integer", "nullable": true], "percent": string], required: ["indicator", "name", "achieved", "percent"])
    }
    static func array(_ ref: String) -> [String: Any] { ["type": "array", "items": ["$ref": "#/components/schemas/\(ref)"]] }

    nonisolated(unsafe) static let schemas: [String: Any] = [
        "Problem": object(["type": string, "title": string, "status": ["type": "integer"], "detail": string,
                           "current": ["$ref": "#/components/schemas/ProjectSnapshot"],
                           "titleVi": string, "detailVi": string, "detailEn": string,
                           "requestId": ["type": "string", "description": "the X-Request-Id header's value, to quote when asking"]],
                          required: ["type", "title", "status", "detail"]),
        "Credentials": object(["username": string, "password": string], required: ["username", "password"]),
        "NotificationList": object(["unread": integer, "items": array("Notification")], required: ["unread", "items"]),
        "Notification": object(["id": ["type": "string", "format": "uuid"], "kind": string, "title": string, "body": string,
                                "href": nullableString, "createdAt": ["type": "string", "format": "date-time"], "read": boolean,
                                "mailed": boolean],
                               required: ["id", "kind", "title", "body", "createdAt", "read", "mailed"]),
        "Token": object(["token": string, "expiresAt": ["type": "string", "format": "date-time"]], required: ["token", "expiresAt"]),
        "Me": object(["username": string, "displayName": string, "role": string, "unitCode": nullableString, "region": nullableString],
                     required: ["username", "displayName", "role"]),
        "ProjectPatch": object(["version": ["type": "integer"], "title": string, "implementingUnit": string, "supportKind": string,
                                "supportRequestedVnd": integer, "counterpartVnd": integer,
                                "plannedOutputs": ["type": "object", "additionalProperties": integer]], required: ["version"]),
        "ProjectSnapshot": object(["code": string, "title": string, "implementingUnit": string, "supportRequestedVnd": integer,
                                   "counterpartVnd": integer, "status": string, "version": ["type": "integer"]],
                                  required: ["code", "title", "implementingUnit", "supportRequestedVnd", "counterpartVnd", "status", "version"]),
        "Beneficiary": object(["taxCode": string, "name": string, "legalForm": string, "commune": string, "sector": string,
                               "womenOwned": boolean, "ethnicMinorityEmployer": boolean, "disadvantagedArea": boolean, "supportVnd": integer,
                               "id": ["type": "string", "format": "uuid"], "supportKind": nullableString, "ethnicMinorityOwned": boolean],
                              required: ["taxCode", "name", "legalForm", "commune", "sector", "womenOwned", "ethnicMinorityEmployer",
                                         "disadvantagedArea", "supportVnd", "ethnicMinorityOwned"]),
        "Event": object(["fromStatus": nullableString, "toStatus": string, "date": string, "actor": string,
                         "decisionNo": nullableString, "note": string], required: ["toStatus", "date", "actor", "note"]),
        "ProjectList": object(["items": array("ProjectListItem"), "next": nullableString, "nextCursor": nullableString],
                              required: ["items", "next", "nextCursor"]),
        "ProjectListItem": object(["code": string, "title": string, "unitCode": string, "unitName": string, "year": ["type": "integer"],
                                   "source": string, "category": string, "status": string, "statusName": string,
                                   "implementingUnit": string, "supportVnd": integer, "submittedOn": nullableString],
                                  required: ["code", "title", "unitCode", "unitName", "year", "source", "category", "status", "statusName",
                                             "implementingUnit", "supportVnd"]),
        "WorkList": object(["items": ["type": "array", "items": object(
            ["kind": string, "title": string, "href": string, "due": ["type": "string", "format": "date", "nullable": true]],
            required: ["kind", "title", "href", "due"])]], required: ["items"]),
        "Establishment": object(["taxCode": string, "name": string, "doubleFundingCategories": ["type": "array", "items": string],
                                 "projects": ["type": "array", "items": object(
                                    ["code": string, "year": ["type": "integer"], "unitCode": string, "category": string, "supportVnd": integer,
                                     "status": string, "title": string, "unitName": string, "source": string],
                                    required: ["code", "year", "unitCode", "category", "supportVnd", "status", "title", "unitName", "source"])]],
                                required: ["taxCode", "name", "projects", "doubleFundingCategories"]),
        "Reason": object(["reason": string], required: ["reason"]),
        "Submission": object(["coverNote": string], required: []),
        "Reminder": object(["unitCode": string, "unitName": string, "year": ["type": "integer"], "period": string, "dueOn": string,
                            "daysLeft": ["type": "integer"], "status": string], required: ["unitCode", "unitName", "year", "period", "dueOn", "daysLeft", "status"]),
        "PeriodReport": object([
            "unitCode": string, "unitName": string, "year": ["type": "integer"], "period": string, "status": string, "locked": boolean,
            "dueOn": nullableString, "submittedOn": nullableString, "daysLate": ["type": "integer", "nullable": true],
            "approvedOn": nullableString, "approvedBy": nullableString, "returnReason": nullableString, "unlockReason": nullableString,
            "coverNote": nullableString, "live": ["$ref": "#/components/schemas/Summary"],
            "submitted": ["allOf": [["$ref": "#/components/schemas/Summary"]], "nullable": true],
            "approved": ["allOf": [["$ref": "#/components/schemas/Summary"]], "nullable": true],
            "differences": ["type": "array", "items": object(["figure": string, "approved": integer, "now": integer], required: ["figure", "approved", "now"])],
        ], required: ["unitCode", "unitName", "year", "period", "status", "locked", "live", "differences"]),
        "ProjectInput": object([
            "code": string, "title": string, "unitCode": string, "year": ["type": "integer"], "source": ["type": "string", "enum": ["national", "local"]],
            "category": string, "implementingUnit": string, "beneficiaryTaxCode": string, "beneficiaryName": string,
            "supportKind": string, "supportVnd": integer, "counterpartVnd": integer, "status": string, "submittedOn": string, "approvedOn": string, "allocatedOn": string,
            "plannedOutputs": ["type": "object", "additionalProperties": integer],
            // A beneficiary's tax code already known: 409 naming the establishment unless this is true; another name is 422.
            "confirmExisting": boolean,
        ], required: ["title", "unitCode", "year", "source", "category", "implementingUnit", "supportVnd"]),
        "TransitionRequest": object([
            "to": string, "note": string, "decisionNo": string, "version": ["type": "integer"], "approvedSupportVnd": integer,
            "finalAmountVnd": integer, "targetYear": ["type": "integer"], "targetSource": string,
            "attachmentIds": ["type": "array", "items": ["type": "string", "format": "uuid"]],
        ], required: ["to"]),
        // With criteria (each one in force, 0 to its maximum, see GET /api/v1/rules appraisalCriteria) the total is computed; a
        // score sent as well must equal it (else 422). Without criteria a total alone is taken (older clients).
        "AppraisalInput": object(["score": ["type": "integer", "minimum": 0, "maximum": 100], "opinion": string,
                                  "criteria": ["type": "object", "additionalProperties": ["type": "integer"]]], required: ["opinion"]),
        "User": object(["username": string, "displayName": string, "role": ["type": "string", "enum": ["admin", "ministry_officer", "region_reviewer", "province_officer", "appraiser", "viewer"]],
                        "unitCode": nullableString, "region": nullableString, "affiliationTaxCode": nullableString, "disabled": boolean,
                        "lockedUntil": ["type": "string", "format": "date-time", "nullable": true]],
                       required: ["username", "displayName", "role", "disabled"]),
        "UserInput": object(["username": string, "displayName": string, "role": string, "unitCode": string, "region": string,
                             "affiliationTaxCode": string, "password": string], required: ["username", "role"]),
        "UserChange": ["type": "object", "properties": ["displayName": string, "role": string, "unitCode": string, "region": string,
                                                        "affiliationTaxCode": string]],
        "UserCreated": object(["user": ["$ref": "#/components/schemas/User"], "setPasswordLink": nullableString,
                               "linkExpiresAt": ["type": "string", "format": "date-time", "nullable": true]], required: ["user"]),
        "PasswordResetLink": object(["username": string, "path": string, "expiresAt": ["type": "string", "format": "date-time"],
                                     "mailedTo": nullableString],
                                    required: ["username", "path", "expiresAt"]),
        "BeneficiaryInput": object(["taxCode": string, "name": string, "legalForm": string, "commune": string, "sector": string,
                                    "womenOwned": boolean, "ethnicMinorityEmployer": boolean, "disadvantagedArea": boolean, "supportVnd": integer,
                                    "confirmExisting": boolean, "supportKind": string, "ethnicMinorityOwned": boolean],
                                   required: ["taxCode", "name", "supportVnd"]),
        "BeneficiaryPatch": ["type": "object", "properties": ["taxCode": string, "name": string, "supportVnd": integer, "confirmExisting": boolean,
                                                              "supportKind": string]],
        "DisbursementPatch": ["type": "object", "properties": ["date": ["type": "string", "format": "date"], "amountVnd": integer,
                                                               "basis": ["type": "string", "enum": ["actual", "estimate"]],
                                                               "kind": ["type": "string", "enum": ["advance", "payment", "settlement"]]]],
        "OutputPatch": ["type": "object", "properties": ["date": ["type": "string", "format": "date"], "indicator": string, "quantity": integer,
                                                         "basis": ["type": "string", "enum": ["actual", "estimate"]]]],
        "Disbursement": object(["id": ["type": "string", "format": "uuid"], "date": string, "amountVnd": integer, "basis": string, "kind": string],
                               required: ["id", "date", "amountVnd", "basis", "kind"]),
        "Output": object(["id": ["type": "string", "format": "uuid"], "date": string, "indicator": string, "quantity": integer, "basis": string],
                         required: ["id", "date", "indicator", "quantity", "basis"]),
        "DisbursementInput": object(["date": ["type": "string", "format": "date"], "amountVnd": integer,
                                     "basis": ["type": "string", "enum": ["actual", "estimate"]],
                                     "kind": ["type": "string", "enum": ["advance", "payment", "settlement"]]], required: ["date", "amountVnd", "kind"]),
        "OutputInput": object(["date": ["type": "string", "format": "date"], "indicator": string, "quantity": integer,
                               "basis": ["type": "string", "enum": ["actual", "estimate"]]], required: ["date", "indicator", "quantity"]),
        "Attachment": object(["id": ["type": "string", "format": "uuid"], "filename": string, "size": ["type": "integer"],
                              "eventId": ["type": "string", "format": "uuid", "nullable": true]], required: ["id", "filename", "size"]),
        "AppraisalResult": object(["round": ["type": "integer"], "level": string, "count": ["type": "integer"], "meanScore": nullableNumber,
                                   "opinions": ["type": "array", "items": ["type": "string"]]], required: ["round", "level", "count", "opinions"]),
        "PriorSupport": object(["taxCode": string, "name": string, "projectCode": string, "year": ["type": "integer"]],
                               required: ["taxCode", "name", "projectCode", "year"]),
        "Project": object([
            "code": string, "title": string, "unitCode": string, "unitName": string, "year": ["type": "integer"], "source": string,
            "category": string, "supportKind": string, "implementingUnit": string, "supportRequestedVnd": integer, "supportApprovedVnd": nullableInteger,
            "counterpartVnd": integer, "status": string, "submittedOn": nullableString, "approvedOn": nullableString,
            "allocatedOn": nullableString, "version": ["type": "integer"], "beneficiaries": array("Beneficiary"), "events": array("Event"),
            "settledVnd": nullableInteger, "movedFromCode": nullableString, "lateDays": ["type": "integer", "nullable": true],
            "appraisals": array("AppraisalResult"), "priorSupport": array("PriorSupport"), "attachments": array("Attachment"),
            "plannedOutputs": ["type": "object", "additionalProperties": integer],
            "disbursements": array("Disbursement"), "outputs": array("Output"),
            // Only in the answer of createProject: Vietnamese warnings, e.g. the plan year's annual report is approved and locked.
            "warnings": ["type": "array", "items": string],
        ], required: ["code", "title", "unitCode", "unitName", "year", "source", "category", "implementingUnit", "supportRequestedVnd",
                      "counterpartVnd", "status", "version", "plannedOutputs", "beneficiaries", "events", "appraisals", "priorSupport", "attachments"]),
        "Settings": object([
            "year": ["type": "integer"],
            "deadlines": ["type": "array", "items": object(["step": string, "name": string, "date": nullableString, "daysAfter": nullableInteger,
                                                           "legalBasis": string, "recordedBy": nullableString, "recordedAt": nullableString],
                                                          required: ["step", "name", "legalBasis"])],
            "deadlineHistory": ["type": "array", "items": object(["step": string, "date": nullableString, "daysAfter": nullableInteger,
                                                                 "legalBasis": string, "recordedBy": string, "recordedAt": nullableString],
                                                                required: ["step", "legalBasis", "recordedBy"])],
            "agencyNames": ["type": "array", "items": object(["name": string, "shortName": string, "validFrom": string, "legalBasis": string,
                                                             "recordedBy": string, "recordedAt": nullableString],
                                                            required: ["name", "shortName", "validFrom", "legalBasis", "recordedBy"])],
            "agencyNameToday": string,
            "programmes": ["type": "array", "items": object(["scope": string, "name": string, "term": string, "decisionNo": string,
                                                            "decidedOn": string, "signer": string, "version": ["type": "integer"]],
                                                           required: ["scope", "name", "term", "decisionNo", "decidedOn", "signer", "version"])],
        ], required: ["year", "deadlines", "deadlineHistory", "agencyNames", "agencyNameToday", "programmes"]),
        "SettingsChange": object([
            "deadlines": object(["year": ["type": "integer", "minimum": 2000, "maximum": 2100], "legalBasis": string,
                                 "dates": ["type": "object", "additionalProperties": ["type": "string", "format": "date"]],
                                 "settlementFileDays": ["type": "integer", "minimum": 1, "maximum": 366]], required: ["year", "legalBasis"]),
            "agencyName": object(["name": string, "shortName": string, "validFrom": ["type": "string", "format": "date"], "legalBasis": string],
                                 required: ["name", "shortName", "validFrom", "legalBasis"]),
            "programmes": ["type": "array", "items": object(["scope": string, "decisionNo": string, "decidedOn": ["type": "string", "format": "date"],
                                                            "signer": string, "version": ["type": "integer"]],
                                                           required: ["scope", "decisionNo", "decidedOn"])],
        ], required: []),
        "Monitoring": object([
            "lateSubmissions": ["type": "array", "items": ["type": "object"]], "silentUnits": ["type": "array", "items": ["type": "object"]],
            "silentYears": ["type": "integer"], "waitingAllocation": ["type": "array", "items": ["type": "object"]],
            "periodReports": ["type": "array", "items": ["type": "object"]], "pipeline": ["type": "array", "items": ["type": "object"]],
            "latePlanRegistrations": ["type": "array", "items": ["type": "object"]],
            "lateMinistryRegistrations": ["type": "array", "items": object(["unitCode": string, "unitName": string, "projectCode": string,
                "year": ["type": "integer"], "deadline": string, "registeredOn": nullableString, "state": ["type": "string", "enum": ["late", "missing"]],
                "daysLate": ["type": "integer"]], required: ["unitCode", "unitName", "projectCode", "year", "deadline", "state", "daysLate"])],
            "overdueSettlements": ["type": "array", "items": object(["unitCode": string, "unitName": string, "projectCode": string,
                "year": ["type": "integer"], "acceptedOn": string, "step": ["type": "string", "enum": ["settlement_file", "settlement_close"]],
                "deadline": string, "settledOn": nullableString, "state": ["type": "string", "enum": ["late", "missing"]], "daysLate": ["type": "integer"]],
                required: ["unitCode", "unitName", "projectCode", "year", "acceptedOn", "step", "deadline", "state", "daysLate"])],
            "quarterlyReports": ["type": "array", "items": object(["unitCode": string, "name": string, "quarter": ["type": "string", "enum": ["Q1", "Q2", "Q3", "Q4"]],
                "due": string, "state": ["type": "string", "enum": ["late", "missing"]], "daysLate": ["type": "integer"]],
                required: ["unitCode", "name", "quarter", "due", "state", "daysLate"])],
        ], required: ["lateSubmissions", "silentUnits", "waitingAllocation", "periodReports", "pipeline", "latePlanRegistrations",
                      "lateMinistryRegistrations", "overdueSettlements", "quarterlyReports"]),
        "Rules": object([
            "supportKinds": ["type": "array", "items": object(["code": string, "category": string, "name": string, "indicator": nullableString,
                                                              "validFrom": string, "validUntil": nullableString, "legalBasis": string],
                                                             required: ["code", "category", "name", "validFrom", "legalBasis"])],
            "caps": ["type": "array", "items": object(["kind": string, "source": ["type": "string", "enum": ["national", "local"]],
                                                      "unitCode": nullableString, "maxSharePercent": ["type": "number"], "maxAmountVnd": integer,
                                                      "per": ["type": "string", "enum": ["establishment", "model"]], "validFrom": string,
                                                      "validUntil": nullableString, "legalBasis": string],
                                                     required: ["kind", "source", "maxSharePercent", "maxAmountVnd", "per", "validFrom", "legalBasis"])],
            "advances": ["type": "array", "items": object(["kind": string, "firstAdvancePercent": ["type": "number"], "validFrom": string,
                                                          "validUntil": nullableString, "legalBasis": string],
                                                         required: ["kind", "firstAdvancePercent", "validFrom", "legalBasis"])],
            "deadlines": ["type": "array", "items": object(["year": ["type": "integer"], "step": string, "date": string, "legalBasis": string],
                                                          required: ["year", "step", "date", "legalBasis"])],
            "relativeDeadlines": ["type": "array", "items": object(["year": ["type": "integer"], "step": string, "daysAfter": ["type": "integer"],
                                                                  "after": string, "legalBasis": string],
                                                                 required: ["year", "step", "daysAfter", "after", "legalBasis"])],
            "priorityUplifts": ["type": "array", "items": object(["factorPerMille": integer, "validFrom": string, "validUntil": nullableString,
                                                                "legalBasis": string], required: ["factorPerMille", "validFrom", "legalBasis"])],
            "appraisalCriteria": ["type": "array", "items": object(["code": string, "name": string, "maxScore": ["type": "integer"],
                                                                   "weight": ["type": "integer"], "validFrom": string, "validUntil": nullableString,
                                                                   "legalBasis": string],
                                                                  required: ["code", "name", "maxScore", "weight", "validFrom", "legalBasis"])],
            // The ministry's regions and their member units, dated (M0051); validUntil is the first day the row no longer holds.
            "regions": ["type": "array", "items": object(["unitCode": string, "region": ["type": "string", "enum": ["north", "central", "south"]],
                                                         "validFrom": string, "validUntil": nullableString, "legalBasis": string],
                                                        required: ["unitCode", "region", "validFrom", "legalBasis"])],
        ], required: ["supportKinds", "caps", "advances", "deadlines", "relativeDeadlines", "priorityUplifts", "appraisalCriteria", "regions"]),
        "PlanLineInput": object(["source": ["type": "string", "enum": ["national", "local"]], "category": string, "amountVnd": integer,
                                 "reason": string, "decisionNo": string, "approvedOn": ["type": "string", "format": "date"],
                                 "version": ["type": "integer"]], required: ["source", "category", "amountVnd"]),
        "PlanTargetInput": object(["source": ["type": "string", "enum": ["national", "local"]], "category": string, "indicator": string,
                                   "quantity": integer, "decisionNo": string, "approvedOn": ["type": "string", "format": "date"],
                                   "version": ["type": "integer"]], required: ["source", "category", "indicator", "quantity"]),
        "PlanSubmission": object(["version": ["type": "integer"]], required: []),
        "PlanDecision": object(["decisionNo": string, "approvedOn": ["type": "string", "format": "date"], "signer": nullableString,
                                "version": ["type": "integer"]],
                               required: ["decisionNo", "approvedOn"]),
        "PlanReturn": object(["reason": string, "version": ["type": "integer"]], required: ["reason"]),
        "Plan": object([
            "unitCode": string, "unitName": string, "year": ["type": "integer"],
            "sources": ["type": "array", "items": object([
                "source": string, "status": ["type": "string", "enum": ["draft", "submitted", "approved", "returned"]],
                "version": ["type": "integer"], "decisionNo": nullableString, "approvedOn": nullableString,
                "submittedOn": nullableString, "returnReason": nullableString, "signer": nullableString,
                "files": ["type": "array", "items": object(["decisionNo": string, "filename": string, "size": ["type": "integer"], "url": string],
                                                           required: ["decisionNo", "filename", "size", "url"])],
                "lines": ["type": "array", "items": object([
                    "category": string, "amountVnd": integer, "draftAmountVnd": nullableInteger, "draftReason": nullableString,
                    "revisions": ["type": "array", "items": object(["amountVnd": integer, "approvedOn": string, "decisionNo": string,
                                                                    "reason": nullableString], required: ["amountVnd", "approvedOn", "decisionNo"])],
                ], required: ["category", "amountVnd", "revisions"])],
                "targets": ["type": "array", "items": object(["category": string, "indicator": string, "quantity": integer,
                                                             "draftQuantity": nullableInteger], required: ["category", "indicator", "quantity"])],
            ], required: ["source", "status", "version", "lines", "targets"])],
            "allocations": ["type": "array", "items": object(["amountVnd": integer, "allocatedOn": string, "decisionNo": string],
                                                             required: ["amountVnd", "allocatedOn", "decisionNo"])],
        ], required: ["unitCode", "unitName", "year", "sources"]),
        "PlanAllocationInput": object(["amountVnd": integer, "allocatedOn": ["type": "string", "format": "date"], "decisionNo": string],
                                      required: ["amountVnd", "allocatedOn", "decisionNo"]),
        "ConsolidationTotals": object(["units": ["type": "integer"], "registeredProjects": ["type": "integer"], "supportRequestedVnd": integer,
                                       "askedVnd": integer, "approvedVnd": integer, "allocatedVnd": integer, "notAllocatedVnd": integer],
                                      required: ["units", "registeredProjects", "supportRequestedVnd", "askedVnd", "approvedVnd", "allocatedVnd", "notAllocatedVnd"]),
        "Consolidation": object([
            "year": ["type": "integer"], "asOf": string, "registrationDeadline": string, "ministryDeadline": string,
            "regions": ["type": "array", "items": object([
                "region": string, "name": string, "subtotal": ["$ref": "#/components/schemas/ConsolidationTotals"],
                "rows": ["type": "array", "items": object([
                    "unitCode": string, "unitName": string, "unitID": string, "region": string,
                    "status": ["type": "string", "enum": ["draft", "submitted", "approved", "returned"]], "version": ["type": "integer"],
                    "submittedOn": nullableString, "daysLate": ["type": "integer", "nullable": true], "decisionNo": nullableString,
                    "approvedOn": nullableString, "registeredProjects": ["type": "integer"], "supportRequestedVnd": integer,
                    "askedVnd": integer, "approvedVnd": integer, "allocatedVnd": integer, "notAllocatedVnd": integer,
                ], required: ["unitCode", "unitName", "unitID", "region", "status", "version", "registeredProjects", "supportRequestedVnd",
                              "askedVnd", "approvedVnd", "allocatedVnd", "notAllocatedVnd"])],
            ], required: ["region", "name", "rows", "subtotal"])],
            "total": ["$ref": "#/components/schemas/ConsolidationTotals"],
        ], required: ["year", "asOf", "registrationDeadline", "ministryDeadline", "regions", "total"]),
        "ProgrammeInput": object([
            "decisionNo": string, "decidedOn": ["type": "string", "format": "date"], "signer": string,
            "nationalVnd": nullableInteger, "localVnd": nullableInteger, "version": ["type": "integer"],
            "targets": ["type": "array", "items": object(["indicator": string, "quantity": integer], required: ["indicator", "quantity"])],
        ], required: ["decisionNo", "decidedOn", "signer", "targets"]),
        "Programme": object([
            "term": string, "firstYear": ["type": "integer"], "lastYear": ["type": "integer"], "scope": ["type": "string", "enum": ["country", "province"]],
            "unitCode": nullableString, "name": string, "version": ["type": "integer"],
            "decision": ["allOf": [object(["number": string, "date": string, "signer": string], required: ["number", "date", "signer"])], "nullable": true],
            "basis": ["type": "string", "enum": ["national", "province", "provinces", "nationalForRegion", "none"]], "countedSource": nullableString,
            "through": object(["year": ["type": "integer"], "period": string, "asOf": string], required: ["year", "period", "asOf"]),
            "targets": ["type": "array", "items": programmeTarget],
            "money": ["type": "array", "items": object(["source": string, "plannedVnd": integer, "achievedVnd": integer,
                                                       "perMille": ["type": "integer", "nullable": true], "percent": string],
                                                      required: ["source", "plannedVnd", "achievedVnd", "percent"])],
            "realisedVnd": integer,
            "years": ["type": "array", "items": object(["year": ["type": "integer"], "period": string,
                                                       "outputs": ["type": "object", "additionalProperties": integer], "realisedVnd": integer],
                                                      required: ["year", "period", "outputs", "realisedVnd"])],
            "provinces": ["type": "array", "nullable": true, "items": object([
                "unitCode": string, "name": string, "realisedVnd": integer, "targets": ["type": "array", "items": programmeTarget],
                "decision": object(["number": string, "date": string, "signer": string], required: ["number", "date", "signer"]),
            ], required: ["unitCode", "name", "decision", "targets", "realisedVnd"])],
        ], required: ["term", "firstYear", "lastYear", "scope", "name", "version", "basis", "through", "targets", "money", "realisedVnd", "years"]),
        "QualityFindings": object(["findings": array("QualityFinding")], required: ["findings"]),
        "QualityFinding": object(["rule": string, "severity": ["type": "string", "enum": ["error", "warning"]], "projectCode": nullableString,
                                  "unitCode": string, "message": string, "comment": nullableString],
                                 required: ["rule", "severity", "projectCode", "unitCode", "message", "comment"]),
        "Summary": object([
            "scope": ["type": "object"],
            "approval": object(["figures": string, "approvedUnits": ["type": "integer"], "units": ["type": "integer"], "sharePct": nullableNumber],
                               required: ["figures", "approvedUnits", "units"]),
            "plan": object(["amountVnd": integer, "previousYearVnd": integer, "changePct": nullableNumber],
                           required: ["amountVnd", "previousYearVnd"]),
            "realised": object(["amountVnd": integer, "pctOfPlan": nullableNumber, "samePeriodPreviousYearVnd": integer,
                                "changePct": nullableNumber], required: ["amountVnd", "samePeriodPreviousYearVnd"]),
            "byCategory": ["type": "array", "items": object(["category": string, "name": string, "planVnd": integer,
                                                            "sharePct": nullableNumber, "realisedVnd": integer],
                                                           required: ["category", "planVnd", "realisedVnd"])],
            "bySource": ["type": "array", "items": object(["source": string, "planVnd": integer, "realisedVnd": integer,
                                                          "pctOfPlan": nullableNumber], required: ["source", "planVnd", "realisedVnd"])],
            "targets": ["type": "array", "items": object(["indicator": string, "name": string, "planned": integer, "realised": integer],
                                                        required: ["indicator", "planned", "realised"])],
            "byUnit": ["type": "array", "items": object(["unitCode": string, "unitID": string, "name": string, "planVnd": integer,
                                                        "realisedVnd": integer, "pctOfPlan": nullableNumber, "rank": ["type": "integer"]],
                                                       required: ["unitCode", "name", "planVnd", "realisedVnd", "rank"])],
        ], required: ["scope", "plan", "realised", "byCategory", "bySource", "targets", "byUnit"]),
    ]
}
