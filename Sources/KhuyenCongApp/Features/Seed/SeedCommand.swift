import KhuyenCongCore
import Vapor

/// `khuyencong seed --demo`: loads the demo data set into an empty database.
struct SeedCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Flag(name: "demo", help: "Nạp bộ dữ liệu mẫu khu vực phía Bắc 2023–2026 / load the northern demo data set")
        var demo: Bool
    }
    var help: String { "Nạp dữ liệu mẫu / load demo data" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.demo else {
            throw DomainError.invalid(vi: "Hãy chọn bộ dữ liệu: --demo", en: "choose a data set: --demo")
        }
        try await migrate(context.application)
        let result = try await DemoSeed.run(on: context.application.db)
        context.console.print("Đã nạp dữ liệu mẫu / demo data loaded: \(result.projects) đề án/projects, "
            + "\(result.planLines) dòng kế hoạch/plan lines, \(result.disbursements) khoản giải ngân/disbursements, "
            + "\(result.outputs) kết quả/outputs")
        context.console.print(DemoUsers.describe(try await DemoUsers.create(app: context.application)))
    }
}
