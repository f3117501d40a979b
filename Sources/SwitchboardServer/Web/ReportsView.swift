import Foundation
import SwitchboardAdapterKit
import SwitchboardCore

/// The web inbox's reports page: the numbers of `switchboard report` over a range of days, drawn
/// as SVG charts by the hub (over time, and by channel) with the table beneath, and a CSV link.
///
/// It exists so a team lead sees at a glance whether answers are getting slower, which channel is
/// behind and whether customers are getting angrier, without exporting anything.
struct ReportsView {
    var days: ReportDays
    /// Every day of the range, in order (`2026-12-01`).
    var dayLabels: [String]
    /// Rows grouped by day (each day's channels, then its `all` row).
    var daily: [ReportRow]
    /// Rows for the whole range (each channel, then `all`).
    var overall: [ReportRow]

    func body() -> String {
        let range = "from=\(days.first)&amp;to=\(days.last)"
        return """
            <h1>Reports</h1>
            <form method="get" action="/inbox/reports" class="filters">
            <label>From <input type="date" name="from" value="\(HTMLPage.escape(days.first))"></label>
            <label>To <input type="date" name="to" value="\(HTMLPage.escape(days.last))"></label>
            <button type="submit">Show</button>
            <a href="/inbox/reports.csv?\(range)" download>Download CSV (per day)</a>
            </form>
            <p class="hint">From the event log, in business hours where an SLA policy says so. Conversations count in
            the day they were opened; messages in the day they were written.</p>
            <div class="charts">
            \(figure(messagesChart))
            \(figure(firstResponseChart))
            \(figure(ratesChart))
            \(figure(sentimentChart))
            \(figure(channelsChart))
            \(figure(satisfactionChart))
            </div>
            <h2>By channel, \(HTMLPage.escape(days.first)) to \(HTMLPage.escape(days.last))</h2>
            \(table())
            """
    }

    func figure(_ chart: SVGChart) -> String {
        "<figure class=\"chart\"><figcaption>\(HTMLPage.escape(chart.title))</figcaption>\(chart.render())</figure>"
    }

    /// The day's row for all channels.
    func allChannels(on day: String) -> ReportRow? {
        daily.first { $0.period == day && $0.channel == "all" }
    }

    func perDay(_ value: (ReportRow) -> Double?, empty: Double? = 0) -> [Double?] {
        dayLabels.map { day in allChannels(on: day).map(value) ?? empty }
    }

    var messagesChart: SVGChart {
        SVGChart(
            title: "Messages per day", kind: .line, labels: dayLabels,
            series: [
                ChartSeries(name: "In", values: perDay { Double($0.messagesIn) }),
                ChartSeries(name: "Out, by people", values: perDay { Double($0.messagesOut - $0.automaticOut) }),
                ChartSeries(name: "Out, automatic", values: perDay { Double($0.automaticOut) }),
            ], unit: "messages")
    }

    var firstResponseChart: SVGChart {
        SVGChart(
            title: "First response time per day (minutes)", kind: .line, labels: dayLabels,
            series: [
                ChartSeries(
                    name: "Median", values: perDay({ $0.firstResponseMedianSeconds.map { $0 / 60 } }, empty: nil)),
                ChartSeries(name: "Mean", values: perDay({ $0.firstResponseMeanSeconds.map { $0 / 60 } }, empty: nil)),
            ], unit: "min")
    }

    var ratesChart: SVGChart {
        SVGChart(
            title: "Resolution and reopen rates per day", kind: .line, labels: dayLabels,
            series: [
                ChartSeries(name: "Resolved", values: perDay({ $0.resolutionRate.map { $0 * 100 } }, empty: nil)),
                ChartSeries(name: "Reopened", values: perDay({ $0.reopenRate.map { $0 * 100 } }, empty: nil)),
            ], unit: "%")
    }

    var sentimentChart: SVGChart {
        SVGChart(
            title: "Sentiment of inbound messages per day", kind: .groupedBars, labels: dayLabels,
            series: [
                ChartSeries(name: "Positive", values: perDay { Double($0.positiveIn) }),
                ChartSeries(name: "Negative", values: perDay { Double($0.negativeIn) }),
            ], unit: "messages")
    }

    var satisfactionChart: SVGChart {
        SVGChart(
            title: "Satisfaction per day (mean rating, 1 to 5)", kind: .line, labels: dayLabels,
            series: [ChartSeries(name: "Mean rating", values: perDay({ $0.ratingMean }, empty: nil))], unit: "")
    }

    var channelsChart: SVGChart {
        let channels = overall.filter { $0.channel != "all" }
        return SVGChart(
            title: "By channel", kind: .groupedBars, labels: channels.map(\.channel),
            series: [
                ChartSeries(name: "Conversations", values: channels.map { Double($0.conversations) }),
                ChartSeries(name: "Resolved", values: channels.map { Double($0.resolved) }),
                ChartSeries(name: "SLA breaches", values: channels.map { Double($0.slaBreaches) }),
            ], unit: "conversations")
    }

    func table() -> String {
        guard !overall.isEmpty else { return "<p>Nothing happened in these days.</p>" }
        let head = [
            "Channel", "Conversations", "In", "Out (automatic)", "First response (median)", "Resolved",
            "Resolution (mean)", "Resolution rate", "Reopen rate", "SLA breaches", "Positive / negative",
            "Ratings (mean)",
        ].map { "<th scope=\"col\">\($0)</th>" }.joined()
        let rows = overall.map { row in
            let cells = [
                "\(row.conversations)", "\(row.messagesIn)", "\(row.messagesOut) (\(row.automaticOut))",
                Self.duration(row.firstResponseMedianSeconds), "\(row.resolved)",
                Self.duration(row.resolutionMeanSeconds), Self.percent(row.resolutionRate),
                Self.percent(row.reopenRate), "\(row.slaBreaches)", "\(row.positiveIn) / \(row.negativeIn)",
                row.ratingMean.map { "\(row.ratings) (\(String(format: "%.1f", $0)))" } ?? "\(row.ratings)",
            ].map { "<td>\(HTMLPage.escape($0))</td>" }.joined()
            let name = row.channel == "all" ? "All channels" : row.channel
            return "<tr><th scope=\"row\">\(HTMLPage.escape(name))</th>\(cells)</tr>"
        }.joined()
        return """
            <div class="table-scroll"><table class="report"><caption class="visually-hidden">Report by channel</caption>
            <thead><tr>\(head)</tr></thead><tbody>\(rows)</tbody></table></div>
            """
    }

    /// `1 h 05 min`, `12 min`, `40 s`, or `–` for no value.
    static func duration(_ seconds: Double?) -> String {
        guard let seconds else { return "–" }
        let whole = Int(seconds.rounded())
        if whole < 60 { return "\(whole) s" }
        if whole < 3600 { return "\(whole / 60) min" }
        return "\(whole / 3600) h \(String(format: "%02d", whole % 3600 / 60)) min"
    }

    static func percent(_ share: Double?) -> String {
        guard let share else { return "–" }
        return "\(Int((share * 100).rounded())) %"
    }

    /// Every local day from `first` to `last` (both `YYYY-MM-DD`), at most 400.
    static func labels(_ days: ReportDays, hours: BusinessHours) -> [String] {
        var labels: [String] = []
        var cursor = days.start.addingTimeInterval(12 * 3600)  // noon: a 23- or 25-hour day cannot skip a date
        while cursor < days.end && labels.count < 400 {
            let day = hours.localDay(of: cursor)
            if labels.last != day { labels.append(day) }
            cursor = cursor.addingTimeInterval(86_400)
        }
        return labels
    }
}
