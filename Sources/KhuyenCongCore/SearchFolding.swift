/// Folding for text search: lower case, Vietnamese diacritics removed (đ/Đ → d), everything that is not a letter
/// or a digit turned into one space. "Thanh Hóa", "THANH HÓA" and "thanh hoa" fold to the same "thanh hoa", in
/// composed (NFC) or decomposed (NFD) input alike. The stored search text of a project and the words of a query go
/// through the same function, so a folded query word is a substring of the folded text it should find.
public enum SearchFolding {
    /// The folded text: words of [a-z0-9] (and letters of other scripts, lower-cased) separated by single spaces.
    public static func fold(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            // Combining marks (decomposed input: U+0300–U+036F) vanish without breaking the word.
            if (0x300...0x36F).contains(scalar.value) { continue }
            let folded = fold(scalar)
            if folded.isEmpty {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out.append(" "); pendingSpace = false }
            out.append(contentsOf: folded)
        }
        return String(out)
    }

    /// The words of a query, folded, without repeats, each at most `maxLength` characters and at most `maxWords`.
    public static func words(_ query: String, maxWords: Int = 8, maxLength: Int = 60) -> [String] {
        var seen: Set<String> = []
        var words: [String] = []
        for word in fold(query).split(separator: " ") {
            let text = String(word.prefix(maxLength))
            guard seen.insert(text).inserted else { continue }
            words.append(text)
            if words.count == maxWords { break }
        }
        return words
    }

    /// One scalar folded: empty for a separator.
    static func fold(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        switch scalar.value {
        case 0x30...0x39, 0x61...0x7A: return [scalar]
        case 0x41...0x5A: return [Unicode.Scalar(scalar.value + 32)!]
        case 0...0x7F: return []
        default: break
        }
        if let base = vietnamese[scalar] { return [base] }
        let properties = scalar.properties
        guard properties.isAlphabetic || properties.numericType != nil else { return [] }
        // Letters of other scripts: lower case, without the marks a canonical decomposition would add.
        return Array(properties.lowercaseMapping.unicodeScalars.filter { !(0x300...0x36F).contains($0.value) })
    }

    /// Every Vietnamese letter with a diacritic (and a few other Latin ones), upper and lower case, to its base letter.
    static let vietnamese: [Unicode.Scalar: Unicode.Scalar] = {
        let groups: [(Character, String)] = [
            ("a", "àáảãạăằắẳẵặâầấẩẫậäåāą"),
            ("e", "èéẻẽẹêềếểễệëēę"),
            ("i", "ìíỉĩịîïī"),
            ("o", "òóỏõọôồốổỗộơờớởỡợöøō"),
            ("u", "ùúủũụưừứửữựûüū"),
            ("y", "ỳýỷỹỵÿ"),
            ("d", "đðď"),
            ("c", "çćč"),
            ("n", "ñńň"),
            ("s", "śšş"),
            ("z", "źżž"),
            ("r", "ř"),
            ("t", "ť"),
            ("l", "ł"),
        ]
        var table: [Unicode.Scalar: Unicode.Scalar] = [:]
        for (base, letters) in groups {
            let baseScalar = base.unicodeScalars.first!
            for letter in letters {
                for variant in [String(letter), String(letter).uppercased()] {
                    if let scalar = variant.unicodeScalars.first, variant.unicodeScalars.count == 1 { table[scalar] = baseScalar }
                }
            }
        }
        table["Đ"] = "d"
        return table
    }()
}
