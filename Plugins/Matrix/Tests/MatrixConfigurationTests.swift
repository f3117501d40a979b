import Foundation
import SwitchboardAdapterKit
import Testing

@testable import MatrixAdapter

/// The `settings:` of a `type: matrix` channel: valid values normalised, broken ones refused with a
/// message saying what a correct value looks like (never echoing the token), invite patterns.
@Suite struct MatrixConfigurationTests {
    static var valid: [String: Any] {
        [
            "homeserver_url": "https://matrix.example.org/", "user_id": "@Support:Example.org",
            "access_token": "syt_c3VwcG9ydA_abcdef", "accept_invites": ["@*:example.org", "partner.test"],
            "sync_timeout": "20s", "initial_history": 5,
        ]
    }

    func decode(_ settings: [String: Any]) throws -> MatrixConfiguration {
        try JSONDecoder().decode(MatrixConfiguration.self, from: JSONSerialization.data(withJSONObject: settings))
    }

    /// The message a broken setting produces (the hub shows it with the file and line).
    func refusal(_ key: String, _ value: Any?) -> String {
        var settings = Self.valid
        settings[key] = value
        do {
            _ = try decode(settings)
            return "accepted"
        } catch DecodingError.dataCorrupted(let context) {
            return context.debugDescription
        } catch DecodingError.keyNotFound(let key, _) {
            return "missing \(key.stringValue)"
        } catch {
            return "\(error)"
        }
    }

    @Test func aValidConfigurationIsReadAndNormalised() throws {
        let configuration = try decode(Self.valid)
        #expect(configuration.homeserverURL == "https://matrix.example.org")
        #expect(configuration.userID == "@support:example.org")
        #expect(configuration.syncTimeout == .seconds(20))
        #expect(configuration.initialHistory == 5)
        #expect(configuration.acceptInvites.map(\.description) == ["@*:example.org", "partner.test"])
    }

    @Test func defaults() throws {
        var settings = Self.valid
        for key in ["accept_invites", "sync_timeout", "initial_history"] { settings[key] = nil }
        let configuration = try decode(settings)
        #expect(configuration.acceptInvites.isEmpty)
        #expect(configuration.syncTimeout == .seconds(30))
        #expect(configuration.initialHistory == 20)
    }

    @Test func brokenSettingsSayWhatACorrectValueLooksLike() {
        #expect(refusal("homeserver_url", "matrix.example.org").contains("such as https://matrix.example.org"))
        #expect(refusal("homeserver_url", "https://m.example.org/_matrix/client/v3").contains("without /_matrix"))
        #expect(refusal("user_id", "support").contains("@support:example.org"))
        #expect(refusal("access_token", "").contains("${MATRIX_ACCESS_TOKEN}"))
        #expect(refusal("access_token", nil) == "missing access_token")
        #expect(refusal("accept_invites", ["@alice"]).contains("'@alice' is not an invite pattern"))
        #expect(refusal("accept_invites", ["a b"]).contains("a server name (example.org)"))
        #expect(refusal("sync_timeout", "0s").contains("from 1s to 5m"))
        #expect(refusal("sync_timeout", "soon").contains("such as 500ms, 30s"))
        #expect(refusal("initial_history", -1).contains("from 0 to 1000"))
    }

    @Test func plainHTTPIsAllowedOnlyOnLoopback() throws {
        #expect(refusal("homeserver_url", "http://matrix.example.org").contains("clear text"))
        #expect(refusal("homeserver_url", "http://10.0.0.5:8008").contains("use https://"))
        #expect(refusal("homeserver_url", "http://localhost.evil.test").contains("clear text"))
        for url in ["http://127.0.0.1:8008", "http://localhost:8008", "http://[::1]:8008", "https://m.example.org"] {
            var settings = Self.valid
            settings["homeserver_url"] = url
            #expect(try decode(settings).homeserverURL == url)
        }
    }

    @Test func aRefusedTokenIsNeverEchoed() {
        let message = refusal("access_token", "syt_secret value")
        #expect(!message.contains("syt_secret"))
    }

    @Test func invitePatternsMatchLocalPartAndServerSeparately() throws {
        let users = try #require(InvitePattern("@*:hub.test"))
        #expect(users.matches("@alice:hub.test"))
        #expect(users.matches("@Alice:HUB.test"))
        #expect(!users.matches("@alice:evil.test"))
        #expect(!users.matches("@alice:hub.test.evil.test"))
        #expect(!users.matches("@alice:evil.test:hub.test"), "the server is what follows the first ':'")

        let one = try #require(InvitePattern("@ana:example.org"))
        #expect(one.matches("@ana:example.org") && !one.matches("@anatole:example.org"))

        let server = try #require(InvitePattern("example.org"))
        #expect(server.matches("@bo:example.org") && !server.matches("@bo:sub.example.org"))
        let subdomains = try #require(InvitePattern("*.example.org"))
        #expect(subdomains.matches("@bo:sub.example.org") && !subdomains.matches("@bo:example.org"))

        let anyone = try #require(InvitePattern("*"))
        #expect(anyone.matches("@x:anywhere.test"))
        #expect(!anyone.matches("not a user id"))

        #expect(InvitePattern("") == nil)
        #expect(InvitePattern("@:hub.test") == nil)
        #expect(InvitePattern("ana@example.org") == nil)
    }

    @Test func theAdapterIsRegisteredUnderItsKind() {
        #expect(MatrixAdapter.kind == "matrix")
    }
}
