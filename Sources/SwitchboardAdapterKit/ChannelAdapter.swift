import ServiceLifecycle

/// A channel adapter: everything Switchboard knows about one kind of channel.
///
/// ```
///  channel ──poll (run)──┐              ┌── webhookRoutes: verify → handle ──┐
///                        ▼              ▼                                    │
///              context.inbound.deliver([InboundEnvelope])  ◀──────────────────┘
///                        │  returns once the batch is durable
///                        ▼
///                 Router → Store → timeline
///  agent reply → Outbox → Dispatcher → send(OutboundMessage) → SendReceipt | SendError
/// ```
///
/// The hub creates one instance per configured channel (from its `settings:` block, decoded into
/// ``Configuration``), mounts its ``webhookRoutes`` and runs it as a `Service` under a supervisor
/// that restarts it with backoff. Push-only adapters need not implement `run()`.
///
/// A minimal adapter:
///
/// ```swift
/// struct EchoAdapter: ChannelAdapter {
///     struct Configuration: Decodable, Sendable { var url: String }
///     static let kind: ChannelKind = "echo"
///     let capabilities = ChannelCapabilities()
///     init(configuration: Configuration, context: AdapterContext) throws { … }
///     func send(_ message: OutboundMessage) async throws(SendError) -> SendReceipt { … }
/// }
/// ```
public protocol ChannelAdapter: Service {
    /// Settings decoded from this channel's `settings:` block in `Config/switchboard.yaml`.
    /// Validate in `init(from:)` and throw `DecodingError` so `config check` reports the line.
    associatedtype Configuration: Decodable & Sendable
    /// The config `type` this adapter serves.
    static var kind: ChannelKind { get }
    init(configuration: Configuration, context: AdapterContext) throws

    /// What this channel can do.
    var capabilities: ChannelCapabilities { get }
    /// Push endpoints. Default: none.
    var webhookRoutes: [WebhookRoute] { get }
    /// Delivers one outbound message. Errors say whether a retry can help.
    func send(_ message: OutboundMessage) async throws(SendError) -> SendReceipt
}

extension ChannelAdapter {
    public var webhookRoutes: [WebhookRoute] { [] }

    /// Push-only channels have nothing to poll: wait for shutdown.
    public func run() async throws {
        try await gracefulShutdown()
    }
}
