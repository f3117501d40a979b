import Foundation
import Synchronization

/// Something agents' screens and outgoing webhooks want to hear about.
public enum HubEvent: Sendable, Hashable {
    case messageStored(messageID: String, conversationID: String, customerID: String)
    /// The customer edited a message they sent; its text changed.
    case messageEdited(messageID: String, conversationID: String, customerID: String)
    case deliveryUpdated(messageID: String, status: String)
    case merged(MergeRecord)
    case unmerged(MergeRecord)
}

/// Fans hub events out to every subscriber in this process. A slow subscriber loses its oldest
/// events rather than slowing the router (it can re-read the timeline).
public final class EventBus: Sendable {
    private let subscribers = Mutex<[UUID: AsyncStream<HubEvent>.Continuation]>([:])

    public init() {}

    /// A stream of every event published from now on, until the consumer stops iterating.
    public func subscribe(bufferingNewest limit: Int = 1000) -> AsyncStream<HubEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: HubEvent.self, bufferingPolicy: .bufferingNewest(limit))
        let id = UUID()
        subscribers.withLock { $0[id] = continuation }
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.removeValue(forKey: id) }
        }
        return stream
    }

    public func publish(_ event: HubEvent) {
        let targets = subscribers.withLock { Array($0.values) }
        for continuation in targets { continuation.yield(event) }
    }
}
