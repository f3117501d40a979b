import Foundation
import Synchronization

/// Something agents' screens and outgoing webhooks want to hear about.
public enum HubEvent: Sendable, Hashable, Codable {
    case messageStored(messageID: String, conversationID: String, customerID: String)
    /// The customer edited a message they sent; its text changed.
    case messageEdited(messageID: String, conversationID: String, customerID: String)
    case deliveryUpdated(messageID: String, status: String)
    case merged(MergeRecord)
    case unmerged(MergeRecord)
    /// An agent changed a conversation's status (open, pending, snoozed, resolved).
    case statusChanged(conversationID: String, customerID: String, status: String)
    /// An agent assigned, tagged, set the priority of or added a note to a conversation; `change`
    /// is `assignment`, `tags`, `priority` or `note`.
    case conversationUpdated(conversationID: String, customerID: String, change: String)
}

/// Where an event happened: in this process, or in another hub process on the same database
/// (relayed, for live screens only: outgoing webhooks are recorded where the event happened).
public enum EventOrigin: Sendable, Hashable {
    case local
    case remote
}

/// Fans hub events out to every subscriber in this process. A slow subscriber loses its oldest
/// events rather than slowing the router (it can re-read the timeline).
public final class EventBus: Sendable {
    private struct Subscriber {
        var continuation: AsyncStream<HubEvent>.Continuation
        var includesRemote: Bool
    }

    private let subscribers = Mutex<[UUID: Subscriber]>([:])

    public init() {}

    /// A stream of every event published from now on, until the consumer stops iterating.
    /// - Parameter includingRemote: also the events other hub processes relayed.
    public func subscribe(bufferingNewest limit: Int = 1000, includingRemote: Bool = false) -> AsyncStream<HubEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: HubEvent.self, bufferingPolicy: .bufferingNewest(limit))
        let id = UUID()
        subscribers.withLock { $0[id] = Subscriber(continuation: continuation, includesRemote: includingRemote) }
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        return stream
    }

    public func publish(_ event: HubEvent, origin: EventOrigin = .local) {
        let targets = subscribers.withLock { subscribers in
            subscribers.values.filter { origin == .local || $0.includesRemote }.map(\.continuation)
        }
        for continuation in targets { continuation.yield(event) }
    }
}
