import Foundation
import SwitchboardAdapterKit

/// SMS through any provider with a simple HTTP API (`type: sms-http`), described in the config
/// rather than programmed: where its webhook fields are, how it proves its requests (an HMAC of the
/// body or a token), and what body to post for a reply.
///
/// Inbound: `POST /webhooks/<channel>/inbound` (messages) and `POST /webhooks/<channel>/status`
/// (delivery reports), checked by the configured authentication before they are read (403
/// otherwise). Outbound: the configured body, rendered from a template, posted to the provider;
/// its answer's id (by `id_field`) is what its delivery reports refer to.
public struct SMSGatewayAdapter: ChannelAdapter {
    public typealias Configuration = SMSGatewayConfiguration
    public static let kind: ChannelKind = "sms-http"

    let configuration: SMSGatewayConfiguration
    let context: AdapterContext

    public init(configuration: SMSGatewayConfiguration, context: AdapterContext) {
        self.configuration = configuration
        self.context = context
    }

    public var capabilities: ChannelCapabilities {
        ChannelCapabilities(
            canReceive: true, canSend: configuration.outbound != nil, visibilities: [.private],
            supportsAttachments: false, maxTextLength: configuration.outbound?.maxTextLength,
            deliveryReceipts: configuration.status != nil, optOutKeywords: true)
    }

    public var webhookRoutes: [WebhookRoute] {
        let auth = configuration.inbound.auth
        let verify: @Sendable (WebhookRequest) throws(WebhookAuthError) -> Void = { request throws(WebhookAuthError) in
            try Self.verify(request, auth: auth)
        }
        let inbound = configuration.inbound
        let channel = context.channel
        let region = configuration.defaultRegion
        // The body is read as the configured format, so a request in another is refused (415).
        let accepts = [inbound.format == .json ? "application/json" : "application/x-www-form-urlencoded"]
        var routes = [
            WebhookRoute(method: "POST", path: "/inbound", accepts: accepts, verify: verify) { request in
                let body = RawPayload(contentType: request.header("Content-Type") ?? "", bytes: request.body)
                let records = try SMSGatewayInbound.records(request, format: inbound.format, batch: inbound.batch)
                let now = Date()
                return WebhookResult(
                    envelopes: try records.map { record throws(WebhookRequestError) in
                        // A message of a batch keeps its own JSON, not the whole batch.
                        var raw = body
                        if inbound.batch != nil, case .json(let item) = record { raw = .json(item) }
                        return try SMSGatewayInbound.envelope(
                            record, fields: inbound.fields, channel: channel, region: region, raw: raw, receivedAt: now)
                    })
            }
        ]
        if let status = configuration.status {
            routes.append(
                WebhookRoute(method: "POST", path: "/status", accepts: accepts, verify: verify) { request in
                    let records = try SMSGatewayInbound.records(request, format: inbound.format, batch: nil)
                    let now = Date()
                    return WebhookResult(
                        statusUpdates: try records.compactMap { record throws(WebhookRequestError) in
                            try SMSGatewayInbound.statusUpdate(record, status: status, channel: channel, at: now)
                        })
                })
        }
        return routes
    }

    static func verify(_ request: WebhookRequest, auth: SMSGatewayConfiguration.Authentication)
        throws(WebhookAuthError)
    {
        switch auth {
        case .hmac(let header, let secret, let algorithm, let encoding, let prefix):
            guard let given = request.header(header) else {
                throw WebhookAuthError(status: 403, "missing \(header) header (an HMAC of the body)")
            }
            let mac: [UInt8] =
                switch algorithm {
                case .sha256: HMACSignature.sha256(secret: secret, body: request.body)
                case .sha1: HMACSignature.sha1(secret: secret, body: request.body)
                }
            let expected =
                prefix
                + (encoding == .hex ? HMACSignature.hex(mac) : Data(mac).base64EncodedString())
            let normalized = encoding == .hex ? given.trimmingCharacters(in: .whitespaces).lowercased() : given
            guard HMACSignature.constantTimeEquals(normalized, encoding == .hex ? expected.lowercased() : expected)
            else {
                throw WebhookAuthError(status: 403, "the \(header) signature does not match the body")
            }
        case .token(let header, let query, let value):
            let given = header.flatMap { request.header($0) } ?? query.flatMap { request.queryValue($0) }
            guard let given, HMACSignature.constantTimeEquals(given, value) else {
                throw WebhookAuthError(
                    status: 403, "missing or wrong token in \(header ?? "the query parameter \(query ?? "")")")
            }
        }
    }

    public func send(_ message: OutboundMessage) async throws(SendError) -> SendReceipt {
        guard let outbound = configuration.outbound else {
            throw SendError(.permanent, "channel '\(message.channel)' has no outbound: section, so it cannot send")
        }
        guard message.to.kind == .tel else {
            throw SendError(.invalidRecipient, "\(message.to) is not a phone number")
        }
        let values = [
            "to": message.to.value, "to_digits": String(message.to.value.drop { $0 == "+" }), "text": message.text,
            "id": message.messageID, "status_url": context.webhookBaseURL + "/status",
        ]
        let fields = outbound.body.sorted { $0.key < $1.key }.map {
            ($0.key, Template.render($0.value, values: values))
        }
        let body: [UInt8]
        let contentType: String
        switch outbound.format {
        case .form:
            body = Array(FormEncoding.encode(fields).utf8)
            contentType = "application/x-www-form-urlencoded; charset=utf-8"
        case .json:
            do {
                body = Array(
                    try JSONSerialization.data(
                        withJSONObject: Dictionary(fields, uniquingKeysWith: { first, _ in first }),
                        options: [.sortedKeys, .withoutEscapingSlashes]))
            } catch {
                throw SendError(.permanent, "the outbound body could not be written as JSON: \(error)")
            }
            contentType = "application/json"
        }
        let headers =
            [("Content-Type", contentType), ("Idempotency-Key", message.idempotencyKey)]
            + outbound.headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let response: HTTPClientResponse
        do {
            response = try await context.http.execute(
                HTTPClientRequest(
                    method: outbound.method, url: outbound.url, headers: headers, body: body, timeout: .seconds(20)))
        } catch {
            throw error.asSendError
        }
        guard (200..<300).contains(response.status) else {
            throw SendError.forHTTPStatus(response.status, body: response.text, retryAfter: response.retryAfter)
        }
        guard let idField = outbound.idField else { return SendReceipt(externalID: message.messageID) }
        let object = try? JSONSerialization.jsonObject(with: Data(response.body))
        guard let object, let id = SMSGatewayInbound.Record.json(object).string(idField), !id.isEmpty else {
            throw SendError(
                .permanent,
                "the provider accepted the message but its answer has no '\(idField)' (id_field); it may have been "
                    + "sent, so it is not retried: check the provider's log")
        }
        return SendReceipt(externalID: id)
    }
}
