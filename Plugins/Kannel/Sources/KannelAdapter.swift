import Foundation
import SwitchboardAdapterKit

/// SMS through a Kannel gateway (`type: kannel`): bearerbox talks to the operators' SMSCs, smsbox
/// talks HTTP with the hub.
///
/// Inbound: smsbox's sms-service `get-url` calls `GET /webhooks/<channel>/inbound` with the
/// sender, receiver, text, time and Kannel's message id, and the shared `secret`; a request without
/// the right secret is refused with 403. The answer has an empty body, so smsbox sends nothing back.
/// Outbound: one POST to smsbox's `sendsms` per reply, GSM-7 where every character allows it and
/// UCS-2 otherwise, with a `dlr-url` back to `/webhooks/<channel>/dlr`. Kannel splits a long text
/// into concatenated parts (153 GSM-7 or 67 UCS-2 characters each) that the phone shows as one
/// message; the adapter refuses a text that needs more than `max_parts`, because Kannel would cut
/// it silently. Setup and Kannel's config: `docs/sms-channels.md`.
public struct KannelAdapter: ChannelAdapter {
    public typealias Configuration = KannelConfiguration
    public static let kind: ChannelKind = "kannel"

    let configuration: KannelConfiguration
    let context: AdapterContext
    let baseURL: String

    public init(configuration: KannelConfiguration, context: AdapterContext) {
        self.configuration = configuration
        self.context = context
        baseURL = configuration.publicURL ?? context.webhookBaseURL
    }

    public var capabilities: ChannelCapabilities {
        ChannelCapabilities(
            canReceive: true, canSend: true, visibilities: [.private], supportsAttachments: false,
            maxTextLength: configuration.maxParts * SMSText.capacity(.gsm7, concatenated: configuration.maxParts > 1),
            deliveryReceipts: true, optOutKeywords: true)
    }

    public var webhookRoutes: [WebhookRoute] {
        let secret = configuration.secret
        let verify: @Sendable (WebhookRequest) throws(WebhookAuthError) -> Void = { request throws(WebhookAuthError) in
            guard let given = KannelInbound.RawQuery(request.rawQuery).text("secret"),
                HMACSignature.constantTimeEquals(given, secret)
            else {
                throw WebhookAuthError(
                    status: 403, "missing or wrong 'secret': the get-url and dlr-url must carry the channel's secret")
            }
        }
        let channel = context.channel
        let region = configuration.defaultRegion
        return [
            WebhookRoute(method: "GET", path: "/inbound", verify: verify) { request in
                let envelope = try KannelInbound.envelope(request, channel: channel, region: region, receivedAt: Date())
                return WebhookResult(envelopes: [envelope], response: Self.emptyAnswer)
            },
            WebhookRoute(method: "GET", path: "/dlr", verify: verify) { request in
                let query = KannelInbound.RawQuery(request.rawQuery)
                guard let id = query.text("id"), !id.isEmpty else {
                    throw WebhookRequestError("'id' is missing: the dlr-url carries the hub's message id")
                }
                guard let status = try KannelInbound.deliveryStatus(query.text("status"), answer: query.text("answer"))
                else { return WebhookResult(response: Self.emptyAnswer) }
                return WebhookResult(
                    statusUpdates: [StatusUpdate(channel: channel, externalID: id, status: status, at: Date())],
                    response: Self.emptyAnswer)
            },
        ]
    }

    /// 200 with no body: smsbox sends an HTTP answer's body back to the phone as a reply.
    static let emptyAnswer = WebhookResponse(status: 200, contentType: "text/plain", body: [])

    public func send(_ message: OutboundMessage) async throws(SendError) -> SendReceipt {
        guard message.to.kind == .tel else {
            throw SendError(
                .invalidRecipient,
                "\(message.to) is not a phone number (an alphanumeric sender or short code cannot be answered by SMS)")
        }
        let encoding = SMSText.encoding(of: message.text)
        let parts = SMSText.segmentCount(message.text)
        guard parts <= configuration.maxParts else {
            throw SendError(
                .permanent,
                "the reply needs \(parts) SMS, more than this channel's max_parts (\(configuration.maxParts)); shorten it"
                    + (encoding == .ucs2
                        ? " (it has characters outside the GSM alphabet, so each SMS holds only 67 of them)" : ""))
        }
        let dlr =
            baseURL + "/dlr?" + FormEncoding.encode([("secret", configuration.secret), ("id", message.messageID)])
            + "&status=%d&answer=%A"
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "text/plain; charset=UTF-8"), ("X-Kannel-Username", configuration.username),
            ("X-Kannel-Password", configuration.password), ("X-Kannel-To", message.to.value),
            ("X-Kannel-Coding", encoding == .gsm7 ? "0" : "2"), ("X-Kannel-DLR-Mask", "31"), ("X-Kannel-DLR-Url", dlr),
        ]
        if let from = configuration.from { headers.append(("X-Kannel-From", from)) }
        if let smsc = configuration.smsc { headers.append(("X-Kannel-SMSC", smsc)) }
        // POST, so the password stays out of URLs (and out of smsbox's access log).
        let request = HTTPClientRequest(
            method: "POST", url: configuration.sendsmsURL, headers: headers, body: Array(message.text.utf8),
            timeout: .seconds(15))
        let response: HTTPClientResponse
        do {
            response = try await context.http.execute(request)
        } catch {
            throw error.asSendError
        }
        try Self.check(response)
        return SendReceipt(externalID: message.messageID)
    }

    /// smsbox answers 202 `0: Accepted for delivery` or `3: Queued for later delivery`.
    static func check(_ response: HTTPClientResponse) throws(SendError) {
        let body = response.text.trimmingCharacters(in: .whitespacesAndNewlines)
        switch response.status {
        case 200..<300: return
        case 401, 403:
            throw SendError(
                .unauthorized, "smsbox refused our sendsms username or password: \(body.prefix(200))")
        case 500...599, 408, 429:
            throw SendError(.transient, "smsbox answered HTTP \(response.status): \(body.prefix(200))")
        default:
            throw SendError(.permanent, "smsbox refused the message (HTTP \(response.status)): \(body.prefix(200))")
        }
    }
}
