import Foundation
import SwitchboardAdapterKit
import SwitchboardAdapters
import SwitchboardCore
import Testing

@testable import SwitchboardConfig

/// Bad values and what `config check` says about them, one line each.
struct ConfigValueTests {
    let loader = ConfigLoader(
        registry: BuiltinAdapters.registry,
        environment: ["SECRET": "0123456789abcdef0123", "TOKEN": "token-0123456789abcdef", "EMPTY": ""])

    func problems(_ yaml: String) -> [String] {
        loader.load(yaml: yaml, file: "test.yaml").diagnostics.map(\.description)
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
            "test.yaml:3: conversations.reopen_window: expected a duration such as 500ms, 30s, 10m, 2h or 7d (at most 100 years), found 'soon'"
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

    @Test func aValueFromTheEnvironmentIsNeverQuoted() {
        let loader = ConfigLoader(
            registry: BuiltinAdapters.registry, environment: ["DB_PASSWORD": "hunter2-very-secret"])
        let found = loader.load(yaml: "server:\n  port: ${DB_PASSWORD}\nstorage: {sqlite: {path: x}}", file: "t.yaml")
            .diagnostics.map(\.description)
        #expect(found == ["t.yaml:2: server.port: expected a whole number, found '<value of $DB_PASSWORD>'"])
    }

    @Test func suggestionsNeedToBeClose() {
        #expect(Suggestion.closest(to: "prot", among: ["port", "host"]) == "port")
        #expect(Suggestion.closest(to: "zzzzzz", among: ["port", "host"]) == nil)
        #expect(Suggestion.distance("kitten", "sitting") == 3)
    }
}
