import SwitchboardAdapterKit

/// The `settings:` of a `type: twilio` channel. Every check fails with the key's line in
/// `switchboard config check`.
///
/// ```yaml
/// - id: twilio
///   type: twilio
///   settings:
///     account_sid: ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
///     auth_token: ${TWILIO_AUTH_TOKEN}
///     from: "+15005550006"                 # or messaging_service_sid: MG…
///     whatsapp_from: "whatsapp:+14155238886" # replies to WhatsApp customers leave from here
///     default_region: US
///     public_url: https://hub.example.com/webhooks/twilio   # as entered in Twilio's console
/// ```
public struct TwilioConfiguration: Decodable, Sendable {
    /// `AC` and 32 hex digits: the account the REST calls go to.
    public var accountSID: String
    /// Signs Twilio's webhooks; authenticates REST calls unless an API key is given.
    public var authToken: String
    /// An API key (`SK…`) and its secret, for REST calls, where the account owner prefers not to
    /// hand out the auth token for them.
    public var apiKeySID: String?
    public var apiKeySecret: String?
    /// The sender number for SMS replies (E.164), or a messaging service.
    public var from: String?
    public var messagingServiceSID: String?
    /// The sender for replies to `whatsapp:` customers, `whatsapp:+E164`.
    public var whatsappFrom: String?
    /// Numbers written without `+` are read in this region.
    public var defaultRegion: PhoneRegion?
    /// The URL Twilio is configured to call, without the route (`/sms`, `/status`); Twilio signs
    /// the URL it called, so behind a proxy this is the proxy's. Default: the hub's public URL +
    /// `/webhooks/<channel id>`.
    public var publicURL: String?
    /// Where the REST API is; tests point it at a fake.
    public var apiBaseURL: String

    enum CodingKeys: String, CodingKey {
        case accountSID = "account_sid"
        case authToken = "auth_token"
        case apiKeySID = "api_key_sid"
        case apiKeySecret = "api_key_secret"
        case from
        case messagingServiceSID = "messaging_service_sid"
        case whatsappFrom = "whatsapp_from"
        case defaultRegion = "default_region"
        case publicURL = "public_url"
        case apiBaseURL = "api_base_url"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func fail(_ key: CodingKeys, _ message: String) -> DecodingError {
            DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: message)
        }
        accountSID = try container.decode(String.self, forKey: .accountSID)
        guard Self.isSID(accountSID, prefix: "AC") else {
            throw fail(.accountSID, "account_sid is 'AC' and 32 hex digits, as shown in Twilio's console")
        }
        authToken = try container.decode(String.self, forKey: .authToken)
        guard authToken.count >= 16 else {
            throw fail(
                .authToken, "auth_token is the account's 32-character Auth Token; set it from an environment variable")
        }
        apiKeySID = try container.decodeIfPresent(String.self, forKey: .apiKeySID)
        apiKeySecret = try container.decodeIfPresent(String.self, forKey: .apiKeySecret)
        if let key = apiKeySID, !Self.isSID(key, prefix: "SK") {
            throw fail(.apiKeySID, "api_key_sid is 'SK' and 32 hex digits")
        }
        if (apiKeySID == nil) != (apiKeySecret == nil) {
            throw fail(
                apiKeySID == nil ? .apiKeySecret : .apiKeySID, "give both api_key_sid and api_key_secret, or neither")
        }
        from = try container.decodeIfPresent(String.self, forKey: .from)
        messagingServiceSID = try container.decodeIfPresent(String.self, forKey: .messagingServiceSID)
        if let from, !from.hasPrefix("+") {
            throw fail(.from, "from is the sender number in E.164, such as \"+15005550006\" (quoted in YAML)")
        }
        if let service = messagingServiceSID, !Self.isSID(service, prefix: "MG") {
            throw fail(.messagingServiceSID, "messaging_service_sid is 'MG' and 32 hex digits")
        }
        whatsappFrom = try container.decodeIfPresent(String.self, forKey: .whatsappFrom)
        if let sender = whatsappFrom, !sender.hasPrefix("whatsapp:+") {
            throw fail(.whatsappFrom, "whatsapp_from is written whatsapp:+E164, such as whatsapp:+14155238886")
        }
        defaultRegion = try container.decodeIfPresent(PhoneRegion.self, forKey: .defaultRegion)
        publicURL = try container.decodeIfPresent(String.self, forKey: .publicURL).map(URLText.trimmingTrailingSlashes)
        if let url = publicURL, !(url.hasPrefix("https://") || url.hasPrefix("http://")) {
            throw fail(.publicURL, "public_url is the https:// URL Twilio calls, without /sms or /status")
        }
        apiBaseURL = URLText.trimmingTrailingSlashes(
            try container.decodeIfPresent(String.self, forKey: .apiBaseURL) ?? "https://api.twilio.com")
        if !(apiBaseURL.hasPrefix("https://") || apiBaseURL.hasPrefix("http://")) {
            throw fail(.apiBaseURL, "api_base_url must start with https://")
        }
    }

    public init(
        accountSID: String, authToken: String, from: String? = nil, messagingServiceSID: String? = nil,
        whatsappFrom: String? = nil, defaultRegion: PhoneRegion? = nil, publicURL: String? = nil,
        apiBaseURL: String = "https://api.twilio.com"
    ) {
        self.accountSID = accountSID
        self.authToken = authToken
        self.from = from
        self.messagingServiceSID = messagingServiceSID
        self.whatsappFrom = whatsappFrom
        self.defaultRegion = defaultRegion
        self.publicURL = publicURL
        self.apiBaseURL = apiBaseURL
    }

    static func isSID(_ text: String, prefix: String) -> Bool {
        text.count == 34 && text.hasPrefix(prefix) && text.dropFirst(2).allSatisfy(\.isHexDigit)
    }
}
