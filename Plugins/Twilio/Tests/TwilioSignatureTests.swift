import Foundation
import SwitchboardAdapterKit
import Testing

@testable import TwilioAdapter

struct TwilioSignatureTests {
    /// Twilio's documented example (https://www.twilio.com/docs/usage/security#validating-requests):
    /// auth token 12345, this URL and these parameters sign to `0/KCTR6DLpKmkAf8muzZqo1nDgQ=`
    /// (also what twilio-python 9.13's RequestValidator computes; checked in /work/shared/peers.md §4).
    @Test func twiliosDocumentedExample() {
        let parameters: [(name: String, value: String)] = [
            ("CallSid", "CA1234567890ABCDE"), ("Caller", "+12349013030"), ("Digits", "1234"),
            ("From", "+12349013030"), ("To", "+18005551212"),
        ]
        #expect(
            TwilioSignature.compute(
                authToken: "12345", url: "https://mycompany.com/myapp.php?foo=1&bar=2", parameters: parameters)
                == "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")
    }

    /// Repeated keys: each distinct value once, values sorted (twilio-python 9.x; peers.md §4 vector).
    @Test func repeatedParametersAreDeduplicatedAndSorted() {
        let parameters: [(name: String, value: String)] = [("Body", "b"), ("Body", "a"), ("Body", "a"), ("From", "+1")]
        #expect(
            TwilioSignature.compute(authToken: "12345", url: "https://x.test/sms", parameters: parameters)
                == "S5Jduqz+pvMhe4HKnMsZXy0bqJE=")
    }

    @Test func defaultPortIsAddedOrRemoved() {
        #expect(
            TwilioSignature.urlVariants("https://hub.example.com/webhooks/twilio/sms")
                == ["https://hub.example.com/webhooks/twilio/sms", "https://hub.example.com:443/webhooks/twilio/sms"])
        #expect(
            TwilioSignature.urlVariants("http://hub.example.com:80/sms?a=1")
                == ["http://hub.example.com:80/sms?a=1", "http://hub.example.com/sms?a=1"])
        #expect(TwilioSignature.urlVariants("https://hub.example.com:8443/sms") == ["https://hub.example.com:8443/sms"])
    }

    @Test func routeAcceptsTheRightSignatureAndRefusesChanges() throws {
        let adapter = makeAdapter()
        let route = try #require(adapter.webhookRoutes.first { $0.path == "/sms" })
        try route.verify(twilioRequest("/sms", inboundSMS))
        // Signed with the default port, verified against the configured URL without it.
        try route.verify(twilioRequest("/sms", inboundSMS, url: "https://hub.example.com:443/webhooks/twilio/sms"))

        var changed = inboundSMS
        let good = twilioRequest("/sms", inboundSMS)
        changed[10] = ("Body", "Hello é world!")
        var tampered = good
        tampered.body = Array(FormEncoding.encode(changed).utf8)
        #expect(throws: WebhookAuthError.self) { try route.verify(tampered) }
        #expect(throws: WebhookAuthError.self) {
            try route.verify(twilioRequest("/sms", inboundSMS, url: "https://evil.example.com/webhooks/twilio/sms"))
        }
        #expect(throws: WebhookAuthError.self) {
            try route.verify(twilioRequest("/sms", inboundSMS, token: "another-token-0123456789abcdef"))
        }
        var unsigned = good
        unsigned.headers.removeAll { $0.name == "X-Twilio-Signature" }
        do {
            try route.verify(unsigned)
            Issue.record("an unsigned request was accepted")
        } catch {
            #expect(error.status == 403)
            #expect(!error.message.contains(authToken))
        }
    }

    @Test func queryStringIsPartOfTheSignedURL() throws {
        let route = try #require(makeAdapter().webhookRoutes.first { $0.path == "/sms" })
        var request = twilioRequest("/sms", inboundSMS, url: publicURL + "/sms?tenant=a")
        request.rawQuery = "tenant=a"
        try route.verify(request)
        request.rawQuery = "tenant=b"
        #expect(throws: WebhookAuthError.self) { try route.verify(request) }
    }
}
