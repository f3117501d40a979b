import Foundation
import SwitchboardAdapterKit

/// The web chat channel (`type: webchat`): the customer-facing side of the hub on a company's own
/// site. A site adds one tag (`<script src="<hub>/webhooks/<channel id>/widget.js" async>`); the
/// widget posts the visitor's messages to `POST /messages` and receives the agents' replies over
/// Server-Sent Events from `GET /events`.
///
/// - The visitor is `webchat:<visitor id>`, remembered by a signed token (a cookie, and the
///   widget's own storage for browsers that block third-party cookies). A visitor who types an
///   email address gives it as a strong identifier: by the identity rules it links them to the
///   profile of their email conversations (or suggests the merge, as the config says).
/// - Only origins in `allowed_origins` may post or listen (CORS); posts are limited per visitor.
/// - Replies are kept in a per-visitor mailbox in the channel's durable key-value store, so a
///   visitor who was away gets them when the widget reconnects (`Last-Event-ID`); the widget's
///   receipt marks them delivered.
public struct WebChatAdapter: ChannelAdapter {
    public static let kind: ChannelKind = "webchat"

    let configuration: WebChatConfiguration
    let context: AdapterContext
    let visitors: VisitorTokens
    let mailbox: ReplyMailbox
    let limiter: VisitorRateLimiter

    public typealias Configuration = WebChatConfiguration

    public init(configuration: WebChatConfiguration, context: AdapterContext) {
        self.configuration = configuration
        self.context = context
        visitors = VisitorTokens(hubSecret: context.hubSecret, channel: context.channel)
        mailbox = ReplyMailbox(cursor: context.cursor)
        limiter = VisitorRateLimiter(perMinute: configuration.messagesPerMinute)
    }

    public var capabilities: ChannelCapabilities {
        ChannelCapabilities(visibilities: [.private], maxTextLength: WebChatRequests.maxTextLength)
    }

    public var webhookRoutes: [WebhookRoute] {
        let requests = WebChatRequests(
            channel: context.channel, configuration: configuration, visitors: visitors, mailbox: mailbox,
            limiter: limiter, secureCookies: context.publicBaseURL.lowercased().hasPrefix("https://"))
        return [
            WebhookRoute(
                method: "GET", path: "/widget.js", verify: { _ throws(WebhookAuthError) in },
                handle: { _ in
                    WebhookResult(
                        response: WebhookResponse(
                            contentType: "text/javascript; charset=utf-8", body: Array(WidgetScript.javaScript.utf8),
                            headers: [("Cache-Control", "public, max-age=300")]))
                }),
            WebhookRoute(
                method: "OPTIONS", path: "/messages", verify: { _ throws(WebhookAuthError) in },
                handle: { request in WebhookResult(response: requests.preflight(request)) }),
            WebhookRoute(
                method: "POST", path: "/messages", accepts: ["application/json"],
                verify: { request throws(WebhookAuthError) in try requests.verify(request) },
                handle: { request in try requests.message(request) }),
            WebhookRoute(
                method: "OPTIONS", path: "/receipts", verify: { _ throws(WebhookAuthError) in },
                handle: { request in WebhookResult(response: requests.preflight(request)) }),
            WebhookRoute(
                method: "POST", path: "/receipts", accepts: ["application/json"],
                verify: { request throws(WebhookAuthError) in try requests.verify(request, needsVisitor: true) },
                handle: { request in try await requests.receipts(request) }),
            WebhookRoute(
                method: "GET", path: "/events",
                verify: { request throws(WebhookAuthError) in try requests.verify(request, needsVisitor: true) },
                handle: { request in try await requests.events(request) }),
        ]
    }

    /// Puts the reply in the visitor's mailbox (durable) and hands it to their open widgets. The
    /// receipt's id is derived from the message's, so a retried send is stored once.
    public func send(_ message: OutboundMessage) async throws(SendError) -> SendReceipt {
        guard message.to.kind == .webchat else {
            throw SendError(.permanent, "web chat replies go to webchat: visitors, not \(message.to.kind.rawValue)")
        }
        let reply = ChatReply(
            id: "wcr_" + message.messageID, text: message.text, author: message.author ?? "Support", at: Date())
        do {
            try await mailbox.append(reply, visitor: message.to.value)
        } catch {
            throw SendError(.transient, "the reply could not be kept for the visitor: \(error)")
        }
        return SendReceipt(externalID: reply.id)
    }
}

/// The channel's `settings:`.
public struct WebChatConfiguration: Decodable, Sendable {
    /// The sites that may embed the widget, as origins (`https://shop.example`).
    public var allowedOrigins: [String]
    /// Messages one visitor may send per minute.
    public var messagesPerMinute: Int

    enum CodingKeys: String, CodingKey {
        case allowedOrigins = "allowed_origins"
        case messagesPerMinute = "messages_per_minute"
    }

    public init(allowedOrigins: [String], messagesPerMinute: Int = 10) {
        self.allowedOrigins = allowedOrigins
        self.messagesPerMinute = messagesPerMinute
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        allowedOrigins = try container.decode([String].self, forKey: .allowedOrigins)
        for origin in allowedOrigins {
            let scheme = origin.hasPrefix("https://") || origin.hasPrefix("http://")
            let rest = origin.drop { $0 != "/" }.dropFirst(2)
            guard scheme, !rest.isEmpty, !rest.contains("/"), !origin.contains(" ") else {
                throw DecodingError.dataCorruptedError(
                    forKey: .allowedOrigins, in: container,
                    debugDescription:
                        "'\(origin)' is not an origin; write scheme://host[:port] with no path, e.g. https://shop.example"
                )
            }
        }
        guard !allowedOrigins.isEmpty else {
            throw DecodingError.dataCorruptedError(
                forKey: .allowedOrigins, in: container,
                debugDescription: "list the sites that embed the widget, e.g. [\"https://shop.example\"]")
        }
        messagesPerMinute = try container.decodeIfPresent(Int.self, forKey: .messagesPerMinute) ?? 10
        guard (1...600).contains(messagesPerMinute) else {
            throw DecodingError.dataCorruptedError(
                forKey: .messagesPerMinute, in: container, debugDescription: "messages_per_minute is 1 to 600")
        }
    }
}
