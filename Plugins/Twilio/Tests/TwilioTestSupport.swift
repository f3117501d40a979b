import Foundation
import Logging
import SwitchboardAdapterKit
import Synchronization

@testable import TwilioAdapter

/// A fake Twilio REST API: records requests and answers with queued responses (201 with a SID by default).
final class FakeHTTP: HTTPClient {
    let requests = Mutex<[HTTPClientRequest]>([])
    let answers = Mutex<[Result<HTTPClientResponse, TransportError>]>([])

    func execute(_ request: HTTPClientRequest) async throws(TransportError) -> HTTPClientResponse {
        let count = requests.withLock {
            $0.append(request)
            return $0.count
        }
        let answer = answers.withLock {
            $0.isEmpty
                ? .success(
                    HTTPClientResponse(
                        status: 201,
                        body: Array(#"{"sid": "SM\#(String(format: "%032d", count))", "status": "queued"}"#.utf8)))
                : $0.removeFirst()
        }
        return try answer.get()
    }

    func answer(_ status: Int, _ body: String, headers: [(name: String, value: String)] = []) {
        answers.withLock {
            $0.append(.success(HTTPClientResponse(status: status, headers: headers, body: Array(body.utf8))))
        }
    }
}

struct NoSink: InboundSink, CursorStore {
    func deliver(_ batch: [InboundEnvelope]) async throws -> [DeliveryOutcome] { [] }
    func apply(_ updates: [StatusUpdate]) async throws {}
    func value(for key: String) async throws -> String? { nil }
    func setValue(_ value: String, for key: String) async throws {}
}

let accountSID = "AC0123456789abcdef0123456789abcdef"
let authToken = "0123456789abcdef0123456789abcdef"
let publicURL = "https://hub.example.com/webhooks/twilio"

func makeAdapter(
    http: FakeHTTP = FakeHTTP(), whatsappFrom: String? = "whatsapp:+14155238886", from: String? = "+15005550006"
) -> TwilioAdapter {
    TwilioAdapter(
        configuration: TwilioConfiguration(
            accountSID: accountSID, authToken: authToken, from: from, whatsappFrom: whatsappFrom,
            defaultRegion: PhoneRegion("US"), publicURL: publicURL, apiBaseURL: "https://api.twilio.test"),
        context: AdapterContext(
            channel: "twilio", logger: Logger(label: "test"), inbound: NoSink(), cursor: NoSink(), http: http,
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
