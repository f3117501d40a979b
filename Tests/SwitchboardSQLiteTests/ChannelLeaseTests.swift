import Foundation
import Logging
import SwitchboardAdapterKit
import SwitchboardCore
import SwitchboardSQLStore
import Synchronization
import Testing

/// A polling channel that counts how many of its `run()`s are going on.
final class PollingProbe: ChannelAdapter, Sendable {
    struct Configuration: Decodable, Sendable {}
    static let kind: ChannelKind = "polling-probe"
    let capabilities = ChannelCapabilities()
    let active = Mutex(0)
    let starts = Mutex(0)

    init(configuration: Configuration, context: AdapterContext) throws {}
    init() {}

    func send(_ message: OutboundMessage) async throws(SendError) -> SendReceipt {
        SendReceipt(externalID: message.messageID)
    }

    func run() async throws {
        starts.withLock { $0 += 1 }
        active.withLock { $0 += 1 }
        defer { active.withLock { $0 -= 1 } }
        while true { try await Task.sleep(for: .milliseconds(20)) }
    }

    var running: Int { active.withLock { $0 } }
}

/// A process's view of the store that can die: after `kill()`, every call fails, as it would for
/// a process killed with SIGKILL (it never gives its lease back).
final class KillableLeases: ChannelLeaseStore, Sendable {
    let store: any ChannelLeaseStore
    let dead = Mutex(false)
    init(_ store: any ChannelLeaseStore) { self.store = store }
    func kill() { dead.withLock { $0 = true } }

    func acquireChannelLease(_ channel: ChannelID, holder: String, now: Date, until: Date) async throws -> Bool {
        if dead.withLock({ $0 }) { throw CancellationError() }
        return try await store.acquireChannelLease(channel, holder: holder, now: now, until: until)
    }

    func releaseChannelLease(_ channel: ChannelID, holder: String) async throws {
        if dead.withLock({ $0 }) { throw CancellationError() }
        try await store.releaseChannelLease(channel, holder: holder)
    }
}

func eventually(timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}

struct ChannelLeaseTests {
    func supervisor(_ adapter: PollingProbe, _ leases: any ChannelLeaseStore, holder: String) -> AdapterSupervisor {
        AdapterSupervisor(
            adapter: adapter, channel: "imap", health: HealthBoard(), logger: Logger(label: "test"),
            lease: ChannelLease(
                store: leases, holder: holder, duration: .seconds(3), renewEvery: .milliseconds(200)))
    }

    @Test func exactlyOneProcessPollsAndAnotherTakesOverWhenItIsKilled() async throws {
        try await withTemporaryStore { store in
            let (first, second) = (PollingProbe(), PollingProbe())
            let firstLeases = KillableLeases(store)
            let firstTask = Task { try await supervisor(first, firstLeases, holder: "hub-a").run() }
            #expect(await eventually(timeout: .seconds(30)) { first.running == 1 })
            let secondTask = Task { try await supervisor(second, store, holder: "hub-b").run() }
            // A lease of 3 s, not less: on a machine loaded by the whole suite a renewal can take a second.
            try await Task.sleep(for: .seconds(1.5))  // several renewals
            #expect(first.running == 1 && second.starts.withLock { $0 } == 0, "only the holder polls")

            // Killed: it stops polling (its renewals fail) and never gives the lease back.
            firstLeases.kill()
            let killed = ContinuousClock.now
            #expect(await eventually { first.running == 0 })
            #expect(await eventually { second.running == 1 })
            // Within a lease (3 s) and a renewal; the bound leaves room for a loaded machine.
            let takeover = ContinuousClock.now - killed
            #expect(takeover < .seconds(15), "taken over within a lease and a renewal: \(takeover)")
            #expect(first.running + second.running == 1)

            // A graceful stop gives the lease back at once.
            secondTask.cancel()
            _ = try? await secondTask.value
            firstTask.cancel()
            _ = try? await firstTask.value
            #expect(
                try await eventually {
                    try await store.acquireChannelLease("imap", holder: "hub-c", now: Date(), until: Date() + 60)
                })
        }
    }
}
