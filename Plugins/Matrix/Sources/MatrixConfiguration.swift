import Foundation
import SwitchboardAdapterKit

/// The `settings:` of a `type: matrix` channel: which homeserver, which account the hub uses there,
/// whose invitations it accepts, and how it syncs.
///
/// ```yaml
/// - id: matrix
///   type: matrix
///   settings:
///     homeserver_url: https://matrix.example.org
///     user_id: "@support:example.org"           # the hub's own account
///     access_token: ${MATRIX_ACCESS_TOKEN}       # from POST /_matrix/client/v3/login
///     accept_invites: ["@*:example.org"]         # who may invite the hub into a room
///     sync_timeout: 30s                           # how long one /sync long-poll waits
///     initial_history: 20                         # events per room imported on the very first sync
/// ```
public struct MatrixConfiguration: Decodable, Sendable {
    /// The homeserver's client-server API base URL, without a trailing slash.
    public var homeserverURL: String
    /// The hub's account (`@support:example.org`), normalised: its own messages are never imported.
    public var userID: String
    /// The account's access token. Never logged, never put in an error message.
    public var accessToken: String
    /// Whose invitations the hub accepts (joins); an invitation from anyone else is ignored.
    public var acceptInvites: [InvitePattern]
    /// How long one `/sync` long-poll may wait for news.
    public var syncTimeout: Duration
    /// How many recent events per room the very first sync imports (later syncs import everything).
    public var initialHistory: Int

    enum CodingKeys: String, CodingKey {
        case homeserverURL = "homeserver_url"
        case userID = "user_id"
        case accessToken = "access_token"
        case acceptInvites = "accept_invites"
        case syncTimeout = "sync_timeout"
        case initialHistory = "initial_history"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func fail(_ key: CodingKeys, _ message: String) -> DecodingError {
            DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: message)
        }
        let url = URLText.trimmingTrailingSlashes(try container.decode(String.self, forKey: .homeserverURL))
        guard url.hasPrefix("https://") || url.hasPrefix("http://"), url.count > "https://".count,
            !url.contains(where: \.isWhitespace), !url.contains("?"), !url.contains("/_matrix")
        else {
            throw fail(
                .homeserverURL,
                "homeserver_url is the homeserver's client API base URL, such as https://matrix.example.org "
                    + "(without /_matrix/...)")
        }
        if url.hasPrefix("http://"), !Self.isLoopback(URLComponents(string: url)?.host) {
            throw fail(
                .homeserverURL,
                "homeserver_url uses http://, so the access token would travel in clear text: use https:// "
                    + "(http:// is allowed only for 127.0.0.1, ::1 and localhost)")
        }
        homeserverURL = url
        let user = try container.decode(String.self, forKey: .userID)
        do {
            userID = try Address(kind: .matrix, value: user).value
        } catch {
            throw fail(.userID, "user_id is the hub's Matrix account, written like @support:example.org")
        }
        accessToken = try container.decode(String.self, forKey: .accessToken)
        guard !accessToken.isEmpty, accessToken.allSatisfy({ $0.isASCII && !$0.isWhitespace && !$0.isNewline })
        else {
            throw fail(
                .accessToken,
                "access_token must be the account's access token (printable ASCII, no spaces), "
                    + "from POST /_matrix/client/v3/login; put it in the environment: ${MATRIX_ACCESS_TOKEN}")
        }
        let patterns = try container.decodeIfPresent([String].self, forKey: .acceptInvites) ?? []
        acceptInvites = try patterns.map { text in
            guard let pattern = InvitePattern(text) else {
                throw fail(
                    .acceptInvites,
                    "'\(text)' is not an invite pattern: write a user id (@ana:example.org), a user pattern "
                        + "(@*:example.org), a server name (example.org) or * for anyone")
            }
            return pattern
        }
        syncTimeout =
            try container.decodeIfPresent(DurationSetting.self, forKey: .syncTimeout)?.duration ?? .seconds(30)
        guard syncTimeout >= .seconds(1), syncTimeout <= .seconds(300) else {
            throw fail(
                .syncTimeout, "sync_timeout must be from 1s to 5m (how long one /sync waits for news; 30s is usual)")
        }
        initialHistory = try container.decodeIfPresent(Int.self, forKey: .initialHistory) ?? 20
        guard (0...1000).contains(initialHistory) else {
            throw fail(
                .initialHistory,
                "initial_history must be from 0 to 1000 (events per room imported on the first sync; default 20)")
        }
    }

    public init(
        homeserverURL: String, userID: String, accessToken: String, acceptInvites: [InvitePattern] = [],
        syncTimeout: Duration = .seconds(30), initialHistory: Int = 20
    ) {
        self.homeserverURL = homeserverURL
        self.userID = userID
        self.accessToken = accessToken
        self.acceptInvites = acceptInvites
        self.syncTimeout = syncTimeout
        self.initialHistory = initialHistory
    }

    /// Whether `host` is this machine (127.0.0.1, ::1, localhost), where plain http cannot be overheard.
    static func isLoopback(_ host: String?) -> Bool {
        guard let host = host?.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]")) else {
            return false
        }
        return ["127.0.0.1", "::1", "localhost"].contains(host)
    }

    /// Whether an invitation sent by `inviter` is to be accepted.
    func acceptsInvite(from inviter: String) -> Bool {
        acceptInvites.contains { $0.matches(inviter) }
    }
}

/// One entry of `accept_invites`: a user id pattern (`@*:example.org`, `@ana:example.org`), a server
/// name pattern (`example.org`, `*.example.org`), or `*`. `*` stands for any run of characters. A
/// user pattern's local part and server are matched separately (split at the first `:`), so a `*`
/// in the local part can never stretch over the server name.
public struct InvitePattern: Sendable, Hashable, CustomStringConvertible {
    /// The local part's pattern, nil when only the server is matched.
    let localpart: String?
    let server: String

    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard !trimmed.isEmpty, !trimmed.contains(where: \.isWhitespace) else { return nil }
        if trimmed == "*" {
            localpart = nil
            server = "*"
        } else if trimmed.hasPrefix("@") {
            guard let colon = trimmed.firstIndex(of: ":") else { return nil }
            let local = String(trimmed[trimmed.index(after: trimmed.startIndex)..<colon])
            let host = String(trimmed[trimmed.index(after: colon)...])
            guard !local.isEmpty, !host.isEmpty else { return nil }
            localpart = local
            server = host
        } else {
            guard !trimmed.contains("@"), !trimmed.hasPrefix(":") else { return nil }
            localpart = nil
            server = trimmed
        }
    }

    public var description: String { localpart.map { "@\($0):\(server)" } ?? server }

    /// Whether the user id `@local:server` matches.
    func matches(_ userID: String) -> Bool {
        let id = userID.lowercased()
        guard id.hasPrefix("@"), let colon = id.firstIndex(of: ":") else { return false }
        let local = String(id[id.index(after: id.startIndex)..<colon])
        let host = String(id[id.index(after: colon)...])
        guard !local.isEmpty, !host.isEmpty else { return false }
        if let localpart, !Self.glob(localpart, local) { return false }
        return Self.glob(server, host)
    }

    /// `*` matches any run of characters (none included); everything else matches itself.
    static func glob(_ pattern: String, _ text: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 1 else { return pattern == text }
        guard let first = parts.first, let last = parts.last, text.hasPrefix(first),
            text.count >= first.count + last.count, text.hasSuffix(last)
        else { return false }
        var rest = Substring(text.dropFirst(first.count).dropLast(last.count))
        for middle in parts.dropFirst().dropLast() where !middle.isEmpty {
            guard let range = rest.range(of: middle) else { return false }
            rest = rest[range.upperBound...]
        }
        return true
    }
}
