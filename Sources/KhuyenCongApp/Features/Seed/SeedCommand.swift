import KhuyenCongCore
import Vapor

/// `khuyencong seed --demo`: loads the demo data set into an empty database.
struct SeedCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "demo", help: "Nạp bộ dữ liệu mẫu khu vực phía Bắc 2023–2026 / load the northern demo data set")
        var demo: Bool
        @Flag(name: "synthetic", help: "Bộ dữ liệu lớn để đo hiệu năng / a large data set for measurements") var synthetic: Bool
        @Option(name: "years", help: "số năm kế hoạch / plan years (synthetic)") var years: Int?
        @Option(name: "scale", help: "small | region | national (synthetic)") var scale: String?
    }
    var help: String { "Nạp dữ liệu mẫu / load demo data" }

    func run(using context: CommandContext, signature: Signature) async throws {
        if signature.synthetic {
            guard let scale = SyntheticSeed.Scale(rawValue: signature.scale ?? "small"), let years = Optional(signature.years ?? 10), (1...30).contains(years) else {
                throw DomainError.invalid(vi: "--scale small|region|national, --years 1–30", en: "--scale small|region|national, --years 1–30")
            }
            try await FirstMigration.migrate(context.application)
            let started = Date()
            let console = context.console
            let result = try await SyntheticSeed.run(years: years, scale: scale, progress: { console.print($0) }, on: context.application.db)
            context.console.print("Đã nạp / loaded: \(result.projects) đề án/projects, \(result.disbursements) giải ngân/disbursements, "
                + "\(result.outputs) kết quả/outputs, \(result.planLines) dòng kế hoạch/plan lines" + String(format: " (%.0f s)", Date().timeIntervalSince(started)))
            context.console.print("Các bước / phases: " + result.phases)
            return
        }
        guard signature.demo else {
            throw DomainError.invalid(vi: "Hãy chọn bộ dữ liệu: --demo hoặc --synthetic", en: "choose a data set: --demo or --synthetic")
        }
        try await FirstMigration.migrate(context.application)
        let (result, accounts) = try await DemoSeed.runWithAccounts(app: context.application)
        context.console.print("Đã nạp dữ liệu mẫu / demo data loaded: \(result.projects) đề án/projects, "
            + "\(result.planLines) dòng kế hoạch/plan lines, \(result.disbursements) khoản giải ngân/disbursements, "
            + "\(result.outputs) kết quả/outputs")
        context.console.print("Các bước / phases: " + result.phases)
        context.console.print(DemoUsers.describe(accounts))
    }
}
