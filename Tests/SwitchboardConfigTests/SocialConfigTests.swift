import Foundation
import SwitchboardAdapterKit
import SwitchboardAdapters
import SwitchboardCore
import Testing

@testable import SwitchboardConfig

/// `config check` on the social and chat channels and the identity rule for typed addresses.
struct SocialConfigTests {
    let loader = ConfigLoader(
        registry: BuiltinAdapters.registry,
        environment: [
            "META_APP_SECRET": "meta-app-secret-0123456789", "META_VERIFY_TOKEN": "verify-me",
            "WHATSAPP_ACCESS_TOKEN": "EAAwhatsapp0123456789", "MESSENGER_PAGE_TOKEN": "EAApage0123456789abcdef",
            "INSTAGRAM_ACCESS_TOKEN": "IGQinstagram0123456789",
            "TELEGRAM_BOT_TOKEN": "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11",
            "TELEGRAM_SECRET_TOKEN": "telegram_secret-0123", "X_ACCESS_TOKEN": "x-user-token-0123456789",
        ])

    @Test func theExampleFileIsValid() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Config/examples/social.yaml")
        let yaml = "storage: {sqlite: {path: x}}\n" + (try String(contentsOf: example, encoding: .utf8))
        let result = loader.load(yaml: yaml, file: "social.yaml")
        #expect(result.diagnostics.map(\.description) == [])
        #expect(result.config?.identity.addressesInText == .suggest)
        #expect(
            result.config?.channels.map(\.type.rawValue) == ["whatsapp", "messenger", "instagram", "telegram", "x"])
    }

    @Test func anUnknownRuleForTypedAddressesIsExplainedWithItsLine() {
        let yaml = "storage: {sqlite: {path: x}}\nidentity:\n  addresses_in_text: always\n"
        let found = loader.load(yaml: yaml, file: "t.yaml").diagnostics.map(\.description)
        #expect(
            found.contains { $0.hasPrefix("t.yaml:3: identity.addresses_in_text: 'always' is not a rule") }, "\(found)")
    }

    @Test(arguments: [
        (
            "whatsapp",
            "      phone_number_id: abc\n      app_secret: meta-app-secret-0123456789\n      verify_token: verify-me\n"
                + "      access_token: EAAwhatsapp0123456789abcdef\n", "phone_number_id"
        ),
        ("telegram", "      bot_token: nope\n      mode: polling\n", "bot_token"),
        ("telegram", "      bot_token: \"123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11\"\n      mode: push\n", "mode"),
        (
            "x", "      account_id: \"@acme\"\n      access_token: t0123456789abcdef\n      mode: polling\n",
            "account_id"
        ),
    ])
    func mistakesInTheNewChannelsNameTheirKey(type: String, settings: String, key: String) {
        let yaml = "storage: {sqlite: {path: x}}\nchannels:\n  - id: c\n    type: \(type)\n    settings:\n" + settings
        let found = loader.load(yaml: yaml, file: "t.yaml").diagnostics.map(\.description)
        #expect(found.contains { $0.contains("channels[0].settings.\(key)") }, "\(found)")
        #expect(!found.contains { $0.contains("ABC-DEF1234") }, "no token echoed")
    }
}
