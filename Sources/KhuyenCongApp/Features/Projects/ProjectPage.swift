import Fluent
import KhuyenCongCore

/// A project's page: its fields, beneficiaries, history, disbursements and outputs, formatted.
struct ProjectPage: Encodable {
    struct Field: Encodable { let label: String; let value: String }
    struct BeneficiaryRow: Encodable {
        let name: String; let taxCode: String; let legalForm: String; let commune: String; let sector: String
        let priorities: String; let support: String
    }
    struct EventRow: Encodable { let date: String; let from: String; let to: String; let actor: String; let decision: String; let note: String }
    struct DatedRow: Encodable { let date: String; let what: String; let amount: String; let basis: String }

    let title: String
    let layout: PageLayout
    let canEdit: Bool
    let editLink: String
    let code: String
    let projectTitle: String
    let status: String
    let unitName: String
    let unitLink: String
    let fields: [Field]
    let beneficiaries: [BeneficiaryRow]
    let events: [EventRow]
    let disbursements: [DatedRow]
    let outputs: [DatedRow]

    static func load(_ project: Project, layout: PageLayout, canEdit: Bool, on db: any Database) async throws -> ProjectPage {
        let unit = AdminUnitCatalog.standard.unit(id: project.unitID)
        func date(_ text: String?) -> String {
            guard let text, let value = try? CalendarDate(parsing: text) else { return "–" }
            return VietnameseFormat.date(value)
        }
        func money(_ dong: Int64?) -> String { dong.map { VietnameseFormat.dong(Money(dong: $0)) } ?? "–" }
        func statusName(_ raw: String?) -> String { raw.map { (try? ProjectStatus(parsing: $0))?.vietnameseName ?? $0 } ?? "–" }
        func basisName(_ raw: String) -> String { raw == "actual" ? "Thực hiện" : "Ước thực hiện" }

        let fields: [Field] = [
            Field(label: "Đơn vị (tỉnh, thành phố)", value: unit?.name ?? project.unitID),
            Field(label: "Năm kế hoạch", value: String(project.year)),
            Field(label: "Nguồn kinh phí", value: (try? FundingSource(parsing: project.source))?.vietnameseName ?? project.source),
            Field(label: "Nội dung", value: UnitPage.categoryName(project.categoryCode)),
            Field(label: "Đơn vị thực hiện", value: project.implementingUnit),
            Field(label: "Kinh phí khuyến công đề nghị", value: money(project.supportRequestedVnd)),
            Field(label: "Kinh phí khuyến công được duyệt", value: money(project.supportApprovedVnd)),
            Field(label: "Vốn đối ứng", value: money(project.counterpartVnd)),
            Field(label: "Ngày nộp", value: date(project.submittedOn)),
            Field(label: "Ngày phê duyệt", value: date(project.approvedOn)),
            Field(label: "Ngày phân bổ kinh phí", value: date(project.allocatedOn)),
        ]
        let indicators = Dictionary(ReferenceData.indicators.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        return ProjectPage(
            title: "\(project.code) – Khuyến công",
            layout: layout, canEdit: canEdit, editLink: Links.project(project.code) + "/edit",
            code: project.code, projectTitle: project.title, status: statusName(project.status),
            unitName: unit?.name ?? project.unitID, unitLink: Links.unit(project.unitID),
            fields: fields,
            beneficiaries: try await project.beneficiaries(on: db).map { beneficiary, support in
                let marks = [(beneficiary.womenOwned, "Chủ cơ sở là nữ"), (beneficiary.ethnicMinorityEmployer, "Sử dụng lao động dân tộc thiểu số"),
                             (beneficiary.disadvantagedArea, "Địa bàn khó khăn")].filter(\.0).map(\.1)
                return BeneficiaryRow(name: beneficiary.name, taxCode: (try? TaxCode(beneficiary.taxCode).description) ?? beneficiary.taxCode,
                                      legalForm: beneficiary.legalForm, commune: beneficiary.commune, sector: beneficiary.sector,
                                      priorities: marks.isEmpty ? "–" : marks.joined(separator: "; "), support: money(support))
            },
            events: try await project.history(on: db).map { event in
                EventRow(date: date(event.onDate), from: statusName(event.fromStatus), to: statusName(event.toStatus),
                         actor: event.actor, decision: event.decisionNo ?? "–", note: event.note)
            },
            disbursements: try await project.disbursements(on: db).map { row in
                let kind = ["advance": "Tạm ứng", "payment": "Thanh toán", "settlement": "Quyết toán"][row.kind] ?? row.kind
                return DatedRow(date: date(row.onDate), what: kind, amount: money(row.amountVnd), basis: basisName(row.basis))
            },
            outputs: try await project.outputs(on: db).map { row in
                let indicator = indicators[row.indicatorCode]
                return DatedRow(date: date(row.onDate), what: indicator?.vietnameseName ?? row.indicatorCode,
                                amount: "\(VietnameseFormat.count(row.quantity)) \(indicator?.unitLabel ?? "")", basis: basisName(row.basis))
            })
    }
}
