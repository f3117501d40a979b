import SwitchboardAdapterKit

/// The settings every Meta channel (WhatsApp, Messenger, Instagram) shares: the app's secret that
/// signs webhooks, the token Meta's subscription handshake echoes, the token sends authenticate
/// with, and where the Graph API is. Each channel's configuration decodes these first, then its
/// own id (phone number id, page id, Instagram account id).
public struct MetaAppSettings: Sendable, Hashable {
    /// App Dashboard › App settings › Basic › App Secret: the key of `X-Hub-Signature-256`.
    public var appSecret: String
    /// The string typed into the webhook's "Verify token" field; Meta sends it back on `GET /webhook`.
    public var verifyToken: String
    /// A system-user or page access token, sent as `Authorization: Bearer` and never put in a URL.
    public var accessToken: String
    /// `https://graph.facebook.com` unless tests (or Instagram Login: `https://graph.instagram.com`) say otherwise.
    public var graphBaseURL: String
    /// `vNN.N`, the Graph API version every call is pinned to.
    public var graphVersion: String

    public static let defaultGraphBaseURL = "https://graph.facebook.com"
    public static let defaultGraphVersion = "v23.0"

    public init(
        appSecret: String, verifyToken: String, accessToken: String,
        graphBaseURL: String = MetaAppSettings.defaultGraphBaseURL,
        graphVersion: String = MetaAppSettings.defaultGraphVersion
    ) {
        self.appSecret = appSecret
        self.verifyToken = verifyToken
        self.accessToken = accessToken
        self.graphBaseURL = URLText.trimmingTrailingSlashes(graphBaseURL)
        self.graphVersion = graphVersion
    }

    /// `{graph_base_url}/{graph_version}/{path}`.
    func graphURL(_ path: String) -> String { "\(graphBaseURL)/\(graphVersion)/\(path)" }

    /// The keys every Meta channel's `settings:` has.
    enum Keys: String, CodingKey {
        case appSecret = "app_secret"
        case verifyToken = "verify_token"
        case accessToken = "access_token"
        case graphBaseURL = "graph_base_url"
        case graphVersion = "graph_version"
    }

    /// Decodes and checks the shared keys; each failure names the key and what a right value looks like.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        func fail(_ key: Keys, _ message: String) -> DecodingError {
            DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: message)
        }
        appSecret = try container.decode(String.self, forKey: .appSecret)
        guard appSecret.count >= 16, !appSecret.contains(where: \.isWhitespace) else {
            throw fail(
                .appSecret,
                "app_secret is the App Secret from the App Dashboard (App settings › Basic), 32 hex digits; "
                    + "set it from an environment variable such as ${META_APP_SECRET}")
        }
        verifyToken = try container.decode(String.self, forKey: .verifyToken)
        guard (8...256).contains(verifyToken.count), !verifyToken.contains(where: \.isWhitespace) else {
            throw fail(
                .verifyToken,
                "verify_token is the string you type into the webhook's 'Verify token' field in the App "
                    + "Dashboard: 8 to 256 characters without spaces; set it from an environment variable")
        }
        accessToken = try container.decode(String.self, forKey: .accessToken)
        guard accessToken.count >= 20, !accessToken.contains(where: \.isWhitespace) else {
            throw fail(
                .accessToken,
                "access_token is a long-lived system-user or page access token (it starts with EAA…); "
                    + "set it from an environment variable such as ${META_ACCESS_TOKEN}")
        }
        graphBaseURL = URLText.trimmingTrailingSlashes(
            try container.decodeIfPresent(String.self, forKey: .graphBaseURL) ?? Self.defaultGraphBaseURL)
        guard graphBaseURL.hasPrefix("https://") || graphBaseURL.hasPrefix("http://"),
            !graphBaseURL.contains(where: \.isWhitespace)
        else {
            throw fail(.graphBaseURL, "graph_base_url is a URL such as https://graph.facebook.com")
        }
        graphVersion = try container.decodeIfPresent(String.self, forKey: .graphVersion) ?? Self.defaultGraphVersion
        guard Self.isGraphVersion(graphVersion) else {
            throw fail(.graphVersion, "graph_version is written vNN.N, such as \(Self.defaultGraphVersion)")
        }
    }

    /// `v` + digits + `.` + digits (`v23.0`).
    static func isGraphVersion(_ text: String) -> Bool {
        guard text.hasPrefix("v") else { return false }
        let parts = text.dropFirst().split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { (1...3).contains($0.count) && $0.allSatisfy(\.isASCIIDigit) }
    }

    /// Checks a numeric Graph id setting (phone number id, page id, account id).
    static func decodeGraphID<Key: CodingKey>(
        _ container: KeyedDecodingContainer<Key>, _ key: Key, what: String
    ) throws -> String {
        let id = try container.decode(String.self, forKey: key)
        guard (1...30).contains(id.count), id.allSatisfy(\.isASCIIDigit) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: container,
                debugDescription: "\(key.stringValue) is \(what), all digits (quote it in YAML: \"106540352242922\")")
        }
        return id
    }
}

extension Character {
    /// `0`–`9` only (not other scripts' digits, which Graph ids never contain).
    var isASCIIDigit: Bool { isASCII && isNumber }
}
