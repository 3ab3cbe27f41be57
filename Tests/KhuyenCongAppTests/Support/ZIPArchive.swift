import Foundation
import ZIPFoundation

/// Rewrites one entry of a ZIP file, for tests that tamper with workbooks.
struct ZIPArchive {
    let url: URL
    init(url: URL) throws { self.url = url }

    func replace(_ path: String, with data: Data) throws {
        let archive = try Archive(url: url, accessMode: .update)
        if let entry = archive[path] { try archive.remove(entry) }
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
    }
}
