import Foundation
import SwitchboardAdapters
import Testing

@testable import SwitchboardConfig

/// What `config check` says about an email channel's settings.
struct EmailConfigTests {
    let loader = ConfigLoader(
        registry: BuiltinAdapters.registry,
        environment: ["PW": "imap-password", "SUPPORT_IMAP_PASSWORD": "a", "SUPPORT_SMTP_PASSWORD": "b"])

    func problems(_ settings: String) -> [String] {
        let yaml =
            "storage: {sqlite: {path: x}}\nchannels:\n  - id: support\n    type: email\n    settings:\n" + settings
        return loader.load(yaml: yaml, file: "t.yaml").diagnostics.map(\.description)
    }

    let imap = "      imap: {url: \"imaps://imap.example.com\", username: s@example.com, password: \"${PW}\"}\n"

    @Test func aCompleteInboxHasNoProblems() {
        #expect(problems("      address: support@example.com\n" + imap) == [])
    }

    @Test(arguments: [
        ("      address: support\n", "t.yaml:6: channels[0].settings.address: address must be an email address"),
        (
            "      address: s@example.com\n      imap: {url: \"imaps://u@imap.example.com/INBOX\", username: a, password: b}\n",
            "t.yaml:7: channels[0].settings.imap.url: url is the server only"
        ),
        (
            "      address: s@example.com\n      imap: {url: \"http://imap.example.com\", username: a, password: b}\n",
            "t.yaml:7: channels[0].settings.imap.url: url must start with imaps:// or imap://"
        ),
        (
            "      address: s@example.com\n      imap: {url: \"imap://imap.example.com\", username: a, password: b, tls: implicit}\n",
            "t.yaml:7: channels[0].settings.imap.tls: tls: implicit needs the imaps:// scheme"
        ),
        (
            "      address: s@example.com\n      imap: {url: \"imaps://imap.example.com\", username: a}\n",
            "t.yaml:7: channels[0].settings.imap: imap needs username and password"
        ),
        (
            "      address: s@example.com\n      imap: {url: \"imaps://h\", username: a, password: b}\n      poll_interval: often\n",
            "t.yaml:8: channels[0].settings.poll_interval: expected a duration such as 500ms"
        ),
        (
            "      address: s@example.com\n      imap: {url: \"imaps://h\", username: a, password: b}\n      pol_interval: 10s\n",
            "t.yaml:8: channels[0].settings.pol_interval: unknown key 'pol_interval'; did you mean 'poll_interval'?"
        ),
        (
            "      address: s@example.com\n      imap: {url: \"imaps://h\", username: a, password: b}\n      smtp: {url: \"smtps://h\", tls: starttls}\n",
            "t.yaml:8: channels[0].settings.smtp.tls: smtps:// is TLS from the first byte"
        ),
    ])
    func mistakesAreExplainedWithTheirLine(settings: String, expected: String) {
        let found = problems(settings)
        #expect(found.contains { $0.hasPrefix(expected) }, "\(found)")
    }

    @Test func theExampleFileIsValid() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Config/examples/email.yaml")
        let yaml = "storage: {sqlite: {path: x}}\n" + (try String(contentsOf: example, encoding: .utf8))
        #expect(loader.load(yaml: yaml, file: "email.yaml").diagnostics.map(\.description) == [])
    }
}
