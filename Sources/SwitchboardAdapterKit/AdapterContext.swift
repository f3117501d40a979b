import Logging

/// What the hub lends an adapter: its identity, a logger, where to deliver what it receives,
/// a place to keep its poller position, and an HTTP client.
public struct AdapterContext: Sendable {
    /// The channel instance this adapter serves.
    public var channel: ChannelID
    /// Carries `channel.id` and `channel.type` metadata.
    public var logger: Logger
    /// Where polled messages go; returns only once they are durable.
    public var inbound: any InboundSink
    /// Key-value positions scoped to this channel instance (IMAP UID, Telegram offset, Matrix since).
    public var cursor: any CursorStore
    /// Outbound HTTP (the libcurl client in the hub, a fake in tests).
    public var http: any HTTPClient
    /// The hub's public base URL (as the outside world reaches it), for signing rules that cover the URL.
    public var publicBaseURL: String

    public init(
        channel: ChannelID, logger: Logger, inbound: any InboundSink, cursor: any CursorStore,
        http: any HTTPClient, publicBaseURL: String
    ) {
        self.channel = channel
        self.logger = logger
        self.inbound = inbound
        self.cursor = cursor
        self.http = http
        self.publicBaseURL = publicBaseURL
    }
}

/// Where an adapter hands what it received. `deliver` returns only after the batch is durable:
/// a poller advances its position only after that, so a crash never loses a message.
public protocol InboundSink: Sendable {
    /// Ingests a batch in one transaction; one outcome per envelope, in order.
    func deliver(_ batch: [InboundEnvelope]) async throws -> [DeliveryOutcome]
    /// Records channel status reports on messages we sent.
    func apply(_ updates: [StatusUpdate]) async throws
}

/// What became of one delivered envelope.
public enum DeliveryOutcome: Sendable, Hashable {
    /// Stored as a new message.
    case stored(messageID: String, conversationID: String, customerID: String)
    /// Already stored before (same channel and external id): nothing changed.
    case duplicate(messageID: String)
    /// Refused; the reason says why. Nothing was stored for this envelope.
    case rejected(reason: String)
}

/// A small key-value store scoped to one channel instance, for poller positions.
public protocol CursorStore: Sendable {
    func value(for key: String) async throws -> String?
    func setValue(_ value: String, for key: String) async throws
}
