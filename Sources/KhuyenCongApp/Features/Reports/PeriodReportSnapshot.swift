import Foundation
import KhuyenCongCore

/// The figures of one unit's period report as it was submitted or approved: what `period_reports.snapshot` and
/// `approved_snapshot` hold (JSON text). Its own stored type with a version, apart from the summary the API
/// answers with: the stored text must stay readable when the summary changes. Version 1 is the summary's fields as
/// they were (rows written before the version was stored are version 1); a change of `ReportSummary`'s encoded
/// shape comes with a new version and a branch in `init(from:)` reading the old one. `PeriodReportSnapshotTests`
/// decodes a version-1 text kept as it was stored.
struct PeriodReportSnapshot: Codable, Sendable {
    static let currentVersion = 1

    let version: Int
    /// The unit's summary for the period when the snapshot was taken.
    let summary: ReportSummary

    init(_ summary: ReportSummary) {
        version = Self.currentVersion
        self.summary = summary
    }

    /// A snapshot that cannot be read is an error to see, never a unit silently counted as nothing.
    struct Unreadable: Error, CustomStringConvertible {
        let reason: String
        var description: String { "unreadable period-report snapshot: \(reason)" }
    }

    private enum Keys: String, CodingKey { case version }

    init(from decoder: any Decoder) throws {
        version = try decoder.container(keyedBy: Keys.self).decodeIfPresent(Int.self, forKey: .version) ?? 1
        guard version == 1 else { throw Unreadable(reason: "version \(version) is not known (this build reads 1)") }
        summary = try ReportSummary(from: decoder)
    }

    func encode(to encoder: any Encoder) throws {
        try summary.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(version, forKey: .version)
    }

    /// The stored text (keys sorted, as the audit trail writes JSON).
    func text() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// The stored text read back; nil for none. A text that is not a snapshot throws `Unreadable`.
    static func read(_ text: String?) throws -> PeriodReportSnapshot? {
        guard let text else { return nil }
        do {
            return try JSONDecoder().decode(PeriodReportSnapshot.self, from: Data(text.utf8))
        } catch let error as Unreadable {
            throw error
        } catch {
            throw Unreadable(reason: String(describing: error))
        }
    }

    /// The figures to add up with other units' (`ApprovedFigures`): the summary's totals and their parts.
    var totals: ReportSummary.Totals {
        var t = ReportSummary.Totals()
        t.plan = summary.plan.amountVnd
        t.previousPlan = summary.plan.previousYearVnd
        t.realised = summary.realised.amountVnd
        t.samePeriodPreviousYear = summary.realised.samePeriodPreviousYearVnd
        for row in summary.byCategory { t.byCategory[row.category] = .init(plan: row.planVnd, realised: row.realisedVnd) }
        for row in summary.bySource { t.bySource[row.source] = .init(plan: row.planVnd, realised: row.realisedVnd) }
        for row in summary.byUnit { t.byUnit[row.unitID] = .init(plan: row.planVnd, realised: row.realisedVnd) }
        for row in summary.targets { t.targets[row.indicator] = .init(plan: row.planned, realised: row.realised) }
        return t
    }
}
