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
    /// IMAP and SMTP (the libcurl client in the hub).
    public var mail: any MailTransport
    /// Where attachment bytes go; messages keep the reference.
    public var blobs: any BlobStore
    /// A secret of the hub's own, stable across restarts, for ids the adapter must later recognise
    /// (an email Message-ID that proves it is ours). Derive per-purpose keys from it.
    public var hubSecret: String

    /// Where the outside world reaches this channel's webhook routes: the public base URL +
    /// `/webhooks/<channel id>`, the prefix the hub mounts them under. For channels that are told
    /// where to call back (status callbacks, delivery reports) and for signatures over the URL.
    public var webhookBaseURL: String {
        URLText.trimmingTrailingSlashes(publicBaseURL) + "/webhooks/\(channel.rawValue)"
    }

    public init(
        channel: ChannelID, logger: Logger, inbound: any InboundSink, cursor: any CursorStore,
        http: any HTTPClient, publicBaseURL: String, mail: any MailTransport = NoMailTransport(),
        blobs: any BlobStore = InMemoryBlobStore(), hubSecret: String = ""
    ) {
        self.channel = channel
        self.logger = logger
        self.inbound = inbound
        self.cursor = cursor
        self.http = http
        self.publicBaseURL = publicBaseURL
        self.mail = mail
        self.blobs = blobs
        self.hubSecret = hubSecret
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
    /// An edit (``InboundEnvelope/replaces``) that updated the stored message.
    case edited(messageID: String)
}

/// A small key-value store scoped to one channel instance, for poller positions.
public protocol CursorStore: Sendable {
    func value(for key: String) async throws -> String?
    func setValue(_ value: String, for key: String) async throws
    /// Sets several keys at once. The hub's store writes them in one transaction, so a poller
    /// that handles a batch of messages pays one commit for what it remembers about them. The
    /// default sets them one by one.
    func setValues(_ values: [String: String]) async throws
}

extension CursorStore {
    public func setValues(_ values: [String: String]) async throws {
        for (key, value) in values.sorted(by: { $0.key < $1.key }) { try await setValue(value, for: key) }
    }
}
