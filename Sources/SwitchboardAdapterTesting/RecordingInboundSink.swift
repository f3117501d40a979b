import SwitchboardAdapterKit
import Synchronization

/// The hub's inbound side as a test double for polling adapters: keeps every delivered envelope
/// and status update, answers each envelope `.stored` (or `.duplicate` when its external id was
/// delivered before, as the real store would), and can be told to fail or to refuse given ids, so a
/// test can check that a poller does not advance its position past what was not stored.
public final class RecordingInboundSink: InboundSink {
    /// Every envelope delivered, in order (duplicates included).
    public let envelopes = Mutex<[InboundEnvelope]>([])
    /// Every status update applied, in order.
    public let updates = Mutex<[StatusUpdate]>([])
    /// When set, the next `deliver` throws this and stores nothing.
    public let failNext = Mutex<(any Error & Sendable)?>(nil)
    /// External ids the store refuses, with the reason: each gets `.rejected` and is not kept.
    public let refusing = Mutex<[String: String]>([:])

    public init() {}

    public func deliver(_ batch: [InboundEnvelope]) async throws -> [DeliveryOutcome] {
        if let error = failNext.withLock({ value in
            defer { value = nil }; return value
        }) {
            throw error
        }
        let refusals = refusing.withLock { $0 }
        return envelopes.withLock { stored in
            batch.map { envelope in
                if let reason = refusals[envelope.externalID] { return .rejected(reason: reason) }
                let seen = stored.contains { $0.channel == envelope.channel && $0.externalID == envelope.externalID }
                stored.append(envelope)
                return seen
                    ? .duplicate(messageID: envelope.externalID)
                    : .stored(
                        messageID: envelope.externalID, conversationID: envelope.threadKey,
                        customerID: "\(envelope.from)")
            }
        }
    }

    public func apply(_ updates: [StatusUpdate]) async throws {
        self.updates.withLock { $0.append(contentsOf: updates) }
    }

    /// The external ids delivered and not duplicates, in order.
    public var storedIDs: [String] {
        envelopes.withLock { all in
            var seen = Set<String>()
            return all.compactMap { seen.insert($0.externalID).inserted ? $0.externalID : nil }
        }
    }
}
