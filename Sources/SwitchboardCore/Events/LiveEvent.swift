import Foundation

/// An event as open screens receive it over Server-Sent Events (`GET /api/v1/events`): the event's
/// name (`message.received`, `delivery.updated`, ...) and the JSON an outgoing webhook carries,
/// without the message's body (a screen re-reads what it shows).
public enum LiveEvent {
    /// `event: NAME`, `id: ID`, `data: JSON`, and the blank line that ends an event.
    public static func serverSentEvent(_ event: HubEvent, now: Date = Date()) throws -> String {
        let (kind, data) = WebhookEventRecorder.describe(event, message: nil)
        let id = SortableID.make("evt_", at: now)
        let body = WebhookBody(id: id, event: kind.rawValue, createdAt: now, data: data)
        let json = String(decoding: try JSONCoding.encoder().encode(body), as: UTF8.self)
        return "event: \(kind.rawValue)\nid: \(id)\ndata: \(json)\n\n"
    }
}
