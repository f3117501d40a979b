import Foundation
import SwitchboardAdapterKit
import SwitchboardAdapters
import SwitchboardCore
import Testing

@testable import SwitchboardConfig

/// `rate_limit:` on a channel, `outbox.max_rate_limited` and `webhooks:`: good values and what
/// `config check` says about bad ones.
struct DeliveryConfigTests {
    let loader = ConfigLoader(
        registry: BuiltinAdapters.registry,
        environment: ["SECRET": "0123456789abcdef0123", "HOOK": "hook-secret-0123456789"])

    let base = "storage: {sqlite: {path: x}}\n"

    func channel(_ extra: String) -> String {
        base + "channels:\n  - id: shop\n    type: webhook\n    settings:\n      secret: ${SECRET}\n" + extra
    }

    func problems(_ yaml: String) -> [String] {
        loader.load(yaml: yaml, file: "test.yaml").diagnostics.map(\.description)
    }

    @Test func aChannelsRateLimitOverridesTheDeclaredOneOrTurnsItOff() throws {
        let paced = try #require(
            loader.load(yaml: channel("    rate_limit: {messages: 100, per: 15m, burst: 5}\n"), file: "t").config)
        #expect(
            paced.channels[0].sendRate(declared: SendRate(messages: 80))
                == SendRate(messages: 100, per: .seconds(900), burst: 5))
        let unlimited = try #require(loader.load(yaml: channel("    rate_limit: unlimited\n"), file: "t").config)
        #expect(unlimited.channels[0].sendRate(declared: SendRate(messages: 80)) == nil)
        let declared = try #require(loader.load(yaml: channel(""), file: "t").config)
        #expect(declared.channels[0].sendRate(declared: SendRate(messages: 80)) == SendRate(messages: 80))
        #expect(declared.channels[0].sendRate(declared: nil) == nil)
        let perSecond = try #require(loader.load(yaml: channel("    rate_limit: {messages: 3}\n"), file: "t").config)
        #expect(perSecond.channels[0].sendRate(declared: nil) == SendRate(messages: 3, per: .seconds(1), burst: 3))
    }

    @Test(arguments: [
        (
            "    rate_limit: {messages: 0}\n",
            "test.yaml:7: channels[0].rate_limit.messages: messages must be at least 1 (or write unlimited)"
        ),
        (
            "    rate_limit: fast\n",
            "test.yaml:7: channels[0].rate_limit: 'fast' is not a rate limit: write { messages: 30, per: 1s, burst: 30 } or unlimited"
        ),
        (
            "    rate_limit: {messages: 5, burst: 0}\n",
            "test.yaml:7: channels[0].rate_limit.burst: burst must be at least 1 (it defaults to messages)"
        ),
        (
            "    rate_limit: {messages: 5, per: 0s}\n",
            "test.yaml:7: channels[0].rate_limit.per: per is a duration such as 1s, 1m or 1d"
        ),
    ])
    func badRateLimitsAreExplained(extra: String, expected: String) {
        #expect(problems(channel(extra)) == [expected])
    }

    @Test func theRateLimitedBudgetIsReadAndChecked() throws {
        let config = try #require(loader.load(yaml: base + "outbox: {max_rate_limited: 7}\n", file: "t").config)
        #expect(config.retry.maxRateLimited == 7)
        #expect(try #require(loader.load(yaml: base, file: "t").config).retry.maxRateLimited == 50)
        #expect(
            problems(base + "outbox:\n  max_rate_limited: 0\n") == [
                "test.yaml:3: outbox.max_rate_limited: max_rate_limited must be at least 1 (how many 429s one reply may get)"
            ])
    }

    @Test func webhooksAreReadWithTheirEvents() throws {
        let yaml =
            base + """
                webhooks:
                  - id: crm
                    url: https://crm.example.com/hooks
                    secret: ${HOOK}
                    events: [message.received, message.delivery]
                    timeout: 5s
                  - id: audit
                    url: http://127.0.0.1:9000/events
                    secret: ${HOOK}

                """
        let config = try #require(loader.load(yaml: yaml, file: "t").config)
        #expect(config.webhooks.map(\.id) == ["crm", "audit"])
        #expect(config.webhooks[0].events == [.messageReceived, .messageDelivery])
        #expect(config.webhooks[0].timeout == .seconds(5))
        #expect(config.webhooks[0].secret == "hook-secret-0123456789")
        #expect(config.webhooks[1].events == Set(WebhookEventKind.allCases))
    }

    @Test(arguments: [
        (
            "  - id: crm\n    url: ftp://x.example\n    secret: ${HOOK}\n",
            "test.yaml:4: webhooks[0].url: url must be an http:// or https:// address"
        ),
        (
            "  - id: crm\n    url: https://x.example\n    secret: short\n",
            "test.yaml:5: webhooks[0].secret: secret must be at least 16 characters; write ${NAME} and export NAME"
        ),
        (
            "  - id: crm\n    url: https://x.example\n    secret: ${HOOK}\n    events: [message.recieved]\n",
            "test.yaml:6: webhooks[0].events: 'message.recieved' is not an event; use message.received, message.edited, message.delivery, customer.merged, customer.unmerged, conversation.status"
        ),
        (
            "  - id: crm\n    url: https://x.example\n    secret: ${HOOK}\n  - id: crm\n    url: https://y.example\n    secret: ${HOOK}\n",
            "test.yaml:6: webhooks[1].id: webhook id 'crm' is already used on line 3"
        ),
        (
            "  - id: crm\n    url: https://x.example\n    secret: ${HOOK}\n    retries: 3\n",
            "test.yaml:6: webhooks[0].retries: unknown key"
        ),
    ])
    func badWebhooksAreExplained(entry: String, expected: String) {
        let found = problems(base + "webhooks:\n" + entry)
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix(expected) == true, "\(found)")
    }

    @Test func aWebhookSecretIsNeverQuoted() {
        let found = problems(base + "webhooks:\n  - id: crm\n    url: not a url\n    secret: ${HOOK}\n")
        #expect(!found.isEmpty)
        #expect(!found.joined().contains("hook-secret-0123456789"))
    }
}
