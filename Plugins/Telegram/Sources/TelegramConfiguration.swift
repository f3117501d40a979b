import SwitchboardAdapterKit

/// The `settings:` of a `type: telegram` channel: which bot, and whether Telegram pushes updates to
/// us (webhook) or we fetch them (polling). Every check fails with the key's line in
/// `switchboard config check`, and no message ever repeats the bot token.
///
/// ```yaml
/// - id: telegram
///   type: telegram
///   settings:
///     bot_token: ${TELEGRAM_BOT_TOKEN}
///     mode: webhook                          # or polling
///     secret_token: ${TELEGRAM_SECRET_TOKEN} # webhook mode: Telegram sends it in every request
///     set_webhook: true                      # register <public url>/webhooks/telegram/update at start
///     # poll_timeout: 30s                    # polling mode: how long one getUpdates call waits
/// ```
public struct TelegramConfiguration: Decodable, Sendable {
    /// How updates reach the hub.
    public enum Mode: String, Sendable, Hashable {
        /// Telegram POSTs each update to `/webhooks/<channel>/update` (set with `setWebhook`).
        case webhook
        /// The adapter long-polls `getUpdates`; no public URL needed.
        case polling
    }

    /// `<bot id>:<secret>` from @BotFather. Part of every API URL, so never logged.
    public var botToken: String
    public var mode: Mode
    /// Webhook mode: the string Telegram sends in `X-Telegram-Bot-Api-Secret-Token`.
    public var secretToken: String?
    /// Where the Bot API is; tests (and a local Bot API server) point it elsewhere.
    public var apiBaseURL: String
    /// Polling mode: how long one `getUpdates` call may wait for updates (Telegram's `timeout`).
    public var pollTimeout: Duration
    /// Webhook mode: call `setWebhook` with our URL and secret once at start.
    public var setWebhook: Bool

    /// The longest poll timeout accepted: long polls beyond a minute are cut by proxies.
    static let maxPollTimeout = Duration.seconds(50)

    enum CodingKeys: String, CodingKey {
        case botToken = "bot_token"
        case mode
        case secretToken = "secret_token"
        case apiBaseURL = "api_base_url"
        case pollTimeout = "poll_timeout"
        case setWebhook = "set_webhook"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func fail(_ key: CodingKeys, _ message: String) -> DecodingError {
            DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: message)
        }
        // Decoded as an optional so a missing key gets our message, not the decoder's.
        let token = try container.decodeIfPresent(String.self, forKey: .botToken) ?? ""
        guard Self.isBotToken(token) else {
            throw fail(
                .botToken,
                "bot_token is the token @BotFather gave: the bot's numeric id, ':' and about 35 letters, digits, "
                    + "'_' or '-'; set it from an environment variable, as bot_token: ${TELEGRAM_BOT_TOKEN}")
        }
        botToken = token
        let modeText = try container.decodeIfPresent(String.self, forKey: .mode)
        guard let modeText, let mode = Mode(rawValue: modeText) else {
            throw fail(
                .mode,
                "mode is required: 'webhook' (Telegram posts updates to the hub's public URL) or 'polling' "
                    + "(the hub calls getUpdates; no public URL needed)")
        }
        self.mode = mode
        secretToken = try container.decodeIfPresent(String.self, forKey: .secretToken)
        if let secret = secretToken, !Self.isSecretToken(secret) {
            throw fail(
                .secretToken,
                "secret_token is 1 to 256 characters of A-Z, a-z, 0-9, '_' and '-' (setWebhook's rule); "
                    + "generate one with `openssl rand -hex 32`")
        }
        if mode == .webhook, secretToken == nil {
            throw fail(
                .secretToken,
                "mode: webhook needs secret_token (1 to 256 characters of A-Z, a-z, 0-9, '_' and '-'): Telegram "
                    + "sends it with every update, and requests without it are refused")
        }
        apiBaseURL = URLText.trimmingTrailingSlashes(
            try container.decodeIfPresent(String.self, forKey: .apiBaseURL) ?? "https://api.telegram.org")
        if !(apiBaseURL.hasPrefix("https://") || apiBaseURL.hasPrefix("http://")) {
            throw fail(.apiBaseURL, "api_base_url is the Bot API's address, such as https://api.telegram.org")
        }
        pollTimeout =
            try container.decodeIfPresent(DurationSetting.self, forKey: .pollTimeout)?.duration ?? .seconds(30)
        if pollTimeout < .seconds(1) || pollTimeout > Self.maxPollTimeout
            || pollTimeout.components.attoseconds != 0
        {
            throw fail(.pollTimeout, "poll_timeout is whole seconds from 1s to 50s, such as 30s")
        }
        setWebhook = try container.decodeIfPresent(Bool.self, forKey: .setWebhook) ?? false
        if setWebhook, mode != .webhook {
            throw fail(
                .setWebhook,
                "set_webhook: true registers a webhook, which stops getUpdates from working; use it only with "
                    + "mode: webhook")
        }
    }

    public init(
        botToken: String, mode: Mode, secretToken: String? = nil, apiBaseURL: String = "https://api.telegram.org",
        pollTimeout: Duration = .seconds(30), setWebhook: Bool = false
    ) {
        self.botToken = botToken
        self.mode = mode
        self.secretToken = secretToken
        self.apiBaseURL = apiBaseURL
        self.pollTimeout = pollTimeout
        self.setWebhook = setWebhook
    }

    /// `<digits>:<30 to 64 of A-Z a-z 0-9 _ ->`: the shape of every token @BotFather issues
    /// (https://core.telegram.org/bots/api#authorizing-your-bot), with room for variation.
    static func isBotToken(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":") else { return false }
        let id = text[..<colon]
        let secret = text[text.index(after: colon)...]
        return (1...20).contains(id.count) && id.allSatisfy { $0.isASCII && $0.isNumber }
            && (30...64).contains(secret.count) && secret.allSatisfy(isTokenCharacter)
    }

    /// setWebhook's rule for `secret_token`: "1-256 characters. Only characters A-Z, a-z, 0-9, _ and -
    /// are allowed" (https://core.telegram.org/bots/api#setwebhook).
    static func isSecretToken(_ text: String) -> Bool {
        (1...256).contains(text.count) && text.allSatisfy(isTokenCharacter)
    }

    static func isTokenCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "_" || character == "-")
    }
}
