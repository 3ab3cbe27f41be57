import Fluent

/// Every migration, in order. A landed migration is never edited; a change is a new one at the end.
enum Migrations {
    static let all: [any Migration] = [
        M0001_CreateRegions(),
        M0002_CreateAdminUnits(),
        M0003_CreateCategories(),
        M0004_CreateIndicators(),
        M0005_CreatePlanLines(),
        M0006_CreatePlanLineRevisions(),
        M0007_CreatePlanTargets(),
        M0008_CreatePlanYears(),
        M0009_CreateProjects(),
        M0010_CreateBeneficiaries(),
        M0011_CreateProjectBeneficiaries(),
        M0012_CreateProjectEvents(),
        M0013_CreateDisbursements(),
        M0014_CreateOutputs(),
        M0015_CreatePeriodReports(),
        M0016_CreateUsers(),
        M0017_CreateAuditLog(),
        M0018_CreateReportIndexes(),
        M0019_CreateApiTokens(),
        SessionRecord.migration,
        M0020_CreateAppraisals(),
        M0021_CreateAttachments(),
        M0022_CreatePlannedOutputs(),
        M0023_CreateReportTotals(),
        M0024_CreateReportVersion(),
        M0025_CreateIdempotencyKeys(),
        M0026_CreateFormSubmissions(),
        M0030_CreatePlanStatuses(), M0031_CreatePlanDrafts(), M0032_CreatePlanDraftTargets(), M0033_AddPlanRevisionReasons(),
        M0034_CreateProgrammes(),
        M0035_CreatePlanAllocations(), M0036_AddMinistryDeadline(),
        M0037_AddPlanDecisionRecords(),
        M0038_CreateProjectSearch(),
    ]
}
