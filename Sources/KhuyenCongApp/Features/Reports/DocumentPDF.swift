import Foundation
import KhuyenCongCore

/// The PDF of a report document: the DOCX converted by LibreOffice (`soffice --headless --convert-to pdf`), so
/// the PDF is the very document officials edit and sign, page for page. Without LibreOffice there is no PDF,
/// and the caller says so (503 on the web, exit 1 on the command line).
enum DocumentPDF {
    struct Unavailable: Error, CustomStringConvertible {
        let vietnamese: String
        let english: String
        var description: String { "\(vietnamese) / \(english)" }

        static let missing = Unavailable(
            vietnamese: "Không tạo được bản PDF: máy này chưa cài LibreOffice (lệnh soffice). Hãy tải bản DOCX, hoặc cài gói libreoffice-writer (hay đặt SOFFICE_PATH).",
            english: "cannot make the PDF: LibreOffice (the soffice command) is not installed. Download the DOCX, or install libreoffice-writer (or set SOFFICE_PATH).")
    }

    /// `SOFFICE_PATH`, else `soffice` or `libreoffice` on the PATH.
    static func executable() -> String? {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["SOFFICE_PATH"], !path.isEmpty { return FileManager.default.isExecutableFile(atPath: path) ? path : nil }
        for directory in (environment["PATH"] ?? "/usr/bin:/usr/local/bin").split(separator: ":") {
            for name in ["soffice", "libreoffice"] {
                let path = "\(directory)/\(name)"
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
        }
        return nil
    }

    /// Converts off the event loop, with its own LibreOffice profile (conversions may run side by side) and a
    /// time limit of two minutes.
    static func convert(_ docx: Data, name: String = "bao-cao") async throws -> Data {
        guard let soffice = executable() else { throw Unavailable.missing }
        return try await Task.detached {
            let work = FileManager.default.temporaryDirectory.appendingPathComponent("khuyencong-pdf-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: work) }
            let input = work.appendingPathComponent("\(name).docx")
            try docx.write(to: input)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: soffice)
            process.arguments = ["-env:UserInstallation=\(work.appendingPathComponent("profile").absoluteString)", "--headless",
                                 "--convert-to", "pdf", "--outdir", work.path, input.path]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(120)
            while process.isRunning {
                if Date() > deadline {
                    process.terminate()
                    throw Unavailable(vietnamese: "LibreOffice không chuyển xong tệp PDF trong 2 phút", english: "LibreOffice did not finish the PDF within 2 minutes")
                }
                try await Task.sleep(nanoseconds: 100_000_000)
            }
            let output = work.appendingPathComponent("\(name).pdf")
            guard process.terminationStatus == 0, let pdf = try? Data(contentsOf: output), pdf.starts(with: Data("%PDF".utf8)) else {
                throw Unavailable(vietnamese: "LibreOffice không chuyển được tệp sang PDF (mã thoát \(process.terminationStatus))",
                                  english: "LibreOffice could not convert the file to PDF (exit status \(process.terminationStatus))")
            }
            return pdf
        }.value
    }
}
