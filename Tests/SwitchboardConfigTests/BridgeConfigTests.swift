import Foundation
import SwitchboardAdapterKit
import SwitchboardAdapters
import SwitchboardCore
import Testing

@testable import SwitchboardConfig

/// `config check` on the bridge channel (`type: bridge`): the example file, and each mistake named by its key.
struct BridgeConfigTests {
    let loader = ConfigLoader(
        registry: BuiltinAdapters.registry, environment: ["IRC_BRIDGE_SECRET": "irc-bridge-secret-0123456789"])

    @Test func theExampleFileIsValid() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Config/examples/bridge.yaml")
        let yaml = "storage: {sqlite: {path: x}}\n" + (try String(contentsOf: example, encoding: .utf8))
        let result = loader.load(yaml: yaml, file: "bridge.yaml")
        #expect(result.diagnostics.map(\.description) == [])
        #expect(result.config?.channels.map(\.type.rawValue) == ["bridge"])
    }

    @Test(arguments: [
        ("      secret: short\n", "secret", "at least 16 characters"),
        ("      secret: irc-bridge-secret-0123456789\n      outbound_url: ftp://x\n", "outbound_url", "http://"),
        ("      secret: irc-bridge-secret-0123456789\n      health_url: localhost:8090\n", "health_url", "http://"),
        ("      secret: irc-bridge-secret-0123456789\n      timeout: 10m\n", "timeout", "between 1s and 120s"),
        (
            "      secret: irc-bridge-secret-0123456789\n      capabilities:\n        visibilities: [secret]\n",
            "capabilities.visibilities", "private and/or public"
        ),
        (
            "      secret: irc-bridge-secret-0123456789\n      capabilities:\n        max_text_length: 0\n",
            "capabilities.max_text_length", "at least 1"
        ),
    ])
    func mistakesNameTheirKey(settings: String, key: String, hint: String) {
        let yaml = "storage: {sqlite: {path: x}}\nchannels:\n  - id: irc\n    type: bridge\n    settings:\n" + settings
        let found = loader.load(yaml: yaml, file: "t.yaml").diagnostics.map(\.description)
        #expect(found.contains { $0.contains("channels[0].settings.\(key)") && $0.contains(hint) }, "\(found)")
    }
}
