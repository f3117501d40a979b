import SwitchboardAdapterKit
import SwitchboardCore

/// The whole of `Config/switchboard.yaml`, checked. The README's configuration reference lists every key.
public struct HubConfig: Sendable {
    public var server: ServerConfig
    public var storage: StorageConfig
    public var identity: IdentityPolicy
    public var reopenWindow: Duration
    /// Opt-out keywords; the hub fills in which channels honour them from the adapters.
    public var optOut: OptOutPolicy
    public var retry: RetryPolicy
    public var channels: [ChannelConfig]
    /// `webhooks:` — the customer's own systems that receive the hub's events, signed.
    public var webhooks: [WebhookEndpoint]
    /// `canned_replies:` — the team's saved answers, offered in the web inbox's reply box.
    public var cannedReplies: [CannedReply] = []
    /// `business_hours:` — when the team works (every hour when the section is absent).
    public var businessHours: BusinessHours = .always
    /// `sla:` — response and resolution targets, the first that covers a conversation applies.
    public var slaPolicies: [SLAPolicy] = []
    /// `rules:` — what the hub does on its own when a message arrives, in order.
    public var rules: [Rule] = []
    /// `csat:` — the rating question asked when a conversation is resolved; nil: not asked.
    public var satisfaction: SatisfactionSurvey?
    /// The file it was read from, for messages.
    public var file: String

    public var ingestPolicy: IngestPolicy {
        IngestPolicy(
            identity: identity, reopenWindow: reopenWindow, optOut: optOut,
            ratingWindow: satisfaction?.window ?? SatisfactionSurvey.defaultWindow)
    }
}

/// `server:` — where the hub listens and how the outside world reaches it.
public struct ServerConfig: Decodable, Sendable {
    public var host: String
    public var port: Int
    /// The URL customers' systems and channels use to reach this hub (behind a proxy, the proxy's).
    public var publicURL: String
    /// Bearer token for `/api/v1`; the API is off when it is not set.
    public var apiToken: String?

    enum CodingKeys: String, CodingKey {
        case host, port
        case publicURL = "public_url"
        case apiToken = "api_token"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        host = try container.decodeIfPresent(String.self, forKey: .host) ?? "127.0.0.1"
        port = try container.decodeIfPresent(Int.self, forKey: .port) ?? 8080
        guard (0...65535).contains(port) else {
            throw DecodingError.dataCorruptedError(
                forKey: .port, in: container, debugDescription: "a port is 0 to 65535")
        }
        publicURL = try container.decodeIfPresent(String.self, forKey: .publicURL) ?? "http://\(host):\(port)"
        guard publicURL.hasPrefix("http://") || publicURL.hasPrefix("https://") else {
            throw DecodingError.dataCorruptedError(
                forKey: .publicURL, in: container, debugDescription: "public_url must start with http:// or https://")
        }
        apiToken = try container.decodeIfPresent(String.self, forKey: .apiToken).flatMap { $0.isEmpty ? nil : $0 }
        if let apiToken, apiToken.count < 16 {
            throw DecodingError.dataCorruptedError(
                forKey: .apiToken, in: container, debugDescription: "api_token must be at least 16 characters")
        }
    }

    public init(host: String = "127.0.0.1", port: Int = 8080, publicURL: String? = nil, apiToken: String? = nil) {
        self.host = host
        self.port = port
        self.publicURL = publicURL ?? "http://\(host):\(port)"
        self.apiToken = apiToken
    }
}

/// `storage:` — which backend holds the data.
public enum StorageConfig: Sendable, Hashable {
    /// The embedded default: one file, one hub process.
    case sqlite(path: String)
    /// A PostgreSQL server, shared by one or more hub processes.
    case postgres(PostgresStorage)
}

/// `storage: { postgres: { url, blobs, max_connections } }`.
public struct PostgresStorage: Sendable, Hashable {
    /// `postgresql://USER:PASSWORD@HOST:PORT/DATABASE` (write `${DATABASE_URL}`: it holds a password).
    public var url: String
    /// Where attachment bytes live; several hubs on one database must share this directory.
    public var blobs: String
    /// The most connections this process opens.
    public var maxConnections: Int

    public init(url: String, blobs: String, maxConnections: Int = 8) {
        self.url = url
        self.blobs = blobs
        self.maxConnections = maxConnections
    }
}

struct StorageSection: Decodable {
    struct SQLite: Decodable { var path: String }
    struct Postgres: Decodable {
        var url: String
        var blobs: String
        var maxConnections: Int?

        enum CodingKeys: String, CodingKey {
            case url, blobs
            case maxConnections = "max_connections"
        }
    }
    var sqlite: SQLite?
    var postgres: Postgres?
}

struct IdentitySection: Decodable {
    var linkWhatsAppToPhone: Bool?
    var autoMergeOnStrongIdentifier: Bool?
    var addressesInText: IdentityPolicy.AddressesInText?

    enum CodingKeys: String, CodingKey {
        case linkWhatsAppToPhone = "link_whatsapp_to_phone"
        case autoMergeOnStrongIdentifier = "auto_merge_on_strong_identifier"
        case addressesInText = "addresses_in_text"
    }

    init() {}

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        linkWhatsAppToPhone = try container.decodeIfPresent(Bool.self, forKey: .linkWhatsAppToPhone)
        autoMergeOnStrongIdentifier = try container.decodeIfPresent(Bool.self, forKey: .autoMergeOnStrongIdentifier)
        if let rule = try container.decodeIfPresent(String.self, forKey: .addressesInText) {
            guard let parsed = IdentityPolicy.AddressesInText(rawValue: rule) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .addressesInText, in: container,
                    debugDescription:
                        "'\(rule)' is not a rule for email addresses customers type in chat: use suggest (a merge "
                        + "suggestion for an agent), merge (merge at once) or ignore")
            }
            addressesInText = parsed
        }
    }
}

/// `opt_out:` — keywords that opt a customer out of SMS and back in, added to STOP, UNSUBSCRIBE
/// and START.
struct OptOutSection: Decodable {
    var keywords: [String]?
    var optInKeywords: [String]?

    enum CodingKeys: String, CodingKey {
        case keywords
        case optInKeywords = "opt_in_keywords"
    }

    init() {}

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        keywords = try container.decodeIfPresent([String].self, forKey: .keywords)
        optInKeywords = try container.decodeIfPresent([String].self, forKey: .optInKeywords)
        for (key, list) in [(CodingKeys.keywords, keywords), (.optInKeywords, optInKeywords)] {
            for word in list ?? [] {
                guard !word.isEmpty, word.count <= 32, !word.contains(where: \.isWhitespace) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: key, in: container,
                        debugDescription: "'\(word)' is not a keyword: one word of 1 to 32 characters, no spaces")
                }
            }
        }
        let optOut = Set((keywords ?? []).map { $0.uppercased() }).union(OptOutPolicy.defaultOptOutKeywords)
        let optIn = Set((optInKeywords ?? []).map { $0.uppercased() }).union(OptOutPolicy.defaultOptInKeywords)
        if let both = optOut.intersection(optIn).sorted().first {
            throw DecodingError.dataCorruptedError(
                forKey: .optInKeywords, in: container,
                debugDescription: "'\(both)' is both an opt-out and an opt-in keyword; keep it in one list")
        }
    }

    var policy: OptOutPolicy {
        OptOutPolicy(
            optOutKeywords: OptOutPolicy.defaultOptOutKeywords.union(keywords ?? []),
            optInKeywords: OptOutPolicy.defaultOptInKeywords.union(optInKeywords ?? []))
    }
}

struct ConversationsSection: Decodable {
    var reopenWindow: ConfigDuration?
    enum CodingKeys: String, CodingKey { case reopenWindow = "reopen_window" }
}

struct OutboxSection: Decodable {
    var maxAttempts: Int?
    var baseDelay: ConfigDuration?
    var maxDelay: ConfigDuration?
    var maxRateLimited: Int?

    init() {}

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        maxAttempts = try container.decodeIfPresent(Int.self, forKey: .maxAttempts)
        baseDelay = try container.decodeIfPresent(ConfigDuration.self, forKey: .baseDelay)
        maxDelay = try container.decodeIfPresent(ConfigDuration.self, forKey: .maxDelay)
        maxRateLimited = try container.decodeIfPresent(Int.self, forKey: .maxRateLimited)
        if let attempts = maxAttempts, attempts < 1 {
            throw DecodingError.dataCorruptedError(
                forKey: .maxAttempts, in: container, debugDescription: "max_attempts must be at least 1")
        }
        if let limit = maxRateLimited, limit < 1 {
            throw DecodingError.dataCorruptedError(
                forKey: .maxRateLimited, in: container,
                debugDescription: "max_rate_limited must be at least 1 (how many 429s one reply may get)")
        }
        let base = baseDelay?.duration ?? RetryPolicy().baseDelay
        let ceiling = maxDelay?.duration ?? RetryPolicy().maxDelay
        if base > ceiling {
            throw DecodingError.dataCorruptedError(
                forKey: maxDelay == nil ? .baseDelay : .maxDelay, in: container,
                debugDescription: "base_delay (\(base)) must not be longer than max_delay (\(ceiling))")
        }
    }

    enum CodingKeys: String, CodingKey {
        case maxAttempts = "max_attempts"
        case baseDelay = "base_delay"
        case maxDelay = "max_delay"
        case maxRateLimited = "max_rate_limited"
    }
}

/// The names the config gives channels and webhook endpoints: 1 to 64 lower-case letters,
/// digits, `-` or `_`, so they fit in URLs, log lines and file names as they are.
enum ConfigName {
    private static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64
            && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    /// The name at `key`, or an error that says what `what` (such as "a rule name") may be.
    static func decode<Key: CodingKey>(
        _ key: Key, in container: KeyedDecodingContainer<Key>, what: String, note: String = ""
    ) throws -> String {
        let name = try container.decode(String.self, forKey: key)
        guard isValid(name) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container,
                debugDescription: "\(what) is 1 to 64 lower-case letters, digits, '-' or '_'\(note)")
        }
        return name
    }
}

/// One entry of `channels:`.
public struct ChannelConfig: Decodable, Sendable {
    public var id: ChannelID
    public var type: ChannelKind
    public var enabled: Bool
    /// Decoded later by the adapter's own `Configuration`.
    public var settings: ConfigSubtree?
    /// Sent, marked automatic, to whoever opens a new conversation on this channel (never in
    /// answer to automatic mail such as an out-of-office reply).
    public var acknowledge: String?
    /// `rate_limit:` — overrides the send rate the channel's adapter declares (`nil`: keep it).
    public var rateLimit: RateLimitSetting?
    /// The line of `type:`, for diagnostics.
    var typeLine = 0

    enum CodingKeys: String, CodingKey {
        case id, type, enabled, settings, acknowledge
        case rateLimit = "rate_limit"
    }

    /// The send rate in force: the config's, or else the one the adapter declares.
    public func sendRate(declared: SendRate?) -> SendRate? {
        switch rateLimit {
        case nil: declared
        case .unlimited: nil
        case .rate(let rate): rate
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let id = try ConfigName.decode(
            .id, in: container, what: "a channel id", note: " (it appears in webhook URLs)")
        self.id = ChannelID(id)
        type = ChannelKind(rawValue: try container.decode(String.self, forKey: .type))
        enabled = try container.decodeIfPresent(Bool.self, forKey: .enabled) ?? true
        settings = try container.decodeIfPresent(ConfigSubtree.self, forKey: .settings)
        acknowledge = try container.decodeIfPresent(String.self, forKey: .acknowledge)
        if let text = acknowledge, text.allSatisfy(\.isWhitespace) {
            throw DecodingError.dataCorruptedError(
                forKey: .acknowledge, in: container,
                debugDescription: "acknowledge is the text sent to new conversations; leave it out to send none")
        }
        rateLimit = try container.decodeIfPresent(RateLimitSetting.self, forKey: .rateLimit)
    }
}

/// A channel's `rate_limit:`: `{ messages: 30, per: 1s, burst: 30 }` (per defaults to 1s, burst
/// to messages), or `unlimited` to send as fast as the channel answers (the adapter's declared
/// limit is then ignored; the channel's own 429s still pause sending).
public enum RateLimitSetting: Decodable, Sendable, Hashable {
    case rate(SendRate)
    case unlimited

    enum CodingKeys: String, CodingKey { case messages, per, burst }

    public init(from decoder: any Decoder) throws {
        if let word = try? decoder.singleValueContainer().decode(String.self) {
            guard word == "unlimited" else {
                throw DecodingError.dataCorrupted(
                    .init(
                        codingPath: decoder.codingPath,
                        debugDescription:
                            "'\(word)' is not a rate limit: write { messages: 30, per: 1s, burst: 30 } or unlimited"))
            }
            self = .unlimited
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let messages = try container.decode(Int.self, forKey: .messages)
        guard messages >= 1 else {
            throw DecodingError.dataCorruptedError(
                forKey: .messages, in: container, debugDescription: "messages must be at least 1 (or write unlimited)")
        }
        let per = try container.decodeIfPresent(ConfigDuration.self, forKey: .per)?.duration ?? .seconds(1)
        guard per >= .milliseconds(1) else {
            throw DecodingError.dataCorruptedError(
                forKey: .per, in: container, debugDescription: "per is a duration such as 1s, 1m or 1d")
        }
        let burst = try container.decodeIfPresent(Int.self, forKey: .burst)
        if let burst, burst < 1 {
            throw DecodingError.dataCorruptedError(
                forKey: .burst, in: container, debugDescription: "burst must be at least 1 (it defaults to messages)")
        }
        self = .rate(SendRate(messages: messages, per: per, burst: burst))
    }
}

/// A duration written as `500ms`, `30s`, `10m`, `2h` or `7d`: the same type adapters use in their
/// settings, so the hub's sections and every channel read durations alike.
public typealias ConfigDuration = DurationSetting
