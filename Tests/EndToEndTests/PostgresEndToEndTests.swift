import Foundation
import SwitchboardAdapterKit
import SwitchboardCurl
import Testing

/// The PostgreSQL server of `scripts/peers/postgres.sh` (127.0.0.1:23432), for tests that start
/// hubs on it: each gets a fresh database.
enum PostgresPeer {
    static let script = MailPeers.repository.appendingPathComponent("scripts/peers/postgres.sh").path

    /// A new empty database (an old one of that name is dropped first); its URL.
    static func createDatabase(_ name: String) throws -> String {
        let start = try MailPeers.shell(["bash", script, "start"])
        guard start.status == 0 else { throw E2EError("scripts/peers/postgres.sh start failed:\n\(start.output)") }
        let created = try MailPeers.shell(["bash", script, "createdb", name])
        guard created.status == 0, let url = created.output.split(separator: "\n").last.map(String.init),
            url.hasPrefix("postgresql://")
        else { throw E2EError("scripts/peers/postgres.sh createdb \(name) failed:\n\(created.output)") }
        return url
    }

    static func storageYAML(url: String, blobs: URL) -> String {
        "  postgres:\n    url: \(url)\n    blobs: \(blobs.path)"
    }
}

/// Issue 8: several hub processes on one PostgreSQL database are one product. Webhooks spread
/// over both are stored once each, replies queued on either are sent once, and the IMAP channel is
/// polled by one process at a time, the other taking over when it is killed.
@Suite(.serialized)
struct PostgresEndToEndTests {
    init() throws { try MailPeers.start() }

    @Test func twoHubsOnOneDatabaseStoreOnceSendOnceAndHandOverPolling() async throws {
        let url = try PostgresPeer.createDatabase("e2e_two_hubs")
        let shared = FileManager.default.temporaryDirectory.appendingPathComponent("sb-e2e-blobs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: shared) }
        let storage = PostgresPeer.storageYAML(url: url, blobs: shared)
        let folder = "e2e-" + UUID().uuidString.prefix(8).lowercased()
        let mailbox = (user: "support@example.test", password: "supportpass")
        let channel = MailPeers.channelYAML(
            id: "support", user: mailbox.user, password: mailbox.password, folder: folder)
        // Mail that is in the mailbox before the hubs start (the folder exists from then on).
        try MailPeers.deliver(
            "From: Eve <eve@example.test>\nTo: support@example.test\nSubject: First\nMessage-ID: <pg-1-\(folder)@example.test>\n\nBefore.\n",
            to: mailbox.user, folder: folder)
        let receiver = Receiver()
        try await receiver.run { outbound in
            let a = try await HubProcess.start(outboundURL: outbound, channelsYAML: channel, storageYAML: storage)
            let b: HubProcess
            do {
                b = try await HubProcess.start(outboundURL: outbound, channelsYAML: channel, storageYAML: storage)
            } catch {
                await a.stop()
                throw error
            }
            try await stopping([a, b]) {
                let hubs = [a, b]

                // Webhooks spread over both; every fifth one posted to both at once.
                var expected: [String: Int] = [:]
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for n in 0..<100 {
                        let customer = "email:c\(n % 10)@example.com"
                        expected[customer, default: 0] += 1
                        let body =
                            #"{"id":"m-\#(n)","from":"\#(customer)","text":"message \#(n)","thread":"t-\#(n % 10)"}"#
                        let targets = n % 5 == 0 ? [a, b] : [hubs[n % 2]]
                        for hub in targets {
                            group.addTask {
                                let response = try await hub.postWebhook("/webhooks/shop/inbound", body: body)
                                guard response.status == 200 else {
                                    throw E2EError("\(response.status) \(response.text)")
                                }
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                for (customer, count) in expected {
                    #expect(try timeline(a, customer).count == count, "\(customer) on A")
                    #expect(try timeline(b, customer).count == count, "\(customer) on B")
                }

                // Live events: a screen connected to A sees, without reloading, a message that came in
                // through B; one that came in through A arrives once.
                let screen = try EventStreamClient(url: a.baseURL + "/api/v1/events", token: HubProcess.apiToken)
                defer { screen.stop() }
                #expect(try await eventually { screen.output.contains(": connected") })
                let viaB = try await b.postWebhook(
                    "/webhooks/shop/inbound", body: #"{"id":"live-1","from":"email:live@example.com","text":"Hello?"}"#)
                let viaA = try await a.postWebhook(
                    "/webhooks/shop/inbound", body: #"{"id":"live-2","from":"email:live@example.com","text":"Anyone?"}"#
                )
                let ids = try [viaB, viaA].map { response in
                    try #require((try json(response)["results"] as? [[String: Any]])?.first?["message_id"] as? String)
                }
                #expect(try await eventually { ids.allSatisfy { screen.output.contains($0) } }, "\(screen.output)")
                try await Task.sleep(for: .milliseconds(500))
                for id in ids {
                    #expect(screen.output.components(separatedBy: "\"message_id\":\"\(id)\"").count == 2, "once: \(id)")
                }
                #expect(screen.output.contains("event: message.received"))

                // Replies queued on either hub are sent once each.
                var replies: [String] = []
                for n in 0..<10 {
                    let hub = hubs[n % 2]
                    let conversation = try #require(
                        try conversations(hub, "email:c\(n)@example.com").first?["id"] as? String)
                    let reply = try await hub.api(
                        "POST", "/conversations/\(conversation)/replies",
                        json: #"{"text":"Answer \#(n)","author":"Bo"}"#)
                    replies.append(try #require(try json(reply)["id"] as? String))
                }
                #expect(try await eventually(timeout: .seconds(30)) { receiver.requests.count >= replies.count })
                try await Task.sleep(for: .seconds(2))  // both dispatchers look twice a second
                let keys = receiver.requests.compactMap { $0.headers["idempotency-key"] }
                #expect(keys.count == replies.count, "each reply sent once: \(keys.sorted())")
                #expect(Set(keys) == Set(replies.map { "sb-\($0)" }))

                // One process polls the mailbox; the other stands by.
                #expect(try await eventually { try timeline(a, "email:eve@example.test").count == 1 })
                let states = try await [channelState(a, "support"), channelState(b, "support")]
                #expect(states.sorted() == ["running", "standby"], "\(states)")
                let holder = states[0] == "running" ? a : b
                let other = holder === a ? b : a
                #expect(try await eventually { try timeline(other, "email:eve@example.test").count == 1 })

                // The holder is killed: the other takes the lease and imports what came meanwhile, once.
                await holder.crash()
                try MailPeers.deliver(
                    "From: Eve <eve@example.test>\nTo: support@example.test\nSubject: Second\nMessage-ID: <pg-2-\(folder)@example.test>\n\nWhile down.\n",
                    to: mailbox.user, folder: folder)
                #expect(
                    try await eventually(timeout: .seconds(40)) {
                        try timeline(other, "email:eve@example.test").count == 2
                    },
                    "\(other.log)")
                #expect(try await channelState(other, "support") == "running")
                try await Task.sleep(for: .seconds(1))  // several more polls
                #expect(try timeline(other, "email:eve@example.test").count == 2)
            }
        }
    }
}

/// Issue 8's migration path: a SQLite store of 100,000 generated messages moves to PostgreSQL with
/// `switchboard migrate-store`, and the hub started on PostgreSQL shows the same timelines.
@Suite(.serialized)
struct MigrateStoreEndToEndTests {
    @Test func aHundredThousandMessagesMoveAndTheHubShowsTheSameTimelines() async throws {
        let url = try PostgresPeer.createDatabase("e2e_migrate")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sb-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let sqlitePath = directory.appendingPathComponent("hub.sqlite").path
        let sqliteConfig = directory.appendingPathComponent("sqlite.yaml").path
        try "storage:\n  sqlite:\n    path: \(sqlitePath)\nchannels: []\n".write(
            toFile: sqliteConfig, atomically: true, encoding: .utf8)

        let generated = try await runBinaryAsync(
            ["generate", "--config", sqliteConfig, "--customers", "10000", "--messages", "100000"])
        #expect(generated.status == 0, "\(generated.error)")
        #expect(generated.output.contains("generated 100000 messages"), "\(generated.output)")
        let migrated = try await runBinaryAsync([
            "migrate-store", "--from", "sqlite:\(sqlitePath)", "--to", "postgres:\(url)",
        ])
        #expect(migrated.status == 0, "\(migrated.error)")
        #expect(migrated.error.contains("100%"), "a progress bar on stderr")
        let copied = try #require(migrated.output.split(separator: "\n").first { $0.contains("messages:") })
        #expect((Int(copied.split(separator: " ").last ?? "") ?? 0) >= 100_000, "\(migrated.output)")

        // Customers with one message, with many, one merged with their SMS number, the last one: the
        // same timeline from the copy (read before a hub runs on it: its dispatcher would then
        // dead-letter the generated replies, whose channel is not configured).
        let postgresConfig = directory.appendingPathComponent("postgres.yaml").path
        let storage = PostgresPeer.storageYAML(url: url, blobs: directory.appendingPathComponent("blobs"))
        try "storage:\n\(storage)\nchannels: []\n".write(toFile: postgresConfig, atomically: true, encoding: .utf8)
        let sample = [0, 1, 7, 20, 40, 500, 9999].map { "email:customer\($0)@example.com" }
        var counts: [String: Int] = [:]
        for address in sample {
            let command = ["customers", "timeline", address, "--json", "--limit", "500"]
            let before = try await runBinaryAsync(command + ["--config", sqliteConfig])
            let after = try await runBinaryAsync(command + ["--config", postgresConfig])
            #expect(before.status == 0 && after.status == 0, "\(before.error) \(after.error)")
            #expect(after.output == before.output, "the timeline of \(address) is the same on PostgreSQL")
            let entries = (try jsonObject(before.output) as? [String: Any])?["items"] as? [[String: Any]]
            counts[address] = entries?.count
        }

        // The hub on PostgreSQL serves them.
        let hub = try await HubProcess.start(storageYAML: storage)
        try await stopping([hub]) {
            for address in sample {
                let owner = try #require(try customerView(hub, address)?["customer"] as? [String: Any])
                let id = try #require(owner["id"] as? String)
                let served = try json(try await hub.api("GET", "/customers/\(id)/timeline?limit=500"))
                #expect((served["items"] as? [[String: Any]])?.count == counts[address], "\(address)")
            }
        }
    }
}

/// A channel's state in the hub's `/health`.
func channelState(_ hub: HubProcess, _ channel: String) async throws -> String {
    let health = try json(try await hub.client.execute(HTTPClientRequest(url: hub.baseURL + "/health")))
    let entry = (health["channels"] as? [[String: Any]])?.first { $0["channel"] as? String == channel }
    return entry?["state"] as? String ?? "missing"
}

/// A Server-Sent Events client: `curl -N` reading a stream into a file, as a browser tab would.
final class EventStreamClient: Sendable {
    let file: URL
    private let process: Process

    init(url: String, token: String) throws {
        file = FileManager.default.temporaryDirectory.appendingPathComponent("sb-sse-\(UUID().uuidString).txt")
        _ = FileManager.default.createFile(atPath: file.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = ["-sN", "-H", "Authorization: Bearer \(token)", url]
        process.standardOutput = try FileHandle(forWritingTo: file)
        try process.run()
        self.process = process
    }

    var output: String { (try? String(contentsOf: file, encoding: .utf8)) ?? "" }

    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: file)
    }
}

/// Runs `body`, then stops every hub, by pid, whether `body` threw or not (a `defer` with a `Task`
/// may never run before the test process ends, leaving hubs behind).
func stopping<T>(_ hubs: [HubProcess], _ body: () async throws -> T) async throws -> T {
    do {
        let result = try await body()
        for hub in hubs { await hub.stop() }
        return result
    } catch {
        for hub in hubs { await hub.stop() }
        throw error
    }
}
