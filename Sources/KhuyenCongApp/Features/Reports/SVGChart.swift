import KhuyenCongCore

/// Charts drawn on the server as SVG: no script, prints well, readable on a phone. Labels are escaped here;
/// the template inserts the finished markup. Drawn at 480 units wide and never shown narrower (app.css), so the
/// 11 px text stays 11 px or more on screen; every series keeps 3:1 contrast against the white page and differs
/// without colour too (hatched or dotted bars, dashed lines and square marks).
enum SVGChart {
    struct Bar { let label: String; let values: [Int64] }

    /// Series colours, each at least 3:1 against white (WCAG 2.1 non-text contrast): blue, dark orange, green, wine.
    static let colors = ["#0b5cab", "#a34e00", "#2e7d32", "#8e244d"]
    static let gridColor = "#c8ced6", axisColor = "#5b6675"
    static let width = 480.0

    /// Horizontal grouped bars, one group per label (e.g. plan and realised per unit), with a legend and a value axis.
    /// Labels wrap onto as many lines as they need.
    static func groupedBars(_ bars: [Bar], series: [String], title: String, format: (Int64) -> String) -> String {
        let labelWidth = 150.0, chartWidth = 220.0
        let barHeight = 13.0, lineHeight = 13.0, groupGap = 9.0, top = 32.0
        let labels = bars.map { ChartLabel.wrapped($0.label, width: 25) }
        let blocks = labels.map { max(Double(series.count) * barHeight, Double($0.count) * lineHeight) }
        let axis = Axis(maximum: bars.flatMap(\.values).max() ?? 0)
        let axisY = top + blocks.reduce(0) { $0 + $1 + groupGap }
        let id = identifier(title)
        var svg = header(height: axisY + 26, title: title) + patterns(id, count: series.count) + legend(series, id: id, x: labelWidth, y: 14)
        for tick in axis.ticks {
            let x = labelWidth + chartWidth * Double(tick) / Double(axis.maximum)
            svg += #"<line x1="\#(rounded(x))" y1="\#(top - 4)" x2="\#(rounded(x))" y2="\#(rounded(axisY))" stroke="\#(gridColor)"/>"#
            svg += #"<text x="\#(rounded(x))" y="\#(rounded(axisY + 16))" text-anchor="\#(tick == 0 ? "start" : "middle")" class="value">\#(escape(format(tick)))</text>"#
        }
        svg += #"<line x1="\#(labelWidth)" y1="\#(rounded(axisY))" x2="\#(labelWidth + chartWidth)" y2="\#(rounded(axisY))" stroke="\#(axisColor)"/>"#
        var y = top
        for (row, bar) in bars.enumerated() {
            let lines = labels[row]
            let firstBaseline = y + (blocks[row] - Double(lines.count) * lineHeight) / 2 + 10
            svg += #"<text x="\#(labelWidth - 6)" y="\#(rounded(firstBaseline))" text-anchor="end">"#
            for (index, line) in lines.enumerated() {
                svg += #"<tspan x="\#(labelWidth - 6)"\#(index == 0 ? "" : #" dy="\#(lineHeight)""#)>\#(escape(line))</tspan>"#
            }
            svg += "</text>"
            let barsTop = y + (blocks[row] - Double(series.count) * barHeight) / 2
            for (index, value) in bar.values.enumerated() {
                let length = max(Double(value) / Double(axis.maximum) * chartWidth, value > 0 ? 1 : 0)
                let barY = barsTop + Double(index) * barHeight
                svg += #"<rect x="\#(labelWidth)" y="\#(rounded(barY))" width="\#(rounded(length))" height="\#(barHeight - 2)" \#(paint(index, id: id))><title>\#(escape(bar.label)) – \#(escape(series[index % series.count])): \#(escape(format(value)))</title></rect>"#
                svg += #"<text x="\#(rounded(labelWidth + length + 4))" y="\#(rounded(barY + barHeight - 3))" class="value">\#(escape(format(value)))</text>"#
            }
            y += blocks[row] + groupGap
        }
        return svg + "</svg>"
    }

    /// Lines over the periods of a year (e.g. cumulative realisation by quarter), one per series, with a value axis
    /// and a reference line.
    static func lines(_ points: [[Int64]], series: [String], labels: [String], reference: Int64?, referenceLabel: String = "KH",
                      title: String, format: (Int64) -> String) -> String {
        let height = 250.0, left = 88.0, right = 24.0, top = 34.0, bottom = 30.0
        let axis = Axis(maximum: (points.flatMap { $0 } + [reference ?? 0]).max() ?? 0)
        func x(_ index: Int) -> Double { left + (width - left - right) * Double(index) / Double(max(labels.count - 1, 1)) }
        func y(_ value: Int64) -> Double { top + (height - top - bottom) * (1 - Double(value) / Double(axis.maximum)) }
        let id = identifier(title)
        var svg = header(height: height, title: title) + legend(series, id: id, x: left, y: 14, lines: true)
        for tick in axis.ticks {
            svg += #"<line x1="\#(left)" y1="\#(rounded(y(tick)))" x2="\#(width - right)" y2="\#(rounded(y(tick)))" stroke="\#(tick == 0 ? axisColor : gridColor)"/>"#
            svg += #"<text x="\#(left - 6)" y="\#(rounded(y(tick) + 4))" text-anchor="end" class="value">\#(escape(format(tick)))</text>"#
        }
        for (index, label) in labels.enumerated() {
            svg += #"<text x="\#(rounded(x(index)))" y="\#(height - 10)" text-anchor="middle">\#(escape(label))</text>"#
        }
        if let reference {
            svg += #"<line x1="\#(left)" y1="\#(rounded(y(reference)))" x2="\#(width - right)" y2="\#(rounded(y(reference)))" stroke="\#(axisColor)" stroke-dasharray="2 3"/>"#
            svg += #"<text x="\#(width - right)" y="\#(rounded(y(reference) - 4))" text-anchor="end" class="value">\#(escape(referenceLabel))</text>"#
        }
        for (index, values) in points.enumerated() {
            let color = colors[index % colors.count]
            let path = values.enumerated().map { "\(rounded(x($0.offset))),\(rounded(y($0.element)))" }.joined(separator: " ")
            svg += #"<polyline points="\#(path)" fill="none" stroke="\#(color)" stroke-width="2.5"\#(index % 2 == 1 ? #" stroke-dasharray="7 4""# : "")/>"#
            for (point, value) in values.enumerated() {
                let tip = "<title>\(escape(series[index])) \(escape(labels[point])): \(escape(format(value)))</title>"
                svg += mark(index, x: x(point), y: y(value), color: color, tip: tip)
            }
            if let last = values.last {
                svg += #"<text x="\#(rounded(x(values.count - 1) - 6))" y="\#(rounded(y(last) + (index % 2 == 0 ? -9 : 16)))" text-anchor="end" class="value">\#(escape(format(last)))</text>"#
            }
        }
        return svg + "</svg>"
    }

    /// A value axis from zero to a round maximum (1, 2 or 5 times a power of ten), ticked at zero, half and the top.
    struct Axis {
        let maximum: Int64
        var ticks: [Int64] { [0, maximum / 2, maximum] }
        init(maximum value: Int64) {
            var power: Int64 = 1
            while power <= value / 10 { power *= 10 }
            maximum = [1, 2, 5, 10].map { $0 * power }.first { $0 >= value } ?? power * 10
        }
    }

    static func header(height: Double, title: String) -> String {
        #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(rounded(width)) \#(rounded(height))" role="img" aria-label="\#(escape(title))" class="chart"><title>\#(escape(title))</title>"#
    }

    /// The fill of a series: solid for even ones, hatched (odd) in the series colour, always outlined in it.
    static func paint(_ index: Int, id: String) -> String {
        let color = colors[index % colors.count]
        return index % 2 == 0 ? #"fill="\#(color)""# : #"fill="url(#\#(id)-\#(index))" stroke="\#(color)""#
    }

    /// The hatch patterns of the odd series, named after the chart so that two charts on a page do not clash.
    static func patterns(_ id: String, count: Int) -> String {
        var defs = "<defs>"
        for index in stride(from: 1, to: count, by: 2) {
            defs += #"<pattern id="\#(id)-\#(index)" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="5" height="5" fill="white"/><rect width="2.5" height="5" fill="\#(colors[index % colors.count])"/></pattern>"#
        }
        return defs + "</defs>"
    }

    /// A point mark: round for even series, square for odd ones.
    static func mark(_ index: Int, x: Double, y: Double, color: String, tip: String) -> String {
        index % 2 == 0
            ? #"<circle cx="\#(rounded(x))" cy="\#(rounded(y))" r="4" fill="\#(color)">\#(tip)</circle>"#
            : #"<rect x="\#(rounded(x - 4))" y="\#(rounded(y - 4))" width="8" height="8" fill="\#(color)">\#(tip)</rect>"#
    }

    static func legend(_ series: [String], id: String, x: Double, y: Double, lines: Bool = false) -> String {
        var svg = "", offset = x
        for (index, name) in series.enumerated() {
            if lines {
                let color = colors[index % colors.count]
                svg += #"<line x1="\#(offset)" y1="\#(y - 4)" x2="\#(offset + 18)" y2="\#(y - 4)" stroke="\#(color)" stroke-width="2.5"\#(index % 2 == 1 ? #" stroke-dasharray="7 4""# : "")/>"#
                svg += mark(index, x: offset + 9, y: y - 4, color: color, tip: "")
                offset += 10
            } else {
                svg += #"<rect x="\#(offset)" y="\#(y - 10)" width="12" height="12" \#(paint(index, id: id))/>"#
            }
            svg += #"<text x="\#(offset + 16)" y="\#(y)">\#(escape(name))</text>"#
            offset += 28 + Double(name.count) * 6.5
        }
        return svg
    }

    /// A short, stable name for a chart's patterns, from its title.
    static func identifier(_ title: String) -> String {
        "chart" + String(title.unicodeScalars.reduce(UInt32(5381)) { ($0 &* 33) &+ $1.value }, radix: 36)
    }

    static func rounded(_ value: Double) -> String { String(Double(Int((value * 10).rounded())) / 10) }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
