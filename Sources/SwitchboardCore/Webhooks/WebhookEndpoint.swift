import Foundation
import SwitchboardAdapterKit

/// One of the customer's own systems that hears about what happens in the hub: an entry of
/// `webhooks:` in the config. Every event it subscribes to is posted to ``url`` as JSON, signed
/// with ``secret`` (see ``WebhookSigning``), retried with backoff until it answers 2xx, and
/// dead-lettered visibly (API and `/health`) when it never does.
public struct WebhookEndpoint: Sendable, Hashable {
    /// Names the endpoint in deliveries, the API and `/health`.
    public var id: String
    public var url: String
    public var secret: String
    /// The events it receives; every kind when the config lists none.
    public var events: Set<WebhookEventKind>
    /// How long one delivery may take before it counts as failed.
    public var timeout: Duration

    public init(
        id: String, url: String, secret: String, events: Set<WebhookEventKind> = Set(WebhookEventKind.allCases),
        timeout: Duration = .seconds(10)
    ) {
        self.id = id
        self.url = url
        self.secret = secret
        self.events = events
        self.timeout = timeout
    }
}

/// The events an outgoing webhook can subscribe to, by the name sent in `X-Switchboard-Event`.
public enum WebhookEventKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A customer's message was stored (`data.message`, `data.conversation_id`, `data.customer_id`).
    case messageReceived = "message.received"
    /// A customer edited a message; `data.message` carries the new text.
    case messageEdited = "message.edited"
    /// A reply's delivery changed: queued again, sent, failed (with the reason), delivered, read.
    case messageDelivery = "message.delivery"
    /// Two profiles were merged (`data.merge`).
    case customerMerged = "customer.merged"
    /// A merge was undone (`data.merge`).
    case customerUnmerged = "customer.unmerged"
    /// A conversation's status changed (`data.conversation_id`, `data.customer_id`, `data.status`).
    case conversationStatus = "conversation.status"
    /// An agent assigned, tagged, set the priority of or noted a conversation (`data.conversation_id`,
    /// `data.customer_id`, `data.change`: assignment, tags, priority or note).
    case conversationUpdated = "conversation.updated"
}

/// The signing rule of outgoing webhooks, the same as the bridge protocol's:
/// `X-Switchboard-Timestamp: <Unix seconds>` and
/// `X-Switchboard-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`. The receiver
/// recomputes it over the raw body, compares in constant time, and refuses old timestamps.
public enum WebhookSigning {
    public static let timestampHeader = "X-Switchboard-Timestamp"
    public static let signatureHeader = "X-Switchboard-Signature"
    public static let deliveryHeader = "X-Switchboard-Delivery"
    public static let eventHeader = "X-Switchboard-Event"

    /// The signature header's value for `body` signed at `timestamp`.
    public static func signature(secret: String, timestamp: Int, body: [UInt8]) -> String {
        "sha256=" + HMACSignature.sha256Hex(secret: secret, body: Array("\(timestamp).".utf8) + body)
    }
}
