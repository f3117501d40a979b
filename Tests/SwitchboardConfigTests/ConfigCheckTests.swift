import Foundation
import SwitchboardAdapterKit
import SwitchboardCore
import Testing

@testable import SwitchboardConfig

/// A test-local adapter, so these tests do not depend on which plugins exist.
struct ConfigProbeAdapter: ChannelAdapter {
    struct Configuration: Decodable, Sendable {
        var secret: String
        var outboundURL: String?

        enum CodingKeys: String, CodingKey {
            case secret
            case outboundURL = "outbound_url"
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            secret = try container.decode(String.self, forKey: .secret)
            guard secret.count >= 16 else {
                throw DecodingError.dataCorruptedError(
                    forKey: .secret, in: container, debugDescription: "the secret must be at least 16 characters")
            }
            outboundURL = try container.decodeIfPresent(String.self, forKey: .outboundURL)
        }
    }

    static let kind: ChannelKind = "probe"
    let capabilities = ChannelCapabilities()
    init(configuration: Configuration, context: AdapterContext) throws {}
    func send(_ message: OutboundMessage) async throws(SendError) -> SendReceipt { SendReceipt(externalID: "x") }
}

/// A second kind, so "known types" has more than one entry.
struct ConfigProbeSMSAdapter: ChannelAdapter {
    struct Configuration: Decodable, Sendable { var number: String }
    static let kind: ChannelKind = "probe-sms"
    let capabilities = ChannelCapabilities()
    init(configuration: Configuration, context: AdapterContext) throws {}
    func send(_ message: OutboundMessage) async throws(SendError) -> SendReceipt { SendReceipt(externalID: "x") }
}

struct ConfigCheckTests {
    static let environment = [
        "SB_TEST_SECRET": "s3cret-0123456789abcdef", "SB_TEST_TOKEN": "api-token-0123456789", "SB_TEST_EMPTY": "",
    ]
    let loader = ConfigLoader(
        registry: AdapterRegistry([ConfigProbeAdapter.self, ConfigProbeSMSAdapter.self]),
        environment: ConfigCheckTests.environment)

    func check(_ yaml: String, file: String = "switchboard.yaml") -> ConfigLoader.Result {
        loader.load(yaml: yaml, file: file)
    }

    func diagnostic(_ result: ConfigLoader.Result, key: String) -> ConfigDiagnostic? {
        result.diagnostics.first { $0.key == key }
    }

    static let minimal = "storage:\n  sqlite:\n    path: hub.sqlite\n"

    @Test func aValidConfigLoads() throws {
        let result = check(
            """
            # Switchboard
            server:
              host: 0.0.0.0
              port: 9090
              public_url: https://hub.example.com
              api_token: ${SB_TEST_TOKEN}
            storage:
              sqlite:
                path: /var/lib/switchboard/hub.sqlite
            identity:
              link_whatsapp_to_phone: false
              auto_merge_on_strong_identifier: true
            conversations:
              reopen_window: 3d
            outbox:
              max_attempts: 5
              base_delay: 500ms
              max_delay: 10m
            channels:
              - id: shop
                type: probe
                settings:
                  secret: ${SB_TEST_SECRET}
                  outbound_url: ${SB_TEST_OUT:-http://127.0.0.1:9099/replies}
              - id: sms_2
                type: probe-sms
                enabled: no
                settings: { number: "+14155550100" }
            """, file: "Config/switchboard.yaml")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description))")
        let config = try #require(result.config)
        #expect(config.file == "Config/switchboard.yaml")
        #expect(config.server.host == "0.0.0.0" && config.server.port == 9090)
        #expect(config.server.publicURL == "https://hub.example.com")
        #expect(config.server.apiToken == "api-token-0123456789")
        #expect(config.storage == .sqlite(path: "/var/lib/switchboard/hub.sqlite"))
        #expect(config.identity == IdentityPolicy(linkWhatsAppToPhone: false, autoMergeOnStrongIdentifier: true))
        #expect(config.reopenWindow == .seconds(3 * 86_400))
        #expect(config.ingestPolicy.reopenWindow == .seconds(259_200))
        #expect(config.retry == RetryPolicy(maxAttempts: 5, baseDelay: .milliseconds(500), maxDelay: .seconds(600)))
        #expect(config.channels.map(\.id) == ["shop", "sms_2"])
        #expect(config.channels.map(\.type) == ["probe", "probe-sms"])
        #expect(config.channels.map(\.enabled) == [true, false])

        let shop = try ConfigProbeAdapter.Configuration(from: loader.settingsDecoder(for: config.channels[0]))
        #expect(shop.secret == "s3cret-0123456789abcdef")
        #expect(shop.outboundURL == "http://127.0.0.1:9099/replies")
        let sms = try ConfigProbeSMSAdapter.Configuration(from: loader.settingsDecoder(for: config.channels[1]))
        #expect(sms.number == "+14155550100")
    }

    @Test func omittedSectionsTakeTheirDefaults() throws {
        let config = try #require(check(Self.minimal + "server:\nchannels:\n").config)
        #expect(config.server.host == "127.0.0.1" && config.server.port == 8080)
        #expect(config.server.publicURL == "http://127.0.0.1:8080" && config.server.apiToken == nil)
        #expect(config.identity == IdentityPolicy())
        #expect(config.reopenWindow == IngestPolicy().reopenWindow)
        #expect(config.retry == RetryPolicy())
        #expect(config.channels.isEmpty)
    }

    /// The acceptance test: every kind of mistake in one file, all reported in one run, each with
    /// its file, 1-based line and key path.
    @Test func everyProblemIsReportedWithFileLineAndKey() throws {
        let yaml = """
            sever:
              port: 8080
            server:
              host: 127.0.0.1
              ports: 9000
            storage:
              sqlite:
                path: /var/lib/switchboard/hub.sqlite
            channels:
              - id: shop
                type: probe
                settings:
                  secret: ${SB_TEST_MISSING}
                  outbond_url: https://shop.example.com/replies
              - id: texts
                type: smtp
            """
        let result = check(yaml, file: "conf/switchboard.yaml")
        #expect(result.config == nil)
        let found = result.diagnostics.map { "\($0.line) \($0.key)" }
        #expect(
            found == [
                "1 sever", "5 server.ports", "13 channels[0].settings.secret", "14 channels[0].settings.outbond_url",
                "16 channels[1].type",
            ], "\(result.diagnostics.map(\.description))")
        #expect(result.diagnostics.allSatisfy { $0.file == "conf/switchboard.yaml" })

        #expect(diagnostic(result, key: "sever")?.message.contains("did you mean 'server'?") == true)
        #expect(diagnostic(result, key: "server.ports")?.message.contains("did you mean 'port'?") == true)
        let outbound = try #require(diagnostic(result, key: "channels[0].settings.outbond_url"))
        #expect(outbound.message.contains("unknown key 'outbond_url'; did you mean 'outbound_url'?"))
        let missing = try #require(diagnostic(result, key: "channels[0].settings.secret"))
        #expect(missing.message.contains("SB_TEST_MISSING") && missing.message.contains("not set"))
        #expect(result.diagnostics.filter { $0.key == "channels[0].settings.secret" }.count == 1, "reported once")
        let type = try #require(diagnostic(result, key: "channels[1].type"))
        #expect(type.message.contains("unknown channel type 'smtp'"))
        #expect(type.message.contains("known types: probe, probe-sms"))
        #expect(
            type.description == "conf/switchboard.yaml:16: channels[1].type: unknown channel type 'smtp'; "
                + "known types: probe, probe-sms")
    }

    @Test func aNearMissChannelTypeGetsASuggestion() throws {
        let result = check(Self.minimal + "channels:\n  - id: sms\n    type: probe-smss\n")
        let type = try #require(diagnostic(result, key: "channels[0].type"))
        #expect(type.line == 6)
        #expect(type.message.contains("did you mean 'probe-sms'?") && type.message.contains("known types"))
    }

    @Test(arguments: [
        ("server:\n  port: abc\n", 2, "server.port", "expected a whole number, found 'abc'"),
        ("server:\n  port: 70000\n", 2, "server.port", "0 to 65535"),
        ("server:\n  port: -1\n", 2, "server.port", "0 to 65535"),
        ("server:\n  public_url: ftp://x\n", 2, "server.public_url", "http:// or https://"),
        ("server: [1, 2]\n", 1, "server", "expected a mapping"),
        ("conversations:\n  reopen_window: soon\n", 2, "conversations.reopen_window", "expected a duration"),
        ("conversations:\n  reopen_window: 7 days\n", 2, "conversations.reopen_window", "found '7 days'"),
        ("conversations:\n  reopen_window: 3\n", 2, "conversations.reopen_window", "expected a duration"),
        ("outbox:\n  max_attempts: many\n", 2, "outbox.max_attempts", "whole number"),
        ("identity:\n  link_whatsapp_to_phone: maybe\n", 2, "identity.link_whatsapp_to_phone", "true or false"),
        ("identity:\n  link_whatsap_to_phone: true\n", 2, "identity.link_whatsap_to_phone", "did you mean"),
        ("channels: shop\n", 1, "channels", "expected a list of channels"),
    ])
    func badValuesAreExplained(extra: String, line: Int, key: String, messagePart: String) throws {
        // The minimal storage section takes lines 1-3; the bad part starts on line 4.
        let result = check(Self.minimal + extra)
        #expect(result.config == nil)
        let found = try #require(diagnostic(result, key: key), "\(result.diagnostics.map(\.description))")
        #expect(found.line == line + 3)
        #expect(found.message.contains(messagePart), "\(found.message)")
    }

    @Test func channelsAreCheckedOneByOne() {
        let result = check(
            Self.minimal + """
                channels:
                  - id: shop
                    type: probe
                    settings: { secret: "${SB_TEST_SECRET}" }
                  - id: shop
                    type: probe-sms
                    settings: { number: "1" }
                  - id: Shop Front
                    type: probe-sms
                  - id: \(String(repeating: "a", count: 65))
                    type: probe-sms
                  - id: short-secret
                    type: probe
                    settings:
                      secret: tooshort
                  - id: no-settings
                    type: probe
                  - id: bad-flag
                    type: probe-sms
                    enabled: sometimes
                    settings: { number: "1" }
                """)
        #expect(result.config == nil)
        let lines = Dictionary(result.diagnostics.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(lines["channels[1].id"]?.line == 8)
        #expect(lines["channels[1].id"]?.message.contains("already used on line 5") == true)
        #expect(lines["channels[2].id"]?.line == 11)
        #expect(lines["channels[2].id"]?.message.contains("lower-case") == true)
        #expect(lines["channels[3].id"]?.line == 13)
        #expect(lines["channels[4].settings.secret"]?.line == 18)
        #expect(lines["channels[4].settings.secret"]?.message.contains("at least 16") == true)
        #expect(lines["channels[5].settings.secret"]?.line == 19, "no settings: the channel's line")
        #expect(lines["channels[5].settings.secret"]?.message.contains("required key is missing") == true)
        #expect(lines["channels[6].enabled"]?.line == 23)
    }

    /// A value that fails to decode stops its mapping's decoding; the keys after it were never asked
    /// for, but they are not unknown and must not be reported as such.
    @Test func aBadValueDoesNotMakeItsNeighboursUnknown() {
        let server = check(Self.minimal + "server:\n  port: abc\n  public_url: https://hub.example.com\n")
        #expect(
            server.diagnostics.map(\.description) == [
                "switchboard.yaml:5: server.port: expected a whole number, found 'abc'"
            ])
        let channel = check(
            Self.minimal + "channels:\n  - id: Bad Id\n    type: probe-sms\n    settings: {number: \"1\"}\n")
        #expect(
            channel.diagnostics.map(\.key) == ["channels[0].id"], "\(channel.diagnostics.map(\.description))")
    }

    @Test func nestedMisspellingsAndMissingKeysAreBothReported() {
        let result = check("storage:\n  sqlite:\n    pth: hub.sqlite\n")
        let described = result.diagnostics.map(\.description)
        #expect(described.contains("switchboard.yaml:3: storage.sqlite.pth: unknown key 'pth'; did you mean 'path'?"))
        #expect(described.contains("switchboard.yaml:3: storage.sqlite.path: required key is missing"))
    }

    @Test func environmentFallbacks() throws {
        let yaml =
            Self.minimal + """
                server:
                  host: ${SB_TEST_HOST:-10.0.0.1}
                  port: ${SB_TEST_PORT:-9191}
                  public_url: https://${SB_TEST_HOST:-hub.example.com}/sb
                  api_token: ${SB_TEST_EMPTY:-fallback-token-0123456789}
                """
        let config = try #require(check(yaml).config, "\(check(yaml).diagnostics)")
        #expect(config.server.host == "10.0.0.1")
        #expect(config.server.port == 9191)
        #expect(config.server.publicURL == "https://hub.example.com/sb")
        #expect(config.server.apiToken == "fallback-token-0123456789", "an empty variable takes the fallback")

        let set = ConfigLoader(
            registry: AdapterRegistry([ConfigProbeAdapter.self]), environment: ["SB_TEST_PORT": "7070"])
        #expect(try #require(set.load(yaml: yaml, file: "f").config).server.port == 7070)
    }

    @Test func everyMissingVariableIsNamed() {
        let result = check(Self.minimal + "server:\n  host: ${SB_A}\n  public_url: http://${SB_B}:${SB_C}\n")
        let messages = result.diagnostics.map(\.message).joined(separator: "\n")
        for name in ["SB_A", "SB_B", "SB_C"] { #expect(messages.contains("environment variable \(name) is not set")) }
        #expect(result.diagnostics.filter { $0.key == "server.public_url" }.allSatisfy { $0.line == 6 })
    }

    @Test func invalidYAMLReportsItsLine() throws {
        let result = check("server:\n  port: 8080\n  host: [127.0.0.1\nstorage:\n  sqlite: {path: x}\n")
        #expect(result.config == nil)
        let problem = try #require(result.diagnostics.first)
        #expect(result.diagnostics.count == 1)
        #expect(problem.message.hasPrefix("not valid YAML"))
        #expect((3...5).contains(problem.line), "\(problem.description)")
        let tabs = check("server:\n\tport: 8080\n")
        #expect(tabs.diagnostics.first?.line == 2, "\(tabs.diagnostics.map(\.description))")
    }

    @Test(arguments: ["", "\n\n", "# only a comment\n"])
    func anEmptyFileIsOneClearProblem(yaml: String) {
        let result = check(yaml)
        #expect(result.config == nil)
        #expect(
            result.diagnostics.map(\.description) == [
                "switchboard.yaml:1: (top level): the file is empty; start from Config/switchboard.yaml"
            ])
    }

    @Test func aMissingStorageSectionIsReported() throws {
        let result = check("server:\n  port: 8080\n")
        let missing = try #require(diagnostic(result, key: "storage"))
        #expect(missing.message.contains("required section is missing"))
        #expect(missing.line == 1)
    }

    @Test func filesAreReadFromDisk() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sb-config-\(UUID().uuidString).yaml")
            .path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try (Self.minimal + "sever: {}\n").write(toFile: path, atomically: true, encoding: .utf8)
        let result = loader.load(path: path)
        #expect(
            result.diagnostics.map(\.description) == ["\(path):4: sever: unknown key 'sever'; did you mean 'server'?"])
        let absent = loader.load(path: path + ".absent")
        #expect(absent.config == nil && absent.diagnostics.first?.message.contains("cannot read") == true)
    }

    @Test func diagnosticsDescribeThemselves() {
        #expect(
            ConfigDiagnostic(file: "a.yaml", line: 7, key: "server.port", message: "bad").description
                == "a.yaml:7: server.port: bad")
        #expect(
            ConfigDiagnostic(file: "a.yaml", line: 1, key: "", message: "empty").description
                == "a.yaml:1: (top level): empty")
    }

    @Test(arguments: [
        ("500ms", Duration.milliseconds(500)), ("1ms", .milliseconds(1)), ("30s", .seconds(30)), ("0s", .zero),
        ("10m", .seconds(600)), ("2h", .seconds(7200)), ("7d", .seconds(604_800)),
    ])
    func durationsParse(text: String, expected: Duration) {
        #expect(ConfigDuration.parse(text) == expected)
    }

    @Test(arguments: ["", "5", "ms", "1.5h", "-1s", "10M", "1 d", "d7", "5mss"])
    func malformedDurationsAreRejected(text: String) {
        #expect(ConfigDuration.parse(text) == nil)
    }

    @Test func anOversizedDurationIsAProblemNotACrash() async {
        // Run in a child process: an arithmetic overflow would otherwise take the whole test run down.
        await #expect(processExitsWith: .success) {
            let loader = ConfigLoader(registry: AdapterRegistry(), environment: [:])
            let result = loader.load(
                yaml: "storage: {sqlite: {path: x}}\nconversations:\n  reopen_window: 9999999999999999d\n", file: "f")
            let reported = result.diagnostics.contains { $0.key == "conversations.reopen_window" }
            exit(result.config == nil && reported ? 0 : 1)
        }
    }
}
