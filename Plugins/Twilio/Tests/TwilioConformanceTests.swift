import Foundation
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Testing

@testable import TwilioAdapter

/// The Twilio channel against the adapter contract (SwitchboardAdapterTesting's conformance check),
/// from the fixtures of TwilioTestSupport.swift, signed by Twilio's rule.
struct TwilioConformanceTests {
    /// A WhatsApp message through Twilio
    /// (https://www.twilio.com/docs/messaging/guides/webhook-request#whatsapp-specific-parameters).
    static let whatsappMessage: [(name: String, value: String)] = [
        ("MessageSid", "SM1111111111abcdef0123456789abcdef"), ("AccountSid", accountSID),
        ("From", "whatsapp:+5511987654321"), ("To", "whatsapp:+14155238886"), ("Body", "Oi"), ("NumMedia", "0"),
        ("ProfileName", "Ana"), ("WaId", "5511987654321"), ("ApiVersion", "2010-04-01"),
    ]

    /// A delivery report (https://www.twilio.com/docs/messaging/guides/track-outbound-message-status).
    static let statusCallback: [(name: String, value: String)] = [
        ("AccountSid", accountSID), ("From", "+15005550006"), ("MessageSid", "SM9"), ("MessageStatus", "delivered"),
        ("SmsSid", "SM9"), ("SmsStatus", "delivered"), ("To", "+14155550100"), ("ApiVersion", "2010-04-01"),
    ]

    /// An error answer of the Messages API
    /// (https://www.twilio.com/docs/usage/twilios-response#response-formats-exceptions).
    static func apiError(_ status: Int, _ code: Int, headers: [(name: String, value: String)] = [])
        -> HTTPClientResponse
    {
        let body =
            #"{"code": \#(code), "message": "Twilio says no", "more_info": "https://www.twilio.com/docs/errors/\#(code)", "status": \#(status)}"#
        return HTTPClientResponse(status: status, headers: headers, body: Array(body.utf8))
    }

    @Test func theTwilioChannelConforms() async throws {
        let http = fakeTwilioAPI()
        var unsigned = twilioRequest("/sms", inboundSMS)
        unsigned.headers.removeAll { $0.name == "X-Twilio-Signature" }
        let conformance = ConformanceCase(
            authentic: [
                twilioRequest("/sms", inboundSMS), twilioRequest("/sms", Self.whatsappMessage),
                twilioRequest("/status", Self.statusCallback),
            ],
            forged: [
                twilioRequest("/sms", inboundSMS, signature: "AAAAAAAAAAAAAAAAAAAAAAAAAAA="),
                twilioRequest("/sms", inboundSMS, token: "another-token-0123456789abcdef"),
                twilioRequest("/sms", inboundSMS, url: "https://evil.example.com/webhooks/twilio/sms"),
                twilioRequest("/status", Self.statusCallback, url: publicURL + "/sms"),
                unsigned,
            ],
            reply: try outbound(to: "tel:+14155550100"),
            sendFailures: [
                (Self.apiError(400, 21610), .permanent),
                (Self.apiError(429, 20429, headers: [("Retry-After", "7")]), .rateLimited),
                (Self.apiError(401, 20003), .unauthorized),
                (Self.apiError(400, 21211), .invalidRecipient),
                (HTTPClientResponse(status: 500, body: Array("<html>internal error</html>".utf8)), .transient),
            ],
            secrets: [authToken])
        let violations = await AdapterConformance.violations(
            of: makeAdapter(http: http), channel: "twilio", http: http, case: conformance)
        #expect(violations == [])
    }
}
