import Foundation
import Logging
import ServiceLifecycle
import SwitchboardAdapterKit
import SwitchboardCore
import SwitchboardSQLStore
import SwitchboardSQLite
import Synchronization
import Testing

/// A channel that fails as scripted, then accepts; counts sends by idempotency key.
final class ScriptedAdapter: ChannelAdapter, Sendable {
    struct Configuration: Decodable, Sendable {}
    static let kind: ChannelKind = "scripted"
    let capabilities: ChannelCapabilities
    let script = Mutex<[SendError]>([])
    let sent = Mutex<[String]>([])
    let runs = Mutex(0)
    let failRuns: Int

    init(configuration: Configuration, context: AdapterContext) throws {
        capabilities = ChannelCapabilities()
        failRuns = 0
    }

    init(maxTextLength: Int? = nil, failures: [SendError] = [], failRuns: Int = 0) {
        capabilities = ChannelCapabilities(maxTextLength: maxTextLength)
        script.withLock { $0 = failures }
        self.failRuns = failRuns
    }

    func send(_ message: OutboundMessage) async throws(SendError) -> SendReceipt {
        sent.withLock { $0.append(message.idempotencyKey) }
        if let failure = script.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { throw failure }
        return SendReceipt(externalID: "remote-\(message.messageID)")
    }

    func run() async throws {
        let run = runs.withLock { value in
            value += 1
            return value
        }
        if run <= failRuns { throw SendError(.transient, "poller crashed (run \(run))") }
        try await gracefulShutdown()
    }
}

struct DispatcherTests {
    /// Runs `body` with a store holding one conversation with a reply queued in it, and a
    /// dispatcher that sends through a new adapter from `makeAdapter` (once per backend).
    func withQueuedReply(
        _ makeAdapter: @escaping () -> ScriptedAdapter,
        _ body: (SQLStore, Dispatcher, Message, ScriptedAdapter) async throws -> Void
    ) async throws {
        try await withTemporaryStore { store in
            let adapter = makeAdapter()
            let conversation = try await store.ingestOne(try inbound("in-1", from: "email:ana@example.com"))
                .conversation
            let reply = try await store.enqueueReply(
                ReplyRequest(conversationID: conversation.id, text: "Hello Ana", author: "Bo"))
            let health = HealthBoard()
            health.register("shop", kind: "scripted")
            let dispatcher = Dispatcher(
                store: store, adapters: ["shop": adapter],
                retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1)), health: health, events: EventBus(),
                logger: Logger(label: "test"))
            try await body(store, dispatcher, reply, adapter)
        }
    }

    @Test func transientFailuresAreRetriedWithTheSameIdempotencyKeyUntilSent() async throws {
        try await withQueuedReply({
            ScriptedAdapter(failures: [SendError(.transient, "503"), SendError(.rateLimited, "429")])
        }) { store, dispatcher, reply, adapter in
            for _ in 0..<3 {
                try await dispatcher.dispatchDue(now: Date().addingTimeInterval(3600))
            }
            #expect(adapter.sent.withLock { $0 } == Array(repeating: "sb-\(reply.id)", count: 3))
            let message = try #require(try await store.message(id: reply.id))
            #expect(message.deliveryStatus == "sent")
            #expect(message.externalID == "remote-\(reply.id)")
            #expect(message.statusHistory.map(\.status) == ["queued", "retrying", "retrying", "sent"])
        }
    }

    @Test func aPermanentFailureIsDeadLetteredAtOnceWithItsReason() async throws {
        try await withQueuedReply({ ScriptedAdapter(failures: [SendError(.permanent, "the customer blocked us")]) }) {
            store, dispatcher, reply, adapter in
            try await dispatcher.dispatchDue()
            try await dispatcher.dispatchDue(now: Date().addingTimeInterval(3600))
            #expect(adapter.sent.withLock { $0.count } == 1)
            let message = try #require(try await store.message(id: reply.id))
            #expect(message.deliveryStatus == "failed")
            #expect(message.statusHistory.last?.detail?.contains("the customer blocked us") == true)
        }
    }

    @Test func aReplyLongerThanTheChannelAllowsIsRefusedBeforeSending() async throws {
        try await withQueuedReply({ ScriptedAdapter(maxTextLength: 5) }) { store, dispatcher, reply, adapter in
            try await dispatcher.dispatchDue()
            #expect(adapter.sent.withLock { $0.isEmpty })
            let message = try #require(try await store.message(id: reply.id))
            #expect(message.deliveryStatus == "failed")
            #expect(message.statusHistory.last?.detail?.contains("allows 5") == true)
        }
    }

    @Test func retriesStopAtTheCeiling() async throws {
        try await withQueuedReply({
            ScriptedAdapter(failures: Array(repeating: SendError(.transient, "down"), count: 10))
        }) { store, dispatcher, reply, adapter in
            for _ in 0..<6 { try await dispatcher.dispatchDue(now: Date().addingTimeInterval(3600)) }
            #expect(adapter.sent.withLock { $0.count } == 3)
            #expect(try await store.message(id: reply.id)?.deliveryStatus == "failed")
            #expect(try await store.deadLetters().count == 1)
        }
    }
}

struct AdapterSupervisorTests {
    @Test func aFailingAdapterIsRestartedAndReportedWithoutStoppingAnything() async throws {
        let adapter = ScriptedAdapter(failRuns: 2)
        let health = HealthBoard()
        health.register("shop", kind: "scripted")
        let supervisor = AdapterSupervisor(
            adapter: adapter, channel: "shop", health: health, logger: Logger(label: "test"),
            initialBackoff: .milliseconds(1), maxBackoff: .milliseconds(5))
        let group = ServiceGroup(services: [supervisor], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var attempts = 0
            while adapter.runs.withLock({ $0 }) < 3 && attempts < 500 {
                try await Task.sleep(for: .milliseconds(10))
                attempts += 1
            }
            let state = health.all.first
            #expect(state?.restarts == 2)
            #expect(state?.state == .running)
            #expect(state?.lastError?.contains("poller crashed") == true)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test func theWaitDoublesUpToTheCeilingAndStartsAgainAfterALongHealthyRun() {
        let (initial, ceiling) = (Duration.seconds(1), Duration.seconds(60))
        func next(_ previous: Duration?, ranFor: Duration) -> Duration {
            AdapterSupervisor.backoff(after: previous, ranFor: ranFor, initial: initial, max: ceiling)
        }
        #expect(next(nil, ranFor: .zero) == .seconds(1))
        #expect(next(.seconds(1), ranFor: .milliseconds(5)) == .seconds(2))
        #expect(next(.seconds(32), ranFor: .seconds(1)) == .seconds(60))
        #expect(next(.seconds(60), ranFor: .seconds(59)) == .seconds(60))
        #expect(next(.seconds(60), ranFor: .seconds(60)) == .seconds(1), "a run of a full ceiling counts as recovered")
        #expect(next(.seconds(60), ranFor: .seconds(3600)) == .seconds(1))
    }
}

/// Pacing by the channel's rate and by its 429s.
struct DispatcherPacingTests {
    func queue(_ count: Int, in store: SQLStore) async throws -> [Message] {
        let conversation = try await store.ingestOne(try inbound("in-1", from: "email:ana@example.com")).conversation
        var replies: [Message] = []
        for n in 0..<count {
            replies.append(
                try await store.enqueueReply(
                    ReplyRequest(conversationID: conversation.id, text: "Reply \(n)", author: "Bo")))
        }
        return replies
    }

    func dispatcher(
        _ store: SQLStore, _ adapter: ScriptedAdapter, rate: SendRate?, health: HealthBoard = HealthBoard()
    )
        -> Dispatcher
    {
        health.register("shop", kind: "scripted")
        return Dispatcher(
            store: store, adapters: ["shop": adapter],
            retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1), maxRateLimited: 3),
            limiter: SendRateLimiter(rates: rate.map { ["shop": $0] } ?? [:]), health: health, events: EventBus(),
            logger: Logger(label: "test"))
    }

    @Test func sendsBeyondTheRateWaitInTheQueueWithoutUsingAnAttempt() async throws {
        try await withTemporaryStore { store in
            let replies = try await queue(5, in: store)
            let adapter = ScriptedAdapter()
            let dispatcher = dispatcher(store, adapter, rate: SendRate(messages: 1, per: .seconds(1), burst: 2))
            let t0 = Date().addingTimeInterval(1)
            #expect(try await dispatcher.dispatchDue(now: t0) == 5)
            #expect(adapter.sent.withLock { $0.count } == 2, "the burst")
            // The other three are back in the queue, due one second apart, no attempt counted.
            #expect(try await store.claimDue(now: t0.addingTimeInterval(0.9), limit: 10, lease: .seconds(1)).isEmpty)
            #expect(try await dispatcher.dispatchDue(now: t0.addingTimeInterval(1)) == 1)
            #expect(adapter.sent.withLock { $0.count } == 3)
            for second in 2...3 { try await dispatcher.dispatchDue(now: t0.addingTimeInterval(Double(second))) }
            #expect(adapter.sent.withLock { Set($0) } == Set(replies.map { "sb-\($0.id)" }), "each sent once")
            #expect(adapter.sent.withLock { $0.count } == 5)
            for reply in replies {
                let message = try #require(try await store.message(id: reply.id))
                #expect(message.statusHistory.map(\.status) == ["queued", "sent"], "pacing writes no retry")
            }
        }
    }

    @Test func aRetryAfterPausesTheWholeChannelAndDoesNotUseUpAttempts() async throws {
        try await withTemporaryStore { store in
            let replies = try await queue(2, in: store)
            let slowDown = SendError(.rateLimited, "429 from the channel", retryAfter: .seconds(30))
            let adapter = ScriptedAdapter(failures: [slowDown, slowDown])
            let dispatcher = dispatcher(store, adapter, rate: nil)
            let t0 = Date().addingTimeInterval(1)
            try await dispatcher.dispatchDue(now: t0)
            #expect(adapter.sent.withLock { $0.count } == 2, "both tried, both told to slow down")
            // Due again only after Retry-After; and the channel stays paused until then.
            #expect(try await dispatcher.dispatchDue(now: t0.addingTimeInterval(20)) == 0)
            try await dispatcher.dispatchDue(now: t0.addingTimeInterval(40))
            #expect(adapter.sent.withLock { $0.count } == 4)
            for reply in replies {
                let message = try #require(try await store.message(id: reply.id))
                #expect(message.deliveryStatus == "sent")
                #expect(message.statusHistory.map(\.status) == ["queued", "retrying", "sent"])
                #expect(message.statusHistory[1].detail?.hasPrefix("rate limited (1): rateLimited") == true)
            }
        }
    }

    @Test func endlessRateLimitsDeadLetterAtTheirOwnBudgetAndHealthCountsIt() async throws {
        try await withTemporaryStore { store in
            let replies = try await queue(1, in: store)
            let adapter = ScriptedAdapter(failures: Array(repeating: SendError(.rateLimited, "429"), count: 10))
            let health = HealthBoard()
            let dispatcher = dispatcher(store, adapter, rate: nil, health: health)
            var now = Date().addingTimeInterval(1)
            for _ in 0..<6 {
                try await dispatcher.dispatchDue(now: now)
                now.addTimeInterval(3600)
            }
            #expect(adapter.sent.withLock { $0.count } == 3, "max_rate_limited is 3, max_attempts (2) is not used")
            #expect(try await store.message(id: replies[0].id)?.deliveryStatus == "failed")
            let dead = try await store.deadLetters()
            #expect(dead.map(\.rateLimited) == [3])
            #expect(dead.map(\.attempts) == [0])
            await dispatcher.refreshHealth()
            #expect(health.all.first?.deadLettered == 1)
            #expect(health.all.first?.waitingSends == 0)
            // An agent's retry puts it back: the count drops, the queue grows.
            #expect(try await store.retry(messageID: replies[0].id))
            await dispatcher.refreshHealth()
            #expect(health.all.first?.deadLettered == 0)
            #expect(health.all.first?.waitingSends == 1)
        }
    }
}

/// A channel whose sends hang until the test lets them go.
final class GatedAdapter: ChannelAdapter, Sendable {
    struct Configuration: Decodable, Sendable {}
    static let kind: ChannelKind = "gated"
    let capabilities = ChannelCapabilities()
    let open = Mutex(false)
    let sent = Mutex<[String]>([])

    init(configuration: Configuration, context: AdapterContext) throws {}
    init() {}

    func send(_ message: OutboundMessage) async throws(SendError) -> SendReceipt {
        while !open.withLock({ $0 }) {
            do { try await Task.sleep(for: .milliseconds(10)) } catch { throw SendError(.transient, "cancelled") }
        }
        sent.withLock { $0.append(message.idempotencyKey) }
        return SendReceipt(externalID: "gated-\(message.messageID)")
    }

    func run() async throws { try await gracefulShutdown() }
}

struct DispatcherFlowTests {
    @Test func aHangingChannelHoldsBackOnlyItsOwnSends() async throws {
        try await withTemporaryStore { store in
            let slowConversation = try await store.ingestOne(
                try inbound("in-s", from: "email:sam@example.com", channel: "slow", thread: "s")
            ).conversation
            let fastConversation = try await store.ingestOne(
                try inbound("in-f", from: "email:fay@example.com", channel: "fast", thread: "f")
            ).conversation
            _ = try await store.enqueueReply(
                ReplyRequest(conversationID: slowConversation.id, text: "Wait", author: "Bo"))
            for n in 0..<40 {
                _ = try await store.enqueueReply(
                    ReplyRequest(conversationID: fastConversation.id, text: "Go \(n)", author: "Bo"))
            }
            let slow = GatedAdapter()
            let fast = ScriptedAdapter()
            let dispatcher = Dispatcher(
                store: store, adapters: ["slow": slow, "fast": fast], retry: RetryPolicy(), health: HealthBoard(),
                events: EventBus(), logger: Logger(label: "test"), pollInterval: .milliseconds(20), batchSize: 4)
            let group = ServiceGroup(services: [dispatcher], logger: Logger(label: "test"))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                var waited = 0
                while fast.sent.withLock({ $0.count }) < 40 && waited < 1000 {
                    try await Task.sleep(for: .milliseconds(10))
                    waited += 1
                }
                #expect(fast.sent.withLock { $0.count } == 40, "all 40 went while the slow send hung")
                #expect(slow.sent.withLock { $0.isEmpty })
                slow.open.withLock { $0 = true }
                waited = 0
                while slow.sent.withLock({ $0.isEmpty }) && waited < 1000 {
                    try await Task.sleep(for: .milliseconds(10))
                    waited += 1
                }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            #expect(slow.sent.withLock { $0.count } == 1)
            #expect(Set(fast.sent.withLock { $0 }).count == 40, "each once")
        }
    }
}
