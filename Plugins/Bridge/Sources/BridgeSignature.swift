import Foundation
import SwitchboardAdapterKit

/// The bridge protocol's signing rule, both directions: `X-Switchboard-Timestamp: <Unix seconds>`
/// and `X-Switchboard-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`.
/// Covering the timestamp lets a receiver refuse a replayed old request; covering the raw bytes
/// lets it check before parsing. `docs/bridge-protocol.md` has the rule and a shell one-liner.
public enum BridgeSignature {
    public static let timestampHeader = "X-Switchboard-Timestamp"
    public static let signatureHeader = "X-Switchboard-Signature"
    /// How far a request's timestamp may be from the receiver's clock, either way.
    public static let tolerance: TimeInterval = 300

    /// The signature header's value for `body` sent at `timestamp`.
    public static func signature(secret: String, timestamp: Int, body: [UInt8]) -> String {
        "sha256=" + HMACSignature.sha256Hex(secret: secret, body: Array("\(timestamp).".utf8) + body)
    }

    /// The two signing headers for `body`, signed at `now`.
    public static func headers(secret: String, body: [UInt8], now: Date) -> [(name: String, value: String)] {
        let timestamp = Int(now.timeIntervalSince1970.rounded(.down))
        return [
            (timestampHeader, String(timestamp)),
            (signatureHeader, signature(secret: secret, timestamp: timestamp, body: body)),
        ]
    }

    /// Checks a request's timestamp and signature, in constant time, before anything is parsed.
    /// The refusal says what is wrong and never shows the secret or the expected signature.
    public static func verify(_ request: WebhookRequest, secret: String, now: Date) throws(WebhookAuthError) {
        guard let stamp = request.header(timestampHeader)?.trimmingCharacters(in: .whitespaces) else {
            throw WebhookAuthError(
                "missing \(timestampHeader) header (the Unix time in seconds the request was signed)")
        }
        guard let timestamp = Int(stamp), timestamp > 0 else {
            throw WebhookAuthError("\(timestampHeader) must be the Unix time in whole seconds")
        }
        guard let header = request.header(signatureHeader)?.trimmingCharacters(in: .whitespaces) else {
            throw WebhookAuthError(
                "missing \(signatureHeader) header (sha256=<hex HMAC-SHA256 of \"<timestamp>.<body>\">)")
        }
        let expected = signature(secret: secret, timestamp: timestamp, body: request.body)
        guard HMACSignature.constantTimeEquals(header.lowercased(), expected) else {
            throw WebhookAuthError("the \(signatureHeader) signature does not match the timestamp and body")
        }
        // Checked after the signature, so a forger learns nothing about the window from the answer.
        guard abs(now.timeIntervalSince1970 - Double(timestamp)) <= tolerance else {
            throw WebhookAuthError(
                "\(timestampHeader) is more than \(Int(tolerance)) seconds from the hub's clock: a replayed request, "
                    + "or the bridge's clock is wrong")
        }
    }
}
