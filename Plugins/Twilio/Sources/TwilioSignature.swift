import Foundation
import SwitchboardAdapterKit

/// Twilio's request signature (`X-Twilio-Signature`), as Twilio documents it and its own
/// `RequestValidator` computes it: Base64 of HMAC-SHA1 under the auth token, over the full URL
/// Twilio called followed by every POST parameter, sorted by name, written name then value.
///
/// Details that match `twilio-python` 9.x: repeated parameters contribute each distinct value once,
/// values sorted; a URL with the default port (`:443`, `:80`) and one without are both tried,
/// because Twilio may sign either. Source: https://www.twilio.com/docs/usage/security#validating-requests
enum TwilioSignature {
    static let header = "X-Twilio-Signature"

    /// The signature Twilio sends for `url` and `parameters`.
    static func compute(authToken: String, url: String, parameters: [(name: String, value: String)]) -> String {
        var grouped: [String: Set<String>] = [:]
        for parameter in parameters { grouped[parameter.name, default: []].insert(parameter.value) }
        var text = url
        for name in grouped.keys.sorted(by: codePointOrder) {
            for value in (grouped[name] ?? []).sorted(by: codePointOrder) { text += name + value }
        }
        return Data(HMACSignature.sha1(secret: authToken, body: Array(text.utf8))).base64EncodedString()
    }

    /// Checks the header against `url` with and without its default port, in constant time.
    static func verify(
        _ request: WebhookRequest, url: String, parameters: [(name: String, value: String)], authToken: String
    ) throws(WebhookAuthError) {
        guard let signature = request.header(header) else {
            throw WebhookAuthError(status: 403, "missing \(header) header; only Twilio may call this URL")
        }
        var matched = false
        for candidate in urlVariants(url) {
            let expected = compute(authToken: authToken, url: candidate, parameters: parameters)
            // Every candidate is compared, so the time taken does not say which one matched.
            if HMACSignature.constantTimeEquals(signature, expected) { matched = true }
        }
        guard matched else {
            throw WebhookAuthError(
                status: 403,
                "the \(header) signature does not match; check that public_url is the exact URL set in Twilio's "
                    + "console and that auth_token is the account's current token")
        }
    }

    /// `url` as given, and with its default port added or removed.
    static func urlVariants(_ url: String) -> [String] {
        guard var components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            return [url]
        }
        let defaultPort = scheme == "https" ? 443 : scheme == "http" ? 80 : nil
        guard let defaultPort else { return [url] }
        if components.port == defaultPort {
            components.port = nil
        } else if components.port == nil {
            components.port = defaultPort
        } else {
            return [url]
        }
        guard let other = components.string else { return [url] }
        return [url, other]
    }

    /// Python's string order: by Unicode code point.
    private static func codePointOrder(_ lhs: String, _ rhs: String) -> Bool {
        lhs.unicodeScalars.lexicographicallyPrecedes(rhs.unicodeScalars)
    }
}
