import Foundation
import Logging
import SwitchboardAdapterKit
import SwitchboardAdapterTesting
import Synchronization

@testable import TwilioAdapter

/// A fake Twilio REST API: 201 with a new message SID unless answers are queued.
func fakeTwilioAPI() -> RecordingHTTPClient {
    RecordingHTTPClient { count in
        HTTPClientResponse(
            status: 201, body: Array(#"{"sid": "SM\#(String(format: "%032d", count))", "status": "queued"}"#.utf8))
    }
}

let accountSID = "AC0123456789abcdef0123456789abcdef"
let authToken = "0123456789abcdef0123456789abcdef"
let publicURL = "https://hub.example.com/webhooks/twilio"

func makeAdapter(
    http: RecordingHTTPClient = fakeTwilioAPI(), whatsappFrom: String? = "whatsapp:+14155238886",
    from: String? = "+15005550006"
) -> TwilioAdapter {
    TwilioAdapter(
        configuration: TwilioConfiguration(
            accountSID: accountSID, authToken: authToken, from: from, whatsappFrom: whatsappFrom,
            defaultRegion: PhoneRegion("US"), publicURL: publicURL, apiBaseURL: "https://api.twilio.test"),
        context: AdapterContext(
            channel: "twilio", logger: Logger(label: "test"), inbound: DiscardingHub(), cursor: DiscardingHub(),
            http: http,
            publicBaseURL: "http://127.0.0.1:8080"))
}

/// A form-encoded request as Twilio sends it, signed with `token` over `url`.
func twilioRequest(
    _ path: String, _ parameters: [(name: String, value: String)], url: String? = nil, token: String = authToken,
    signature: String? = nil
) -> WebhookRequest {
    let signed = url ?? publicURL + path
    let sig = signature ?? TwilioSignature.compute(authToken: token, url: signed, parameters: parameters)
    return WebhookRequest(
        method: "POST", path: path,
        headers: [("Content-Type", "application/x-www-form-urlencoded"), ("X-Twilio-Signature", sig)],
        body: Array(FormEncoding.encode(parameters).utf8))
}

func outbound(to: String, text: String = "Thanks, on its way", attachments: [Attachment] = []) throws
    -> OutboundMessage
{
    OutboundMessage(
        messageID: "msg_1", conversationID: "con_1", channel: "twilio", to: try Address(parsing: to),
        threadKey: "t", text: text, attachments: attachments, idempotencyKey: "key-1")
}

/// The inbound SMS webhook parameters Twilio documents
/// (https://www.twilio.com/docs/messaging/guides/webhook-request), with test values.
let inboundSMS: [(name: String, value: String)] = [
    ("ToCountry", "US"), ("ToState", "CA"), ("SmsMessageSid", "SM0123456789abcdef0123456789abcdef"),
    ("NumMedia", "0"), ("ToCity", ""), ("FromZip", ""), ("SmsSid", "SM0123456789abcdef0123456789abcdef"),
    ("FromState", "NY"), ("SmsStatus", "received"), ("FromCity", ""), ("Body", "Hello é world"),
    ("FromCountry", "US"), ("To", "+15005550006"), ("ToZip", ""), ("NumSegments", "1"),
    ("MessageSid", "SM0123456789abcdef0123456789abcdef"), ("AccountSid", accountSID), ("From", "+14155550100"),
    ("ApiVersion", "2010-04-01"),
]
