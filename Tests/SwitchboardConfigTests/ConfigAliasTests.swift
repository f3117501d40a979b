import SwitchboardAdapterKit
import SwitchboardCore
import Testing

@testable import SwitchboardConfig

/// YAML aliases are expanded into copies; a few nested ones must not take the loader minutes
/// and gigabytes ("billion laughs"), while an ordinary alias keeps working.
struct ConfigAliasTests {
    let loader = ConfigLoader(
        registry: AdapterRegistry([ConfigProbeAdapter.self, ConfigProbeSMSAdapter.self]),
        environment: ConfigCheckTests.environment)

    /// Nine levels of ten aliases each: a few hundred bytes that expand to a billion values.
    static var nestedAliases: String {
        var yaml = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1...9 {
            let items = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            yaml += "a\(level): &a\(level) [\(items)]\n"
        }
        return ConfigCheckTests.minimal + yaml
    }

    @Test func nestedAliasesAreRefusedWithAClearMessage() throws {
        let yaml = Self.nestedAliases
        #expect(yaml.utf8.count < 700)
        let result = loader.load(yaml: yaml, file: "laughs.yaml")
        #expect(result.config == nil)
        let found = try #require(result.diagnostics.first, "\(result.diagnostics)")
        #expect(result.diagnostics.count == 1)
        #expect(found.file == "laughs.yaml")
        #expect(found.message.contains("expands to more than 100000 values"), "\(found.message)")
        #expect(found.message.contains("aliases"))
    }

    @Test func anOrdinaryAliasStillWorks() throws {
        let yaml = """
            storage:
              sqlite:
                path: hub.sqlite
            channels:
              - id: sms-a
                type: probe-sms
                settings: &sms
                  number: "+15550001"
              - id: sms-b
                type: probe-sms
                settings: *sms
            """
        let result = loader.load(yaml: yaml, file: "alias.yaml")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.description))")
        let config = try #require(result.config)
        #expect(config.channels.map(\.id) == ["sms-a", "sms-b"])
    }
}
