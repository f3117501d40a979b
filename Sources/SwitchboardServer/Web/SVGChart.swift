import Foundation

/// One named line or bar group. It exists so a chart can carry several measures (for example
/// "received" and "answered") side by side, each with its own colour and legend entry.
struct ChartSeries: Sendable, Hashable {
    var name: String
    /// One value per label, in label order; `nil` (and NaN or infinity) means no value for that label.
    var values: [Double?]
}

/// A chart drawn on the server as an `<svg>` string, so the reports page needs no JavaScript and
/// no chart library. It has rounded y ticks, thinned x labels, a legend and a tooltip per value,
/// uses presentation attributes only (the inbox's CSP forbids inline styles), and never traps on
/// odd data: empty input, gaps, NaN, negatives and huge numbers all render something sensible.
struct SVGChart: Sendable {
    /// How the series are drawn: connected points over the labels, or one bar per series per label.
    enum Kind: Sendable { case line, groupedBars }

    var title: String
    var kind: Kind
    /// X-axis categories (days like 2026-12-01, or channel ids).
    var labels: [String]
    var series: [ChartSeries]
    /// Shown on the y axis and in tooltips, e.g. "messages", "min", "%".
    var unit: String
    var width: Int = 640
    var height: Int = 260

    /// Okabe–Ito colours, distinguishable with the common colour-vision deficiencies.
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]
    static let emptyText = "No data for this period"

    /// The <svg> element, ready to embed in HTML.
    func render() -> String {
        let size = (width: Double(max(width, 200)), height: Double(max(height, 120)))
        let grid = cleanedValues()
        let id = identifier()
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\""
        svg += " viewBox=\"0 0 \(Int(size.width)) \(Int(size.height))\" role=\"img\""
        svg += " aria-labelledby=\"\(id)-title \(id)-desc\" font-family=\"system-ui, sans-serif\" font-size=\"11\">"
        svg += "<title id=\"\(id)-title\">\(Self.escape(title))</title>"
        svg += "<desc id=\"\(id)-desc\">\(Self.escape(summary(grid)))</desc>"
        let present = grid.flatMap { $0 }.compactMap { $0 }
        guard let low = present.min(), let high = present.max() else {
            svg += "<rect x=\"0.5\" y=\"0.5\" width=\"\(Int(size.width) - 1)\" height=\"\(Int(size.height) - 1)\""
            svg += " fill=\"none\" stroke=\"#cccccc\"/>"
            svg += "<text x=\"\(Self.number(size.width / 2))\" y=\"\(Self.number(size.height / 2))\""
            svg += " text-anchor=\"middle\" fill=\"#555555\" font-size=\"13\">\(Self.emptyText)</text></svg>"
            return svg
        }
        let ticks = Self.niceTicks(min: low, max: high)
        let legend = legendLayout(width: size.width)
        let shown = labels.map { Self.shortLabel($0) }
        let lastHalf = kind == .line ? Double(shown.last?.count ?? 0) * 3.1 + 4 : 0
        let plot = Plot(
            left: 64, top: 14 + Double(legend.rows) * 18, right: size.width - max(16, lastHalf),
            bottom: size.height - 34, axisMin: ticks.first ?? 0, axisMax: ticks.last ?? 1,
            count: labels.count, kind: kind)
        svg += legend.markup
        svg += axes(plot, ticks: ticks)
        svg += xLabels(plot, shown: shown)
        svg += kind == .line ? lines(plot, grid: grid) : bars(plot, grid: grid)
        return svg + "</svg>"
    }

    /// Tick values from a rounded minimum (≤ 0) to a rounded maximum (≥ max), with a step of
    /// 1, 2, 2.5 or 5 × 10^n chosen so there are about four intervals.
    static func niceTicks(min low: Double, max high: Double) -> [Double] {
        let lower = Swift.min(0, low)
        var upper = Swift.max(0, high)
        if upper - lower <= 0 { upper = lower + 1 }
        let raw = (upper - lower) / 4
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw * (1 - 1e-9) } ?? 10 * magnitude
        let first = (lower / step).rounded(.down)
        let last = (upper / step - 1e-9).rounded(.up)
        guard step.isFinite, step > 0, first.isFinite, last.isFinite, last - first < 20 else { return [lower, upper] }
        return stride(from: first, through: last, by: 1).map { $0 * step }
    }

    /// Where the plot area sits in the viewBox and how values and label indices map into it.
    private struct Plot {
        var left, top, right, bottom, axisMin, axisMax: Double
        var count: Int
        var kind: Kind

        var width: Double { right - left }
        /// Distance between neighbouring labels.
        var spacing: Double {
            kind == .line ? (count > 1 ? width / Double(count - 1) : width) : width / Double(Swift.max(count, 1))
        }
        func x(_ index: Int) -> Double {
            if kind == .line && count == 1 { return left + width / 2 }
            return left + spacing * (Double(index) + (kind == .line ? 0 : 0.5))
        }
        func y(_ value: Double) -> Double {
            let span = axisMax - axisMin
            guard span > 0 else { return bottom }
            return bottom - (bottom - top) * (Swift.min(Swift.max(value, axisMin), axisMax) - axisMin) / span
        }
    }

    /// One row per value of each series, padded or cut to the labels, with NaN and infinity removed.
    private func cleanedValues() -> [[Double?]] {
        series.map { item in
            labels.indices.map { index in
                guard index < item.values.count, let value = item.values[index], value.isFinite else { return nil }
                return Swift.min(Swift.max(value, -1e300), 1e300)
            }
        }
    }

    /// A stable id for the title and description, derived from the content (FNV-1a), so renders are
    /// reproducible and different charts on one page get different ids.
    private func identifier() -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        let seed = title + "|" + labels.joined(separator: ",") + "|" + series.map(\.name).joined(separator: ",")
        for byte in seed.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0100_0000_01b3
        }
        return "chart-" + String(hash, radix: 16)
    }

    /// The one-line text alternative: what is plotted, over which labels, and each series' key numbers.
    private func summary(_ grid: [[Double?]]) -> String {
        guard grid.contains(where: { $0.contains { $0 != nil } }) else { return title + ": " + Self.emptyText + "." }
        let what = kind == .line ? "Line chart" : "Bar chart"
        var text = "\(what) of \(unit.isEmpty ? "values" : unit)"
        if let first = labels.first, let last = labels.last {
            text += labels.count == 1 ? " for \(first)." : " from \(first) to \(last)."
        }
        for (item, row) in zip(series, grid) {
            let present = row.compactMap { $0 }
            guard let last = row.last(where: { $0 != nil }) ?? nil, let low = present.min(), let high = present.max()
            else {
                text += " \(item.name): no data."
                continue
            }
            let total = present.reduce(0, +)
            text += " \(item.name): total \(withUnit(total)), last \(withUnit(last))"
            text += ", range \(Self.value(low)) to \(withUnit(high))."
        }
        return text
    }

    /// The legend above the plot: a swatch and name per series, wrapping to more rows when needed.
    private func legendLayout(width: Double) -> (markup: String, rows: Int) {
        var markup = "<g class=\"legend\">"
        var x = 64.0
        var row = 0
        for (index, item) in series.enumerated() {
            let name = Self.shortLabel(item.name, limit: 32)
            let itemWidth = 18 + Double(name.count) * 6.4 + 16
            if x > 64 && x + itemWidth > width - 8 {
                row += 1
                x = 64
            }
            let y = 8 + Double(row) * 18
            markup += "<rect class=\"swatch series-\(index)\" x=\"\(Self.number(x))\" y=\"\(Self.number(y))\""
            markup += " width=\"12\" height=\"12\" rx=\"2\" fill=\"\(color(index))\"/>"
            markup += "<text x=\"\(Self.number(x + 17))\" y=\"\(Self.number(y + 10))\" fill=\"#333333\">"
            markup += "\(Self.escape(name))</text>"
            x += itemWidth
        }
        return (markup + "</g>", series.isEmpty ? 0 : row + 1)
    }

    /// Grid lines with their y tick labels, the unit along the y axis, and the two axis lines.
    private func axes(_ plot: Plot, ticks: [Double]) -> String {
        var markup = "<g class=\"axes\">"
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
        let compact = (ticks.last ?? 0) >= 10_000 || (ticks.first ?? 0) <= -10_000
        for tick in ticks {
            let y = Self.number(plot.y(tick))
            let textY = Self.number(plot.y(tick) + 4)
            let stroke = tick == 0 ? "#888888" : "#e2e2e2"
            markup += "<line x1=\"\(Self.number(plot.left))\" y1=\"\(y)\" x2=\"\(Self.number(plot.right))\""
            markup += " y2=\"\(y)\" stroke=\"\(stroke)\"/>"
            markup += "<text x=\"\(Self.number(plot.left - 6))\" y=\"\(textY)\" text-anchor=\"end\""
            markup += " fill=\"#555555\">\(Self.tickText(tick, step: step, compact: compact))</text>"
        }
        let middle = Self.number((plot.top + plot.bottom) / 2)
        markup += "<line x1=\"\(Self.number(plot.left))\" y1=\"\(Self.number(plot.top))\""
        markup += " x2=\"\(Self.number(plot.left))\" y2=\"\(Self.number(plot.bottom))\" stroke=\"#888888\"/>"
        markup += "<text x=\"14\" y=\"\(middle)\" transform=\"rotate(-90 14 \(middle))\" text-anchor=\"middle\""
        markup += " fill=\"#555555\">\(Self.escape(Self.shortLabel(unit)))</text>"
        return markup + "</g>"
    }

    /// X labels, thinned so they do not overlap: at most about ten, always the first and the last.
    private func xLabels(_ plot: Plot, shown: [String]) -> String {
        let widest = Double(shown.map(\.count).max() ?? 1) * 6.2 + 10
        let count = shown.count
        var step = Swift.max(1, Int((widest / Swift.max(plot.spacing, 1)).rounded(.up)))
        step = Swift.max(step, Int((Double(count - 1) / 9).rounded(.up)))
        var indices = Array(stride(from: 0, to: count, by: step))
        if let tail = indices.last, tail != count - 1 {
            if tail != 0 && Double(count - 1 - tail) * plot.spacing < widest { indices.removeLast() }
            indices.append(count - 1)
        }
        var markup = "<g class=\"x-labels\">"
        for index in indices {
            markup += "<text x=\"\(Self.number(plot.x(index)))\" y=\"\(Self.number(plot.bottom + 16))\""
            markup += " text-anchor=\"middle\" fill=\"#555555\">\(Self.escape(shown[index]))</text>"
        }
        return markup + "</g>"
    }

    /// Line charts: a polyline per run of consecutive values (a nil breaks the line) and a point per value.
    private func lines(_ plot: Plot, grid: [[Double?]]) -> String {
        var markup = ""
        for (index, row) in grid.enumerated() {
            let paint = color(index)
            var runs: [[String]] = [[]]
            var points = ""
            for (column, value) in row.enumerated() {
                guard let value else {
                    if runs.last?.isEmpty == false { runs.append([]) }
                    continue
                }
                let point = "\(Self.number(plot.x(column))),\(Self.number(plot.y(value)))"
                runs[runs.count - 1].append(point)
                points += "<circle class=\"point series-\(index)\" cx=\"\(Self.number(plot.x(column)))\""
                points += " cy=\"\(Self.number(plot.y(value)))\" r=\"3\" fill=\"\(paint)\">"
                points += "<title>\(tooltip(index, column, value))</title></circle>"
            }
            markup += "<g class=\"series series-\(index)\">"
            for run in runs where run.count > 1 {
                markup += "<polyline class=\"line series-\(index)\" fill=\"none\" stroke=\"\(paint)\""
                markup += " stroke-width=\"2\" stroke-linejoin=\"round\" points=\"\(run.joined(separator: " "))\"/>"
            }
            markup += points + "</g>"
        }
        return markup
    }

    /// Grouped bars: per label a group of bars, one per series, growing from zero (down when negative).
    private func bars(_ plot: Plot, grid: [[Double?]]) -> String {
        let groupWidth = plot.spacing * 0.8
        let barWidth = Swift.min(groupWidth / Double(Swift.max(grid.count, 1)), 48)
        let zero = plot.y(0)
        var markup = ""
        for (index, row) in grid.enumerated() {
            markup += "<g class=\"series series-\(index)\">"
            for (column, value) in row.enumerated() {
                guard let value else { continue }
                let x = plot.x(column) - barWidth * Double(grid.count) / 2 + barWidth * Double(index)
                let top = Swift.min(plot.y(value), zero)
                let height = abs(plot.y(value) - zero)
                markup += "<rect class=\"bar series-\(index)\" x=\"\(Self.number(x + 0.5))\" y=\"\(Self.number(top))\""
                markup += " width=\"\(Self.number(Swift.max(barWidth - 1, 1)))\" height=\"\(Self.number(height))\""
                markup += " fill=\"\(color(index))\"><title>\(tooltip(index, column, value))</title></rect>"
            }
            markup += "</g>"
        }
        return markup
    }

    private func color(_ index: Int) -> String {
        Self.palette[index % Self.palette.count]
    }

    /// "series · label: value unit", escaped.
    private func tooltip(_ index: Int, _ column: Int, _ value: Double) -> String {
        Self.escape("\(series[index].name) · \(labels[column]): \(withUnit(value))")
    }

    private func withUnit(_ value: Double) -> String {
        if unit.isEmpty { return Self.value(value) }
        return Self.value(value) + (unit == "%" ? "" : " ") + unit
    }

    /// A value as people read it: integers without decimals, otherwise one decimal; huge ones in e-notation.
    static func value(_ value: Double) -> String {
        guard value.isFinite else { return "–" }
        if abs(value) >= 1e15 { return String(format: "%.3g", value) }
        var rounded = (value * 10).rounded() / 10
        if rounded == 0 { rounded = 0 }
        return String(format: rounded == rounded.rounded() ? "%.0f" : "%.1f", rounded)
    }

    /// A tick label with as many decimals as the step needs (0.25 → two), or compact (2.5k, 40M) when large.
    private static func tickText(_ tick: Double, step: Double, compact: Bool) -> String {
        if compact {
            if abs(tick) >= 1e15 { return String(format: "%.1e", tick) }
            for (scale, suffix) in [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")] where abs(tick) >= scale {
                return trimmed(String(format: "%.2f", tick / scale)) + suffix
            }
        }
        var decimals = 0
        while decimals < 6 {
            let scaled = step * pow(10, Double(decimals))
            if abs(scaled - scaled.rounded()) < 1e-6 * Swift.max(1, abs(scaled)) { break }
            decimals += 1
        }
        let text = String(format: "%.\(decimals)f", tick)
        return text.hasPrefix("-") && Double(text) == 0 ? String(text.dropFirst()) : text
    }

    private static func trimmed(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var result = Substring(text)
        while result.hasSuffix("0") { result = result.dropLast() }
        if result.hasSuffix(".") { result = result.dropLast() }
        return String(result)
    }

    /// A coordinate with at most one decimal, without locale, and never "-0".
    static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 10).rounded() / 10
        if rounded == rounded.rounded() { return String(format: "%.0f", rounded == 0 ? 0 : rounded) }
        return String(format: "%.1f", rounded)
    }

    /// Long labels and names cut (16 characters by default) so they fit their slot.
    private static func shortLabel(_ text: String, limit: Int = 16) -> String {
        text.count > limit ? String(text.prefix(limit - 1)) + "…" : text
    }

    /// Text and attribute values, escaped for XML (the same five characters as HTML).
    static func escape(_ text: String) -> String { HTMLPage.escape(text) }
}
