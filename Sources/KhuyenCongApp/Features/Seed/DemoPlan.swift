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
    static let silentUnitCodes: Set<String> = ["04", "11", "12"]
    /// Units that submitted their 2025 national projects after the 20 May 2024 deadline.
    static let lateUnitCodes2025: Set<String> = ["02", "14", "38"]

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
