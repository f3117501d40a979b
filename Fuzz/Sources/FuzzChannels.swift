import Logging
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import SwitchboardAdapters
import SwitchboardConfig
import SwitchboardCore

/// The channels the adapter targets fuzz, configured as an administrator would (the settings of
/// each plugin's tests), read once through the hub's own config loader and made through the
/// registry: the harness needs no adapter internals, and each adapter runs as the hub runs it.
enum FuzzChannels {
    /// One channel of each kind, two where a setting changes how requests are read (sms-http's
    /// JSON batches and form bodies; Telegram's webhook and polling modes; X's webhook and polling).
    static let yaml = """
        storage: {sqlite: {path: fuzz.sqlite}}
        channels:
          - id: shop
            type: webhook
            settings: {secret: fuzz-webhook-secret-0123456789, outbound_url: "https://shop.example.com/replies"}
          - id: irc
            type: bridge
            settings:
              secret: fuzz-bridge-secret-0123456789
              outbound_url: http://127.0.0.1:8090/outbound
              capabilities: {visibilities: [private, public]}
          - id: twilio
            type: twilio
            settings:
              account_sid: AC0123456789abcdef0123456789abcdef
              auth_token: 0123456789abcdef0123456789abcdef
              from: "+15005550006"
              whatsapp_from: "whatsapp:+14155238886"
              default_region: US
              public_url: https://hub.example.com/webhooks/twilio
          - id: kannel
            type: kannel
            settings:
              secret: kannel-fuzz-secret-0123456789
              sendsms_url: http://127.0.0.1:13013/cgi-bin/sendsms
              username: switchboard
              password: sendsms-password
              from: "12345"
              default_region: FR
              max_parts: 6
          - id: acme-json
            type: sms-http
            settings:
              default_region: FR
              inbound:
                format: json
                batch: messages
                auth: {hmac: {header: X-Signature, secret: provider-hmac-secret-0123456789, prefix: "sha256="}}
                fields: {id: id, from: sender.msisdn, to: recipient, text: content.text, time: ts}
              status:
                fields: {id: ref, status: state, reason: error}
                values: {delivered: [DELIVRD], failed: [UNDELIV, REJECTD], sent: [ACCEPTD], ignore: [ENROUTE]}
              outbound:
                url: https://api.provider.test/v1/sms
                format: json
                body: {to: "{to_digits}", from: Switchboard, text: "{text}", ref: "{id}", callback: "{status_url}"}
                id_field: data.id
                max_text_length: 612
          - id: acme-form
            type: sms-http
            settings:
              inbound:
                format: form
                auth: {token: {header: Authorization, value: Bearer inbound-token-0123456789}}
                fields: {id: MsgId, from: Sender, to: Recipient, text: Text, time: Time}
              status:
                fields: {id: MsgId, status: Status, reason: Reason}
                values: {delivered: [delivered], failed: [failed], sent: [sent], ignore: [queued]}
          - id: whatsapp
            type: whatsapp
            settings:
              phone_number_id: "106540352242922"
              app_secret: 0123456789abcdef0123456789abcdef
              verify_token: switchboard-verify-7f3a
              access_token: EAAGtestTOKEN0123456789abcdefSECRET
          - id: messenger
            type: messenger
            settings:
              page_id: "1234567890"
              app_secret: 0123456789abcdef0123456789abcdef
              verify_token: switchboard-verify-7f3a
              access_token: EAAGtestTOKEN0123456789abcdefSECRET
          - id: instagram
            type: instagram
            settings:
              instagram_account_id: "17841400000000001"
              app_secret: 0123456789abcdef0123456789abcdef
              verify_token: switchboard-verify-7f3a
              access_token: EAAGtestTOKEN0123456789abcdefSECRET
          - id: telegram-hook
            type: telegram
            settings:
              bot_token: "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11"
              mode: webhook
              secret_token: s3cr3t_Token-0123456789abcdef
          - id: telegram
            type: telegram
            settings: {bot_token: "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11", mode: polling}
          - id: x-hook
            type: x
            settings:
              account_id: "4337869213"
              access_token: x-user-access-token-0123456789
              consumer_secret: x-consumer-secret-0123456789abcdef
              mode: webhook
          - id: x
            type: x
            settings:
              account_id: "1111111111"
              access_token: x-user-access-token-0123456789
              mode: polling
              listen: [Acme]
          - id: matrix
            type: matrix
            settings:
              homeserver_url: https://matrix.example.org
              user_id: "@hub:example.org"
              access_token: syt_aHVi_secretTokenValue_0123456789
              accept_invites: ["*"]
              initial_history: 20
        """

    /// What went wrong setting up the harness (not a finding: the harness itself is wrong).
    struct SetupError: Error, CustomStringConvertible {
        var description: String
    }

    /// The loaded config, or why it did not load.
    static let loaded: Result<(ConfigLoader, HubConfig), SetupError> = {
        let loader = ConfigLoader(registry: BuiltinAdapters.registry, environment: [:])
        let result = loader.load(yaml: yaml, file: "fuzz-channels.yaml")
        guard let config = result.config else {
            let problems = result.diagnostics.map(\.description).joined(separator: "\n")
            return .failure(SetupError(description: "the fuzz channels do not load:\n\(problems)"))
        }
        return .success((loader, config))
    }()

    /// The adapter of channel `id`, made by the registry with `context`'s doubles.
    static func adapter(_ id: ChannelID, context: AdapterContext) throws -> any ChannelAdapter {
        let (loader, config) = try loaded.get()
        guard let channel = config.channels.first(where: { $0.id == id }) else {
            throw SetupError(description: "no fuzz channel '\(id)'")
        }
        return try BuiltinAdapters.registry.make(
            kind: channel.type, settings: loader.settingsDecoder(for: channel), context: context)
    }

    /// A context for channel `id` whose HTTP API, positions and logs are the given doubles.
    static func context(
        _ id: ChannelID, http: any HTTPClient = RecordingHTTPClient(), cursor: any CursorStore = MemoryCursorStore(),
        sink: any InboundSink = RecordingInboundSink(), logger: Logger = FuzzLogHandler.logger()
    ) -> AdapterContext {
        AdapterContext(
            channel: id, logger: logger, inbound: sink, cursor: cursor, http: http,
            publicBaseURL: "https://hub.example.com")
    }
}
