import Foundation
import Testing
@testable import KhuyenCongApp

/// The dashboard's charts as a reader sees them (issue 17): whole labels, a value axis with round figures, series that
/// stand out from the page and from each other without colour.
@Suite("Charts")
struct ChartTests {
    @Test func aLongLabelWrapsAtSpacesAndKeepsEveryWord() {
        let label = "1. Mô hình trình diễn, chuyển giao công nghệ, máy móc tiên tiến"
        let lines = ChartLabel.wrapped(label, width: 25)
        #expect(lines == ["1. Mô hình trình diễn,", "chuyển giao công nghệ,", "máy móc tiên tiến"])
        let svg = SVGChart.groupedBars([.init(label: label, values: [5, 3])], series: ["Kế hoạch", "Thực hiện"], title: "t") { "\($0)" }
        for line in lines { #expect(svg.contains(">\(line)</tspan>")) }
        #expect(!svg.contains("…"))
    }

    @Test func theValueAxisEndsOnARoundFigureAboveTheLargestValue() {
        #expect(SVGChart.Axis(maximum: 170_800_000_000).maximum == 200_000_000_000)
        #expect(SVGChart.Axis(maximum: 908_120_000_000).maximum == 1_000_000_000_000)
        #expect(SVGChart.Axis(maximum: 400).maximum == 500)
        #expect(SVGChart.Axis(maximum: 0).maximum == 1)
        #expect(SVGChart.Axis(maximum: 200).ticks == [0, 100, 200])
        let svg = SVGChart.groupedBars([.init(label: "Hà Nội", values: [150, 90])], series: ["a", "b"], title: "t") { "\($0) đ" }
        for tick in ["0 đ", "100 đ", "200 đ"] { #expect(svg.contains(">\(tick)</text>")) }
    }

    @Test func everySeriesHasThreeToOneContrastOnWhiteAndTheOddOnesAreHatched() {
        // WCAG 2.1 relative luminance.
        func linear(_ channel: Int) -> Double {
            let c = Double(channel) / 255
            return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        func luminance(_ hex: String) -> Double {
            let value = Int(hex.dropFirst(), radix: 16)!
            let red = linear((value >> 16) & 0xff), green = linear((value >> 8) & 0xff), blue = linear(value & 0xff)
            return 0.2126 * red + 0.7152 * green + 0.0722 * blue
        }
        for color in SVGChart.colors { #expect(1.05 / (luminance(color) + 0.05) >= 3, "\(color)") }
        let svg = SVGChart.groupedBars([.init(label: "Hà Nội", values: [150, 90])], series: ["a", "b"], title: "Theo đơn vị") { "\($0)" }
        let id = SVGChart.identifier("Theo đơn vị")
        #expect(svg.contains(#"<pattern id="\#(id)-1""#) && svg.contains(#"fill="url(#\#(id)-1)""#))
        let lines = SVGChart.lines([[1, 2], [2, 3]], series: ["2026", "2025"], labels: ["I", "II"], reference: 4, title: "l") { "\($0)" }
        #expect(lines.contains(#"stroke-dasharray="7 4""#))
    }
}
