import Foundation
import SwitchboardAdapterKit

/// SMS, MMS and WhatsApp through Twilio (`type: twilio`).
///
/// Inbound: Twilio posts each message to `POST /webhooks/<channel>/sms` and each delivery report
/// to `POST /webhooks/<channel>/status`, form-encoded and signed with `X-Twilio-Signature`; a
/// request whose signature does not match the configured `public_url` is refused with 403 before
/// it is read. The MessageSid is the dedup key, media URLs become attachments, and a
/// `whatsapp:+…` sender becomes a WhatsApp address (one customer with the same number's SMS).
///
/// Outbound: the Messages REST API over the hub's HTTP client with basic auth, a status callback
/// pointing back at `/status`, and Twilio's error codes classified (21610 "unsubscribed" is
/// permanent, 20429 is rate limiting, 5xx is transient). See `docs/sms-channels.md`.
public struct TwilioAdapter: ChannelAdapter {
    public typealias Configuration = TwilioConfiguration
    public static let kind: ChannelKind = "twilio"

    let configuration: TwilioConfiguration
    let context: AdapterContext
    /// The URL Twilio calls, without the route.
    let baseURL: String

    public init(configuration: TwilioConfiguration, context: AdapterContext) {
        self.configuration = configuration
        self.context = context
        baseURL = configuration.publicURL ?? context.webhookBaseURL
    }

    public var capabilities: ChannelCapabilities {
        ChannelCapabilities(
            canReceive: true, canSend: configuration.from != nil || configuration.messagingServiceSID != nil,
            visibilities: [.private], supportsAttachments: true, maxTextLength: 1600, deliveryReceipts: true,
            optOutKeywords: true)
    }

    public var webhookRoutes: [WebhookRoute] {
        [route("/sms", handle: inbound), route("/status", handle: status)]
    }

    /// A POST route whose form body is verified against the signature before `handle` sees it.
    func route(
        _ path: String,
        handle:
            @escaping @Sendable ([(name: String, value: String)], WebhookRequest) throws(WebhookRequestError) ->
            WebhookResult
    ) -> WebhookRoute {
        let url = baseURL + path
        let token = configuration.authToken
        return WebhookRoute(
            method: "POST", path: path, accepts: ["application/x-www-form-urlencoded"],
            verify: { request throws(WebhookAuthError) in
                let signed = url + (request.rawQuery.isEmpty ? "" : "?" + request.rawQuery)
                try TwilioSignature.verify(
                    request, url: signed, parameters: FormEncoding.parse(bytes: request.body), authToken: token)
            },
            handle: { request in
                // Twilio sends UTF-8; a value that is not is refused, not stored with U+FFFD in it.
                guard let parameters = FormEncoding.parseUTF8(bytes: request.body) else {
                    throw WebhookRequestError("the form body is not UTF-8 text once decoded; Twilio sends UTF-8")
                }
                return try handle(parameters, request)
            })
    }

    /// An empty TwiML answer: Twilio sends nothing back to the customer on its own.
    static let emptyTwiML = WebhookResponse(
        status: 200, contentType: "text/xml", body: Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>".utf8))

    @Sendable func inbound(_ parameters: [(name: String, value: String)], _ request: WebhookRequest)
        throws(WebhookRequestError) -> WebhookResult
    {
        let envelope = try TwilioInbound.envelope(
            parameters, body: request.body, channel: context.channel, region: configuration.defaultRegion,
            receivedAt: Date())
        return WebhookResult(envelopes: [envelope], response: Self.emptyTwiML)
    }

    @Sendable func status(_ parameters: [(name: String, value: String)], _ request: WebhookRequest)
        throws(WebhookRequestError) -> WebhookResult
    {
        WebhookResult(
            statusUpdates: try TwilioInbound.statusUpdate(parameters, channel: context.channel, at: Date()),
            response: .ok)
    }

    public func send(_ message: OutboundMessage) async throws(SendError) -> SendReceipt {
        let request = try TwilioOutbound.request(
            for: message, configuration: configuration, statusCallback: baseURL + "/status")
        let response: HTTPClientResponse
        do {
            response = try await context.http.execute(request)
        } catch {
            throw error.asSendError
        }
        return try TwilioOutbound.receipt(from: response)
    }
}
