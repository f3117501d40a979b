import Foundation
import Logging
import SwitchboardAdapterKit

/// The core router: every adapter delivers here, by push or by poll.
///
/// ```
/// [InboundEnvelope] ─▶ store.ingest (one transaction: dedup → identity → conversation → message)
///                   ─▶ publish HubEvent per stored message ─▶ [DeliveryOutcome]
/// ```
///
/// The decisions (identity, threading) are pure functions in ``IdentityResolver`` and
/// ``Threading``; the store applies them inside its transaction. `deliver` returns only once the
/// batch is durable, which is what lets a webhook answer 2xx and a poller advance its position.
public struct Router: InboundSink {
    public let store: any InboxStore
    public let policy: IngestPolicy
    public let events: EventBus
    /// Answers new conversations where the channel has an `acknowledge:` text.
    public let acknowledger: Acknowledger?
    /// The config's `rules:`, run on each stored message after the acknowledgement.
    public let rules: RuleRunner?
    let logger: Logger

    public init(
        store: any InboxStore, policy: IngestPolicy, events: EventBus, logger: Logger,
        acknowledger: Acknowledger? = nil, rules: RuleRunner? = nil
    ) {
        self.store = store
        self.policy = policy
        self.events = events
        self.logger = logger
        self.acknowledger = acknowledger
        self.rules = rules
    }

    public func deliver(_ batch: [InboundEnvelope]) async throws -> [DeliveryOutcome] {
        guard !batch.isEmpty else { return [] }
        let outcomes = try await store.ingest(batch, policy: policy)
        HubMetrics.record(batch, outcomes, now: Date())
        if let acknowledger {
            // A keyword (STOP, START) is not a conversation to acknowledge.
            for case .stored(let stored) in outcomes
            where stored.optOut == nil && acknowledger.shouldAcknowledge(stored) {
                await acknowledger.acknowledge(stored, logger: logger)
            }
        }
        if let rules {
            for case .stored(let stored) in outcomes { await rules.run(stored) }
        }
        return outcomes.map { outcome in
            switch outcome {
            case .stored(let stored):
                events.publish(
                    .messageStored(
                        messageID: stored.message.id, conversationID: stored.conversation.id,
                        customerID: stored.conversation.customerID))
                if let merge = stored.merge { events.publish(.merged(merge)) }
                return .stored(
                    messageID: stored.message.id, conversationID: stored.conversation.id,
                    customerID: stored.conversation.customerID)
            case .duplicate(let messageID):
                return .duplicate(messageID: messageID)
            case .edited(let messageID, let conversationID, let customerID):
                events.publish(
                    .messageEdited(messageID: messageID, conversationID: conversationID, customerID: customerID))
                return .edited(messageID: messageID)
            case .rejected(let reason):
                logger.warning("envelope rejected", metadata: ["reason": "\(reason)"])
                return .rejected(reason: reason)
            }
        }
    }

    public func apply(_ updates: [StatusUpdate]) async throws {
        guard !updates.isEmpty else { return }
        for applied in try await store.apply(updates) {
            events.publish(.deliveryUpdated(messageID: applied.messageID, status: applied.status.name))
        }
    }
}
