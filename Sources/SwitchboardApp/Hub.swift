import Foundation
import Logging
import ServiceLifecycle
import SwitchboardAdapterKit
import SwitchboardConfig
import SwitchboardCore
import SwitchboardCurl
import SwitchboardFileBlobs
import SwitchboardPostgres
import SwitchboardSQLStore
import SwitchboardSQLite
import SwitchboardServer
import UnixSignals

/// One running hub: the store, the router, the adapters under supervisors, the outbox dispatcher
/// and the HTTP server, wired from a checked config and run as one `ServiceGroup`, in dependency
/// order, so that on SIGTERM the server stops taking webhooks first and the store flushes last.
public struct Hub {
    public let config: HubConfig
    public let store: SQLStore
    let services: [any Service]
    let logger: Logger

    /// Builds every part; throws when an adapter cannot be created from its settings.
    /// - Parameter onListening: called with the bound port once the server accepts connections.
    public init(
        config: HubConfig, loader: ConfigLoader, registry: AdapterRegistry, logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void
    ) throws {
        self.config = config
        self.logger = logger
        _ = MetricsExport.registry  // swift-metrics reports to it from here on
        store = try Self.openStore(config)
        let events = EventBus()
        let health = HealthBoard()
        let acknowledgements = Dictionary(
            config.channels.compactMap { channel in channel.acknowledge.map { (channel.id, $0) } },
            uniquingKeysWith: { first, _ in first })
        // The dispatcher looks at the outbox twice a second, so a queued acknowledgement needs no wake-up.
        let acknowledger =
            acknowledgements.isEmpty ? nil : Acknowledger(texts: acknowledgements, outbox: store, queued: {})
        let routerHandle = RouterHandle()
        let http = CurlHTTPClient()
        let mail = CurlMailClient()
        let blobs = try FileBlobStore(root: Self.blobDirectory(config))
        let hubSecret = try store.hubSecret()

        var adapters: [(channel: ChannelID, adapter: any ChannelAdapter)] = []
        var rates: [ChannelID: SendRate] = [:]
        for channel in config.channels where channel.enabled {
            var channelLogger = logger
            channelLogger[metadataKey: "channel.id"] = "\(channel.id)"
            channelLogger[metadataKey: "channel.type"] = "\(channel.type)"
            let context = AdapterContext(
                channel: channel.id, logger: channelLogger, inbound: routerHandle,
                cursor: store.cursorStore(for: channel.id),
                http: http, publicBaseURL: config.server.publicURL, mail: mail, blobs: blobs, hubSecret: hubSecret)
            let adapter = try registry.make(
                kind: channel.type, settings: loader.settingsDecoder(for: channel), context: context)
            health.register(channel.id, kind: channel.type)
            adapters.append((channel.id, adapter))
            rates[channel.id] = channel.sendRate(declared: adapter.capabilities.sendRate)
        }
        var policy = config.ingestPolicy
        policy.optOut.channels = Set(adapters.filter { $0.adapter.capabilities.optOutKeywords }.map(\.channel))
        // Like the acknowledgements, rules' answers are picked up by the dispatcher's next look.
        let rules =
            config.rules.isEmpty
            ? nil
            : RuleRunner(
                rules: config.rules, store: store, hours: config.businessHours, events: events, logger: logger)
        let router = Router(
            store: store, policy: policy, events: events, logger: logger, acknowledger: acknowledger, rules: rules)
        routerHandle.connect(router)
        let dispatcher = Dispatcher(
            store: store,
            adapters: Dictionary(adapters.map { ($0.channel, $0.adapter) }, uniquingKeysWith: { first, _ in first }),
            retry: config.retry, limiter: SendRateLimiter(rates: rates), health: health, events: events,
            logger: logger)
        // Outgoing webhooks: events written to the store as they happen, then posted, signed.
        var webhookServices: [any Service] = []
        var webhookQueued: @Sendable () -> Void = {}
        if !config.webhooks.isEmpty {
            let sender = WebhookSender(
                endpoints: config.webhooks, store: store, http: http, retry: config.retry, health: health,
                logger: logger)
            let recorder = WebhookEventRecorder(
                endpoints: config.webhooks, store: store, reader: store, bus: events, logger: logger,
                recorded: { sender.wake() })
            webhookServices = [sender, recorder]
            webhookQueued = { sender.wake() }
        }
        let server = HubServer(
            HubServer.Dependencies(
                store: store, inbound: router, adapters: adapters, health: health, apiToken: config.server.apiToken,
                replyQueued: { dispatcher.wake() }, webhookQueued: webhookQueued, events: events, logger: logger,
                hubSecret: hubSecret, publicBaseURL: config.server.publicURL, cannedReplies: config.cannedReplies,
                serviceLevels: ServiceLevels(hours: config.businessHours, policies: config.slaPolicies),
                metricsText: { MetricsExport.text() },
                satisfaction: config.satisfaction))
        // Ratings: the question goes out when a conversation is resolved, on channels that send.
        var surveyor: SatisfactionSurveyor?
        if let survey = config.satisfaction {
            surveyor = SatisfactionSurveyor(
                survey: survey, store: store,
                channels: Set(adapters.filter { $0.adapter.capabilities.canSend }.map(\.channel)), bus: events,
                logger: logger)
        }
        // Several hubs on one database: each channel's background work (polling) runs in the one
        // process that holds its lease.
        let processName = Self.processName()
        let lease = store.database.isShared ? ChannelLease(store: store, holder: processName) : nil
        // …and every process's events reach the live screens connected to any of them.
        let relay = (store.database as? PostgresSQLDatabase).map {
            PostgresEventRelay(database: $0, bus: events, origin: processName, logger: logger)
        }
        let supervisors: [any Service] = adapters.map {
            AdapterSupervisor(adapter: $0.adapter, channel: $0.channel, health: health, logger: logger, lease: lease)
        }
        services =
            [dispatcher] + webhookServices + (surveyor.map { [$0] } ?? []) + (relay.map { [$0] } ?? []) + supervisors
            + [
                server.application(host: config.server.host, port: config.server.port, onListening: onListening)
            ]
    }

    /// This process among the hubs sharing a database: host, pid and a random part (a restarted
    /// process with the same pid is another holder).
    static func processName() -> String {
        let random = UInt32.random(in: 0...UInt32.max)
        return
            "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(String(random, radix: 36))"
    }

    /// Opens the configured store (and runs its migrations).
    public static func openStore(_ config: HubConfig) throws -> SQLStore {
        switch config.storage {
        case .sqlite(let path): try SQLStore(sqlitePath: path)
        case .postgres(let postgres):
            try SQLStore(postgresURL: postgres.url, maxConnections: postgres.maxConnections)
        }
    }

    /// Attachment bytes live beside the SQLite database, in `blobs/`, or where `storage.postgres.blobs` says.
    static func blobDirectory(_ config: HubConfig) -> URL {
        switch config.storage {
        case .sqlite(let path):
            URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("blobs")
        case .postgres(let postgres):
            URL(fileURLWithPath: postgres.blobs)
        }
    }

    /// Runs until SIGTERM or SIGINT.
    public func run() async throws {
        // This is the one process that sends, and nothing is sending yet: whatever a killed
        // predecessor had claimed (a send or a webhook delivery in flight) is taken up at once.
        let released = try await store.releaseLeases()
        if released > 0 {
            logger.notice("taking up sends a stopped hub had claimed", metadata: ["count": "\(released)"])
        }
        let group = ServiceGroup(
            configuration: .init(
                services: services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }
}
