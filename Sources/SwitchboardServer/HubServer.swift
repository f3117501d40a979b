import Foundation
import Hummingbird
import Logging
import NIOCore
import SwitchboardAdapterKit
import SwitchboardCore

/// The hub's HTTP face: `/health`, `/metrics`, the webhook routes adapters declare (under
/// `/webhooks/<channel-id>/`), the JSON API under `/api/v1` (bearer token), and the web inbox
/// under `/login` and `/inbox` (session cookie).
public struct HubServer: Sendable {
    /// Everything the server needs from the rest of the hub.
    public struct Dependencies: Sendable {
        public var store: any SwitchboardStore
        public var inbound: any InboundSink
        public var adapters: [(channel: ChannelID, adapter: any ChannelAdapter)]
        public var health: HealthBoard
        /// Bearer token for `/api/v1`; `nil` turns the API off (it answers 401 with a hint).
        public var apiToken: String?
        /// Called after a reply is queued, so it leaves at once.
        public var replyQueued: @Sendable () -> Void
        /// Called after a dead outgoing webhook delivery is queued again, so it leaves at once.
        public var webhookQueued: @Sendable () -> Void
        /// The events `GET /api/v1/events` and the web inbox stream.
        public var events: EventBus
        public var logger: Logger
        /// The hub's own secret: the web inbox derives its CSRF key from it.
        public var hubSecret: String
        /// Where people reach the hub; an `https` URL makes the inbox's cookies `Secure`.
        public var publicBaseURL: String
        /// The team's saved answers, offered in the reply box.
        public var cannedReplies: [CannedReply]
        /// Business hours and SLA policies, for reports and SLA states.
        public var serviceLevels: ServiceLevels
        /// The operational metrics in Prometheus' text format, for `GET /metrics`; `nil`: no route.
        public var metricsText: (@Sendable () -> String)?
        /// The satisfaction survey, for its rating pages (`/csat/{token}`); nil: no pages.
        public var satisfaction: SatisfactionSurvey?

        public init(
            store: any SwitchboardStore, inbound: any InboundSink,
            adapters: [(channel: ChannelID, adapter: any ChannelAdapter)], health: HealthBoard, apiToken: String?,
            replyQueued: @escaping @Sendable () -> Void, webhookQueued: @escaping @Sendable () -> Void = {},
            events: EventBus = EventBus(), logger: Logger, hubSecret: String = "",
            publicBaseURL: String = "", cannedReplies: [CannedReply] = [],
            serviceLevels: ServiceLevels = ServiceLevels(), metricsText: (@Sendable () -> String)? = nil,
            satisfaction: SatisfactionSurvey? = nil
        ) {
            self.satisfaction = satisfaction
            self.serviceLevels = serviceLevels
            self.metricsText = metricsText
            self.events = events
            self.hubSecret = hubSecret
            self.publicBaseURL = publicBaseURL
            self.cannedReplies = cannedReplies
            self.store = store
            self.inbound = inbound
            self.adapters = adapters
            self.health = health
            self.apiToken = apiToken
            self.replyQueued = replyQueued
            self.webhookQueued = webhookQueued
            self.logger = logger
        }
    }

    /// The largest webhook or API body accepted.
    public static let maxBodyBytes = 1024 * 1024

    let dependencies: Dependencies
    let loginThrottle: LoginThrottle

    public init(_ dependencies: Dependencies) {
        self.dependencies = dependencies
        loginThrottle = LoginThrottle()
    }

    /// The Hummingbird application, a `Service` to put last in the hub's service group.
    /// - Parameter onListening: called with the bound port once the server accepts connections.
    public func application(host: String, port: Int, onListening: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol
    {
        let router = Hummingbird.Router()
        router.get("/health") { _, _ in
            try JSONResponse.make(
                HealthReport(status: "ok", channels: dependencies.health.all, webhooks: dependencies.health.webhooks))
        }
        if let metricsText = dependencies.metricsText {
            // Counts per channel, no customer data: open like /health (restrict it at the proxy).
            router.get("/metrics") { _, _ in
                Response(
                    status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: metricsText())))
            }
        }
        router.get("/api/v1/openapi.yaml") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: PackageResources.openapi_yaml)))
        }
        WebhookMount(dependencies: dependencies).mount(on: router)
        if let survey = dependencies.satisfaction {
            RatingRoutes(store: dependencies.store, survey: survey, events: dependencies.events).mount(on: router)
        }
        APIRoutes(dependencies: dependencies).mount(on: router.group("api/v1"))
        InboxRoutes(
            dependencies: dependencies,
            sessions: WebSessions(
                store: dependencies.store, hubSecret: dependencies.hubSecret,
                publicBaseURL: dependencies.publicBaseURL, throttle: loginThrottle)
        ).mount(on: router)
        return Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: "Switchboard"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: dependencies.logger)
    }
}

struct HealthReport: Encodable {
    /// Always `ok` while the hub answers; each channel's own state is in `channels`.
    var status: String
    var channels: [ChannelHealth]
    /// Outgoing webhook endpoints: deliveries waiting and dead-lettered.
    var webhooks: [WebhookEndpointHealth]
}

/// JSON bodies for every answer the server gives, and the error shape `{"error": "..."}`.
enum JSONResponse {
    static let encoder = JSONCoding.encoder()

    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try encoder.encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        let body = (try? encoder.encode(["error": message])) ?? Data("{\"error\":\"unknown\"}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
