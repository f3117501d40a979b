// Read benchmark: latency of the reads an agent's screen makes, on a store filled by
// `switchboard generate` (or a real one): a customer's timeline page, a customer's conversation
// list, a page of the customer list, pages of the inbox's conversation list; against the cheapest read through the same path
// (`SELECT 1` in a read transaction) measured in the same run. Prints p50 and p99 per read and
// their ratio to the baseline; `--write FILE` replaces this backend's section of FILE.
//
//   .build-bench/release/ReadBenchmark --sqlite PATH [--samples 5000] [--write docs/benchmarks.md]
//   .build-bench/release/ReadBenchmark --postgres URL [--samples 5000] [--write docs/benchmarks.md]
import BenchmarkSupport
import Foundation
import SwitchboardAdapterKit
import SwitchboardCore
import SwitchboardPostgres
import SwitchboardSQLStore
import SwitchboardSQLite

struct Options {
    var sqlite: String?
    var postgres: String?
    var samples = 5000
    var write: String?

    init(_ arguments: [String]) throws {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--sqlite": sqlite = iterator.next()
            case "--postgres": postgres = iterator.next()
            case "--samples": samples = Int(iterator.next() ?? "") ?? 0
            case "--write": write = iterator.next()
            default: throw ReadBenchmarkError("unknown argument \(argument)")
            }
        }
        guard (sqlite == nil) != (postgres == nil), samples > 0 else {
            throw ReadBenchmarkError("use --sqlite PATH or --postgres URL, and --samples N (N > 0)")
        }
    }
}

struct ReadBenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Latencies of one kind of read, in microseconds.
struct Latencies {
    var name: String
    var values: [Double] = []

    func percentile(_ p: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
    }
}

/// How long `body` took, in microseconds.
func microseconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = ContinuousClock.now
    try await body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12
}

let options = try Options(CommandLine.arguments)
let store: SQLStore
let backend: String
if let path = options.sqlite {
    guard FileManager.default.fileExists(atPath: path) else { throw ReadBenchmarkError("no store at \(path)") }
    store = try SQLStore(sqlitePath: path)
    backend = "sqlite"
} else {
    store = try SQLStore(postgresURL: options.postgres ?? "", maxConnections: 2)
    backend = "postgres"
}
let counts = try await StoreMigration.counts(store.database)
let ids: [String] = try await store.database.read { db in
    try db.fetchAll("SELECT id FROM customers WHERE merged_into IS NULL ORDER BY id").map { try $0[0] }
}
guard !ids.isEmpty else { throw ReadBenchmarkError("the store has no customers; fill it with switchboard generate") }

// Positions in the inbox (open conversations), and the rarest channel, for the inbox's reads.
let inboxRows: [(Int64, String, String)] = try await store.database.read { db in
    try db.fetchAll(
        "SELECT last_message_at, id, channel FROM conversations WHERE status = 'open' ORDER BY id LIMIT 100000"
    )
    .map { (try $0[0], try $0[1], try $0[2]) }
}
let inboxCursors = inboxRows.map { TimelineCursor(millis: $0.0, id: $0.1).token }
let channelCounts = Dictionary(inboxRows.map { ($0.2, 1) }, uniquingKeysWith: +)
let rareChannel = channelCounts.min { $0.value < $1.value }.map { ChannelID(rawValue: $0.key) }
guard !inboxCursors.isEmpty, let rareChannel else { throw ReadBenchmarkError("the store has no open conversations") }
let rareShare = Double(channelCounts[rareChannel.rawValue] ?? 0) / Double(inboxRows.count) * 100

var random = SystemRandomNumberGenerator()
var baseline = Latencies(name: "baseline: `SELECT 1` in a read transaction")
var timeline = Latencies(name: "timeline page (50 entries, newest first) of a random customer")
var conversations = Latencies(name: "conversation list of a random customer")
var customers = Latencies(name: "customer list page (50), from a random position")
var inboxFirst = Latencies(name: "inbox: first page (50) of every conversation, latest activity first")
var inboxOpen = Latencies(name: "inbox: page (50) of open conversations, from a random position")
var inboxChannel = Latencies(
    name: "inbox: first page (50) of open conversations on the rarest channel "
        + "(\(rareChannel.rawValue), \(String(format: "%.1f", rareShare)) % of them)")
// Warm up the caches and connections, then interleave the reads so that noise hits all alike.
for _ in 0..<200 {
    _ = try await store.timeline(customerID: ids.randomElement(using: &random) ?? "", limit: 50, cursor: nil)
}
for _ in 0..<options.samples {
    let customer = ids.randomElement(using: &random) ?? ""
    baseline.values.append(
        try await microseconds { _ = try await store.database.read { db in try db.fetchAll("SELECT 1") } })
    timeline.values.append(
        try await microseconds { _ = try await store.timeline(customerID: customer, limit: 50, cursor: nil) })
    conversations.values.append(try await microseconds { _ = try await store.conversations(customerID: customer) })
    let after = ids.randomElement(using: &random)
    customers.values.append(try await microseconds { _ = try await store.customers(limit: 50, cursor: after) })
    inboxFirst.values.append(
        try await microseconds {
            _ = try await store.conversations(matching: ConversationFilter(), limit: 50, cursor: nil)
        })
    let position = inboxCursors.randomElement(using: &random)
    inboxOpen.values.append(
        try await microseconds {
            _ = try await store.conversations(
                matching: ConversationFilter(statuses: [.open]), limit: 50, cursor: position)
        })
    inboxChannel.values.append(
        try await microseconds {
            _ = try await store.conversations(
                matching: ConversationFilter(statuses: [.open], channel: rareChannel), limit: 50, cursor: nil)
        })
}

let base = baseline.percentile(0.99)
func row(_ l: Latencies) -> String {
    let p99 = l.percentile(0.99)
    return "| \(l.name) | \(String(format: "%.0f", l.percentile(0.5))) µs | \(String(format: "%.0f", p99)) µs | "
        + "\(String(format: "%.1f", p99 / base))× |"
}
let begin = "<!-- read-benchmark-\(backend):begin -->"
let end = "<!-- read-benchmark-\(backend):end -->"
let markdown = """
    \(begin)
    #### \(backend == "sqlite" ? "SQLite" : "PostgreSQL")

    Measured \(Date().formatted(Date.ISO8601FormatStyle(timeZone: .gmt))) on \(Machine.describe()), \
    \(options.samples) samples of each read. Store: \(counts["messages"] ?? 0) messages, \(counts["customers"] ?? 0) \
    customers, \(counts["conversations"] ?? 0) conversations.

    | read | p50 | p99 | p99 / baseline p99 |
    |---|---:|---:|---:|
    \(row(baseline))
    \(row(timeline))
    \(row(conversations))
    \(row(customers))
    \(row(inboxFirst))
    \(row(inboxOpen))
    \(row(inboxChannel))
    \(end)
    """
print(markdown)
if let path = options.write { try MarkdownSection.replace(begin: begin, end: end, with: markdown, in: path) }
(store.database as? PostgresSQLDatabase)?.close()
