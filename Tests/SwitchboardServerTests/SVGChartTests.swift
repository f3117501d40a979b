import Foundation
import Testing

@testable import SwitchboardServer

/// The reports page's charts, drawn by the hub: escaped text, a point per value and a bar per
/// value, gaps for missing values, no NaN or infinity in the markup, "nice" axis ticks, and a
/// frame that says so when there is nothing to draw.
struct SVGChartTests {
    func count(_ needle: String, in haystack: String) -> Int { haystack.components(separatedBy: needle).count - 1 }

    @Test func textIsEscaped() {
        let svg = SVGChart(
            title: "A & B <x>", kind: .line, labels: ["<script>alert('x')</script>", "ok"],
            series: [ChartSeries(name: "\"quoted\"", values: [1, 2])], unit: "<u>"
        ).render()
        #expect(!svg.contains("<script>") && svg.contains("&lt;script&gt;") && svg.contains("&#39;x&#39;"))
        #expect(svg.contains("A &amp; B &lt;x&gt;") && svg.contains("&quot;quoted&quot;") && !svg.contains("<u>"))
    }

    @Test func linesHaveAPointPerValueAndBreakAtGaps() {
        let svg = SVGChart(
            title: "Gap", kind: .line, labels: ["a", "b", "c", "d", "e"],
            series: [
                ChartSeries(name: "s", values: [1, 2, nil, 3, 4]), ChartSeries(name: "t", values: [5, nil, .nan, 7]),
            ], unit: "messages"
        ).render()
        #expect(count("<circle", in: svg) == 6)
        #expect(count("<polyline class=\"line series-0\"", in: svg) == 2)
        #expect(count("<polyline", in: svg) == 2, "a point alone draws no line")
        #expect(svg.contains("<title>s · a: 1 messages</title>"))
        #expect(!svg.lowercased().contains("nan"))
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\"") && svg.hasSuffix("</svg>"))
    }

    @Test func barsHaveOneRectanglePerValue() {
        let svg = SVGChart(
            title: "Bars", kind: .groupedBars, labels: ["a", "b", "c"],
            series: [
                ChartSeries(name: "x", values: [1, nil, 3]), ChartSeries(name: "y", values: [.infinity, 2.5, -4]),
            ],
            unit: "%"
        ).render()
        #expect(count("<rect class=\"bar", in: svg) == 4)
        #expect(svg.contains("y · b: 2.5%"))
        #expect(!svg.lowercased().contains("inf") && !svg.contains("height=\"-"))
    }

    @Test func nothingToDrawSaysSo() {
        for chart in [
            SVGChart(title: "E", kind: .line, labels: [], series: [], unit: ""),
            SVGChart(title: "E", kind: .groupedBars, labels: ["a"], series: [], unit: ""),
            SVGChart(
                title: "E", kind: .line, labels: ["a", "b"], series: [ChartSeries(name: "s", values: [nil, .nan])],
                unit: ""),
        ] {
            let svg = chart.render()
            #expect(svg.contains("No data for this period") && !svg.contains("<circle") && !svg.contains("class=\"bar"))
        }
    }

    @Test func ticksAreRoundNumbersCoveringTheValues() {
        #expect(SVGChart.niceTicks(min: 0, max: 37) == [0, 10, 20, 30, 40])
        #expect(SVGChart.niceTicks(min: 0, max: 0) == [0, 0.25, 0.5, 0.75, 1])
        #expect(SVGChart.niceTicks(min: 0, max: 100) == [0, 25, 50, 75, 100])
        #expect(SVGChart.niceTicks(min: -5, max: 37).first == -20)
    }

    @Test func extremeValuesStayFiniteAndManyLabelsAreThinned() {
        let charts = [
            SVGChart(
                title: "huge", kind: .line, labels: ["a", "b"],
                series: [ChartSeries(name: "s", values: [.greatestFiniteMagnitude, -.greatestFiniteMagnitude])],
                unit: ""),
            SVGChart(
                title: "zeros", kind: .groupedBars, labels: ["a", "b"],
                series: [ChartSeries(name: "s", values: [0, 0])],
                unit: ""),
        ]
        for chart in charts {
            let svg = chart.render().lowercased()
            #expect(!svg.contains("nan") && !svg.contains("inf"), "\(chart.title)")
        }
        let many = SVGChart(
            title: "many", kind: .line, labels: (0..<500).map { "d\($0)" },
            series: [ChartSeries(name: "s", values: (0..<500).map { Double($0) })], unit: ""
        ).render()
        #expect(many.contains(">d0<") && many.contains(">d499<") && !many.contains(">d250<"))
    }
}
