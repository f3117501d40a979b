import Foundation
import SwitchboardAdapterKit
import SwitchboardAdapters
import SwitchboardCore
import Testing

@testable import SwitchboardConfig

/// `rules:`: a full rule loads as written, and `config check` names each mistake with its line.
struct RuleConfigTests {
    let loader = ConfigLoader(registry: BuiltinAdapters.registry, environment: ["SECRET": "0123456789abcdef0123"])
    let base =
        "storage: {sqlite: {path: x}}\nchannels:\n  - id: shop\n    type: webhook\n    settings:\n      secret: ${SECRET}\n"

    func problems(_ yaml: String) -> [String] {
        loader.load(yaml: base + yaml, file: "t.yaml").diagnostics.map(\.description)
    }

    @Test func aFullRuleLoads() throws {
        let yaml = """
            business_hours: { time_zone: UTC, days: { mon: "09:00-17:00" } }
            rules:
              - name: refunds
                when:
                  message: first
                  channels: [shop]
                  keywords: [refund, money back]
                  pattern: 'order\\s*#?\\d+'
                  customer: { email: "*@bigcorp.example" }
                  tags: [VIP]
                  business_hours: closed
                  sentiment: negative
                then:
                  tag: [Refund, urgent]
                  priority: 2
                  assign: { round_robin: [alice, bob] }
                  acknowledge: "Thanks {{customer.first_name|}}, we have it."
                  acknowledge_window: 2h
                  close: true
              - name: everyone
                then: { assign: round_robin }
            """
        let result = loader.load(yaml: base + yaml, file: "t.yaml")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let rules = try #require(result.config?.rules)
        #expect(rules.map(\.name) == ["refunds", "everyone"])
        let when = rules[0].conditions
        #expect(when.message == .first && when.channels == ["shop"] && when.keywords == ["refund", "money back"])
        #expect(when.pattern?.matches("about Order #1234") == true && when.pattern?.matches("no number") == false)
        #expect(when.customerAttributes == ["email": "*@bigcorp.example"] && when.tags == ["vip"])
        #expect(when.businessTime == .closed && when.sentiment == .negative)
        let then = rules[0].actions
        #expect(
            then.addTags == ["refund", "urgent"] && then.priority == 2 && then.assignRoundRobin == ["alice", "bob"])
        #expect(then.acknowledge?.text == "Thanks {{customer.first_name|}}, we have it.")
        #expect(then.acknowledgeWindow == .seconds(7200) && then.close)
        #expect(rules[1].conditions == RuleConditions() && rules[1].actions.assignRoundRobin == [])
        #expect(rules[1].actions.acknowledgeWindow == RuleActions.defaultAcknowledgeWindow)
    }

    @Test func csatLoadsWithItsDefaults() throws {
        let result = loader.load(yaml: base + "csat: {}\nserver: {public_url: 'https://hub.example'}\n", file: "t.yaml")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let survey = try #require(result.config?.satisfaction)
        #expect(survey.question == SatisfactionSurvey.defaultQuestion && survey.window == .seconds(7 * 86_400))
        #expect(survey.link(token: "t") == "https://hub.example/csat/t")
        #expect(result.config?.ingestPolicy.ratingWindow == .seconds(7 * 86_400))
        #expect(loader.load(yaml: base, file: "t.yaml").config?.satisfaction == nil)
    }

    @Test(arguments: [
        ("rules:\n  - name: x\n    then: {}\n", "rule 'x' does nothing"),
        ("rules:\n  - name: X!\n    then: {close: true}\n", "a rule name is 1 to 64"),
        (
            "rules:\n  - name: x\n    when: {pattern: '(unclosed'}\n    then: {close: true}\n",
            "is not a regular expression"
        ),
        ("rules:\n  - name: x\n    when: {channels: [shopp]}\n    then: {close: true}\n", "no channel 'shopp'"),
        (
            "rules:\n  - name: x\n    when: {sentiment: furious}\n    then: {close: true}\n",
            "one of positive, neutral, negative"
        ),
        ("rules:\n  - name: x\n    when: {message: second}\n    then: {close: true}\n", "one of first, follow_up"),
        ("rules:\n  - name: x\n    when: {business_hours: open}\n    then: {close: true}\n", "needs a business_hours:"),
        ("rules:\n  - name: x\n    when: {keywords: [' ']}\n    then: {close: true}\n", "keyword must not be empty"),
        ("rules:\n  - name: x\n    then: {priority: 5}\n", "a priority is 0 (normal) to 3"),
        ("rules:\n  - name: x\n    then: {assign: alice}\n", "write assign: round_robin"),
        ("rules:\n  - name: x\n    then: {tag: ['no spaces']}\n", "tag 'no spaces' must be"),
        ("rules:\n  - name: x\n    then: {acknowledge: 'Hi {{customer.nick}}'}\n", "is not a placeholder"),
        ("rules:\n  - name: x\n    then: {acknowledge_window: 1h, close: true}\n", "needs an acknowledge: text"),
        ("rules:\n  - name: x\n    then: {close: true, reopen: true}\n", "reopen"),
        ("csat: { window: 10d }\n", "a rating window longer than conversations.reopen_window"),
        ("csat: { email_question: 'Rate us' }\n", "the email question needs {{link}}"),
        ("csat: { question: '  ' }\n", "the question is empty"),
        ("csat: { windw: 1d }\n", "windw"),
        (
            "rules:\n  - name: x\n    then: {close: true}\n  - name: x\n    then: {close: true}\n",
            "rule name 'x' is already used on line 8"
        ),
    ])
    func mistakesAreExplained(yaml: String, expected: String) {
        let found = problems(yaml)
        #expect(found.count == 1 && found.first?.contains(expected) == true, "\(found)")
        #expect(found.allSatisfy { $0.hasPrefix("t.yaml:") })
    }
}
