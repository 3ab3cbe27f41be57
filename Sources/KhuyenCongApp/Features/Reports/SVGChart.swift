import KhuyenCongCore

/// Charts drawn on the server as SVG: no script, prints well, readable on a phone. Labels are escaped here;
/// the template inserts the finished markup.
enum SVGChart {
    struct Bar { let label: String; let values: [Int64] }

    static let colors = ["#0b5cab", "#f0a202", "#7aa6d6", "#c95d63"]

    /// Horizontal grouped bars, one group per label (e.g. plan and realised per unit), with a legend.
    static func groupedBars(_ bars: [Bar], series: [String], title: String, format: (Int64) -> String) -> String {
        let labelWidth = 170.0, chartWidth = 420.0, valueWidth = 110.0
        let barHeight = 11.0, groupGap = 8.0
        let groupHeight = Double(series.count) * barHeight + groupGap
        let height = 34 + Double(bars.count) * groupHeight + 10
        let maximum = max(bars.flatMap(\.values).max() ?? 1, 1)
        var svg = header(width: labelWidth + chartWidth + valueWidth, height: height, title: title)
        svg += legend(series, x: labelWidth, y: 14)
        for (row, bar) in bars.enumerated() {
            let top = 30 + Double(row) * groupHeight
            svg += #"<text x="\#(labelWidth - 6)" y="\#(top + Double(series.count) * barHeight / 2 + 4)" text-anchor="end">\#(escape(bar.label))</text>"#
            for (index, value) in bar.values.enumerated() {
                let width = max(Double(value) / Double(maximum) * chartWidth, value > 0 ? 1 : 0)
                let y = top + Double(index) * barHeight
                svg += #"<rect x="\#(labelWidth)" y="\#(y)" width="\#(rounded(width))" height="\#(barHeight - 2)" fill="\#(colors[index % colors.count])"><title>\#(escape(bar.label)): \#(escape(format(value)))</title></rect>"#
                svg += #"<text x="\#(labelWidth + width + 4)" y="\#(y + barHeight - 3)" class="value">\#(escape(format(value)))</text>"#
            }
        }
        return svg + "</svg>"
    }

    /// Lines over the periods of a year (e.g. cumulative realisation by quarter), one per series, with a reference line.
    static func lines(_ points: [[Int64]], series: [String], labels: [String], reference: Int64?, title: String,
                      format: (Int64) -> String) -> String {
        let width = 560.0, height = 240.0, left = 60.0, right = 20.0, top = 34.0, bottom = 30.0
        let maximum = max((points.flatMap { $0 } + [reference ?? 0]).max() ?? 1, 1)
        func x(_ index: Int) -> Double { left + (width - left - right) * Double(index) / Double(max(labels.count - 1, 1)) }
        func y(_ value: Int64) -> Double { top + (height - top - bottom) * (1 - Double(value) / Double(maximum)) }
        var svg = header(width: width, height: height, title: title)
        svg += legend(series, x: left, y: 14)
        svg += #"<line x1="\#(left)" y1="\#(height - bottom)" x2="\#(width - right)" y2="\#(height - bottom)" stroke="gray"/>"#
        for (index, label) in labels.enumerated() {
            svg += #"<text x="\#(rounded(x(index)))" y="\#(height - 10)" text-anchor="middle">\#(escape(label))</text>"#
        }
        if let reference {
            svg += #"<line x1="\#(left)" y1="\#(rounded(y(reference)))" x2="\#(width - right)" y2="\#(rounded(y(reference)))" stroke="gray" stroke-dasharray="4 3"/>"#
            svg += #"<text x="\#(left - 4)" y="\#(rounded(y(reference) + 4))" text-anchor="end" class="value">KH</text>"#
        }
        for (index, values) in points.enumerated() {
            let path = values.enumerated().map { "\(rounded(x($0.offset))),\(rounded(y($0.element)))" }.joined(separator: " ")
            svg += #"<polyline points="\#(path)" fill="none" stroke="\#(colors[index % colors.count])" stroke-width="2.5"/>"#
            for (point, value) in values.enumerated() {
                svg += #"<circle cx="\#(rounded(x(point)))" cy="\#(rounded(y(value)))" r="3.5" fill="\#(colors[index % colors.count])"><title>\#(escape(series[index])) \#(escape(labels[point])): \#(escape(format(value)))</title></circle>"#
            }
            if let last = values.last {
                svg += #"<text x="\#(rounded(x(values.count - 1) - 4))" y="\#(rounded(y(last) - 8))" text-anchor="end" class="value">\#(escape(format(last)))</text>"#
            }
        }
        return svg + "</svg>"
    }

    static func header(width: Double, height: Double, title: String) -> String {
        #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(rounded(width)) \#(rounded(height))" role="img" aria-label="\#(escape(title))" class="chart"><title>\#(escape(title))</title>"#
    }

    static func legend(_ series: [String], x: Double, y: Double) -> String {
        var svg = "", offset = x
        for (index, name) in series.enumerated() {
            svg += #"<rect x="\#(offset)" y="\#(y - 9)" width="10" height="10" fill="\#(colors[index % colors.count])"/>"#
            svg += #"<text x="\#(offset + 14)" y="\#(y)">\#(escape(name))</text>"#
            offset += 20 + Double(name.count) * 7
        }
        return svg
    }

    static func rounded(_ value: Double) -> String { String(Double(Int((value * 10).rounded())) / 10) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
