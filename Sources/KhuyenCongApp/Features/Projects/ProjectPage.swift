import Foundation
import Fluent
import KhuyenCongCore

/// A project's page: its fields, beneficiaries, history, disbursements and outputs, formatted.
struct ProjectPage: Encodable {
    struct Field: Encodable { let label: String; let value: String }
    struct BeneficiaryRow: Encodable {
        let name: String; let taxCode: String; let legalForm: String; let commune: String; let sector: String
        let priorities: String; let support: String
        /// For the correction forms: their addresses (`edit`, `remove`) and the values to start from.
        var action: [String: String] = [:]; var taxCodeDigits: String = ""; var supportValue: String = ""
        /// The establishment's page, when there is one.
        var taxCodeLink: String? = nil
        /// The kind of support of this establishment (named; the project's when none of its own) and its stored code.
        var kind: String = ""; var kindValue: String = ""
    }
    struct EventRow: Encodable { let date: String; let from: String; let to: String; let actor: String; let decision: String; let note: String }
    struct DatedRow: Encodable {
        let date: String; let what: String; let amount: String; let basis: String
        /// For the correction forms: their addresses (`edit`, `remove`) and the row's stored values.
        var action: [String: String] = [:]; var isoDate: String = ""; var value: String = ""; var basisValue: String = ""; var code: String = ""
    }
    struct Option: Encodable { let value: String; let label: String }

    struct AppraisalRow: Encodable { let round: Int; let council: String; let count: Int; let mean: String; let opinions: [String] }
    struct LinkRow: Encodable { let label: String; let href: String }

    let title: String
    let layout: PageLayout
    let actions: ProjectActions?
    let error: String?
    let late: String?
    let movedFrom: LinkRow?
    let appraisals: [AppraisalRow]
    let priorSupport: [String]
    let attachments: [LinkRow]
    let canEdit: Bool
    let editLink: String
    let code: String
    let projectTitle: String
    let status: String
    let unitName: String
    let unitLink: String
    let fields: [Field]
    let plannedOutputs: [Field]
    let beneficiaries: [BeneficiaryRow]
    let events: [EventRow]
    let disbursements: [DatedRow]
    let outputs: [DatedRow]
    /// Corrections of this project's rows (edits and removals, from the audit trail), oldest first.
    var corrections: [ProjectCorrections.Row] = []
    /// Which rows the user may correct now (the lifecycle's and the role's rule), the form token and the choices.
    var correctBeneficiaries = false
    var correctDisbursements = false
    var correctOutputs = false
    var csrf = ""
    var kinds: [Option] = []
    var indicators: [Option] = []
    /// The kinds of support a beneficiary may receive (`supportKinds(of:)`).
    var supportKinds: [Option] = []
    /// A beneficiary whose tax code is known: the typed values, waiting for the user's confirmation.
    var confirmation: ProjectCorrections.Confirmation? = nil

    static func load(_ project: Project, layout: PageLayout, canEdit: Bool, actions: ProjectActions?, error: String?,
                     on db: any Database) async throws -> ProjectPage {
        let unit = AdminUnitCatalog.standard.unit(id: project.unitID)
        let date = VietnameseFormat.date(stored:)
        func money(_ dong: Money?) -> String { dong.map { VietnameseFormat.dong($0) } ?? "–" }
        func statusName(_ status: ProjectStatus?) -> String { status?.vietnameseName ?? "–" }
        func basisName(_ basis: Basis) -> String { basis == .actual ? "Thực hiện" : "Ước thực hiện" }
        func corrections(_ kind: SiteRoute.RecordKind, _ id: UUID) -> [String: String] {
            SiteRoute.links(SiteRoute.RecordChange.allCases) { .projectRecord(code: project.code, kind, id: id.uuidString, $0) }
        }

        let fields: [Field] = [
            Field(label: "Đơn vị (tỉnh, thành phố)", value: unit?.name ?? project.unitID.rawValue),
            Field(label: "Năm kế hoạch", value: String(project.year)),
            Field(label: "Nguồn kinh phí", value: project.source.vietnameseName),
            Field(label: "Nội dung", value: UnitPage.categoryName(project.categoryCode)),
            Field(label: "Đơn vị thực hiện", value: project.implementingUnit),
            Field(label: "Kinh phí khuyến công đề nghị", value: money(project.supportRequestedVnd)),
            Field(label: "Kinh phí khuyến công được duyệt", value: money(project.supportApprovedVnd)),
            Field(label: "Vốn đối ứng", value: money(project.counterpartVnd)),
            Field(label: "Ngày nộp", value: date(project.submittedOn)),
            Field(label: "Ngày phê duyệt", value: date(project.approvedOn)),
            Field(label: "Ngày phân bổ kinh phí", value: date(project.allocatedOn)),
            Field(label: "Số quyết toán", value: money(project.settledVnd)),
        ]
        let lateDays = try await project.lateDays(on: db)
        let attachments = try await Attachment.query(on: db).filter(\.$project.$id == project.requireID())
            .field(\.$id).field(\.$filename).field(\.$size).field(\.$project.$id).all()
        let indicators = Dictionary(ReferenceData.indicators.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        func kindName(_ code: String) -> String { SupportRules.law.kind(code)?.vietnameseName ?? code }
        var page = ProjectPage(
            title: "\(project.code) – Khuyến công",
            layout: layout, actions: actions, error: error,
            late: lateDays.map { "Nộp muộn \($0) ngày so với hạn đăng ký" },
            movedFrom: project.movedFromCode.map { LinkRow(label: "Chuyển từ đề án \($0)", href: Links.project($0)) },
            appraisals: try await ProjectAppraisals.results(of: project, on: db).map {
                AppraisalRow(round: $0.round, council: $0.level == "ministry" ? "Hội đồng cấp Bộ" : "Hội đồng cấp tỉnh", count: $0.count,
                             mean: $0.meanScore.map { VietnameseFormat.decimal(Int(($0 * 10).rounded()), decimals: 1) } ?? "–",
                             opinions: $0.opinions)
            },
            priorSupport: try await ProjectRules.priorSupport(of: project, on: db).map {
                "\($0.name) (MST \($0.taxCode)) đã được hỗ trợ cùng nội dung năm \($0.year), đề án \($0.projectCode)"
            },
            attachments: try attachments.map { LinkRow(label: "\($0.filename) (\(VietnameseFormat.count(Int64($0.size))) byte)",
                                                       href: SiteRoute.attachment(id: try $0.requireID().uuidString).path) },
            canEdit: canEdit, editLink: SiteRoute.projectPart(code: project.code, .edit).path,
            code: project.code, projectTitle: project.title, status: project.status.vietnameseName,
            unitName: unit?.name ?? project.unitID.rawValue, unitLink: Links.unit(project.unitID),
            fields: fields,
            plannedOutputs: try await project.plannedOutputs(on: db).sorted { $0.key < $1.key }.map { code, quantity in
                let indicator = indicators[code]
                return Field(label: indicator?.vietnameseName ?? code, value: "\(VietnameseFormat.count(quantity)) \(indicator?.unitLabel ?? "")")
            },
            beneficiaries: try await project.beneficiaryLinks(on: db).map { link in
                let beneficiary = link.beneficiary, support = link.supportVnd
                let marks = beneficiary.marks.vietnameseNames
                return BeneficiaryRow(name: beneficiary.name, taxCode: (try? TaxCode(beneficiary.taxCode).description) ?? beneficiary.taxCode,
                                      legalForm: beneficiary.legalForm, commune: beneficiary.commune, sector: beneficiary.sector,
                                      priorities: marks.isEmpty ? "–" : marks.joined(separator: "; "), support: money(support),
                                      action: corrections(.beneficiaries, try link.requireID()), taxCodeDigits: beneficiary.taxCode,
                                      supportValue: String(support.dong), taxCodeLink: Links.establishment(taxCode: beneficiary.taxCode),
                                      kind: kindName(link.supportKind ?? project.supportKindCode), kindValue: link.supportKind ?? "")
            },
            events: try await project.history(on: db).map { event in
                EventRow(date: date(event.onDate), from: statusName(event.fromStatus), to: statusName(event.toStatus),
                         actor: event.actor, decision: event.decisionNo ?? "–", note: event.note)
            },
            disbursements: try await project.disbursements(on: db).map { row in
                DatedRow(date: date(row.onDate), what: row.kind.vietnameseName, amount: money(row.amountVnd), basis: basisName(row.basis),
                         action: corrections(.disbursements, try row.requireID()), isoDate: row.onDate,
                         value: String(row.amountVnd.dong), basisValue: row.basis.rawValue, code: row.kind.rawValue)
            },
            outputs: try await project.outputs(on: db).map { row in
                let indicator = indicators[row.indicatorCode]
                return DatedRow(date: date(row.onDate), what: indicator?.vietnameseName ?? row.indicatorCode,
                                amount: "\(VietnameseFormat.count(row.quantity)) \(indicator?.unitLabel ?? "")", basis: basisName(row.basis),
                                action: corrections(.outputs, try row.requireID()), isoDate: row.onDate,
                                value: String(row.quantity), basisValue: row.basis.rawValue, code: row.indicatorCode)
            })
        page.supportKinds = supportKinds(of: project)
        return page
    }

    /// The choices of a beneficiary's kind of support: the project's own kind first (""), then each kind of its category.
    static func supportKinds(of project: Project) -> [Option] {
        let own = SupportRules.law.kind(project.supportKindCode)?.vietnameseName ?? project.supportKindCode
        return [Option(value: "", label: "Theo loại hỗ trợ của đề án (\(own))")]
            + SupportRules.kinds.filter { $0.category == project.categoryCode }.map { Option(value: $0.code, label: $0.vietnameseName) }
    }
}
