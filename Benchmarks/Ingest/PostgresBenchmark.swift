import BenchmarkSupport
import Foundation
import Logging
import SwitchboardAdapterKit
import SwitchboardCore
import SwitchboardPostgres
import SwitchboardSQLStore

/// The ingest benchmark on PostgreSQL: the baseline (the same rows by plain INSERTs, 1,000
/// envelopes per transaction) and the router in `processes` hub processes at once (this program
/// started again as workers, each delivering every `processes`-th envelope), each into its own
/// schema of the database at `url`.
enum PostgresBenchmark {
    static func run(_ options: Options, url: String, workload: Workload) async throws -> PostgresReport {
        let admin = PostgresSQLDatabase(
            configuration: try PostgresURL.configuration(url), maxConnections: 1, logger: Logger(label: "bench"))
        defer { admin.close() }
        let run = UUID().uuidString.prefix(8).lowercased()
        let (baselineSchema, routerSchema) = ("bench_\(run)_baseline", "bench_\(run)_router")
        for schema in [baselineSchema, routerSchema] {
            try await admin.write { db in try db.execute("CREATE SCHEMA \(schema)") }
        }
        defer {
            for schema in [baselineSchema, routerSchema] {
                _ = try? admin.writeSynchronously { db in try db.execute("DROP SCHEMA \(schema) CASCADE") }
            }
        }
        let baselineStore = try SQLStore(postgresURL: url + "?search_path=" + baselineSchema, maxConnections: 1)
        guard let baselineDatabase = baselineStore.database as? PostgresSQLDatabase else {
            throw BenchmarkError("not a PostgreSQL store")
        }
        let baselineSeconds = try await baseline(workload, baselineDatabase)
        baselineDatabase.close()

        // Migrate once before the workers start, so their clocks measure ingest only.
        let routerURL = url + "?search_path=" + routerSchema
        (try SQLStore(postgresURL: routerURL, maxConnections: 1).database as? PostgresSQLDatabase)?.close()
        let start = ContinuousClock.now
        let workers = try (0..<options.processes).map { worker in
            try startWorker(worker, options: options, url: routerURL)
        }
        var stored = 0
        var duplicates = 0
        for worker in workers {
            worker.process.waitUntilExit()
            let output = (try? String(contentsOf: worker.output, encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(at: worker.output)
            guard worker.process.terminationStatus == 0, let line = output.split(separator: "\n").last,
                case let fields = line.split(separator: " "), fields.count == 2,
                let s = Int(fields[0]), let d = Int(fields[1])
            else { throw BenchmarkError("worker failed: \(output)") }
            stored += s
            duplicates += d
        }
        let routerSeconds = (ContinuousClock.now - start).seconds
        let counts = try await StoreMigration.counts(
            SQLStore(postgresURL: routerURL, maxConnections: 1).database)
        guard stored == workload.uniqueMessages, counts["messages"] == workload.uniqueMessages,
            counts["customers"] == workload.customers, counts["conversations"] == workload.conversations
        else {
            throw BenchmarkError(
                "the router stored \(counts) (\(stored) stored answers); expected \(workload.uniqueMessages) messages")
        }
        let settings = try await admin.read { db -> String in
            let fsync: String = try db.fetchValue("SHOW fsync") ?? "?"
            let commit: String = try db.fetchValue("SHOW synchronous_commit") ?? "?"
            let version: String = try db.fetchValue("SHOW server_version") ?? "?"
            return "PostgreSQL \(version), fsync = \(fsync), synchronous_commit = \(commit)"
        }
        return PostgresReport(
            options: options, workload: workload, baselineSeconds: baselineSeconds, routerSeconds: routerSeconds,
            duplicates: duplicates, server: settings)
    }

    struct Worker {
        var process: Process
        var output: URL
    }

    static func startWorker(_ index: Int, options: Options, url: String) throws -> Worker {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sb-bench-worker-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = [
            "--envelopes", "\(options.envelopes)", "--concurrency", "\(options.concurrency)", "--postgres", url,
            "--processes", "\(options.processes)", "--worker", "\(index)",
        ]
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return Worker(process: process, output: output)
    }

    /// A worker: delivers envelopes `index`, `index + processes`, ... through its own router; prints
    /// `stored duplicates`.
    static func work(_ options: Options, url: String, index: Int, workload: Workload) async throws {
        let store = try SQLStore(postgresURL: url, maxConnections: 4)
        let router = Router(store: store, policy: IngestPolicy(), events: EventBus(), logger: Logger(label: "bench"))
        let mine = Array(stride(from: index, to: workload.envelopes.count, by: options.processes))
        let lanes = max(1, options.concurrency / options.processes)
        let total = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for lane in 0..<lanes {
                group.addTask {
                    var (stored, duplicates) = (0, 0)
                    for position in stride(from: lane, to: mine.count, by: lanes) {
                        switch try await router.deliver([workload.envelopes[mine[position]]]).first {
                        case .stored?: stored += 1
                        case .duplicate?: duplicates += 1
                        default: throw BenchmarkError("envelope \(mine[position]) was rejected")
                        }
                    }
                    return (stored, duplicates)
                }
            }
            var sum = (0, 0)
            for try await lane in group { sum = (sum.0 + lane.0, sum.1 + lane.1) }
            return sum
        }
        (store.database as? PostgresSQLDatabase)?.close()
        print("\(total.0) \(total.1)")
    }

    /// The same rows by plain INSERTs, 1,000 envelopes per transaction, no lookups.
    static func baseline(_ workload: Workload, _ database: PostgresSQLDatabase) async throws -> Double {
        let start = ContinuousClock.now
        for chunk in stride(from: 0, to: workload.rows.count, by: 1000) {
            let rows = Array(workload.rows[chunk..<min(chunk + 1000, workload.rows.count)])
            try await database.write { db in
                for row in rows {
                    let envelope = workload.envelopes[row.envelope]
                    let millis = Int64(envelope.sentAt.timeIntervalSince1970 * 1000)
                    let (customerID, conversationID) = ("cus_\(row.customer)", "con_\(row.conversation)")
                    if row.newCustomer {
                        try db.execute(
                            "INSERT INTO customers (id, display_name, attributes, first_seen, last_seen) VALUES (?, ?, '{}', ?, ?)",
                            [customerID, envelope.hints.displayName, millis, millis])
                        try db.execute(
                            "INSERT INTO identities (address, kind, customer_id, original_customer_id, first_seen_channel, verified, provenance, created_at) VALUES (?, ?, ?, ?, 'shop', 0, 'inbound', ?)",
                            [envelope.from.description, envelope.from.kind.rawValue, customerID, customerID, millis])
                    }
                    if row.newConversation {
                        try db.execute(
                            "INSERT INTO conversations (id, customer_id, channel, customer_address, thread_key, subject, status, created_at, last_message_at) VALUES (?, ?, 'shop', ?, ?, ?, 'open', ?, ?)",
                            [
                                conversationID, customerID, envelope.from.description, envelope.threadKey,
                                envelope.subject, millis, millis,
                            ])
                    }
                    try db.execute(
                        "INSERT INTO messages (id, conversation_id, customer_id, channel, direction, visibility, author, subject, text, attachments, external_id, sent_at, received_at) VALUES (?, ?, ?, 'shop', 'inbound', 'private', ?, ?, ?, '[]', ?, ?, ?)",
                        [
                            "msg_\(row.envelope)", conversationID, customerID, envelope.from.description,
                            envelope.subject,
                            envelope.text, envelope.externalID, millis, millis,
                        ])
                }
            }
        }
        return (ContinuousClock.now - start).seconds
    }
}

/// The PostgreSQL benchmark's numbers as Markdown, in their own section per process count.
struct PostgresReport {
    var options: Options
    var workload: Workload
    var baselineSeconds: Double
    var routerSeconds: Double
    var duplicates: Int
    var server: String

    var begin: String { "<!-- ingest-benchmark-postgres-p\(options.processes):begin -->" }
    var end: String { "<!-- ingest-benchmark-postgres-p\(options.processes):end -->" }

    var markdown: String {
        let envelopes = Double(workload.envelopes.count)
        let (baselineRate, routerRate) = (envelopes / baselineSeconds, envelopes / routerSeconds)
        return """
            \(begin)
            #### PostgreSQL, \(options.processes) hub process\(options.processes == 1 ? "" : "es")

            Measured \(Date().formatted(Date.ISO8601FormatStyle(timeZone: .gmt))) on \(Machine.describe()); \(server), \
            on the same machine over 127.0.0.1.
            Workload: \(workload.envelopes.count) envelopes (\(workload.uniqueMessages) unique messages, \(duplicates) duplicates; \
            \(workload.customers) customers, \(workload.conversations) conversations), delivered one per call by \
            \(options.concurrency) concurrent submitters spread over \(options.processes) process(es).

            | | envelopes/s | time |
            |---|---:|---:|
            | baseline: plain INSERTs, 1,000 envelopes per transaction, no lookups, one connection | \(Int(baselineRate)) | \(String(format: "%.2f", baselineSeconds)) s |
            | router in \(options.processes) process(es): dedup → identity → conversation → message, group commit | \(Int(routerRate)) | \(String(format: "%.2f", routerSeconds)) s |
            | **ratio router / baseline** | **\(String(format: "%.0f", routerRate / baselineRate * 100)) %** | |
            \(end)
            """
    }

    func write(into path: String) throws {
        try MarkdownSection.replace(begin: begin, end: end, with: markdown, in: path)
    }
}
