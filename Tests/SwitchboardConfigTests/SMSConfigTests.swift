import Foundation
import SwitchboardAdapters
import Testing

@testable import SwitchboardConfig

/// What `config check` says about SMS channels and the `opt_out:` section.
struct SMSConfigTests {
    let loader = ConfigLoader(
        registry: BuiltinAdapters.registry,
        environment: [
            "TWILIO_AUTH_TOKEN": "0123456789abcdef0123456789abcdef", "KANNEL_SECRET": "kannel-secret-0123456789",
            "SMS_TOKEN": "outbound-token-0123456789",
        ])

    func problems(_ channels: String, top: String = "") -> [String] {
        let yaml = "storage: {sqlite: {path: x}}\n" + top + "channels:\n" + channels
        return loader.load(yaml: yaml, file: "t.yaml").diagnostics.map(\.description)
    }

    let twilio = """
          - id: twilio
            type: twilio
            settings:
              account_sid: AC0123456789abcdef0123456789abcdef
              auth_token: ${TWILIO_AUTH_TOKEN}
              from: "+15005550006"
              default_region: US

        """
    let kannel = """
          - id: kannel
            type: kannel
            settings:
              secret: ${KANNEL_SECRET}
              sendsms_url: http://127.0.0.1:13013/cgi-bin/sendsms
              username: switchboard
              password: p
              default_region: FR

        """
    let gateway = """
          - id: acme
            type: sms-http
            settings:
              inbound:
                format: json
                auth: {token: {header: Authorization, value: "Bearer inbound-token-0123456789"}}
                fields: {id: id, from: from, text: text}
              outbound:
                url: https://api.provider.test/sms
                headers: {Authorization: "Bearer ${SMS_TOKEN}", X-Api-Version: "2"}
                body: {to: "{to}", text: "{text}", sender: Acme}

        """

    @Test func theExamplesHaveNoProblems() {
        #expect(
            problems(twilio + kannel + gateway, top: "opt_out: {keywords: [ARRET, STOPP], opt_in_keywords: [UNSTOP]}\n")
                == [])
    }

    @Test func mistakesNameTheLine() {
        let badRegion = twilio.replacingOccurrences(of: "default_region: US", with: "default_region: USA")
        #expect(
            problems(badRegion).contains {
                $0.hasPrefix("t.yaml:9: channels[0].settings.default_region: 'USA' is not a region")
            })
        let badSID = twilio.replacingOccurrences(of: "AC0123456789abcdef0123456789abcdef", with: "AC123")
        #expect(problems(badSID).contains { $0.hasPrefix("t.yaml:6: channels[0].settings.account_sid:") })
        let shortSecret = kannel.replacingOccurrences(of: "${KANNEL_SECRET}", with: "short")
        #expect(
            problems(shortSecret).contains { $0.hasPrefix("t.yaml:6: channels[0].settings.secret: secret must be") })
        let typo = kannel.replacingOccurrences(of: "sendsms_url", with: "send_sms_url")
        #expect(problems(typo).contains { $0.contains("unknown key 'send_sms_url'; did you mean 'sendsms_url'?") })
        let template = gateway.replacingOccurrences(of: "{text}", with: "{message}")
        #expect(problems(template).contains { $0.contains("channels[0].settings.outbound.body") })
    }

    @Test func optOutKeywordsAreChecked() {
        #expect(
            problems("", top: "opt_out: {keywords: [STOP NOW]}\n").contains {
                $0.hasPrefix("t.yaml:2: opt_out.keywords: 'STOP NOW' is not a keyword")
            })
        #expect(
            problems("", top: "opt_out: {opt_in_keywords: [stop]}\n").contains {
                $0.contains("'STOP' is both an opt-out and an opt-in keyword")
            })
        #expect(problems("", top: "opt_out: {keyword: [X]}\n").contains { $0.contains("did you mean 'keywords'?") })
    }
}
