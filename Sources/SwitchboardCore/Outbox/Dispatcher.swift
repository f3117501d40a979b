import Foundation
import Logging
import ServiceLifecycle
import SwitchboardAdapterKit
import Synchronization

/// Sends queued replies through their channel's adapter, paced by each channel's rate
/// (``SendRateLimiter``), retrying by ``RetryPolicy`` and dead-lettering (visibly) what will not
/// succeed. Runs as a `Service`; ``wake()`` makes it look at the queue at once after an in-process
/// enqueue, and it polls for replies queued by other processes (the CLI) every ``pollInterval``.
/// After each pass it writes every channel's waiting and dead-lettered counts to the health board.
public struct Dispatcher: Service {
    let store: any OutboxStore
    let adapters: [ChannelID: any ChannelAdapter]
    let retry: RetryPolicy
    let limiter: SendRateLimiter
    let health: HealthBoard
    let events: EventBus
    let logger: Logger
    let pollInterval: Duration
    let batchSize: Int
    private let signal = WakeSignal()

    public init(
        store: any OutboxStore, adapters: [ChannelID: any ChannelAdapter], retry: RetryPolicy,
        limiter: SendRateLimiter = SendRateLimiter(rates: [:]), health: HealthBoard, events: EventBus, logger: Logger,
        pollInterval: Duration = .milliseconds(500), batchSize: Int = 32
    ) {
        self.store = store
        self.adapters = adapters
        self.retry = retry
        self.limiter = limiter
        self.health = health
        self.events = events
        self.logger = logger
        self.pollInterval = pollInterval
        self.batchSize = batchSize
    }

    /// Asks the dispatcher to look at the queue now.
    public func wake() { signal.wake() }

    /// Keeps up to ``batchSize`` sends in flight: a send that finishes makes room for the next due
    /// one at once, so one slow channel API holds back only the sends waiting on it, not the queue.
    /// On shutdown it stops claiming and lets the sends in flight finish and be recorded.
    public func run() async throws {
        let ticker = signal.ticking(every: pollInterval)
        defer { ticker.cancel() }
        let inFlight = SendsInFlight()
        var lastHealth = ContinuousClock.now - .seconds(10)
        await withTaskGroup(of: Void.self) { group in
            for await _ in signal.wakeUps.cancelOnGracefulShutdown() {
                do {
                    while true {
                        let room = batchSize - inFlight.count.withLock { $0 }
                        guard room > 0 else { break }
                        let now = Date()
                        let items = try await store.claimDue(now: now, limit: room, lease: .seconds(120))
                        guard !items.isEmpty else { break }
                        inFlight.count.withLock { $0 += items.count }
                        for item in items {
                            group.addTask { [signal] in
                                await self.deliver(item, now: now)
                                inFlight.count.withLock { $0 -= 1 }
                                signal.wake()
                            }
                        }
                    }
                } catch {
                    logger.error("outbox pass failed", metadata: ["error": "\(error)"])
                }
                if ContinuousClock.now - lastHealth >= .seconds(1) {
                    lastHealth = ContinuousClock.now
                    await refreshHealth()
                }
            }
            await group.waitForAll()
        }
        await refreshHealth()
    }

    /// Claims and sends one batch of due items; returns how many were claimed.
    @discardableResult
    public func dispatchDue(now: Date = Date()) async throws -> Int {
        let items = try await store.claimDue(now: now, limit: batchSize, lease: .seconds(120))
        await withTaskGroup(of: Void.self) { group in
            for item in items { group.addTask { await self.deliver(item, now: now) } }
        }
        return items.count
    }

    /// Writes each channel's waiting and dead-lettered sends, as the store has them, to the health
    /// board (so the counts survive a restart and drop when an agent retries) and to the outbox
    /// gauges of `/metrics`.
    public func refreshHealth() async {
        do {
            let counts = try await store.outboxCounts()
            HubMetrics.recordOutbox(counts, channels: health.all.map(\.channel))
            for channel in health.all.map(\.channel) {
                health.update(channel) { health in
                    health.waitingSends = counts[channel]?.waiting ?? 0
                    health.deadLettered = counts[channel]?.deadLettered ?? 0
                }
            }
        } catch {
            logger.warning("could not count the outbox", metadata: ["error": "\(error)"])
        }
    }

    func deliver(_ item: OutboxItem, now: Date) async {
        let channel = item.message.channel
        if case .later(let slot) = limiter.admit(channel, now: now) {
            do {
                try await store.postpone(item, until: slot)
            } catch {
                logger.error("could not postpone a paced send", metadata: ["error": "\(error)"])
            }
            return
        }
        do {
            let receipt = try await send(item.message)
            HubMetrics.sentOne(channel)
            do {
                try await store.markSent(item, receipt: receipt)
            } catch {
                // Sent, but not recorded: after the lease the send is tried again, with the same
                // idempotency key, which channels that honour it take as the same message.
                logger.error("could not record a sent reply", metadata: ["error": "\(error)"])
                return
            }
            events.publish(.deliveryUpdated(messageID: item.message.messageID, status: "sent"))
        } catch {
            let sendError = error
            let rateLimited = sendError.code == .rateLimited
            if rateLimited, let wait = sendError.retryAfter { limiter.pause(channel, for: wait, now: Date()) }
            let retryAt = retry.nextAttempt(
                after: sendError, attempts: rateLimited ? item.rateLimited + 1 : item.attempts + 1, now: Date())
            HubMetrics.sendFailed(channel, reason: sendError.code, final: retryAt == nil)
            if retryAt == nil {
                logger.warning(
                    "reply dead-lettered",
                    metadata: ["message": "\(item.message.messageID)", "error": "\(sendError)"])
            }
            do {
                try await store.markFailed(item, error: sendError, retryAt: retryAt)
                events.publish(
                    .deliveryUpdated(
                        messageID: item.message.messageID, status: retryAt == nil ? "failed" : "queued"))
            } catch {
                logger.error("could not record a failed send", metadata: ["error": "\(error)"])
            }
        }
    }

    func send(_ message: OutboundMessage) async throws(SendError) -> SendReceipt {
        guard let adapter = adapters[message.channel] else {
            throw SendError(.permanent, "channel '\(message.channel)' is not configured or not enabled")
        }
        try ReplyRules.check(message, capabilities: adapter.capabilities, now: Date())
        let optOut: OptOut?
        do {
            optOut = try await store.optOut(for: message.to)
        } catch {
            throw SendError(.transient, "could not read the opt-out list: \(error)")
        }
        if let optOut { throw SendError(.permanent, optOut.refusal) }
        return try await adapter.send(message)
    }
}

/// How many sends the dispatcher has running, shared with the tasks that run them.
final class SendsInFlight: Sendable {
    let count = Mutex(0)
}
