import Fluent

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

    func insert(on db: any Database) async throws {
        try await batches(planYears, on: db)
        try await batches(planLines, on: db)
        try await batches(revisions, on: db)
        try await batches(targets, on: db)
        try await batches(projects, on: db)
        try await batches(beneficiaries, on: db)
        try await batches(projectBeneficiaries, on: db)
        try await batches(events, on: db)
        try await batches(disbursements, on: db)
        try await batches(outputs, on: db)
        try await batches(periodReports, on: db)
        try await batches(audit, on: db)
    }

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
