import Foundation
import SwitchboardAdapterKit

/// An Instagram professional account's direct messages (`type: instagram`).
///
/// Inbound: the shared Meta webhook pair (handshake; `X-Hub-Signature-256` first). `messages`
/// events for this account become envelopes keyed by `mid`, from `instagram:<account id>/<IGSID>`;
/// echoes (Instagram sends them in the same `messages` field) are skipped, see
/// ``MessagingInbound``; `messaging_seen` events that name a message become read updates.
///
/// Comments on the account's media arrive as `.public` messages, one conversation per media; see
/// ``InstagramComments``.
///
/// Outbound: `POST {graph}/{version}/{instagram_account_id}/messages` with the token as a bearer
/// token; a public reply to a comment goes to `POST /{comment-id}/replies`, a private one is sent
/// with the comment as recipient. Replies are allowed within 24 hours of the customer's last
/// message; no templates.
public struct InstagramAdapter: ChannelAdapter {
    public typealias Configuration = InstagramConfiguration
    public static let kind: ChannelKind = "instagram"

    let configuration: InstagramConfiguration
    let context: AdapterContext
    let graph: GraphClient
    let inbound: MessagingInbound

    public init(configuration: InstagramConfiguration, context: AdapterContext) {
        self.configuration = configuration
        self.context = context
        graph = GraphClient(settings: configuration.settings, http: context.http, platform: .instagram)
        inbound = MessagingInbound(
            kind: .instagram, accountID: configuration.instagramAccountID, channel: context.channel,
            object: "instagram", readsEmailQuickReplies: false)
    }

    public var capabilities: ChannelCapabilities {
        ChannelCapabilities(
            canReceive: true, canSend: true, visibilities: [.private, .public], maxTextLength: 1000,
            deliveryReceipts: true,
            replyWindow: .seconds(86_400))
    }

    public var webhookRoutes: [WebhookRoute] {
        let inbound = inbound
        return MetaWebhookRoutes.routes(settings: configuration.settings) { request throws(WebhookRequestError) in
            let now = Date()
            var (payload, result) = try inbound.read(request.body, receivedAt: now, requireReadable: false)
            result.envelopes += InstagramComments.envelopes(
                payload, accountID: inbound.accountID, channel: inbound.channel, body: request.body, receivedAt: now,
                skipped: &result.skipped)
            try result.requireSomethingReadable()
            return result
        }
    }

    public func send(_ message: OutboundMessage) async throws(SendError) -> SendReceipt {
        try MessagingSendRequest.check(message)
        if InstagramComments.isCommentThread(message.threadKey) { return try await replyToComment(message) }
        let igsid = try MessagingSendRequest.scopedID(
            of: message.to, kind: .instagram, accountID: configuration.instagramAccountID)
        let request = MessagingSendRequest(recipient: .init(id: igsid), message: .init(text: message.text))
        return try await graph.post(
            "\(configuration.instagramAccountID)/messages", body: request, idField: "message_id")
    }

    /// A reply in a comment conversation: in public under the comment, or privately to its author.
    func replyToComment(_ message: OutboundMessage) async throws(SendError) -> SendReceipt {
        guard let commentID = message.inReplyTo, !commentID.isEmpty, commentID.allSatisfy(\.isASCIIDigit) else {
            throw SendError(
                .permanent, "a reply in an Instagram comment conversation must answer a comment (inReplyTo is not set)")
        }
        if message.visibility == .public {
            return try await graph.post(
                "\(commentID)/replies", body: InstagramComments.PublicReply(message: message.text), idField: "id")
        }
        let request = MessagingSendRequest(recipient: .init(commentID: commentID), message: .init(text: message.text))
        return try await graph.post(
            "\(configuration.instagramAccountID)/messages", body: request, idField: "message_id")
    }
}
