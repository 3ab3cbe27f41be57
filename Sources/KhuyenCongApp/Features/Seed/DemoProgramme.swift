import Fluent
import KhuyenCongCore

/// The 2026–2030 programmes of the demo data set, written through the programme's guarded write as their officers
/// would: the national programme (Decision 2646/QĐ-BCT of 23/9/2025 of the Ministry of Industry and Trade) and three
/// northern provinces' programmes, two of them provinces merged on 1 July 2025 (Bắc Ninh with Bắc Giang, Phú Thọ with
/// Vĩnh Phúc and Hòa Bình). The decision of the national programme is the real one; every target, amount and every
/// provincial decision number here is a demo figure, plausible in size, not taken from the documents.
enum DemoProgramme {
    struct Spec {
        let unit: UnitCode?
        let decisionNo: String
        let decidedOn: CalendarDate
        let signer: String
        let nationalVnd: Money?
        let localVnd: Money?
        let targets: [String: Int64]
    }

    static let billion: Int64 = 1_000_000_000

    static let specs: [Spec] = [
        // Demo figures for the targets and the money; the decision is Decision 2646/QĐ-BCT.
        Spec(unit: nil, decisionNo: "2646/QĐ-BCT", decidedOn: CalendarDate(2025, 9, 23), signer: "Bộ Công Thương",
             nationalVnd: Money(dong: 1_500 * billion), localVnd: nil,
             targets: ["demo_models": 400, "establishments_supported": 2_000, "cp_assessments": 250, "trainees": 25_000,
                       "products_recognised": 1_500, "events": 600]),
        // Demo figures and demo decision numbers.
        Spec(unit: "38", decisionNo: "4127/QĐ-UBND", decidedOn: CalendarDate(2025, 12, 18), signer: "UBND tỉnh Thanh Hóa",
             nationalVnd: nil, localVnd: Money(dong: 75 * billion),
             targets: ["demo_models": 25, "establishments_supported": 150, "cp_assessments": 12, "trainees": 1_500, "events": 40]),
        Spec(unit: "24", decisionNo: "1052/QĐ-UBND", decidedOn: CalendarDate(2026, 2, 9), signer: "UBND tỉnh Bắc Ninh",
             nationalVnd: nil, localVnd: Money(dong: 60 * billion),
             targets: ["demo_models": 20, "establishments_supported": 120, "cp_assessments": 10, "trainees": 1_200, "products_recognised": 80]),
        Spec(unit: "25", decisionNo: "356/QĐ-UBND", decidedOn: CalendarDate(2026, 1, 22), signer: "UBND tỉnh Phú Thọ",
             nationalVnd: nil, localVnd: Money(dong: 55 * billion),
             targets: ["demo_models": 18, "establishments_supported": 110, "trainees": 1_000, "products_recognised": 60, "events": 30]),
    ]

    static func insert(on db: any Database) async throws {
        let term = ProgrammeTerm.current
        let catalog = AdminUnitCatalog.standard
        for spec in specs {
            let scope: ProgrammeScope = try spec.unit.map { try .province(code: $0, term: term) } ?? .country
            let user = User(username: "seed", displayName: "Dữ liệu mẫu",
                            role: spec.unit == nil ? .ministryOfficer : .provinceOfficer,
                            unitID: try spec.unit.map { try catalog.resolve(code: $0, on: .today()).id }, regionCode: nil, passwordHash: "")
            let edit = ProgrammeInput.Edit(decisionNo: spec.decisionNo, decidedOn: spec.decidedOn, signer: spec.signer,
                                           money: [.national: spec.nationalVnd, .local: spec.localVnd]
                                               .compactMapValues { $0 },
                                           targets: spec.targets, version: nil)
            try await ProgrammeWorkflow.save(scope, term: term, edit, by: user, on: db)
        }
    }
}
