// Ingest benchmark: N mixed envelopes through the router into SQLite (new customers, returning
// customers, replies in existing conversations, 10 % duplicates), delivered one per call by C
// concurrent submitters as webhook requests would be; and, in the same run, the same rows inserted
// with plain batched SQL (1,000 rows per transaction, prepared statements) into the same schema as
// the baseline. Prints a Markdown report; `--write FILE` replaces the ingest section of FILE.
//
//   swift run -c release IngestBenchmark --envelopes 100000 --concurrency 64 --write docs/benchmarks.md
import Foundation
import GRDB
import Logging
import SwitchboardAdapterKit
import SwitchboardCore
import SwitchboardSQLStore
import SwitchboardSQLite

struct Options {
    var envelopes = 100_000
    var concurrency = 64
    var write: String?
    /// PostgreSQL instead of SQLite: the URL of an empty database.
    var postgres: String?
    var processes = 1
    /// Internal: this process is worker K of a PostgreSQL run.
    var worker: Int?

    init(_ arguments: [String]) throws {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--envelopes": envelopes = try Self.number(iterator.next(), argument)
            case "--concurrency": concurrency = try Self.number(iterator.next(), argument)
            case "--write": write = iterator.next()
            case "--postgres": postgres = iterator.next()
            case "--processes": processes = try Self.number(iterator.next(), argument)
            case "--worker": worker = Int(iterator.next() ?? "")
            default:
                throw BenchmarkError(
                    "unknown argument \(argument); use --envelopes N --concurrency C [--postgres URL --processes P] --write FILE"
                )
            }
        }
    }

    static func number(_ text: String?, _ name: String) throws -> Int {
        guard let text, let value = Int(text), value > 0 else {
            throw BenchmarkError("\(name) takes a positive number")
        }
        return value
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

let options = try Options(CommandLine.arguments)
let workload = try Workload(count: options.envelopes)
if let url = options.postgres {
    if let worker = options.worker {
        try await PostgresBenchmark.work(options, url: url, index: worker, workload: workload)
    } else {
        let report = try await PostgresBenchmark.run(options, url: url, workload: workload)
        print(report.markdown)
        if let path = options.write { try report.write(into: path) }
    }
    exit(0)
}
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }

// Baseline first, then the router, each into a fresh database of the same schema.
let baselineSeconds = try await Baseline.run(workload, path: directory.appendingPathComponent("baseline.sqlite").path)
let routerPath = directory.appendingPathComponent("router.sqlite").path
let store = try SQLStore(sqlitePath: routerPath)
let router = Router(store: store, policy: IngestPolicy(), events: EventBus(), logger: Logger(label: "bench"))
let routerStart = ContinuousClock.now
let outcomes = try await withThrowingTaskGroup(of: (stored: Int, duplicates: Int).self) { group in
    let lanes = options.concurrency
    for lane in 0..<lanes {
        group.addTask {
            var stored = 0
            var duplicates = 0
            var index = lane
            while index < workload.envelopes.count {
                switch try await router.deliver([workload.envelopes[index]]).first {
                case .stored: stored += 1
                case .duplicate: duplicates += 1
                default: throw BenchmarkError("envelope \(index) was rejected")
                }
                index += lanes
            }
            return (stored, duplicates)
        }
    }
    var total = (stored: 0, duplicates: 0)
    for try await lane in group {
        total.stored += lane.stored
        total.duplicates += lane.duplicates
    }
    return total
}
let routerSeconds = (ContinuousClock.now - routerStart).seconds
let counts = try await store.counts()
guard outcomes.stored == workload.uniqueMessages, counts["messages"] == workload.uniqueMessages,
    counts["customers"] == workload.customers, counts["conversations"] == workload.conversations
else {
    throw BenchmarkError(
        "router stored \(counts), expected \(workload.uniqueMessages) messages, \(workload.customers) customers, \(workload.conversations) conversations"
    )
}

let report = Report(
    options: options, workload: workload, baselineSeconds: baselineSeconds, routerSeconds: routerSeconds,
    duplicates: outcomes.duplicates, groups: store.groupCommitStats)
print(report.markdown)
if let path = options.write { try report.write(into: path) }
