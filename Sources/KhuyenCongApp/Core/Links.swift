import KhuyenCongCore

/// Every link the pages build, in one place; never a path written as a literal in a template.
enum Links {
    static func home(region: Region) -> String { region == .north ? "/" : "/?region=\(region.rawValue)" }
    static func unit(_ unitID: String) -> String { "/units/\(escape(unitID))" }
    static func project(_ code: String) -> String { "/projects/\(escape(code))" }

    private static func escape(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(.init(charactersIn: "/?#"))) ?? segment
    }
}

import Foundation
