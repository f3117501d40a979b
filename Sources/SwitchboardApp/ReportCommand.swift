import ArgumentParser
import Foundation
import SwitchboardConfig
import SwitchboardCore

/// `switchboard report`: the team's numbers (volume, first-response and resolution times in
/// business hours, resolution and reopen rates, SLA breaches) per channel and period, computed
/// from the event log with the config's business hours and SLA policies; a table, JSON or CSV.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print volume, response and resolution times, rates and SLA breaches per channel and period.")

    @OptionGroup var options: DataOptions
    @Option(help: "First day, YYYY-MM-DD in the business hours' time zone (default: 6 days before --to).")
    var from: String?
    @Option(help: "Last day, included (default: today).") var to: String?
    @Option(help: "Rows per day, week or all (the whole range).") var group: String = "day"
    @Flag(help: "Print CSV (for a spreadsheet).") var csv = false

    func run() async throws {
        let (hubConfig, _) = try options.config.load()
        let levels = ServiceLevels(hours: hubConfig.businessHours, policies: hubConfig.slaPolicies)
        guard let grouping = ReportBuilder.Grouping(rawValue: group) else {
            printError("error: --group must be day, week or all, not '\(group)'")
            throw ExitCode(2)
        }
        let now = Date()
        guard let days = levels.days(from: from, to: to, now: now) else {
            printError("error: --from and --to are days written YYYY-MM-DD, and --to is not before --from")
            throw ExitCode(2)
        }
        let store = try Hub.openStore(hubConfig)
        let rows = try await storeCall {
            try await levels.report(store, start: days.start, end: days.end, grouping: grouping, now: now)
        }
        if csv {
            print(ReportRow.csv(rows), terminator: "")
        } else {
            try options.output(rows) { Self.table(rows, from: days.first, to: days.last) }
        }
    }

    /// A plain-text table; times in hours, rates in per cent.
    static func table(_ rows: [ReportRow], from: String, to: String) -> String {
        let header = [
            "period", "channel", "convs", "in", "out", "auto", "FRT mean h", "FRT median h", "resolved",
            "res. mean h", "res. rate", "reopen", "SLA breaches",
        ]
        let hours = { (seconds: Double?) in seconds.map { String(format: "%.2f", $0 / 3600) } ?? "-" }
        let percent = { (rate: Double?) in rate.map { String(format: "%.0f%%", $0 * 100) } ?? "-" }
        let body = rows.map { row in
            [
                row.period, row.channel, "\(row.conversations)", "\(row.messagesIn)", "\(row.messagesOut)",
                "\(row.automaticOut)", hours(row.firstResponseMeanSeconds), hours(row.firstResponseMedianSeconds),
                "\(row.resolved)", hours(row.resolutionMeanSeconds), percent(row.resolutionRate),
                percent(row.reopenRate), "\(row.slaBreaches)",
            ]
        }
        guard !body.isEmpty else { return "no conversations or messages from \(from) to \(to)" }
        let widths = header.indices.map { column in ([header] + body).map { $0[column].count }.max() ?? 0 }
        let lines = ([header] + body).map { cells in
            cells.enumerated().map { $0.element.padding(toLength: widths[$0.offset], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        return "from \(from) to \(to)\n" + lines.joined(separator: "\n")
    }
}
