import Foundation
import SwitchboardAdapterKit
import SwitchboardAdapters
import SwitchboardCore
import Testing

@testable import SwitchboardConfig

struct ConfigLoaderTests {
    let loader = ConfigLoader(
        registry: BuiltinAdapters.registry,
        environment: ["SECRET": "0123456789abcdef0123", "TOKEN": "token-0123456789abcdef", "EMPTY": ""])

    func problems(_ yaml: String) -> [String] {
        loader.load(yaml: yaml, file: "test.yaml").diagnostics.map(\.description)
    }

    @Test func aValidConfigLoadsWithDefaults() throws {
        let result = loader.load(
            yaml: """
                server:
                  port: 9000
                  api_token: ${TOKEN}
                storage:
                  sqlite:
                    path: data/hub.sqlite
                identity:
                  auto_merge_on_strong_identifier: yes
                conversations:
                  reopen_window: 3d
                outbox:
                  max_attempts: 3
                  base_delay: 500ms
                channels:
                  - id: shop
                    type: webhook
                    settings:
                      secret: ${SECRET}
                      outbound_url: ${OUT_URL:-http://127.0.0.1:9/replies}
                  - id: old-shop
                    type: webhook
                    enabled: false
                    settings: { secret: "${SECRET}" }
                """, file: "test.yaml")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let config = try #require(result.config)
        #expect(config.server.host == "127.0.0.1" && config.server.port == 9000)
        #expect(config.server.publicURL == "http://127.0.0.1:9000")
        #expect(config.server.apiToken == "token-0123456789abcdef")
        #expect(config.storage == .sqlite(path: "data/hub.sqlite"))
        #expect(config.identity == IdentityPolicy(linkWhatsAppToPhone: true, autoMergeOnStrongIdentifier: true))
        #expect(config.reopenWindow == .seconds(3 * 86_400))
        #expect(config.retry.maxAttempts == 3 && config.retry.baseDelay == .milliseconds(500))
        #expect(config.retry.maxDelay == RetryPolicy().maxDelay)
        #expect(config.channels.map(\.id) == ["shop", "old-shop"])
        #expect(config.channels.map(\.enabled) == [true, false])
    }

    /// The acceptance case: a misspelt key, a missing environment variable and an unknown channel
    /// type, each reported with file, line and key, in one run.
    @Test func everyProblemIsReportedWithFileLineAndKey() {
        let result = loader.load(
            yaml: """
                server:
                  host: 127.0.0.1
                  prot: 8080
                storage:
                  sqlite:
                    path: x.sqlite
                channels:
                  - id: shop
                    type: webhook
                    settings:
                      secret: ${NOT_SET_ANYWHERE}
                      outbond_url: http://127.0.0.1:9/replies
                  - id: sms
                    type: twillio
                """, file: "conf/hub.yaml")
        #expect(result.config == nil)
        #expect(
            result.diagnostics.map(\.description) == [
                "conf/hub.yaml:3: server.prot: unknown key 'prot'; did you mean 'port'?",
                "conf/hub.yaml:11: channels[0].settings.secret: environment variable NOT_SET_ANYWHERE is not set; export it before starting the hub",
                "conf/hub.yaml:12: channels[0].settings.outbond_url: unknown key 'outbond_url'; did you mean 'outbound_url'?",
                "conf/hub.yaml:14: channels[1].type: unknown channel type 'twillio'; known types: webhook",
            ])
    }

    @Test(arguments: [
        (
            "server:\n  port: abc\nstorage: {sqlite: {path: x}}",
            "test.yaml:2: server.port: expected a whole number, found 'abc'"
        ),
        ("server:\n  port: 70000\nstorage: {sqlite: {path: x}}", "test.yaml:2: server.port: a port is 0 to 65535"),
        (
            "server:\n  api_token: short\nstorage: {sqlite: {path: x}}",
            "test.yaml:2: server.api_token: api_token must be at least 16 characters"
        ),
        (
            "storage: {sqlite: {path: x}}\nconversations:\n  reopen_window: soon",
            "test.yaml:3: conversations.reopen_window: expected a duration such as 500ms, 30s, 10m, 2h or 7d, found 'soon'"
        ),
        ("storage: {sqlite: {}}", "test.yaml:1: storage.sqlite.path: required key is missing"),
        (
            "server: {port: 1}",
            "test.yaml:1: storage: required section is missing; add storage: { sqlite: { path: ... } }"
        ),
        (
            "storage: {sqlite: {path: x}}\nchannels:\n  - id: Shop Front\n    type: webhook",
            "test.yaml:3: channels[0].id: a channel id is 1 to 64 lower-case letters, digits, '-' or '_' (it appears in webhook URLs)"
        ),
        (
            "storage: {sqlite: {path: x}}\nchannels:\n  - id: shop\n    type: webhook\n    settings: {secret: short}",
            "test.yaml:5: channels[0].settings.secret: the secret must be at least 16 characters; generate one with `openssl rand -hex 32`"
        ),
        (
            "storage: {sqlite: {path: x}}\nchannels:\n  - id: shop\n    type: webhook",
            "test.yaml:3: channels[0].settings.secret: required key is missing"
        ),
        (
            "storage: {sqlite: {path: x}}\nchannels: shop",
            "test.yaml:2: channels: expected a list of channels, found a single value"
        ),
        ("storage: {sqlite: {path: x}}\nsever: {}", "test.yaml:2: sever: unknown key 'sever'; did you mean 'server'?"),
        (
            "storage: {sqlite: {path: \"${EMPTY}\"}}",
            "test.yaml:1: storage.sqlite.path: environment variable EMPTY is not set; export it before starting the hub"
        ),
        ("", "test.yaml:1: (top level): the file is empty; start from Config/switchboard.yaml"),
        ("- a\n- b", "test.yaml:1: (top level): the top level must be a mapping with server, storage and channels"),
    ])
    func badValuesAreExplained(yaml: String, expected: String) {
        #expect(problems(yaml).contains(expected), "\(problems(yaml))")
    }

    @Test func duplicateChannelIDsAreReportedWithBothLines() {
        let found = problems(
            "storage: {sqlite: {path: x}}\nchannels:\n  - id: shop\n    type: webhook\n    settings: {secret: \"${SECRET}\"}\n  - id: shop\n    type: webhook\n    settings: {secret: \"${SECRET}\"}"
        )
        #expect(found == ["test.yaml:6: channels[1].id: channel id 'shop' is already used on line 3"])
    }

    @Test func yamlSyntaxErrorsCarryTheirLine() {
        let found = problems("storage:\n  sqlite:\n    path: [unclosed\nchannels: []")
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("test.yaml:4: (top level): not valid YAML") == true, "\(found)")
    }

    @Test func environmentSubstitutionHandlesDefaultsAndText() {
        var missing: [String] = []
        let text = EnvironmentSubstitution.substitute(
            "a ${SECRET} b ${NOPE:-fallback} c ${GONE} d ${unclosed", environment: ["SECRET": "s"]
        ) { missing.append($0) }
        #expect(text == "a s b fallback c <missing environment variable GONE> d ${unclosed")
        #expect(missing == ["GONE"])
    }

    @Test func suggestionsNeedToBeClose() {
        #expect(Suggestion.closest(to: "prot", among: ["port", "host"]) == "port")
        #expect(Suggestion.closest(to: "zzzzzz", among: ["port", "host"]) == nil)
        #expect(Suggestion.distance("kitten", "sitting") == 3)
    }
}
