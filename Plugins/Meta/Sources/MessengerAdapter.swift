import Foundation
import SwitchboardAdapterKit

/// A Facebook Page's Messenger inbox (`type: messenger`).
///
/// Inbound: the same `GET`/`POST /webhooks/<channel>/webhook` pair as every Meta channel (verify
/// token handshake; `X-Hub-Signature-256` checked on the raw body first). `messages` events for this
/// page become envelopes keyed by `mid`, from `messenger:<page id>/<PSID>`; echoes of the page's own
/// messages are skipped (see ``MessagingInbound``); `message_deliveries` become delivered updates;
/// a `user_email` quick reply adds the email Messenger vouches for to the identity hints.
///
/// Outbound: `POST {graph}/{version}/{page_id}/messages` with the page access token as a bearer
/// token, `messaging_type: RESPONSE`, and our message id in `metadata`. Replies are allowed within
/// 24 hours of the customer's last message (``capabilities``); there are no templates.
public struct MessengerAdapter: ChannelAdapter {
    public typealias Configuration = MessengerConfiguration
    public static let kind: ChannelKind = "messenger"

    let configuration: MessengerConfiguration
    let context: AdapterContext
    let graph: GraphClient
    let inbound: MessagingInbound

    public init(configuration: MessengerConfiguration, context: AdapterContext) {
        self.configuration = configuration
        self.context = context
        graph = GraphClient(settings: configuration.settings, http: context.http, platform: .messenger)
        inbound = MessagingInbound(
            kind: .messenger, accountID: configuration.pageID, channel: context.channel, object: "page",
            readsEmailQuickReplies: true)
    }

    public var capabilities: ChannelCapabilities {
        ChannelCapabilities(
            canReceive: true, canSend: true, visibilities: [.private], maxTextLength: 2000, deliveryReceipts: true,
            replyWindow: .seconds(86_400))
    }

    public var webhookRoutes: [WebhookRoute] {
        let inbound = inbound
        return MetaWebhookRoutes.routes(settings: configuration.settings) { request throws(WebhookRequestError) in
            try inbound.read(request.body, receivedAt: Date()).1
        }
    }

    public func send(_ message: OutboundMessage) async throws(SendError) -> SendReceipt {
        try MessagingSendRequest.check(message)
        let psid = try MessagingSendRequest.scopedID(of: message.to, kind: .messenger, accountID: configuration.pageID)
        let request = MessagingSendRequest(
            recipient: .init(id: psid), messagingType: "RESPONSE",
            message: .init(text: message.text, metadata: MessagingSendRequest.metadata(for: message.messageID)))
        return try await graph.post("\(configuration.pageID)/messages", body: request, idField: "message_id")
    }
}
