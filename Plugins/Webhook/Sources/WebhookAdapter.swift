import Foundation
import SwitchboardAdapterKit

/// The generic JSON channel (`type: webhook`): a customer's own systems (a shop, a web form) post
/// signed JSON messages in, and agents' replies are posted, signed the same way, to a URL of theirs.
///
/// Inbound: `POST /webhooks/<channel-id>/inbound` (one message, or `{"messages": [...]}`) and
/// `POST /webhooks/<channel-id>/status` (delivery reports for our replies). Every request carries
/// `X-Switchboard-Signature: sha256=<hex HMAC-SHA256 of the raw body under the secret>`; a missing
/// or wrong signature is refused with 401 before the body is parsed. The wire format is in
/// `docs/webhook-channel.md`.
public struct WebhookAdapter: ChannelAdapter {
    /// The channel's `settings:` block.
    public struct Configuration: Decodable, Sendable {
        /// Shared secret for signing both directions; at least 16 characters.
        public var secret: String
        /// Where replies are posted; without it the channel only receives.
        public var outboundURL: String?
        /// The longest reply text the receiving system accepts.
        public var maxTextLength: Int?

        enum CodingKeys: String, CodingKey {
            case secret
            case outboundURL = "outbound_url"
            case maxTextLength = "max_text_length"
        }

        public init(secret: String, outboundURL: String? = nil, maxTextLength: Int? = nil) {
            self.secret = secret
            self.outboundURL = outboundURL
            self.maxTextLength = maxTextLength
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            secret = try container.decode(String.self, forKey: .secret)
            guard secret.utf8.count >= 16 else {
                throw DecodingError.dataCorruptedError(
                    forKey: .secret, in: container,
                    debugDescription:
                        "the secret must be at least 16 characters; generate one with `openssl rand -hex 32`")
            }
            outboundURL = try container.decodeIfPresent(String.self, forKey: .outboundURL)
            if let url = outboundURL, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
                throw DecodingError.dataCorruptedError(
                    forKey: .outboundURL, in: container,
                    debugDescription: "outbound_url must start with http:// or https://")
            }
            maxTextLength = try container.decodeIfPresent(Int.self, forKey: .maxTextLength)
            if let limit = maxTextLength, limit < 1 {
                throw DecodingError.dataCorruptedError(
                    forKey: .maxTextLength, in: container, debugDescription: "max_text_length must be at least 1")
            }
        }
    }

    public static let kind: ChannelKind = "webhook"
    /// The header that carries the signature, both directions.
    public static let signatureHeader = "X-Switchboard-Signature"

    let configuration: Configuration
    let context: AdapterContext

    public init(configuration: Configuration, context: AdapterContext) {
        self.configuration = configuration
        self.context = context
    }

    public var capabilities: ChannelCapabilities {
        ChannelCapabilities(
            canReceive: true, canSend: configuration.outboundURL != nil, visibilities: [.private, .public],
            supportsAttachments: false, maxTextLength: configuration.maxTextLength, supportsThreading: true,
            deliveryReceipts: true)
    }

    public var webhookRoutes: [WebhookRoute] {
        let secret = configuration.secret
        let channel = context.channel
        let verify: @Sendable (WebhookRequest) throws(WebhookAuthError) -> Void = { request throws(WebhookAuthError) in
            try Self.verify(request, secret: secret)
        }
        return [
            WebhookRoute(method: "POST", path: "/inbound", verify: verify) { request in
                WebhookResult(envelopes: try WebhookPayload.envelopes(from: request, channel: channel))
            },
            WebhookRoute(method: "POST", path: "/status", verify: verify) { request in
                WebhookResult(statusUpdates: try WebhookPayload.statusUpdates(from: request, channel: channel))
            },
        ]
    }

    /// Checks `X-Switchboard-Signature: sha256=<hex>` over the raw body, in constant time.
    static func verify(_ request: WebhookRequest, secret: String) throws(WebhookAuthError) {
        guard let header = request.header(signatureHeader) else {
            throw WebhookAuthError("missing \(signatureHeader) header (sha256=<hex HMAC-SHA256 of the body>)")
        }
        let expected = "sha256=" + HMACSignature.sha256Hex(secret: secret, body: request.body)
        guard HMACSignature.constantTimeEquals(header.trimmingCharacters(in: .whitespaces).lowercased(), expected)
        else {
            throw WebhookAuthError("the \(signatureHeader) signature does not match the body")
        }
    }

    public func send(_ message: OutboundMessage) async throws(SendError) -> SendReceipt {
        guard let url = configuration.outboundURL else {
            throw SendError(.permanent, "channel '\(context.channel)' has no outbound_url, so it cannot send replies")
        }
        let body = WebhookPayload.outboundBody(message)
        let signature = "sha256=" + HMACSignature.sha256Hex(secret: configuration.secret, body: body)
        let request = HTTPClientRequest(
            method: "POST", url: url,
            headers: [
                ("Content-Type", "application/json"), (Self.signatureHeader, signature),
                ("Idempotency-Key", message.idempotencyKey),
            ],
            body: body, timeout: .seconds(15))
        let response: HTTPClientResponse
        do {
            response = try await context.http.execute(request)
        } catch {
            throw error.asSendError
        }
        guard (200..<300).contains(response.status) else {
            throw SendError.forHTTPStatus(response.status, body: response.text, retryAfter: response.retryAfter)
        }
        let remoteID =
            (try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])?["id"] as? String
        return SendReceipt(externalID: remoteID.flatMap { $0.isEmpty ? nil : $0 } ?? message.messageID)
    }
}
