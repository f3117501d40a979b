import Foundation
import Logging
import ServiceLifecycle
import SwitchboardAdapterKit

/// Sends queued replies through their channel's adapter, retrying by ``RetryPolicy`` and
/// dead-lettering (visibly) what will not succeed. Runs as a `Service`; ``wake()`` makes it look
/// at the queue at once after an in-process enqueue, and it polls for replies queued by other
/// processes (the CLI) every ``pollInterval``.
public struct Dispatcher: Service {
    let store: any OutboxStore
    let adapters: [ChannelID: any ChannelAdapter]
    let retry: RetryPolicy
    let health: HealthBoard
    let events: EventBus
    let logger: Logger
    let pollInterval: Duration
    let batchSize: Int
    private let wakeStream: AsyncStream<Void>
    private let wakeContinuation: AsyncStream<Void>.Continuation

    public init(
        store: any OutboxStore, adapters: [ChannelID: any ChannelAdapter], retry: RetryPolicy, health: HealthBoard,
        events: EventBus, logger: Logger, pollInterval: Duration = .milliseconds(500), batchSize: Int = 32
    ) {
        self.store = store
        self.adapters = adapters
        self.retry = retry
        self.health = health
        self.events = events
        self.logger = logger
        self.pollInterval = pollInterval
        self.batchSize = batchSize
        (wakeStream, wakeContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks the dispatcher to look at the queue now.
    public func wake() { wakeContinuation.yield() }

    public func run() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { [wakeContinuation, pollInterval] in
                while !Task.isCancelled {
                    try await Task.sleep(for: pollInterval)
                    wakeContinuation.yield()
                }
            }
            for await _ in wakeStream.cancelOnGracefulShutdown() {
                do {
                    while try await dispatchDue() == batchSize {}
                } catch {
                    logger.error("outbox pass failed", metadata: ["error": "\(error)"])
                }
            }
            group.cancelAll()
        }
    }

    /// Claims and sends one batch of due items; returns how many were claimed.
    @discardableResult
    public func dispatchDue(now: Date = Date()) async throws -> Int {
        let items = try await store.claimDue(now: now, limit: batchSize, lease: .seconds(120))
        await withTaskGroup(of: Void.self) { group in
            for item in items { group.addTask { await self.deliver(item) } }
        }
        return items.count
    }

    func deliver(_ item: OutboxItem) async {
        let attempts = item.attempts + 1
        do {
            let receipt = try await send(item.message)
            try await store.markSent(item, receipt: receipt)
            events.publish(.deliveryUpdated(messageID: item.message.messageID, status: "sent"))
        } catch {
            let sendError = error as? SendError ?? SendError(.transient, "\(error)")
            let retryAt = retry.nextAttempt(after: sendError, attempts: attempts, now: Date())
            if retryAt == nil {
                health.update(item.message.channel) { $0.deadLettered += 1 }
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
