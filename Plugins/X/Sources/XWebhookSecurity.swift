import Foundation
import SwitchboardAdapterKit

/// The two security checks of X's webhooks, as documented in
/// https://docs.x.com/x-api/webhooks/quickstart ("The CRC check", "Securing webhooks"):
///
/// - Challenge-Response Check: X sends `GET …?crc_token=<token>`; we answer
///   `{"response_token": "sha256=<base64 HMAC-SHA256(consumer_secret, token)>"}`.
/// - Every event POST carries `x-twitter-webhooks-signature: sha256=<base64 HMAC-SHA256(consumer_secret, raw body)>`.
///
/// Both use the same key and primitive, so a CRC answer is a signature over the token: anyone could
/// ask for the signature of a forged event body by sending it as a `crc_token`. Event bodies are
/// JSON objects, so tokens that contain `{` (or are implausibly long) are refused.
enum XWebhookSecurity {
    static let signatureHeader = "x-twitter-webhooks-signature"
    static let maxTokenLength = 256

    /// `sha256=` + Base64 of HMAC-SHA256 under the consumer secret.
    static func sign(_ bytes: some DataProtocol, consumerSecret: String) -> String {
        "sha256=" + Data(HMACSignature.sha256(secret: consumerSecret, body: bytes)).base64EncodedString()
    }

    /// Checks the signature header over the raw body, in constant time.
    static func verify(_ request: WebhookRequest, consumerSecret: String) throws(WebhookAuthError) {
        guard let signature = request.header(signatureHeader)?.trimmingCharacters(in: .whitespaces),
            !signature.isEmpty
        else {
            throw WebhookAuthError(status: 403, "missing \(signatureHeader) header; only X may post events here")
        }
        let expected = sign(request.body, consumerSecret: consumerSecret)
        guard HMACSignature.constantTimeEquals(signature, expected) else {
            throw WebhookAuthError(
                status: 403,
                "the \(signatureHeader) signature does not match the body; check that consumer_secret is the API "
                    + "secret key of the app the webhook is registered with")
        }
    }

    /// The CRC answer for `token`, refusing tokens that could double as an event body.
    static func crcResponse(token: String?, consumerSecret: String) throws(WebhookRequestError) -> WebhookResponse {
        guard let token, !token.isEmpty else {
            throw WebhookRequestError("missing crc_token: X's Challenge-Response Check sends GET ?crc_token=…")
        }
        guard token.utf8.count <= maxTokenLength, !token.contains("{"), !token.contains("[") else {
            throw WebhookRequestError("the crc_token is not one X would send (too long, or shaped like JSON)")
        }
        let body = try? JSONSerialization.data(
            withJSONObject: ["response_token": sign(Array(token.utf8), consumerSecret: consumerSecret)],
            options: [.withoutEscapingSlashes])
        return WebhookResponse(status: 200, contentType: "application/json", body: Array(body ?? Data()))
    }
}
