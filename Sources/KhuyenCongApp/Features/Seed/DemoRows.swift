import Fluent
import Foundation
import KhuyenCongCore
import SQLKit

/// The rows of the demo data set, gathered before they are written in batches.
struct DemoRows {
    var planYears: [PlanYearSetting] = []
    var planLines: [PlanLine] = []
    var revisions: [PlanLineRevision] = []
    var targets: [PlanTarget] = []
    var projects: [Project] = []
    var beneficiaries: [Beneficiary] = []
    var projectBeneficiaries: [ProjectBeneficiary] = []
    var events: [ProjectEvent] = []
    var disbursements: [Disbursement] = []
    var outputs: [OutputRecord] = []
    var periodReports: [PeriodReport] = []
    var audit: [AuditEntry] = []

    var usedTaxCodes: Set<String> = []
    var reference2024Projects: [Project] = []
    /// Projects so far per unit, year and source (a project's code carries its number).
    private var projectCounts: [String: Int] = [:]

    /// The number the next project of this unit, year and source takes.
    func nextSequence(unit: UnitID, year: Int, source: String) -> Int {
        (projectCounts["\(unit)|\(year)|\(source)"] ?? 0) + 1
    }

    mutating func append(_ project: Project) {
        projects.append(project)
        projectCounts["\(project.unitID)|\(project.year)|\(project.source)", default: 0] += 1
    }

    /// The few rows of the small tables through Fluent; the thousands of the others as multi-row inserts of their
    /// values (`BulkInsert`), which skip Fluent's per-model reflection (most of the seed's time). The values are the
    /// models' own, column for column, so the rows are the same as a Fluent `create` writes; the creation timestamps
    /// are set afterwards in one statement per table, with the value Fluent would have bound.
    func insert(on db: any Database) async throws {
        try await batches(planYears, on: db)
        var lines = BulkInsert("plan_lines", ["id", "unit_id", "year", "source", "category_code"])
        for line in planLines { try await lines.add([.uuid(line.id!), .text(line.unitID.rawValue), .integer(Int64(line.year)), .text(line.source.rawValue), .text(line.categoryCode)], on: db) }
        try await lines.flush(on: db)
        var lineRevisions = BulkInsert("plan_line_revisions", ["id", "plan_line_id", "amount_vnd", "approved_on", "decision_no", "reason"])
        for revision in revisions {
            try await lineRevisions.add([.uuid(UUID()), .uuid(revision.$planLine.id), .integer(revision.amountVnd.dong), .text(revision.approvedOn),
                                         .text(revision.decisionNo), Self.optional(revision.reason)], on: db)
        }
        try await lineRevisions.flush(on: db)
        var planTargets = BulkInsert("plan_targets", ["id", "unit_id", "year", "source", "category_code", "indicator_code", "quantity"])
        for target in targets {
            try await planTargets.add([.uuid(UUID()), .text(target.unitID.rawValue), .integer(Int64(target.year)), .text(target.source.rawValue),
                                       .text(target.categoryCode), .text(target.indicatorCode), .integer(target.quantity)], on: db)
        }
        try await planTargets.flush(on: db)
        var projectRows = BulkInsert("projects", ["id", "code", "title", "unit_id", "year", "source", "category_code", "implementing_unit",
                                                  "support_kind", "support_requested_vnd", "support_approved_vnd", "counterpart_vnd", "status",
                                                  "submitted_on", "approved_on", "allocated_on", "settled_vnd", "moved_from_code", "version"])
        for project in projects {
            try await projectRows.add([.uuid(project.id!), .text(project.code), .text(project.title), .text(project.unitID.rawValue), .integer(Int64(project.year)),
                                       .text(project.source.rawValue), .text(project.categoryCode), .text(project.implementingUnit), Self.optional(project.supportKind),
                                       .integer(project.supportRequestedVnd.dong), Self.optional(project.supportApprovedVnd), .integer(project.counterpartVnd.dong),
                                       .text(project.status.rawValue), Self.optional(project.submittedOn), Self.optional(project.approvedOn),
                                       Self.optional(project.allocatedOn), Self.optional(project.settledVnd), Self.optional(project.movedFromCode),
                                       .integer(Int64(project.version))], on: db)
        }
        try await projectRows.flush(on: db)
        var beneficiaryRows = BulkInsert("beneficiaries", ["id", "tax_code", "name", "legal_form", "commune", "sector", "women_owned",
                                                           "ethnic_minority_employer", "disadvantaged_area", "ethnic_minority_owned"])
        for beneficiary in beneficiaries {
            try await beneficiaryRows.add([.uuid(beneficiary.id!), .text(beneficiary.taxCode), .text(beneficiary.name), .text(beneficiary.legalForm),
                                           .text(beneficiary.commune), .text(beneficiary.sector), .bool(beneficiary.womenOwned),
                                           .bool(beneficiary.ethnicMinorityEmployer), .bool(beneficiary.disadvantagedArea),
                                           .bool(beneficiary.ethnicMinorityOwned)], on: db)
        }
        try await beneficiaryRows.flush(on: db)
        var links = BulkInsert("project_beneficiaries", ["id", "project_id", "beneficiary_id", "support_vnd", "support_kind"])
        for link in projectBeneficiaries {
            try await links.add([.uuid(UUID()), .uuid(link.$project.id), .uuid(link.$beneficiary.id), .integer(link.supportVnd.dong),
                                 Self.optional(link.supportKind)], on: db)
        }
        try await links.flush(on: db)
        var eventRows = BulkInsert("project_events", ["id", "project_id", "from_status", "to_status", "on_date", "actor", "decision_no", "note"])
        for event in events {
            try await eventRows.add([.uuid(UUID()), .uuid(event.$project.id), Self.optional(event.fromStatus?.rawValue), .text(event.toStatus.rawValue),
                                     .text(event.onDate), .text(event.actor), Self.optional(event.decisionNo), .text(event.note)], on: db)
        }
        try await eventRows.flush(on: db)
        var payments = BulkInsert("disbursements", ["id", "project_id", "on_date", "amount_vnd", "basis", "kind"])
        for payment in disbursements {
            try await payments.add([.uuid(UUID()), .uuid(payment.$project.id), .text(payment.onDate), .integer(payment.amountVnd.dong),
                                    .text(payment.basis.rawValue), .text(payment.kind.rawValue)], on: db)
        }
        try await payments.flush(on: db)
        var outputRows = BulkInsert("outputs", ["id", "project_id", "on_date", "indicator_code", "quantity", "basis"])
        for output in outputs {
            try await outputRows.add([.uuid(UUID()), .uuid(output.$project.id), .text(output.onDate), .text(output.indicatorCode),
                                      .integer(output.quantity), .text(output.basis.rawValue)], on: db)
        }
        try await outputRows.flush(on: db)
        // The creation timestamps Fluent's `create` sets (projects: created and updated; events and revisions: recorded).
        let sql = db as! any SQLDatabase
        let now = Date()
        try await sql.raw("UPDATE projects SET created_at = \(bind: now), updated_at = \(bind: now) WHERE created_at IS NULL").run()
        try await sql.raw("UPDATE project_events SET recorded_at = \(bind: now) WHERE recorded_at IS NULL").run()
        try await sql.raw("UPDATE plan_line_revisions SET recorded_at = \(bind: now) WHERE recorded_at IS NULL").run()
        try await batches(periodReports, on: db)
        try await batches(audit, on: db)
    }

    private static func optional(_ text: String?) -> BulkInsert.Value { text.map { .text($0) } ?? .null }
    private static func optional(_ amount: Money?) -> BulkInsert.Value { amount.map { .integer($0.dong) } ?? .null }

    /// Multi-row inserts of a few hundred rows keep both databases well inside their parameter limits.
    private func batches<M: Model>(_ models: [M], on db: any Database) async throws {
        var start = 0
        while start < models.count {
            let end = min(start + 300, models.count)
            try await Array(models[start..<end]).create(on: db)
            start = end
        }
    }
}
