import Logging
import SwitchboardAdapterKit

/// Webhook mode: the `POST /update` route Telegram pushes updates to, and the `setWebhook` call
/// that tells Telegram where that is (https://core.telegram.org/bots/api#setwebhook).
///
/// Telegram proves a request is its own only by echoing the `secret_token` given to setWebhook in
/// `X-Telegram-Bot-Api-Secret-Token` (a plain string, no signature), so `verify` compares that
/// header with ours in constant time before the body is read. The token never goes in the URL.
enum TelegramWebhook {
    static let path = "/update"
    static let secretHeader = "X-Telegram-Bot-Api-Secret-Token"

    /// The route: refused with 403 unless the header matches, then one update per request.
    static func route(secretToken: String, channel: ChannelID, logger: Logger) -> WebhookRoute {
        WebhookRoute(
            method: "POST", path: path, accepts: ["application/json"],
            verify: { request throws(WebhookAuthError) in
                guard let given = request.header(secretHeader) else {
                    throw WebhookAuthError(
                        status: 403,
                        "the \(secretHeader) header is missing: register this URL with setWebhook and this "
                            + "channel's secret_token")
                }
                guard HMACSignature.constantTimeEquals(given, secretToken) else {
                    throw WebhookAuthError(
                        status: 403,
                        "the \(secretHeader) header does not match this channel's secret_token: call setWebhook "
                            + "again with the configured secret_token")
                }
            },
            handle: { request in
                switch try TelegramInbound.outcome(json: request.body, channel: channel) {
                case .envelope(let envelope):
                    return WebhookResult(envelopes: [envelope], response: .ok)
                case .skipped(let reason):
                    logger.info("skipped a Telegram update", metadata: ["reason": "\(reason)"])
                    return WebhookResult(response: .ok)
                }
            })
    }

    static let setWebhookFailed =
        "setWebhook failed, so Telegram will not deliver updates to this hub until it succeeds; check bot_token and "
        + "that the URL is public HTTPS on port 443, 80, 88 or 8443, then restart the channel (or call setWebhook "
        + "by hand)"

    /// setWebhook's JSON body.
    struct SetWebhook: Encodable {
        var url: String
        var secretToken: String
        var allowedUpdates: [String]

        enum CodingKeys: String, CodingKey {
            case url
            case secretToken = "secret_token"
            case allowedUpdates = "allowed_updates"
        }
    }

    /// Registers `url` with Telegram once. A failure is logged (the route keeps working for a
    /// webhook set by hand) and returned, for tests.
    @discardableResult
    static func register(url: String, secretToken: String, api: TelegramAPI, logger: Logger) async
        -> TelegramAPIError?
    {
        let body = SetWebhook(url: url, secretToken: secretToken, allowedUpdates: TelegramPoller.allowedUpdates)
        do {
            _ = try await api.call("setWebhook", body: body, timeout: .seconds(30))
            logger.info("Telegram webhook set", metadata: ["url": "\(url)"])
            return nil
        } catch {
            logger.error("\(setWebhookFailed)", metadata: ["url": "\(url)", "error": "\(error)"])
            return error
        }
    }
}
