import Foundation
import SwitchboardAdapterKit

/// WhatsApp through Meta's Cloud API (`type: whatsapp`).
///
/// Inbound: Meta calls `GET /webhooks/<channel>/webhook` once to verify the subscription (the
/// verify token must match) and then `POST`s every event there, signed with `X-Hub-Signature-256`
/// under the app secret; a request whose signature does not match is refused with 403 before it
/// is read. Messages for this channel's `phone_number_id` become envelopes keyed by their wamid;
/// the sender is their business-scoped user id (`whatsapp-user:`) with their number as an alias
/// when the payload has it, or `whatsapp:+<number>` in older payloads. Status reports (sent,
/// delivered, read, failed) become status updates.
///
/// Outbound: `POST {graph}/{version}/{phone_number_id}/messages` with the access token as a bearer
/// token: text with the replied-to message as context, or an approved template. Free-form replies
/// are allowed only within 24 hours of the customer's last message (``capabilities`` says so, so
/// the hub's dispatcher refuses them before calling ``send(_:)``); Meta's own refusal (131047) is
/// reported as permanent with what to do. Meta has no idempotency key for sends.
public struct WhatsAppAdapter: ChannelAdapter {
    public typealias Configuration = WhatsAppConfiguration
    public static let kind: ChannelKind = "whatsapp"

    let configuration: WhatsAppConfiguration
    let context: AdapterContext
    let graph: GraphClient

    public init(configuration: WhatsAppConfiguration, context: AdapterContext) {
        self.configuration = configuration
        self.context = context
        graph = GraphClient(settings: configuration.settings, http: context.http, platform: .whatsapp)
    }

    /// The send rate is Cloud API's default throughput per business phone number, 80 messages a
    /// second (https://developers.facebook.com/documentation/business-messaging/whatsapp/throughput);
    /// an upgraded number sets `rate_limit:` in the config.
    public var capabilities: ChannelCapabilities {
        ChannelCapabilities(
            canReceive: true, canSend: true, visibilities: [.private], supportsAttachments: false,
            maxTextLength: 4096, deliveryReceipts: true, templates: true, replyWindow: .seconds(86_400),
            sendRate: SendRate(messages: 80))
    }

    public var webhookRoutes: [WebhookRoute] {
        let configuration = configuration
        let channel = context.channel
        return MetaWebhookRoutes.routes(settings: configuration.settings) { request throws(WebhookRequestError) in
            try WhatsAppInbound.read(
                request.body, phoneNumberID: configuration.phoneNumberID, channel: channel,
                graph: configuration.settings, receivedAt: Date())
        }
    }

    public func send(_ message: OutboundMessage) async throws(SendError) -> SendReceipt {
        let request = try WhatsAppSendRequest.make(for: message)
        return try await graph.post("\(configuration.phoneNumberID)/messages", body: request, idField: "messages")
    }
}
