import SwitchboardAdapterKit

/// Meta's webhook signature: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`
/// (https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads).
/// Checked over the bytes exactly as received, before anything is parsed: the same JSON
/// re-serialised (other spacing, other escaping) no longer matches.
enum MetaWebhookSignature {
    static let header = "X-Hub-Signature-256"

    /// The header value Meta sends for `body`.
    static func sign(_ body: [UInt8], appSecret: String) -> String {
        "sha256=" + HMACSignature.sha256Hex(secret: appSecret, body: body)
    }

    /// Throws 403 unless the header carries the body's signature under `appSecret`.
    static func verify(_ request: WebhookRequest, appSecret: String) throws(WebhookAuthError) {
        guard let value = request.header(header) else {
            throw WebhookAuthError(status: 403, "missing \(header) header; only Meta may call this URL")
        }
        let expected = sign(request.body, appSecret: appSecret)
        guard HMACSignature.constantTimeEquals(value.lowercased(), expected) else {
            throw WebhookAuthError(
                status: 403,
                "the \(header) signature does not match the body; check that app_secret is the App Secret "
                    + "of the app that owns this webhook subscription")
        }
    }
}
