import SwitchboardAdapterKit

/// The `settings:` of a `type: kannel` channel: how Kannel's smsbox reaches the hub, and how the
/// hub reaches smsbox's sendsms interface.
///
/// ```yaml
/// - id: kannel
///   type: kannel
///   settings:
///     secret: ${KANNEL_SECRET}          # also in the sms-service get-url: ...&secret=<the same>
///     sendsms_url: http://127.0.0.1:13013/cgi-bin/sendsms
///     username: switchboard             # a sendsms-user of smsbox
///     password: ${KANNEL_SENDSMS_PASSWORD}
///     from: "12345"                     # the sender number or short code for replies
///     default_region: FR
/// ```
public struct KannelConfiguration: Decodable, Sendable {
    /// Shared with Kannel's get-url (`secret=`) and put in our dlr-url: proves a request is Kannel's.
    public var secret: String
    /// smsbox's sendsms interface.
    public var sendsmsURL: String
    public var username: String
    public var password: String
    /// The sender for replies (`from` of sendsms); smsbox's default when absent.
    public var from: String?
    /// Route replies through this SMSC (`smsc` of sendsms).
    public var smsc: String?
    /// Numbers written without `+` are read in this region.
    public var defaultRegion: PhoneRegion?
    /// A reply may take at most this many concatenated SMS (default 6); smsbox's sendsms-user needs
    /// `max-messages` at least this and `concatenation = true`, or Kannel cuts the text.
    public var maxParts: Int
    /// The URL smsbox calls for delivery reports, without `/dlr`. Default: the hub's public URL +
    /// `/webhooks/<channel id>`.
    public var publicURL: String?

    enum CodingKeys: String, CodingKey {
        case secret
        case sendsmsURL = "sendsms_url"
        case username, password, from, smsc
        case defaultRegion = "default_region"
        case maxParts = "max_parts"
        case publicURL = "public_url"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func fail(_ key: CodingKeys, _ message: String) -> DecodingError {
            DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: message)
        }
        secret = try container.decode(String.self, forKey: .secret)
        guard secret.count >= 16,
            secret.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) })
        else {
            throw fail(
                .secret,
                "secret must be at least 16 letters, digits, '-', '_' or '.' (it goes into a URL); "
                    + "generate one with `openssl rand -hex 24`")
        }
        sendsmsURL = try container.decode(String.self, forKey: .sendsmsURL)
        guard sendsmsURL.hasPrefix("http://") || sendsmsURL.hasPrefix("https://") else {
            throw fail(
                .sendsmsURL, "sendsms_url is smsbox's sendsms URL, such as http://127.0.0.1:13013/cgi-bin/sendsms")
        }
        username = try container.decode(String.self, forKey: .username)
        password = try container.decode(String.self, forKey: .password)
        from = try container.decodeIfPresent(String.self, forKey: .from)
        smsc = try container.decodeIfPresent(String.self, forKey: .smsc)
        defaultRegion = try container.decodeIfPresent(PhoneRegion.self, forKey: .defaultRegion)
        maxParts = try container.decodeIfPresent(Int.self, forKey: .maxParts) ?? 6
        guard (1...10).contains(maxParts) else {
            throw fail(
                .maxParts, "max_parts must be from 1 to 10 (the sendsms-user's max-messages must be at least as high)")
        }
        publicURL = try container.decodeIfPresent(String.self, forKey: .publicURL)
        if let url = publicURL, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            throw fail(.publicURL, "public_url is the URL smsbox uses to reach this channel, without /dlr")
        }
        publicURL = publicURL.map(URLText.trimmingTrailingSlashes)
    }

    public init(
        secret: String, sendsmsURL: String, username: String, password: String, from: String? = nil,
        smsc: String? = nil, defaultRegion: PhoneRegion? = nil, maxParts: Int = 6, publicURL: String? = nil
    ) {
        self.secret = secret
        self.sendsmsURL = sendsmsURL
        self.username = username
        self.password = password
        self.from = from
        self.smsc = smsc
        self.defaultRegion = defaultRegion
        self.maxParts = maxParts
        self.publicURL = publicURL
    }
}
