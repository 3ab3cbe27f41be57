import Fluent
import FluentSQLiteDriver
import Foundation
import KhuyenCongCore
import SQLKit
import Vapor

/// `khuyencong backup --output FILE` and `khuyencong restore --input FILE` for the embedded SQLite database.
/// A backup is a consistent copy taken while the system runs (VACUUM INTO). On PostgreSQL, use pg_dump.
struct BackupCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "output", help: "tệp sao lưu / backup file") var output: String?
    }
    var help: String { "Sao lưu cơ sở dữ liệu SQLite / back up the SQLite database" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let output = signature.output else { throw DomainError.invalid(vi: "Thiếu --output", en: "--output is required") }
        try await Backup.write(to: output, app: context.application)
        context.console.print("Đã sao lưu / backed up to \(output)")
    }
}

struct RestoreCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "input", help: "tệp sao lưu / backup file") var input: String?
    }
    var help: String { "Khôi phục cơ sở dữ liệu SQLite từ bản sao lưu / restore the SQLite database from a backup" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard let input = signature.input else { throw DomainError.invalid(vi: "Thiếu --input", en: "--input is required") }
        let path = ProcessInfo.processInfo.environment["DATABASE_PATH"].flatMap { $0.isEmpty ? nil : $0 } ?? "./khuyencong.sqlite"
        try Backup.restore(from: input, to: path)
        context.console.print("Đã khôi phục / restored \(path) from \(input); the previous file is kept as \(path).before-restore")
    }
}

enum Backup {
    static func write(to output: String, app: Application) async throws {
        guard app.databases.configuration(for: .sqlite) != nil else {
            throw DomainError.invalid(vi: "Với PostgreSQL hãy dùng pg_dump (xem README)", en: "on PostgreSQL use pg_dump (see the README)")
        }
        guard !FileManager.default.fileExists(atPath: output) else {
            throw DomainError(.conflict, vi: "Tệp \(output) đã có", en: "\(output) already exists")
        }
        try await (app.db as! any SQLDatabase).raw("VACUUM INTO \(bind: output)").run()
    }

    /// Checks that the file is a database of this system, then puts it in place, keeping the current one aside.
    static func restore(from input: String, to path: String) throws {
        let head = try FileHandle(forReadingFrom: URL(fileURLWithPath: input)).read(upToCount: 16) ?? Data()
        guard head == Data("SQLite format 3\0".utf8) else {
            throw DomainError.invalid(vi: "\(input) không phải bản sao lưu SQLite", en: "\(input) is not an SQLite backup")
        }
        let contents = try String(decoding: Data(contentsOf: URL(fileURLWithPath: input)).prefix(1 << 20), as: UTF8.self)
        guard contents.contains("_fluent_migrations") && contents.contains("admin_units") else {
            throw DomainError.invalid(vi: "\(input) không phải cơ sở dữ liệu Khuyến công", en: "\(input) is not a Khuyến công database")
        }
        let manager = FileManager.default
        if manager.fileExists(atPath: path) {
            try? manager.removeItem(atPath: path + ".before-restore")
            try manager.moveItem(atPath: path, toPath: path + ".before-restore")
        }
        for suffix in ["-wal", "-shm"] { try? manager.removeItem(atPath: path + suffix) }
        try manager.copyItem(atPath: input, toPath: path)
    }
}
