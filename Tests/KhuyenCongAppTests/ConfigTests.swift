import Fluent
import KhuyenCongCore
import Foundation
import Vapor
import Testing
@testable import KhuyenCongApp

@Suite("Configuration")
struct ConfigTests {
    let root = ["KHUYENCONG_ROOT": TestApp.rootDirectory]

    @Test func sqliteIsTheDefaultAndPostgresIsChosenByURL() throws {
        #expect(try AppConfig.fromEnvironment(root).database == .sqliteFile(path: "./khuyencong.sqlite"))
        #expect(try AppConfig.fromEnvironment(root.merging(["DATABASE_PATH": "/tmp/x.sqlite"]) { $1 }).database
                == .sqliteFile(path: "/tmp/x.sqlite"))
        let url = "postgres://kc:secret@127.0.0.1:5432/kc?sslmode=disable"
        #expect(try AppConfig.fromEnvironment(root.merging(["DATABASE_URL": url]) { $1 }).database
                == .postgres(url: url, searchPath: nil))
    }

    @Test(arguments: [
        ("mysql://u:p@h/db", "postgres://"),
        ("postgres://127.0.0.1:5432/kc", "user name"),
        ("postgres://u:p@127.0.0.1:5432", "database name"),
        ("postgres://u:p@127.0.0.1:5432/kc?sslmode=bogus", "not usable"),
    ])
    func aMisconfiguredDatabaseURLIsOneClearLine(url: String, says: String) throws {
        do {
            _ = try AppConfig.fromEnvironment(root.merging(["DATABASE_URL": url]) { $1 })
            Issue.record("accepted \(url)")
        } catch let invalid as AppConfig.Invalid {
            #expect(invalid.problems.count == 1)
            #expect(invalid.description.contains(says))
            #expect(!invalid.description.contains("\n"))
            #expect(!invalid.description.contains(":p@"), "the password is not printed")
        }
    }

    @Test func everyBadSettingIsReportedAtOnce() {
        #expect(throws: AppConfig.Invalid.self) {
            _ = try AppConfig.fromEnvironment(["DATABASE_URL": "nope://", "PORT": "99999", "KHUYENCONG_ROOT": "/nonexistent"])
        }
        do {
            _ = try AppConfig.fromEnvironment(["DATABASE_URL": "nope://", "PORT": "99999", "KHUYENCONG_ROOT": "/nonexistent"])
        } catch let invalid as AppConfig.Invalid {
            #expect(invalid.problems.count == 3)
        } catch { Issue.record("unexpected \(error)") }
    }

    @Test func theExecutableRefusesABadDatabaseURLWithOneLine() throws {
        let binary = URL(fileURLWithPath: TestApp.rootDirectory + "/.build/debug/khuyencong")
        try #require(FileManager.default.fileExists(atPath: binary.path), "build the executable first (swift build --build-tests)")
        let process = Process()
        process.executableURL = binary
        process.arguments = ["serve"]
        process.environment = ["DATABASE_URL": "postgresql://nobody@/kc", "KHUYENCONG_ROOT": TestApp.rootDirectory, "PATH": "/usr/bin:/bin"]
        let stderr = Pipe()
        process.standardError = stderr
        process.standardOutput = Pipe()
        try process.run()
        process.waitUntilExit()
        let text = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 2)
        #expect(text.split(separator: "\n").count == 1)
        #expect(text.contains("DATABASE_URL"))
    }
}

@Suite("Backup and restore")
struct BackupTests {
    @Test func aBackupTakenWhileRunningRestoresTheSameData() async throws {
        guard TestApp.postgresURL == nil else { return }   // SQLite only: PostgreSQL is backed up with pg_dump
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kc-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let backup = folder.appendingPathComponent("backup.sqlite").path
        var projects = 0
        try await TestApp.run(seeded: true) { app in
            projects = try await Project.query(on: app.db).count()
            try await Backup.write(to: backup, app: app)
        }
        let restored = folder.appendingPathComponent("restored.sqlite").path
        try Backup.restore(from: backup, to: restored)
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        try await configure(app, config: AppConfig(database: .sqliteFile(path: restored), rootDirectory: TestApp.rootDirectory, bcryptCost: 4))
        let count = try await Project.query(on: app.db).count()
        let summary = try await ReportSummary.compute(ReportScope(area: .region(.north), year: 2024, period: .h1), on: app.db)
        try await app.asyncShutdown()
        #expect(count == projects && projects > 300)
        #expect(summary.plan.amountVnd == 170_750_000_000)
        #expect(throws: DomainError.self) { try Backup.restore(from: "/etc/hostname", to: restored) }
    }
}
