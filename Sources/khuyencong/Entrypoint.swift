import Foundation
import KhuyenCongApp
import Logging
import Vapor

@main
enum Entrypoint {
    static func main() async throws {
        var env = try Environment.detect()
        // LOG_FORMAT=json: one JSON object per line (Core/JSONLogHandler.swift).
        try LogFormat.bootstrap(from: &env)

        let config: AppConfig
        do {
            config = try AppConfig.fromEnvironment()
        } catch {
            FileHandle.standardError.write(Data("khuyencong: \(error)\n".utf8))
            exit(2)
        }

        let app = try await Application.make(env)
        do {
            try await configure(app, config: config)
            let command = env.arguments.dropFirst().first
            if command == nil || command == "serve" {
                try await prepareForServing(app)
            }
            try await app.execute()
        } catch {
            FileHandle.standardError.write(Data("khuyencong: \(String(describing: error))\n".utf8))
            try? await app.asyncShutdown()
            exit(1)
        }
        try await app.asyncShutdown()
    }
}
