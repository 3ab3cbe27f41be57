import Fluent
import Foundation
import KhuyenCongCore

/// A few realistic problems planted in the 2026 demo data, so that the data-quality page is not empty: in Tuyên
/// Quang (whose H1 report was returned) a project paid more than its settlement, and an establishment
/// supported for the same category in the same year by Tuyên Quang and by Quảng Ninh; in Quảng Ninh a project
/// whose output was typed as 120 establishments instead of 1 (an outlier unit cost). Written through the same
/// `DatedRecords` path as a payment, so the summary tables hold them.
enum DemoQuality {
    static let year = 2026
    static let overpaid = "KC2026-08-DP-901", doubleFundedA = "KC2026-08-DP-902", doubleFundedB = "KC2026-22-QG-901", outlier = "KC2026-22-QG-902"
    /// The establishment supported twice (a valid tax code: check digit 2).
    static let doubleFundedTaxCode = "0100234562"

    static func insert(on db: any Database) async throws {
        let catalog = AdminUnitCatalog.standard
        let tuyenQuang = try catalog.resolve(code: "08", planYear: year), quangNinh = try catalog.resolve(code: "22", planYear: year)
        let million: Int64 = 1_000_000

        /// A plan line of the unit for category 1 or 2 (the categories whose output is establishments supported).
        func line(_ unit: AdminUnit, source: String) async throws -> String {
            let lines = try await PlanLine.query(on: db).filter(\.$unitID == unit.id).filter(\.$year == year).filter(\.$source == FundingSource(parsing: source))
                .filter(\.$categoryCode ~~ ["1", "2"]).sort(\.$categoryCode).all()
            guard let category = lines.first?.categoryCode else {
                throw DomainError(.conflict, vi: "Dữ liệu mẫu: \(unit.name) không có dòng kế hoạch nội dung 1 hoặc 2", en: "demo: no category 1/2 line")
            }
            return category
        }
        func project(_ code: String, _ title: String, unit: AdminUnit, source: String, approved: Int64,
                     steps more: [(String?, String, String)] = []) async throws -> Project {
            let project = Project(code: code, title: title, unitID: unit.id, year: year, source: try FundingSource(parsing: source), categoryCode: try await line(unit, source: source),
                                  implementingUnit: "Trung tâm Khuyến công \(unit.name.replacingOccurrences(of: "Thành phố ", with: ""))",
                                  supportRequestedVnd: Money(dong: approved), supportApprovedVnd: Money(dong: approved), counterpartVnd: Money(dong: approved * 2),
                                  status: try more.last.map { try ProjectStatus(parsing: $0.1) } ?? .inProgress, submittedOn: "2025-10-15", approvedOn: "2026-01-20", allocatedOn: "2026-02-10")
            try await project.create(on: db)
            for (from, to, date) in [(nil, "approved", "2026-01-20"), ("approved", "allocated", "2026-02-10"), ("allocated", "contracted", "2026-02-25"),
                                     ("contracted", "in_progress", "2026-03-02")] + more {
                let to = try ProjectStatus(parsing: to)
                try await ProjectEvent(projectID: project.id!, fromStatus: try from.map(ProjectStatus.init(parsing:)), toStatus: to, onDate: date,
                                       actor: "seed", decisionNo: to == .approved ? "96/QĐ-UBND" : to == .allocated ? "187/QĐ-UBND" : nil,
                                       note: to.vietnameseName).create(on: db)
            }
            return project
        }
        func pay(_ project: Project, _ date: String, _ amount: Int64, _ kind: DisbursementKind = .payment) async throws {
            try await DatedRecords.insert(Disbursement(projectID: project.id!, onDate: date, amountVnd: Money(dong: amount), basis: .actual, kind: kind), of: project, on: db)
        }
        func deliver(_ project: Project, _ date: String, _ quantity: Int64) async throws {
            try await DatedRecords.insert(OutputRecord(projectID: project.id!, onDate: date, indicatorCode: "establishments_supported", quantity: quantity, basis: .actual),
                                          of: project, on: db)
        }
        func support(_ project: Project, _ beneficiary: Beneficiary, _ amount: Int64) async throws {
            try await ProjectBeneficiary(projectID: project.id!, beneficiaryID: beneficiary.id!, supportVnd: Money(dong: amount)).create(on: db)
        }

        // 1. Settled at 30 million after acceptance, but 35 million had already been paid: 5 million to recover.
        let over = try await project(overpaid, "Hỗ trợ máy sao chè cho cơ sở chế biến chè Tân Trào", unit: tuyenQuang, source: "local", approved: 40 * million,
                                     steps: [("in_progress", "accepted", "2026-06-05"), ("accepted", "settled", "2026-06-25")])
        try await pay(over, "2026-03-18", 20 * million, .advance)
        try await pay(over, "2026-06-12", 15 * million)
        try await deliver(over, "2026-06-02", 1)
        over.settledVnd = Money(dong: 30 * million)
        try await over.save(on: db)

        // 2. The same cooperative supported for the same category in 2026 by Tuyên Quang and by Quảng Ninh.
        let cooperative = Beneficiary(taxCode: doubleFundedTaxCode, name: "Hợp tác xã chè Hồng Thái", legalForm: "Hợp tác xã",
                                      commune: "Xã Tân Trào", sector: "Chế biến chè", womenOwned: true, ethnicMinorityEmployer: true, disadvantagedArea: false)
        try await cooperative.create(on: db)
        let first = try await project(doubleFundedA, "Hỗ trợ dây chuyền đóng gói chè cho Hợp tác xã chè Hồng Thái", unit: tuyenQuang, source: "local", approved: 35 * million)
        try await support(first, cooperative, 35 * million)
        try await pay(first, "2026-04-08", 15 * million, .advance)
        try await pay(first, "2026-06-10", 15 * million)
        try await deliver(first, "2026-06-15", 1)
        let second = try await project(doubleFundedB, "Hỗ trợ máy sấy chè cho cơ sở chế biến chè", unit: quangNinh, source: "national", approved: 60 * million)
        try await support(second, cooperative, 60 * million)
        try await pay(second, "2026-05-06", 30 * million, .advance)
        try await pay(second, "2026-06-16", 20 * million)
        try await deliver(second, "2026-06-18", 1)

        // 3. 120 establishments typed for 1: 166 thousand đồng per establishment.
        let typo = try await project(outlier, "Hỗ trợ chuyển giao công nghệ cho cơ sở chế biến hải sản", unit: quangNinh, source: "national", approved: 40 * million)
        try await pay(typo, "2026-05-20", 20 * million, .advance)
        try await deliver(typo, "2026-06-22", 120)
    }
}
