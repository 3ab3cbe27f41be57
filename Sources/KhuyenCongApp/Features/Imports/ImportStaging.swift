import Foundation

/// Uploaded files wait in a folder of their own between the preview and the confirmation, for at most `lifetime`:
/// a preview nobody confirms must not keep 100 MiB on disk forever. Folders are deleted when confirmed or
/// cancelled, and any older than `lifetime` on the next upload or confirmation (`sweep`).
enum ImportStaging {
    static let lifetime: TimeInterval = 60 * 60

    static var root: URL { FileManager.default.temporaryDirectory.appendingPathComponent("khuyencong-imports") }

    /// A new id and its folder, not made yet: it is made when the first file is written, after the form's token
    /// has been checked.
    static func reserve() -> (id: String, folder: URL) {
        let id = UUID().uuidString
        return (id, root.appendingPathComponent(id))
    }

    /// The folder of an upload still waiting, or nil if there is none (never was, or expired: then it is deleted).
    static func folder(_ id: String, now: Date = Date()) -> URL? {
        guard UUID(uuidString: id) != nil else { return nil }
        let folder = root.appendingPathComponent(id)
        guard let created = createdAt(folder) else { return nil }
        guard now.timeIntervalSince(created) <= lifetime else { remove(folder); return nil }
        return folder
    }

    /// Deletes every folder older than `lifetime`.
    static func sweep(now: Date = Date()) {
        let folders = (try? FileManager.default.contentsOfDirectory(at: root, includingPropertiesForKeys: nil)) ?? []
        for folder in folders where createdAt(folder).map({ now.timeIntervalSince($0) > lifetime }) ?? false {
            remove(folder)
        }
    }

    static func remove(_ folder: URL) { try? FileManager.default.removeItem(at: folder) }

    /// The folder's modification date: set when it is made and when its files are written, never afterwards.
    static func createdAt(_ folder: URL) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: folder.path))?[.modificationDate] as? Date
    }
}
