/// A chart label broken into lines at spaces, so that it fits its column without being cut
/// ("1. Mô hình trình diễn, chuyển giao công nghệ" on two lines rather than "1. Mô hình trình diễn, chuy").
enum ChartLabel {
    /// Lines of at most `width` characters, breaking at spaces; a single word longer than that keeps its own line.
    static func wrapped(_ text: String, width: Int) -> [String] {
        var lines: [String] = [], line = ""
        for word in text.split(separator: " ") {
            if line.isEmpty { line = String(word) } else if line.count + 1 + word.count <= width { line += " " + word } else {
                lines.append(line)
                line = String(word)
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines.isEmpty ? [""] : lines
    }
}
