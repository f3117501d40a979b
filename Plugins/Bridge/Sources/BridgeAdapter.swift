import Foundation
import ServiceLifecycle
import SwitchboardAdapterKit
import WebhookAdapter

/// An out-of-process adapter (`type: bridge`): a channel whose adapter runs as its own program,
/// in any language, and speaks the bridge protocol (`docs/bridge-protocol.md`) over HTTP/JSON.
/// Adding a channel then does not mean writing Swift or rebuilding the hub.
///
/// Inbound: the bridge posts `POST /webhooks/<channel-id>/envelopes` (customers' messages) and
/// `POST /webhooks/<channel-id>/status` (delivery reports). Outbound: replies are posted to
/// `outbound_url`, with `Idempotency-Key`. Both directions are signed with
/// ``BridgeSignature`` (HMAC-SHA256 over the timestamp and the raw body; old timestamps refused).
/// The bridge classifies its failures (`{"error": {"code": …}}`) and the hub retries or fails the
/// reply by that class, as for any in-tree channel; capabilities come from the config.
public struct BridgeAdapter: ChannelAdapter {
    public typealias Configuration = BridgeConfiguration
    public static let kind: ChannelKind = "bridge"

    let configuration: BridgeConfiguration
    let context: AdapterContext
    /// The clock that judges request timestamps and signs posts (fixed in tests).
    let now: @Sendable () -> Date

    public init(configuration: BridgeConfiguration, context: AdapterContext) {
        self.init(configuration: configuration, context: context, now: { Date() })
    }

    init(configuration: BridgeConfiguration, context: AdapterContext, now: @escaping @Sendable () -> Date) {
        self.configuration = configuration
        self.context = context
        self.now = now
    }

    public var capabilities: ChannelCapabilities {
        let declared = configuration.capabilities
        return ChannelCapabilities(
            canReceive: true, canSend: configuration.outboundURL != nil, visibilities: declared.visibilities,
            supportsAttachments: declared.attachments, maxTextLength: declared.maxTextLength,
            supportsThreading: declared.threading, deliveryReceipts: declared.deliveryReceipts)
    }

    public var webhookRoutes: [WebhookRoute] {
        let secret = configuration.secret
        let channel = context.channel
        let visibilities = configuration.capabilities.visibilities
        let now = now
        let verify: @Sendable (WebhookRequest) throws(WebhookAuthError) -> Void = { request throws(WebhookAuthError) in
            try BridgeSignature.verify(request, secret: secret, now: now())
        }
        return [
            WebhookRoute(method: "POST", path: "/envelopes", verify: verify) { request in
                let envelopes = try BridgePayload.envelopes(from: request, channel: channel)
                for (index, envelope) in envelopes.enumerated() where !visibilities.contains(envelope.visibility) {
                    throw WebhookRequestError(
                        "'envelopes[\(index)].visibility' is \(envelope.visibility.rawValue), which this channel's "
                            + "capabilities do not declare (settings.capabilities.visibilities)")
                }
                return WebhookResult(envelopes: envelopes)
            },
            WebhookRoute(method: "POST", path: "/status", verify: verify) { request in
                WebhookResult(statusUpdates: try BridgePayload.statusUpdates(from: request, channel: channel))
            },
        ]
    }

    /// Probes the bridge's `health_url`, when configured, every `health_interval`. A bridge that
    /// does not answer 2xx makes this throw: the hub's supervisor then shows the channel as
    /// degraded in `/health` with the reason, and probes again with backoff.
    public func run() async throws {
        guard let url = configuration.healthURL else { return try await gracefulShutdown() }
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await probe(url)
                try await Task.sleep(for: configuration.healthInterval)
            }
        }
    }

    func probe(_ url: String) async throws(BridgeUnhealthy) {
        let request = HTTPClientRequest(
            method: "GET", url: url,
            headers: BridgeSignature.headers(secret: configuration.secret, body: [], now: now()),
            timeout: .seconds(5))
        let response: HTTPClientResponse
        do {
            response = try await context.http.execute(request)
        } catch {
            throw BridgeUnhealthy("the bridge's health_url cannot be reached: \(error.message)")
        }
        guard (200..<300).contains(response.status) else {
            throw BridgeUnhealthy(
                "the bridge's health_url answered HTTP \(response.status): \(String(response.text.prefix(200)))")
        }
    }

    public func send(_ message: OutboundMessage) async throws(SendError) -> SendReceipt {
        guard let url = configuration.outboundURL else {
            throw SendError(.permanent, "channel '\(context.channel)' has no outbound_url, so it cannot send replies")
        }
        let body = WebhookPayload.outboundBody(message)
        let request = HTTPClientRequest(
            method: "POST", url: url,
            headers: [("Content-Type", "application/json"), ("Idempotency-Key", message.idempotencyKey)]
                + BridgeSignature.headers(secret: configuration.secret, body: body, now: now()),
            body: body, timeout: configuration.timeout)
        let response: HTTPClientResponse
        do {
            response = try await context.http.execute(request)
        } catch {
            throw error.asSendError
        }
        guard (200..<300).contains(response.status) else {
            throw BridgePayload.sendError(response)
                ?? SendError.forHTTPStatus(response.status, body: response.text, retryAfter: response.retryAfter)
        }
        return SendReceipt(externalID: BridgePayload.sentID(response) ?? message.messageID)
    }
}

/// The bridge process is down or says it is not connected to its channel; shown in `/health`.
struct BridgeUnhealthy: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
