import Foundation
import KhuyenCongCore

/// A unit's period report page as a person reads it: the status in words, dates dd/mm/yyyy, money the Vietnamese way,
/// the history as sentences. Built from the report as the API gives it, its audit entries and the reader's rights,
/// without a database, so that a page-model test covers the formatting (ReportPageModelTests).
struct PeriodReportPage: Encodable {
    struct Figure: Encodable { let label: String; let live: String; let submitted: String; let approved: String }
    let title: String
    let layout: PageLayout
    let csrf: String
    /// The step forms' addresses: `submit`, `approve`, `return`, `unlock`.
    let steps: [String: String]
    let heading: String
    let status: String
    let locked: Bool
    let facts: [ProjectPage.Field]
    let figures: [Figure]
    let differences: [String]
    let history: [String]
    let canSubmit: Bool
    let canReview: Bool
    let canUnlock: Bool
    /// Data-quality findings of the unit and period, with the unit's comments.
    let quality: QualitySection
    let error: String?
}

extension PeriodReportPage {
    /// The page of `key`'s report `dto` for `reader`; `history` is the report's audit entries, oldest first.
    init(_ key: PeriodReportWorkflow.Key, report dto: PeriodReportsAPIController.ReportDTO, history: [AuditEntry], reader: Principal,
         quality: QualitySection, layout: PageLayout, csrf: String, language: Language, error: String? = nil) {
        let money = { (dong: Money?) in dong.map { VietnameseFormat.money($0) } ?? "–" }
        let date = VietnameseFormat.date(stored:)
        func figure(_ label: String, _ pick: (ReportSummary) -> Money) -> Figure {
            .init(label: label, live: money(pick(dto.live)), submitted: money(dto.submitted.map(pick)), approved: money(dto.approved.map(pick)))
        }
        let scope = RecordScope(unitID: key.unit.id)
        let periodName = key.period.vietnameseName(year: key.year)
        self.init(
            title: "Báo cáo \(periodName) – \(key.unit.name)",
            layout: layout, csrf: csrf,
            steps: SiteRoute.links([.submit, .approve, .return, .unlock]) { .periodReportStep(unitID: "\(key.unit.id)", year: key.year, key.period, $0) },
            heading: "\(key.unit.name): báo cáo \(periodName)",
            status: dto.status == .missing ? "Chưa nộp" : dto.status.vietnameseName, locked: dto.locked,
            facts: [
                .init(label: "Hạn nộp", value: date(dto.dueOn)),
                .init(label: "Ngày nộp", value: date(dto.submittedOn) + (dto.daysLate.map { " (muộn \($0) ngày)" } ?? "")),
                .init(label: "Phê duyệt", value: dto.approvedBy.map { "\($0), ngày \(date(dto.approvedOn))" } ?? "–"),
                .init(label: "Lý do trả lại", value: dto.returnReason ?? "–"),
                .init(label: "Lý do mở khóa", value: dto.unlockReason ?? "–"),
                .init(label: "Thuyết minh", value: dto.coverNote.flatMap { $0.isEmpty ? nil : $0 } ?? "–"),
            ],
            figures: [figure("Kế hoạch năm", { $0.plan.amountVnd }), figure("Thực hiện trong kỳ", { $0.realised.amountVnd }),
                      figure("Cùng kỳ năm trước", { $0.realised.samePeriodPreviousYearVnd })]
                + dto.live.targets.map { target in
                    .init(label: "Kết quả: \(target.name)", live: VietnameseFormat.count(target.realised),
                          submitted: dto.submitted?.targets.first { $0.indicator == target.indicator }.map { VietnameseFormat.count($0.realised) } ?? "–",
                          approved: dto.approved?.targets.first { $0.indicator == target.indicator }.map { VietnameseFormat.count($0.realised) } ?? "–")
                },
            differences: dto.differences.map { "\($0.figure): đã duyệt \(VietnameseFormat.count($0.approved)), hiện nay \(VietnameseFormat.count($0.now))" },
            history: history.map { entry in
                ([AuditPresentation.time(entry.at), entry.actor, AuditPresentation.action(entry.action, in: language)]
                 + AuditPresentation.changes(before: entry.before, after: entry.after, in: language)).joined(separator: " · ")
            },
            canSubmit: AccessPolicy.decide(reader, .editRecord, scope) == .allow && (dto.status == .missing || dto.status.status?.isOpenForSubmission == true),
            canReview: AccessPolicy.decide(reader, .ministryStep, scope) == .allow && dto.status == .submitted,
            canUnlock: AccessPolicy.decide(reader, .ministryStep, scope) == .allow && dto.status == .approved,
            quality: quality, error: error)
    }
}
