import Foundation
import KhuyenCongCore
import ZIPFoundation

/// Several tables as CSV files in one ZIP (`plan_lines.csv`, `projects.csv`, …): what the export gives for
/// "every table, CSV", and what the importer reads back once unpacked.
enum CSVArchive {
    static func write(_ sheets: [Spreadsheet]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for sheet in sheets { try archive.addFile(sheet.name + ".csv", sheet.csv()) }
        guard let data = archive.data else { throw DomainError(.invalidInput, vi: "Không tạo được tệp ZIP", en: "could not write the ZIP file") }
        return data
    }
}
