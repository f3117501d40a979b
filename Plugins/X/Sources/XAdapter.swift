import Foundation
import Logging
import ServiceLifecycle
import SwitchboardAdapterKit

/// X (formerly Twitter) through the X API v2 (`type: x`): mentions of the brand account are public
/// conversations, direct messages private ones, both from the same `x:<user id>` customer.
///
/// Inbound, in `mode: polling` the adapter reads the mentions timeline and DM events every
/// `poll_interval` (``XPoller``); in `mode: webhook` X posts them to
/// `POST /webhooks/<channel>/webhook` (Account Activity API, ``XAccountActivity``), signed with the
/// app's consumer secret and checked before anything is read; `GET …/webhook?crc_token=` answers
/// X's Challenge-Response Check. In both modes the `listen` queries are polled with recent search,
/// and what they find starts conversations tagged `listening`. The adapter never writes to anyone
/// on its own.
///
/// Outbound, ``XOutbound``: public replies are posts answering the customer's latest post, private
/// replies DMs. All calls carry the brand account's OAuth 2.0 user-context token; X's errors are
/// classified by ``XErrors``.
public struct XAdapter: ChannelAdapter {
    public typealias Configuration = XConfiguration
    public static let kind: ChannelKind = "x"

    let configuration: XConfiguration
    let context: AdapterContext
    let api: XAPI
    let inbound: XInbound
    let poller: XPoller

    public init(configuration: XConfiguration, context: AdapterContext) {
        self.configuration = configuration
        self.context = context
        api = XAPI(http: context.http, baseURL: configuration.apiBaseURL, accessToken: configuration.accessToken)
        inbound = XInbound(channel: context.channel, accountID: configuration.accountID)
        poller = XPoller(
            api: api, inbound: inbound, cursor: context.cursor, sink: context.inbound, logger: context.logger)
    }

    public var capabilities: ChannelCapabilities {
        ChannelCapabilities(
            canReceive: true, canSend: true, visibilities: [.public, .private], supportsAttachments: false,
            maxTextLength: XOutbound.maxDMLength, supportsThreading: true)
    }

    /// What `run()` polls: everything in polling mode, only the listen queries in webhook mode.
    var pollSources: [XPoller.Source] {
        var sources: [XPoller.Source] = []
        if configuration.mode == .polling {
            sources.append(.mentions)
            if configuration.dms { sources.append(.directMessages) }
        }
        return sources + configuration.listen.map { .listening($0) }
    }

    public var webhookRoutes: [WebhookRoute] {
        guard configuration.mode == .webhook, let secret = configuration.consumerSecret else { return [] }
        let activity = XAccountActivity(inbound: inbound, api: api, dms: configuration.dms, logger: context.logger)
        return [
            // The CRC request is not signed: the answer itself proves we hold the secret.
            WebhookRoute(
                method: "GET", path: "/webhook", verify: { _ throws(WebhookAuthError) in },
                handle: { request in
                    WebhookResult(
                        response: try XWebhookSecurity.crcResponse(
                            token: request.queryValue("crc_token"), consumerSecret: secret))
                }),
            WebhookRoute(
                method: "POST", path: "/webhook", accepts: ["application/json"],
                verify: { request throws(WebhookAuthError) in
                    try XWebhookSecurity.verify(request, consumerSecret: secret)
                },
                handle: { request in
                    WebhookResult(
                        envelopes: try await activity.envelopes(from: request.body, receivedAt: Date()), response: .ok)
                }),
        ]
    }

    /// Polls each source on its own schedule until shutdown or cancellation.
    public func run() async throws {
        let sources = pollSources
        guard !sources.isEmpty else { return try await gracefulShutdown() }
        try await cancelWhenGracefulShutdown {
            var schedule = XPollSchedule(interval: configuration.pollInterval)
            let clock = ContinuousClock()
            var due = Dictionary(uniqueKeysWithValues: sources.map { ($0, clock.now) })
            while !Task.isCancelled {
                for source in sources where (due[source] ?? clock.now) <= clock.now {
                    var failure: (any Error)?
                    do {
                        let report = try await poller.poll(source)
                        if report.delivered > 0 {
                            context.logger.info(
                                "X polled",
                                metadata: ["source": "\(source)", "delivered": "\(report.delivered)"])
                        }
                    } catch is CancellationError {
                        return
                    } catch {
                        failure = error
                    }
                    switch schedule.decide(after: failure, for: source) {
                    case .wait(let delay):
                        if let failure {
                            context.logger.warning(
                                "X poll failed; trying again later",
                                metadata: ["source": "\(source)", "error": "\(failure)", "retry_in": "\(delay)"])
                        }
                        due[source] = clock.now.advanced(by: delay)
                    case .stop:
                        throw failure ?? PollError("the \(source) poll stopped")
                    }
                }
                let next = due.values.min() ?? clock.now.advanced(by: configuration.pollInterval)
                try await clock.sleep(until: max(next, clock.now.advanced(by: .milliseconds(100))))
            }
        }
    }

    /// One poll of one source, for tests and tools.
    func poll(_ source: XPoller.Source) async throws -> XPoller.Report { try await poller.poll(source) }

    public func send(_ message: OutboundMessage) async throws(SendError) -> SendReceipt {
        try await XOutbound(api: api).send(message)
    }
}
