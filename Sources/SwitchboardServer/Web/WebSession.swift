import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import SwitchboardAdapterKit
import SwitchboardCore

/// Who is signed in to the web inbox, and the checks every page and form needs: the session
/// cookie (HttpOnly, SameSite=Lax, Secure behind TLS), the CSRF token each form carries, and the
/// login throttle.
///
/// A session is a token of kind `session` in the store (hashed, like API tokens, and revoked on
/// logout); the cookie holds the token. A form's CSRF token is an HMAC of the session token under
/// a key derived from the hub's secret, so it needs no storage and changes with every login.
struct WebSessions: Sendable {
    static let cookieName = "sb_session"
    static let loginCookieName = "sb_login"
    static let lifetime: TimeInterval = 12 * 3600

    let store: any SwitchboardStore
    let csrfKey: SymmetricKey
    /// Whether the hub is reached over TLS (its public URL is https): cookies are then `Secure`.
    let secureCookies: Bool
    let throttle: LoginThrottle

    init(store: any SwitchboardStore, hubSecret: String, publicBaseURL: String, throttle: LoginThrottle) {
        self.store = store
        // Without the hub's secret (a server built for a test), a key of this process's own.
        csrfKey =
            hubSecret.isEmpty
            ? SymmetricKey(size: .bits256)
            : SymmetricKey(data: SHA256.hash(data: Array("switchboard-web-csrf:\(hubSecret)".utf8)))
        secureCookies = publicBaseURL.lowercased().hasPrefix("https://")
        self.throttle = throttle
    }

    /// A signed-in agent or admin, with the session that proves it.
    struct SignedIn: Sendable {
        var user: User
        var sessionToken: String
        var csrfToken: String
    }

    func signedIn(_ request: Request) async throws -> SignedIn? {
        guard let token = request.cookies[Self.cookieName]?.value, !token.isEmpty,
            let user = try await store.user(forToken: token, kind: .session)
        else { return nil }
        return SignedIn(user: user, sessionToken: token, csrfToken: csrfToken(for: token))
    }

    func csrfToken(for secret: String) -> String {
        HMACSignature.hex(HMAC<SHA256>.authenticationCode(for: Array("csrf:\(secret)".utf8), using: csrfKey))
    }

    /// Whether a state-changing request carries the token of its session: the `_csrf` form field
    /// or the `X-CSRF-Token` header (what the inbox's script sends with `fetch`).
    func csrfMatches(_ request: Request, form: [(name: String, value: String)], expected: String) -> Bool {
        let header = request.headers.first { $0.name.canonicalName == "x-csrf-token" }?.value
        let sent = header ?? form.first { $0.name == "_csrf" }?.value
        guard let sent else { return false }
        return HMACSignature.constantTimeEquals(sent, expected)
    }

    func sessionCookie(_ token: String) -> String {
        cookie(Self.cookieName, token, maxAge: Int(Self.lifetime))
    }

    func expiredCookie(_ name: String) -> String { cookie(name, "", maxAge: 0) }

    /// The login form's CSRF cookie (no session exists yet): the form carries its HMAC.
    func loginCookie(_ nonce: String) -> String { cookie(Self.loginCookieName, nonce, maxAge: 3600) }

    private func cookie(_ name: String, _ value: String, maxAge: Int) -> String {
        "\(name)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Lax" + (secureCookies ? "; Secure" : "")
    }

    /// Checks a name and password, within the throttle. The answer takes as long for a name that
    /// does not exist as for a wrong password.
    func logIn(name: String, password: String, now: Date = Date()) async throws -> LoginOutcome {
        let key = name.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if let wait = throttle.refusal(for: key, now: now) { return .throttled(retryAfter: wait) }
        guard let credentials = try await store.credentials(named: name.trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            await PasswordHash.spendVerificationTime(password)
            throttle.recordFailure(for: key, now: now)
            return .refused
        }
        guard let hash = credentials.passwordHash, await PasswordHash.verify(password, against: hash) else {
            if credentials.passwordHash == nil { await PasswordHash.spendVerificationTime(password) }
            throttle.recordFailure(for: key, now: now)
            return .refused
        }
        throttle.recordSuccess(for: key)
        let issued = try await store.issueSession(
            forUser: credentials.user.id, expiresAt: now.addingTimeInterval(Self.lifetime))
        return .signedIn(credentials.user, token: issued.token)
    }

    enum LoginOutcome: Sendable {
        case signedIn(User, token: String)
        case refused
        case throttled(retryAfter: Int)
    }

    /// Ends the session: its token is revoked, so a copied cookie no longer works either.
    func logOut(_ signedIn: SignedIn) async throws {
        try await store.revokeSession(token: signedIn.sessionToken)
    }
}
