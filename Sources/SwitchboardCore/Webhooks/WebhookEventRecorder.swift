import Foundation
import Logging
import ServiceLifecycle

/// Turns hub events into outgoing webhook deliveries: for every endpoint subscribed to the event,
/// one delivery with its body fixed now, written to the store before the sender is woken. It
/// subscribes to the ``EventBus`` when it is made, so nothing published after the hub is wired is
/// missed. An event published just before a crash, and not yet written, is lost: the bus lives in
/// memory (docs/outgoing-webhooks.md says so).
public struct WebhookEventRecorder: Service {
    let endpoints: [WebhookEndpoint]
    let store: any WebhookDeliveryStore
    let reader: any TimelineReader
    let events: AsyncStream<HubEvent>
    let recorded: @Sendable () -> Void
    let logger: Logger

    public init(
        endpoints: [WebhookEndpoint], store: any WebhookDeliveryStore, reader: any TimelineReader, bus: EventBus,
        logger: Logger, recorded: @escaping @Sendable () -> Void
    ) {
        self.endpoints = endpoints
        self.store = store
        self.reader = reader
        self.events = bus.subscribe(bufferingNewest: 100_000)
        self.logger = logger
        self.recorded = recorded
    }

    public func run() async throws {
        for await event in events.cancelOnGracefulShutdown() {
            do {
                var message: Message? = nil
                if let id = Self.messageID(of: event) { message = try await reader.message(id: id) }
                let deliveries = try Self.deliveries(for: event, message: message, endpoints: endpoints, now: Date())
                guard !deliveries.isEmpty else { continue }
                try await store.enqueueWebhookDeliveries(deliveries)
                recorded()
            } catch {
                logger.error("could not queue an outgoing webhook", metadata: ["error": "\(error)"])
            }
        }
    }

    static func messageID(of event: HubEvent) -> String? {
        switch event {
        case .messageStored(let id, _, _), .messageEdited(let id, _, _), .deliveryUpdated(let id, _): id
        case .merged, .unmerged, .statusChanged, .conversationUpdated: nil
        }
    }

    /// The deliveries one event makes: one per endpoint that subscribes to its kind.
    public static func deliveries(
        for event: HubEvent, message: Message?, endpoints: [WebhookEndpoint], now: Date
    ) throws -> [WebhookDelivery] {
        let (kind, data) = describe(event, message: message)
        var deliveries: [WebhookDelivery] = []
        for endpoint in endpoints where endpoint.events.contains(kind) {
            let id = SortableID.make("whd_", at: now)
            let body = WebhookBody(id: id, event: kind.rawValue, createdAt: now, data: data)
            let payload = String(decoding: try JSONCoding.encoder().encode(body), as: UTF8.self)
            deliveries.append(
                WebhookDelivery(id: id, endpoint: endpoint.id, event: kind, payload: payload, createdAt: now))
        }
        return deliveries
    }

    static func describe(_ event: HubEvent, message: Message?) -> (WebhookEventKind, WebhookEventData) {
        switch event {
        case .messageStored(let id, let conversation, let customer):
            (
                .messageReceived,
                WebhookEventData(message: message, messageID: id, conversationID: conversation, customerID: customer)
            )
        case .messageEdited(let id, let conversation, let customer):
            (
                .messageEdited,
                WebhookEventData(message: message, messageID: id, conversationID: conversation, customerID: customer)
            )
        case .deliveryUpdated(let id, let status):
            (
                .messageDelivery,
                WebhookEventData(
                    message: message, messageID: id, conversationID: message?.conversationID,
                    customerID: message?.customerID, status: status)
            )
        case .merged(let record): (.customerMerged, WebhookEventData(merge: record))
        case .unmerged(let record): (.customerUnmerged, WebhookEventData(merge: record))
        case .statusChanged(let conversation, let customer, let status):
            (.conversationStatus, WebhookEventData(conversationID: conversation, customerID: customer, status: status))
        case .conversationUpdated(let conversation, let customer, let change):
            (
                .conversationUpdated,
                WebhookEventData(conversationID: conversation, customerID: customer, change: change)
            )
        }
    }
}

/// The body of every outgoing webhook: `{"id", "event", "created_at", "data"}`.
struct WebhookBody: Encodable {
    var id: String
    var event: String
    var createdAt: Date
    var data: WebhookEventData
}

/// What an event says; absent fields are left out of the JSON.
struct WebhookEventData: Encodable {
    var message: Message?
    var messageID: String?
    var conversationID: String?
    var customerID: String?
    var status: String?
    var merge: MergeRecord?
    var change: String?
}
