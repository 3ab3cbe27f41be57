import Vapor

/// `khuyencong migrate`: brings the schema and the reference data up to date, without asking.
struct MigrateCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Tạo/cập nhật lược đồ và dữ liệu danh mục / create or update the schema and reference data" }

    func run(using context: CommandContext, signature: Signature) async throws {
        try await migrate(context.application)
        context.console.print("Đã cập nhật cơ sở dữ liệu / database is up to date")
    }
}
