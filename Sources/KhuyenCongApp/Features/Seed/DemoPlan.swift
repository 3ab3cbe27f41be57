import Fluent
import KhuyenCongCore

/// The figures the demo data set is built to reproduce. The 2024 north figures are those of the reference
/// report (`shared/reference/khuyen-cong-phia-bac-2024.txt`); the other years are plausible neighbours.
/// Each bucket is one funding source and a group of categories, with its annual plan and the amounts realised
/// (after actuals supersede estimates) in H1 and in H2.
enum DemoPlan {
    struct Bucket {
        let source: String
        let categories: [String]
        let plan: Int64
        let realisedH1: Int64
        let realisedH2: Int64
    }

    static let billion: Int64 = 1_000_000_000
    static let million: Int64 = 1_000_000

    static func b(_ tenthsOfMillions: Int64) -> Int64 { tenthsOfMillions * 10 * million }

    /// Units with no national project in any demo year: the monitoring list of "silent" provinces.
    static let silentUnitCodes: Set<UnitCode> = ["04", "11", "12"]
    /// Units that submitted their 2025 national projects after the 20 May 2024 deadline.
    static let lateUnitCodes2025: Set<UnitCode> = ["02", "14", "38"]

    // Amounts in units of 10 triệu đồng (b(1) = 10.000.000 đ).
    static let buckets: [Int: [Bucket]] = [
        2023: [
            Bucket(source: "national", categories: ["1", "2"], plan: b(6_000), realisedH1: b(800), realisedH2: b(4_500)),
            Bucket(source: "local", categories: ["1", "2"], plan: b(5_653), realisedH1: 12_474 * million, realisedH2: b(3_500)),
            Bucket(source: "national", categories: ["3", "5"], plan: b(2_500), realisedH1: b(400), realisedH2: b(1_800)),
            Bucket(source: "local", categories: ["3", "5", "6"], plan: b(4_500), realisedH1: b(700), realisedH2: b(3_000)),
        ],
        2024: [
            // National projects of categories 1 + 2 are approved and wait for allocation: nothing realised.
            Bucket(source: "national", categories: ["1", "2"], plan: b(4_448), realisedH1: 0, realisedH2: 0),
            Bucket(source: "local", categories: ["1", "2"], plan: b(5_360), realisedH1: b(1_410), realisedH2: b(3_000)),
            Bucket(source: "national", categories: ["3", "5"], plan: b(2_700), realisedH1: b(600), realisedH2: b(1_500)),
            Bucket(source: "local", categories: ["3", "5", "6"], plan: b(4_567), realisedH1: b(1_460), realisedH2: b(2_200)),
        ],
        2025: [
            Bucket(source: "national", categories: ["1", "2"], plan: b(5_200), realisedH1: b(750), realisedH2: b(3_000)),
            Bucket(source: "local", categories: ["1", "2"], plan: b(5_840), realisedH1: b(1_520), realisedH2: b(3_300)),
            Bucket(source: "national", categories: ["3", "5"], plan: b(2_400), realisedH1: b(500), realisedH2: b(1_200)),
            Bucket(source: "local", categories: ["3", "5", "6"], plan: b(4_400), realisedH1: b(1_200), realisedH2: b(2_200)),
        ],
        2026: [
            Bucket(source: "national", categories: ["1", "2"], plan: b(5_800), realisedH1: b(900), realisedH2: b(1_500)),
            Bucket(source: "local", categories: ["1", "2"], plan: b(6_260), realisedH1: b(1_650), realisedH2: b(2_000)),
            Bucket(source: "national", categories: ["3", "5"], plan: b(2_600), realisedH1: b(400), realisedH2: b(600)),
            Bucket(source: "local", categories: ["3", "5", "6"], plan: b(4_600), realisedH1: b(1_100), realisedH2: b(1_400)),
        ],
    ]

    /// 2024 targets of categories 1 + 2 (both sources) and the local H1 outputs of categories 1 + 2.
    static let targets2024: [String: Int64] = ["demo_models": 13, "establishments_supported": 324, "cp_assessments": 35]
    static let localOutputsH1_2024: [String: Int64] = ["establishments_supported": 57, "cp_assessments": 11]
}

/// 2027 plans in every state of the cycle, written through `PlanWorkflow` (the one guarded path) by in-memory
/// users that are never saved: they only sign the audit rows. No other year is touched, and the seed's random
/// sequence is not used, so every 2023–2026 figure stays as it is.
/// - Nghệ An (40): national approved by the ministry on 15/12/2026, one line revised on 20/3/2027; local returned.
/// - Thanh Hóa (38): national submitted to the ministry; local still a draft.
/// - Hà Nội (01): national a draft; local approved by the People's Committee on 20/12/2026.
/// - Đà Nẵng (48, central): national sent to the ministry on 25/6/2026, 10 days after the 15 June deadline; approved.
/// - Cần Thơ (92, south): national sent on time and approved.
/// The ministry then allocates budget estimates: Nghệ An in full (two tranches), Đà Nẵng in part, Cần Thơ not yet.
extension DemoPlan {
    struct Line2027: Sendable { let unit: UnitCode; let source: FundingSource; let category: String; let amount: Int64 }

    static let lines2027: [Line2027] = [
        .init(unit: "40", source: .national, category: "1", amount: 3_200 * million),
        .init(unit: "40", source: .national, category: "2", amount: 1_800 * million),
        .init(unit: "40", source: .national, category: "5", amount: 600 * million),
        .init(unit: "40", source: .local, category: "3", amount: 1_200 * million),
        .init(unit: "40", source: .local, category: "6", amount: 300 * million),
        .init(unit: "38", source: .national, category: "1", amount: 2_500 * million),
        .init(unit: "38", source: .national, category: "3", amount: 900 * million),
        .init(unit: "38", source: .local, category: "1", amount: 1_500 * million),
        .init(unit: "38", source: .local, category: "2", amount: 700 * million),
        .init(unit: "01", source: .national, category: "4", amount: 1_000 * million),
        .init(unit: "01", source: .local, category: "1", amount: 4_000 * million),
        .init(unit: "01", source: .local, category: "3", amount: 2_000 * million),
        .init(unit: "01", source: .local, category: "6", amount: 500 * million),
        .init(unit: "48", source: .national, category: "1", amount: 2_000 * million),
        .init(unit: "48", source: .national, category: "5", amount: 800 * million),
        .init(unit: "92", source: .national, category: "2", amount: 1_200 * million),
        .init(unit: "92", source: .national, category: "3", amount: 600 * million),
    ]

    /// The ministry's allocations of 2027 budget estimates: (unit, amount, date, decision).
    static let allocations2027: [(unit: UnitCode, amount: Int64, on: String, decision: String)] = [
        ("40", 5_600 * million, "2026-12-28", "2361/QĐ-BCT"),
        ("40", 300 * million, "2027-04-02", "402/QĐ-BCT"),
        ("48", 1_500 * million, "2027-01-10", "35/QĐ-BCT"),
    ]

    static func insert2027(on db: any Database) async throws {
        let year = 2027
        let catalog = AdminUnitCatalog.standard
        func key(_ code: UnitCode) throws -> PlanKey { PlanKey(unit: try catalog.resolve(code: code, planYear: year), year: year) }
        func officer(_ code: UnitCode) throws -> User {
            User(username: "seed", displayName: "Dữ liệu mẫu", role: .provinceOfficer,
                 unitID: try catalog.resolve(code: code, on: .today()).id, regionCode: nil, passwordHash: "")
        }
        let ministry = User(username: "seed", displayName: "Dữ liệu mẫu", role: .ministryOfficer, unitID: nil, regionCode: nil, passwordHash: "")
        func decision(_ number: String, _ date: String) throws -> PlanInput.Decision {
            PlanInput.Decision(number: number, date: try CalendarDate(parsing: date))
        }

        for line in lines2027 {
            try await PlanWorkflow.saveLine(try key(line.unit), .init(source: line.source, category: line.category, amount: Money(dong: line.amount),
                                                                       reason: "Đăng ký kế hoạch năm 2027", decision: nil, version: nil),
                                            by: try officer(line.unit), on: db)
        }
        let targets: [(UnitCode, FundingSource, String, String, Int64)] = [
            ("40", .national, "1", "demo_models", 2), ("40", .national, "2", "cp_assessments", 4),
            ("38", .national, "1", "establishments_supported", 12), ("01", .local, "1", "demo_models", 3),
        ]
        for (unit, source, category, indicator, quantity) in targets {
            try await PlanWorkflow.saveTarget(try key(unit), .init(source: source, category: category, indicator: indicator, quantity: quantity,
                                                                    decision: nil, version: nil), by: try officer(unit), on: db)
        }

        // Nghệ An: the ministry approves the national plan, which is revised in March; the local plan goes back.
        try await PlanWorkflow.submit(try key("40"), .national, version: nil, by: try officer("40"), today: CalendarDate(2026, 6, 12), on: db)
        try await PlanWorkflow.approve(try key("40"), .national, try decision("2150/QĐ-BCT", "2026-12-15"), version: nil, by: ministry, on: db)
        try await PlanWorkflow.saveLine(try key("40"), .init(source: .national, category: "2", amount: Money(dong: 2_100 * million),
                                                              reason: "Bổ sung mô hình sản xuất sạch hơn",
                                                              decision: try decision("318/QĐ-BCT", "2027-03-20"), version: nil),
                                        by: try officer("40"), on: db)
        try await PlanWorkflow.submit(try key("40"), .local, version: nil, by: try officer("40"), today: CalendarDate(2026, 10, 5), on: db)
        try await PlanWorkflow.returnForChanges(try key("40"), .local, reason: "Đề nghị tách nội dung 3 theo từng huyện, bổ sung dự toán chi tiết",
                                                version: nil, by: try officer("40"), on: db)
        // Thanh Hóa: the national registration waits for the ministry.
        try await PlanWorkflow.submit(try key("38"), .national, version: nil, by: try officer("38"), today: CalendarDate(2026, 6, 10), on: db)
        // Hà Nội: the People's Committee's decision on the local plan, recorded by the province.
        try await PlanWorkflow.submit(try key("01"), .local, version: nil, by: try officer("01"), today: CalendarDate(2026, 11, 2), on: db)
        try await PlanWorkflow.approve(try key("01"), .local, try decision("4512/QĐ-UBND", "2026-12-20"), version: nil, by: try officer("01"), on: db)
        // Đà Nẵng late to the ministry, Cần Thơ on time; the ministry approves both.
        try await PlanWorkflow.submit(try key("48"), .national, version: nil, by: try officer("48"), today: CalendarDate(2026, 6, 25), on: db)
        try await PlanWorkflow.approve(try key("48"), .national, try decision("2187/QĐ-BCT", "2026-12-18"), version: nil, by: ministry, on: db)
        try await PlanWorkflow.submit(try key("92"), .national, version: nil, by: try officer("92"), today: CalendarDate(2026, 6, 12), on: db)
        try await PlanWorkflow.approve(try key("92"), .national, try decision("2188/QĐ-BCT", "2026-12-18"), version: nil, by: ministry, on: db)
        // The allocations of budget estimates, through the same guarded write as the page and the API.
        for allocation in allocations2027 {
            try await PlanAllocation.allocate(try key(allocation.unit), .init(amount: Money(dong: allocation.amount),
                                                                               allocatedOn: try CalendarDate(parsing: allocation.on),
                                                                               decisionNo: allocation.decision), by: ministry, on: db)
        }
    }
}
