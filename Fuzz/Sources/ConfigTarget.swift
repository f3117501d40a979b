import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import SwitchboardAdapters
import SwitchboardConfig
import SwitchboardCore

/// The `config` target: the input is a `switchboard.yaml`, read by the hub's loader with every
/// built-in adapter type (YAML, `${ENV}` substitution, each section, each channel's settings, the
/// diagnostics and their secret masking); when it loads, each channel's adapter is made from it as
/// the hub makes them at start, and asked for its capabilities and routes.
enum ConfigTarget {
    /// The variables `Config/switchboard.yaml` and `Config/examples/` refer to (so the seeds load),
    /// plus an empty one and a short one (masking skips values under 4 characters).
    static let environment = [
        "SWITCHBOARD_API_TOKEN": "api-token-0123456789abcdef", "SHOP_WEBHOOK_SECRET": "shop-secret-0123456789",
        "SHOP_OUTBOUND_URL": "https://shop.example.com/replies", "CRM_WEBHOOK_SECRET": "crm-secret-0123456789",
        "ACME_API_TOKEN": "acme-token-0123456789", "ACME_WEBHOOK_SECRET": "acme-secret-0123456789",
        "IRC_BRIDGE_SECRET": "irc-bridge-secret-0123456789", "KANNEL_SECRET": "kannel-secret-0123456789",
        "KANNEL_SENDSMS_PASSWORD": "sendsms-password", "TWILIO_ACCOUNT_SID": "AC0123456789abcdef0123456789abcdef",
        "TWILIO_AUTH_TOKEN": "0123456789abcdef0123456789abcdef", "META_APP_SECRET": "0123456789abcdef0123456789abcdef",
        "META_VERIFY_TOKEN": "switchboard-verify-7f3a", "WHATSAPP_ACCESS_TOKEN": "EAAGtestTOKEN0123456789abcdef",
        "MESSENGER_PAGE_TOKEN": "EAAGpageTOKEN0123456789abcdef", "INSTAGRAM_ACCESS_TOKEN": "IGQtestTOKEN0123456789abc",
        "TELEGRAM_BOT_TOKEN": "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11",
        "TELEGRAM_SECRET_TOKEN": "s3cr3t_Token-0123456789abcdef", "X_ACCESS_TOKEN": "x-user-access-token-0123456789",
        "SUPPORT_IMAP_PASSWORD": "imap-password-0123", "SUPPORT_SMTP_PASSWORD": "smtp-password-0123", "EMPTY": "",
        "SHORT": "abc",
    ]

    static let loader = ConfigLoader(registry: BuiltinAdapters.registry, environment: environment)

    static func run(_ bytes: [UInt8]) async -> String {
        let result = loader.load(yaml: String(decoding: bytes, as: UTF8.self), file: "fuzz.yaml")
        guard let config = result.config else {
            return "\(result.diagnostics.count) diagnostic(s)"
                + (result.diagnostics.first.map { ", first: \($0)" } ?? "")
        }
        var made = 0
        for channel in config.channels {
            let context = AdapterContext(
                channel: channel.id, logger: FuzzLogHandler.logger(), inbound: DiscardingHub(), cursor: DiscardingHub(),
                http: RecordingHTTPClient(), publicBaseURL: config.server.publicURL)
            guard
                let adapter = try? BuiltinAdapters.registry.make(
                    kind: channel.type, settings: loader.settingsDecoder(for: channel), context: context)
            else { continue }
            _ = adapter.capabilities
            _ = adapter.webhookRoutes.map { "\($0.method) \($0.path)" }
            made += 1
        }
        return "loaded: \(config.channels.count) channel(s), \(made) adapter(s) made"
    }
}
