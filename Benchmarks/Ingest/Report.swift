import BenchmarkSupport
import Foundation
import SwitchboardSQLStore
import SwitchboardSQLite

/// The benchmark's numbers, the machine and the date, as Markdown.
struct Report {
    var options: Options
    var workload: Workload
    var baselineSeconds: Double
    var routerSeconds: Double
    var duplicates: Int
    var groups: GroupCommitStats

    var begin: String { "<!-- ingest-benchmark-c\(options.concurrency):begin -->" }
    var end: String { "<!-- ingest-benchmark-c\(options.concurrency):end -->" }

    var markdown: String {
        let envelopes = Double(workload.envelopes.count)
        let baselineRate = envelopes / baselineSeconds
        let routerRate = envelopes / routerSeconds
        let ratio = routerRate / baselineRate
        return """
            \(begin)
            #### \(options.concurrency) concurrent submitters

            Measured \(Date().formatted(Date.ISO8601FormatStyle(timeZone: .gmt))) on \(Machine.describe()).
            Workload: \(workload.envelopes.count) envelopes (\(workload.uniqueMessages) unique messages, \(duplicates) duplicates; \
            \(workload.customers) customers, \(workload.conversations) conversations), delivered one per call by \
            \(options.concurrency) concurrent submitters. Both sides write the same schema with `synchronous = FULL`.

            | | envelopes/s | time |
            |---|---:|---:|
            | baseline: plain batched SQL, 1,000 per transaction, no lookups | \(Int(baselineRate)) | \(String(format: "%.2f", baselineSeconds)) s |
            | router: dedup → identity → conversation → message, group commit | \(Int(routerRate)) | \(String(format: "%.2f", routerSeconds)) s |
            | **ratio router / baseline** | **\(String(format: "%.0f", ratio * 100)) %** | target ≥ 50 % |

            Group commit: \(groups.transactions) transactions, \(String(format: "%.1f", groups.averageGroupSize)) envelopes each on average.
            The baseline's rate counts every envelope of the workload, as the router's does, although it
            inserts only the unique ones (it has no duplicates to detect).
            \(end)
            """
    }

    func write(into path: String) throws {
        try MarkdownSection.replace(begin: begin, end: end, with: markdown, in: path)
    }
}
