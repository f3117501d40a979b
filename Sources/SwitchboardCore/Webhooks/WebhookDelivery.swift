import Foundation

/// One event on its way to one endpoint. The body is fixed when the event happens and never
/// changes, and ``id`` goes with it on every attempt (`X-Switchboard-Delivery`), so a receiver
/// that saw it already can drop the repeat.
public struct WebhookDelivery: Sendable, Hashable, Codable {
    /// Pending (queued or waiting for a retry), sent, or dead (given up on until retried).
    public enum State: String, Sendable, Hashable, Codable { case pending, sent, dead }

    /// `whd_…`, time-sortable.
    public var id: String
    /// The ``WebhookEndpoint/id`` it goes to.
    public var endpoint: String
    public var event: WebhookEventKind
    /// The JSON body, exactly as signed and sent.
    public var payload: String
    public var state: State
    /// Failed attempts so far.
    public var attempts: Int
    public var lastError: String?
    public var createdAt: Date
    public var sentAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, endpoint, event, payload, state, attempts
        case lastError = "last_error"
        case createdAt = "created_at"
        case sentAt = "sent_at"
    }

    public init(
        id: String, endpoint: String, event: WebhookEventKind, payload: String, state: State = .pending,
        attempts: Int = 0, lastError: String? = nil, createdAt: Date, sentAt: Date? = nil
    ) {
        self.id = id
        self.endpoint = endpoint
        self.event = event
        self.payload = payload
        self.state = state
        self.attempts = attempts
        self.lastError = lastError
        self.createdAt = createdAt
        self.sentAt = sentAt
    }
}

/// Where outgoing webhook deliveries wait, so none is lost to a restart and each is retried until
/// its endpoint takes it or it is dead-lettered.
public protocol WebhookDeliveryStore: Sendable {
    /// Queues deliveries (due at once), in one transaction.
    func enqueueWebhookDeliveries(_ deliveries: [WebhookDelivery]) async throws
    /// Takes up to `limit` due deliveries and leases them for `lease`.
    func claimDueWebhookDeliveries(now: Date, limit: Int, lease: Duration) async throws -> [WebhookDelivery]
    func markWebhookDelivered(id: String, at: Date) async throws
    /// Records a failed attempt; `retryAt` nil dead-letters it.
    func markWebhookFailed(id: String, error: String, retryAt: Date?) async throws
    /// Deliveries in `state`, newest first, at most `limit`.
    func webhookDeliveries(state: WebhookDelivery.State?, limit: Int) async throws -> [WebhookDelivery]
    /// Puts a dead delivery back in the queue; false when there is no dead delivery with that id.
    func retryWebhookDelivery(id: String) async throws -> Bool
    /// Pending and dead deliveries per endpoint.
    func webhookDeliveryCounts() async throws -> [String: OutboxCounts]
}
