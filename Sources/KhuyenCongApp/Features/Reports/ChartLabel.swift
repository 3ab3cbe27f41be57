/// A chart label that fits its column: cut after the last whole word that fits, with an ellipsis, never
/// mid-word ("1. Mô hình trình diễn, chuy" becomes "1. Mô hình trình diễn…").
enum ChartLabel {
    static func shortened(_ text: String, to limit: Int) -> String {
        guard text.count > limit else { return text }
        let head = text.prefix(limit)
        guard let space = head.lastIndex(of: " ") else { return String(head.dropLast()) + "…" }
        var cut = String(head[..<space])
        while let last = cut.last, [",", ";", ":", "-", "–"].contains(last) { cut.removeLast() }
        return cut + "…"
    }
}
