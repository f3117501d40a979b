import Foundation
import SwitchboardAdapterKit

/// The `settings:` of a `type: x` channel: the brand account, its user-context token, how new
/// mentions and DMs reach the hub, and what to listen for. Every check fails with the key's line in
/// `switchboard config check`.
///
/// ```yaml
/// - id: x
///   type: x
///   settings:
///     account_id: "2244994945"             # the brand account's numeric user id
///     access_token: ${X_ACCESS_TOKEN}      # OAuth 2.0 user-context token (tweet.read tweet.write
///                                          # users.read dm.read dm.write)
///     mode: polling                        # or webhook (Account Activity API)
///     consumer_secret: ${X_CONSUMER_SECRET} # webhook mode: signs CRC answers and event POSTs
///     listen: ["Acme", "Acme Rocket"]      # brand and product names, without the @
///     poll_interval: 60s                   # at least 15s; X's rate limits are tight
///     dms: true
/// ```
public struct XConfiguration: Decodable, Sendable {
    /// How mentions and DMs reach the hub.
    public enum Mode: String, Sendable {
        /// The adapter reads the mentions timeline and DM events every `poll_interval`.
        case polling
        /// X posts them to `/webhooks/<channel>/webhook` (Account Activity API).
        case webhook
    }

    /// The brand account's numeric user id: mentions of it are read, its own posts are skipped.
    public var accountID: String
    /// An OAuth 2.0 user-context access token of the brand account, sent as `Authorization: Bearer`.
    public var accessToken: String
    /// The app's consumer secret (API secret key): signs CRC answers and webhook POSTs.
    public var consumerSecret: String?
    public var mode: Mode
    /// Search queries (brand and product names) whose recent posts become `listening` conversations.
    public var listen: [String]
    /// How often the adapter polls; at least 15 seconds.
    public var pollInterval: Duration
    /// Where the X API is; tests point it at a fake.
    public var apiBaseURL: String
    /// Whether direct messages are read (polling) and accepted (webhook).
    public var dms: Bool

    static let minimumPollInterval: Duration = .seconds(15)
    /// X's limit for a recent-search query (Basic and Pro access).
    static let maxQueryLength = 512

    enum CodingKeys: String, CodingKey {
        case accountID = "account_id"
        case accessToken = "access_token"
        case bearerToken = "bearer_token"
        case consumerSecret = "consumer_secret"
        case mode, listen, dms
        case pollInterval = "poll_interval"
        case apiBaseURL = "api_base_url"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func fail(_ key: CodingKeys, _ message: String) -> DecodingError {
            DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: message)
        }
        let rawID =
            (try? container.decode(String.self, forKey: .accountID))
            ?? (try? container.decode(UInt64.self, forKey: .accountID)).map(String.init)
        guard let rawID, let id = Self.numericID(rawID) else {
            throw fail(
                .accountID,
                "account_id is the brand account's numeric X user id, such as \"2244994945\" (quoted in YAML); "
                    + "the @username is not accepted")
        }
        accountID = id
        if container.contains(.bearerToken) {
            throw fail(
                .bearerToken,
                "an app-only bearer_token cannot read mentions or DMs, nor post; remove it and set access_token "
                    + "to an OAuth 2.0 user-context token of the brand account")
        }
        accessToken = try container.decode(String.self, forKey: .accessToken)
        guard accessToken.count >= 16, !accessToken.contains(where: \.isWhitespace) else {
            throw fail(
                .accessToken,
                "access_token is the brand account's OAuth 2.0 user-context token (scopes tweet.read tweet.write "
                    + "users.read dm.read dm.write); set it from an environment variable")
        }
        let modeName = try container.decodeIfPresent(String.self, forKey: .mode) ?? Mode.polling.rawValue
        guard let mode = Mode(rawValue: modeName) else {
            throw fail(
                .mode, "mode is polling (read mentions and DMs every poll_interval) or webhook (Account Activity API)")
        }
        self.mode = mode
        consumerSecret = try container.decodeIfPresent(String.self, forKey: .consumerSecret)
        if let secret = consumerSecret, secret.count < 16 || secret.contains(where: \.isWhitespace) {
            throw fail(
                .consumerSecret, "consumer_secret is the app's API secret key; set it from an environment variable")
        }
        if mode == .webhook, consumerSecret == nil {
            throw fail(
                .consumerSecret,
                "mode: webhook needs consumer_secret (the app's API secret key): X signs its CRC checks and event "
                    + "POSTs with it")
        }
        listen = (try container.decodeIfPresent([String].self, forKey: .listen) ?? [])
            .map { $0.trimmingCharacters(in: .whitespaces) }
        for trimmed in listen {
            guard !trimmed.isEmpty, trimmed.count <= Self.maxQueryLength else {
                throw fail(
                    .listen,
                    "each listen entry is a search query of 1 to \(Self.maxQueryLength) characters, such as Acme")
            }
            guard !trimmed.hasPrefix("@") else {
                throw fail(
                    .listen,
                    "write listen entries without the @ ('\(trimmed.dropFirst())'): mentions of the account are read "
                        + "anyway, listening finds posts that name the brand without tagging it")
            }
        }
        pollInterval =
            try container.decodeIfPresent(DurationSetting.self, forKey: .pollInterval)?.duration ?? .seconds(60)
        guard pollInterval >= Self.minimumPollInterval else {
            throw fail(
                .pollInterval, "poll_interval must be at least 15s: X's rate limits allow few reads per 15 minutes")
        }
        apiBaseURL = URLText.trimmingTrailingSlashes(
            try container.decodeIfPresent(String.self, forKey: .apiBaseURL) ?? "https://api.x.com")
        guard apiBaseURL.hasPrefix("https://") || apiBaseURL.hasPrefix("http://") else {
            throw fail(.apiBaseURL, "api_base_url is a URL such as https://api.x.com")
        }
        dms = try container.decodeIfPresent(Bool.self, forKey: .dms) ?? true
    }

    public init(
        accountID: String, accessToken: String, consumerSecret: String? = nil, mode: Mode = .polling,
        listen: [String] = [], pollInterval: Duration = .seconds(60), apiBaseURL: String = "https://api.x.com",
        dms: Bool = true
    ) {
        self.accountID = accountID
        self.accessToken = accessToken
        self.consumerSecret = consumerSecret
        self.mode = mode
        self.listen = listen
        self.pollInterval = pollInterval
        self.apiBaseURL = apiBaseURL
        self.dms = dms
    }

    /// The id without leading zeros, or nil when it is not a whole number.
    static func numericID(_ text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 20, trimmed.allSatisfy({ $0.isASCII && $0.isNumber }),
            let value = UInt64(trimmed), value > 0
        else { return nil }
        return String(value)
    }
}
